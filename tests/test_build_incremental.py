"""Incremental builds write exactly what a build from scratch writes.

The demo academy is built once with the build cache; then a series of edits
is applied one after the other (a session moved, a learner enrolled and
withdrawn, instructors swapped, a program renamed, a course module edited, a
record row added, a learner enrolled in a third cohort, a venue and a room
renamed, another cohort's session moved, a theme template and a page added,
then removed, the feed secret changed, trainkit's version bumped). After each
edit the same output folders are rebuilt incrementally and compared, byte for
byte, with a build from scratch into fresh folders without the cache. The
progress messages say which writers were taken over from the last build, so
the test also shows that the work skipped is the work whose inputs did not
change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

import trainkit
from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.writers import fingerprint
from trainkit.writers.build import BuildOptions, run_build

SECRET = b"incremental-test-secret"
COHORT = "programs/first-aid/cohorts/fa-lon-2027-01.yaml"


def _tree(folder: Path) -> dict[str, str]:
    """Every file (digest of its bytes) and folder under ``folder``."""
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def _build(root: Path, out: Path, *, cache: bool = True, jobs: int = 2,
           secret: bytes = SECRET) -> list[str]:
    said: list[str] = []
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=secret, cache=cache,
            jobs=jobs, progress=said.append))
    assert not result.errors, [d.text() for d in result.errors]
    return said


def _taken_over(said: list[str]) -> set[str]:
    return {m.split(":")[0] for m in said if m.endswith("taken from the last build")}


def _written(said: list[str]) -> set[str]:
    return {m.split(":")[0] for m in said if ": written in " in m}


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


OVERRIDE = """{% extends "base.html" %}
{% block announce %}Enrolment for 2027 is open.{% endblock %}
"""

# (what the edit is, the edit, writers that must have been taken over unchanged)
EDITS: list[tuple[str, Callable[[Path], object], set[str]]] = [
    ("session moved", lambda r: _replace(r, COHORT, 'start: "09:00"', 'start: "09:30"'),
     {"framework"}),
    ("learner withdrawn", lambda r: _replace(
        r, COHORT, "learner: l-0209\n    status: enrolled",
        "learner: l-0209\n    status: withdrawn"),
     {"framework"}),
    ("learner enrolled from the waitlist", lambda r: _replace(
        r, COHORT, "learner: l-0222\n    status: waitlisted",
        "learner: l-0222\n    status: enrolled"),
     {"framework"}),
    ("instructors swapped", lambda r: _replace(
        r, COHORT, "lead: [tomasz-wisniewski]\n  assistants: [amara-okafor]",
        "lead: [amara-okafor]\n  assistants: [tomasz-wisniewski]"), {"framework"}),
    ("program renamed", lambda r: _replace(
        r, "programs/first-aid/program.yaml", "title: First Aid at Work",
        "title: First Aid at Work (HSE)"), {"framework"}),
    ("course module edited", lambda r: _append(
        r, "courses/manual-handling/modules/02-tile.md", "\nTake a break between lifts.\n"),
     {"framework"}),
    ("quiz result row added", lambda r: _append(
        r, "records/quiz-results/manual-handling.csv",
        "l-0402,manual-handling/check-1,4,4,2026-02-21T12:10:00-05:00,2\n"),
     {"site", "feeds", "framework"}),
    ("survey response added (ratings are published)", lambda r: _append(
        r, "records/surveys/course-feedback-fa-lon-2026-03.csv",
        "r-0099,course-feedback,fa-lon-2026-03,,2026-03-31T09:00:00+01:00,,1,1,0,Too fast,\n"),
     {"feeds", "framework"}),
    ("learner renamed", lambda r: _replace(
        r, "people/learners/acme-logistics.yaml", "Abigail Thornbury", "Abigail Thornbury-Lee"),
     {"site", "framework"}),
    # Edits where a per-file key (one learner's page, one cohort's sheets) could go stale.
    ("learner enrolled in a third cohort", lambda r: _replace(
        r, "programs/fire-warden/cohorts/fw-man-2027-03.yaml", "enrollments:\n",
        "enrollments:\n  - learner: l-0106\n    status: enrolled\n    date: 2026-12-01\n"),
     {"framework"}),
    ("venue renamed that several cohorts use", lambda r: _replace(
        r, "venues/london-hq.yaml", "name: Northwind London", "name: Northwind London Bridge"),
     {"framework"}),
    ("room renamed", lambda r: _replace(
        r, "venues/london-hq.yaml", "name: Thames Room", "name: Thames Suite"), {"framework"}),
    ("session of another cohort of the same learners moved", lambda r: _replace(
        r, "programs/fire-warden/cohorts/fw-lon-2026-12.yaml", "date: 2026-12-10",
        "date: 2026-12-11"), {"framework"}),
    ("theme template and a page added", lambda r: (
        _append(r, "site-extra/overrides/main.html", OVERRIDE),
        _append(r, "site-extra/news.md", "# News\n\nNew cohorts for 2027.\n")),
     {"feeds", "reports", "certificates", "learner_pages", "framework", "invoices"}),
    ("theme template and the page removed", lambda r: (
        (r / "site-extra/overrides/main.html").unlink(), (r / "site-extra/news.md").unlink())[0],
     {"feeds", "reports", "certificates", "learner_pages", "framework", "invoices"}),
]


@pytest.fixture(scope="module")
def academy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("incremental") / "academy")


def test_every_edit_rebuilds_to_the_bytes_of_a_build_from_scratch(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    said = _build(academy, out, jobs=1)  # one process: every progress message is seen here
    assert _taken_over(said) == set()  # no cache yet: every writer runs, and says so
    assert _written(said) >= {"site", "feeds", "reports", "certificates", "learner_pages"}
    assert said[-1] == "putting the written files in place"
    assert any(m.startswith("nothing changed") for m in _build(academy, out))
    for number, (what, edit, unchanged) in enumerate(EDITS):
        edit(academy)
        said = _build(academy, out)
        if what.startswith("theme template and a page added"):
            assert "2027" in (out / "site" / "news" / "index.html").read_text(encoding="utf-8")
        assert _taken_over(said) == unchanged, what
        scratch = tmp_path / f"scratch-{number}"
        _build(academy, scratch, cache=False)
        for kind in ("site", "reports"):
            assert _tree(out / kind) == _tree(scratch / kind), f"{what}: {kind}/ differs"
    assert not (out / "site" / "news").exists()  # a removed page is gone from the output

    # another secret moves every personal file: nothing may be taken over from the old ones
    _build(academy, out, secret=b"another-secret")
    _build(academy, tmp_path / "scratch-secret", cache=False, secret=b"another-secret")
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(tmp_path / "scratch-secret" / kind), "secret changed"

    # trainkit's own files (code, templates) and version are part of every key
    monkeypatch.setattr(trainkit, "__version__", trainkit.__version__ + ".post1")
    fingerprint.toolchain.cache_clear()
    try:
        assert _taken_over(_build(academy, out)) == set()
        _build(academy, tmp_path / "scratch-version", cache=False)
        for kind in ("site", "reports"):
            assert _tree(out / kind) == _tree(tmp_path / "scratch-version" / kind)
    finally:
        fingerprint.toolchain.cache_clear()
