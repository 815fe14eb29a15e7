"""The spare tree: the output before the current one is where the next build is staged.

A rebuild claims ``.site.spare`` (and ``.reports.spare``) instead of a fresh
folder and leaves in place only the files that are the current output's very
files. These tests build the demo academy, edit it, and check that the spare
never decides a byte of the output: a planted file, a symbolic link out of
it, a spare that is itself a link, or one others can write to, give the same
output as a build from scratch and touch nothing outside. They also check
that git and backup tools leave the spare alone, that the recorded state is
exactly what the outputs hold (the next build finds nothing changed), and
that no feed gets more hard links from one build than the file system can
hold beside a spare.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.writers import feeds, spare, units
from trainkit.writers.build import BuildError, BuildOptions, run_build

SECRET = b"spare-test-secret"
COHORT = "programs/first-aid/cohorts/fa-lon-2027-01.yaml"


def _build(root: Path, out: Path, *, cache: bool = True, only: tuple[str, ...] = (),
           jobs: int = 2) -> list[str]:
    said: list[str] = []
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=SECRET, cache=cache,
            jobs=jobs, progress=said.append, only=only))
    assert not result.errors, [d.text() for d in result.errors]
    return said


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def _move_session(root: Path, start: str) -> None:
    path = root / COHORT
    text = path.read_text(encoding="utf-8")
    old = next(s for s in ('start: "09:00"', 'start: "09:30"', 'start: "10:00"') if s in text)
    path.write_text(text.replace(old, f'start: "{start}"', 1), encoding="utf-8")


def _same_as_scratch(root: Path, out: Path, scratch: Path) -> None:
    _build(root, scratch, cache=False)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(scratch / kind), f"{kind}/ differs"


def _nothing_changed(said: list[str]) -> bool:
    return any(m.startswith("nothing changed") for m in said)


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    """The demo academy in a git repository, built once and rebuilt after an edit, with
    its outputs inside it (as ``trainkit build`` does by default)."""
    root = copy_demo(tmp_path / "academy")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    _build(root, root)
    _move_session(root, "09:30")
    _build(root, root)
    return root


def test_the_replaced_output_becomes_the_spare_and_git_ignores_it(academy: Path) -> None:
    site_spare = academy / ".site.spare"
    for kept in (site_spare, academy / ".reports.spare"):
        assert kept.is_dir()
        assert (kept / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
        assert (kept / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
            "Signature: 8a477f597d28d172789f06886806bc55")
    # the files the edit did not change are the very files of the output
    site = academy / "site"
    files = [p.relative_to(site) for p in site.rglob("*") if p.is_file()]
    shared = [rel for rel in files if (site_spare / rel).is_file()
              and os.stat(site_spare / rel).st_ino == os.stat(site / rel).st_ino]
    assert len(shared) > 0.75 * len(files)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=academy, capture_output=True, text=True, check=True).stdout
    assert ".spare" not in status
    assert status  # the academy's own files are listed: git did look


def test_an_edit_built_in_the_spare_is_a_build_from_scratch(academy: Path,
                                                            tmp_path: Path) -> None:
    site = academy / "site"
    before = {p: os.stat(p).st_ino for p in site.rglob("*") if p.is_file()}
    _move_session(academy, "10:00")
    said = _build(academy, academy)
    assert not _nothing_changed(said)
    _same_as_scratch(academy, academy, tmp_path / "scratch")
    after = {p: os.stat(p).st_ino for p in site.rglob("*") if p.is_file()}
    moved = [p for p in before if after.get(p) != before[p]]
    assert 0 < len(moved) < len(before) / 4  # only the files whose bytes changed are new
    # what the build recorded is what the outputs hold: the next build touches nothing
    assert _nothing_changed(_build(academy, academy))


def test_files_planted_in_the_spare_never_reach_the_output(academy: Path,
                                                           tmp_path: Path) -> None:
    site_spare = academy / ".site.spare"
    page = site_spare / "catalog" / "index.html"
    page.unlink()  # a new file in its place, not the current output's
    page.write_text("<script>planted()</script>", encoding="utf-8")
    (site_spare / "planted.html").write_text("planted", encoding="utf-8")
    (site_spare / "catalog" / "index.html.d").mkdir()
    _move_session(academy, "10:00")
    _build(academy, academy)
    assert not (academy / "site" / "planted.html").exists()
    assert "planted" not in (academy / "site" / "catalog" / "index.html").read_text(
        encoding="utf-8")
    _same_as_scratch(academy, academy, tmp_path / "scratch")


@pytest.mark.parametrize("how", ["link inside", "spare is a link", "others can write"])
def test_a_spare_that_is_not_safe_to_write_into_is_not_used(
        academy: Path, tmp_path: Path, how: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("outside", encoding="utf-8")
    site_spare = academy / ".site.spare"
    if how == "link inside":
        for child in (site_spare / "catalog").iterdir():
            child.unlink()
        (site_spare / "catalog").rmdir()
        (site_spare / "catalog").symlink_to(outside)
    elif how == "spare is a link":
        subprocess.run(["rm", "-rf", str(site_spare)], check=True)
        site_spare.symlink_to(outside)
    else:
        site_spare.chmod(0o777)
    _move_session(academy, "10:00")
    _build(academy, academy)
    assert [p.name for p in outside.iterdir()] == ["index.html"]
    assert (outside / "index.html").read_text(encoding="utf-8") == "outside"
    _same_as_scratch(academy, academy, tmp_path / "scratch")
    assert not site_spare.is_symlink()
    assert not any(p.is_symlink() for p in site_spare.rglob("*"))
    assert site_spare.stat().st_mode & 0o022 == 0


def test_a_spare_left_by_a_killed_build_is_cleaned_up(academy: Path) -> None:
    claimed = spare.claim(academy / "site", ".trainkit-parts")
    assert claimed is not None and claimed.folder.name.startswith(".site.new-")
    assert "catalog/index.html" in claimed.index
    stale = academy / f".site.new-{_dead_pid()}-sdeadbeef"  # as a killed build leaves it
    claimed.folder.rename(stale)
    _move_session(academy, "10:00")
    _build(academy, academy)
    assert not stale.exists()
    assert (academy / "site" / "catalog" / "index.html").is_file()


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_no_feed_gets_more_links_from_one_build_than_a_spare_leaves_room_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    _build(root, tmp_path / "wide", cache=False, only=("feeds",))
    monkeypatch.setattr(feeds, "TWINS_PER_FILE", 2)
    _build(root, tmp_path / "narrow", cache=False, only=("feeds",))
    links = Counter(p.stat().st_ino for p in (tmp_path / "narrow" / "site").rglob("*.ics"))
    wide = Counter(p.stat().st_ino for p in (tmp_path / "wide" / "site").rglob("*.ics"))
    assert max(wide.values()) > 3  # learners do share feeds in the demo
    assert max(links.values()) <= 3  # the first file and two links to it
    assert _tree(tmp_path / "narrow" / "site") == _tree(tmp_path / "wide" / "site")


def test_a_failed_build_gives_the_spare_back_and_touches_no_output(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _tree(academy / "site"), _tree(academy / "reports")
    site_ino = (academy / "site").stat().st_ino

    def broken(ctx: object) -> None:
        raise BuildError("the feeds could not be written")

    _move_session(academy, "10:00")
    with monkeypatch.context() as patched:
        patched.setattr(feeds, "write", broken)
        with pytest.raises(BuildError):
            _build(academy, academy)
    assert (_tree(academy / "site"), _tree(academy / "reports")) == before
    assert (academy / "site").stat().st_ino == site_ino
    assert (academy / ".site.spare").is_dir() and (academy / ".reports.spare").is_dir()
    assert not [p for p in academy.iterdir() if ".new-" in p.name]
    _build(academy, academy)
    _same_as_scratch(academy, academy, tmp_path / "scratch")


def test_site_pages_found_in_the_page_cache_are_taken_over_not_written(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[str] = []
    link = units.SameBytes.link  # by their key, or by their bytes

    def spy(self: units.SameBytes, rel: str) -> str | None:
        found = link(self, rel)
        if found is not None and self.side == "site" and rel.endswith(".html"):
            taken.append(rel)
        return found

    monkeypatch.setattr(units.SameBytes, "link", spy)
    _move_session(academy, "10:00")
    said = _build(academy, academy, jobs=1)  # one process: the spy sees every call
    assert not any(m.startswith("site: unchanged") for m in said)  # the site writer ran
    assert "cohorts/fa-lon-2027-01/index.html" not in taken  # the moved session's: made again
    assert len([rel for rel in taken if rel.startswith("cohorts/")]) > 1
    _same_as_scratch(academy, academy, tmp_path / "scratch")


def test_a_spare_laid_from_the_output_stages_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the preview does while it waits for the first save after a fresh start."""
    root = copy_demo(tmp_path / "academy")
    out = tmp_path / "out"
    _build(root, out)  # a first build: no output before it, so no spare
    site, reports = out / "site", out / "reports"
    assert not spare.spare_path(site).exists()
    outside = tmp_path / "outside.txt"
    outside.write_text("not the output's", encoding="utf-8")
    (site / "planted-link").symlink_to(outside)  # a link planted in the output
    assert spare.lay(site) and spare.lay(reports)
    assert not spare.lay(site)  # there is one already
    laid = spare.spare_path(site)
    assert not (laid / "planted-link").exists()
    (site / "planted-link").unlink()
    files = [p.relative_to(site) for p in site.rglob("*") if p.is_file()]
    assert files and all(os.stat(laid / rel).st_ino == os.stat(site / rel).st_ino
                         for rel in files)
    assert not [p for p in out.iterdir() if ".new-" in p.name]

    claimed: list[int] = []
    claim = spare.claim

    def spy(target: Path, skip: str) -> spare.Claimed | None:
        found = claim(target, skip)
        claimed.append(-1 if found is None else len(found.index))
        return found

    monkeypatch.setattr(spare, "claim", spy)
    before = {rel: os.stat(site / rel).st_ino for rel in files}
    _move_session(root, "10:00")
    _build(root, out)
    assert len(claimed) == 2 and min(claimed) > 0  # both outputs were staged in their spare
    _same_as_scratch(root, out, tmp_path / "scratch")
    kept = [rel for rel in files if (site / rel).is_file()
            and os.stat(site / rel).st_ino == before[rel]]
    assert len(kept) > 0.75 * len(files)  # the unchanged files are the very same files
    assert not spare.lay(tmp_path / "no-output")
