"""The generated MkDocs project is kept between builds, in the user's private cache folder.

Only the project's files whose bytes changed are written again, and files the
project no longer has (a removed page, a file put there by hand) are removed,
so the site is always what a fresh project gives. The folder is private to
the user, and a build that finds it in use by another build uses a fresh one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import pytest

from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.writers.build import BuildOptions, run_build

SECRET = b"project-test-secret"
COHORT = "programs/first-aid/cohorts/fa-lon-2027-01.yaml"


def _build(root: Path, out: Path, cache: bool = True) -> None:
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=SECRET, cache=cache,
            jobs=1, only=("site",)))
    assert not result.errors, [d.text() for d in result.errors]


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _project(cache_home: Path, root: Path) -> Path:
    name = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:24]
    return cache_home / "trainkit" / "projects" / name


def test_the_project_is_kept_and_only_changed_files_are_written(
        tmp_path: Path, cache_home: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    out = tmp_path / "out"
    _build(root, out)
    project = _project(cache_home, root)
    assert (project / "mkdocs.yml").is_file()
    assert (cache_home / "trainkit" / "projects").stat().st_mode & 0o077 == 0
    before = {p: p.stat().st_ino for p in project.rglob("*.md")}
    cohort_page = project / "docs" / "cohorts" / "fa-lon-2027-01.md"
    assert cohort_page in before
    path = root / COHORT
    path.write_text(path.read_text(encoding="utf-8").replace(
        'start: "09:00"', 'start: "09:30"', 1), encoding="utf-8")
    planted = project / "docs" / "planted.md"
    planted.write_text("# Planted\n", encoding="utf-8")
    _build(root, out)
    after = {p: p.stat().st_ino for p in project.rglob("*.md")}
    assert not planted.exists()
    assert not (out / "site" / "planted").exists()
    unchanged = [p for p in before if p in after and after[p] == before[p]]
    assert len(unchanged) > 0.8 * len(before)  # the pages that did not change were not written
    _build(root, tmp_path / "scratch", cache=False)
    assert _tree(out / "site") == _tree(tmp_path / "scratch" / "site")

    # a removed cohort's page leaves the project, and the site
    path.unlink()
    _build(root, out)
    assert not cohort_page.exists()
    _build(root, tmp_path / "scratch-2", cache=False)
    assert _tree(out / "site") == _tree(tmp_path / "scratch-2" / "site")


def test_a_project_in_use_by_another_build_is_left_alone(tmp_path: Path,
                                                          cache_home: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    _build(root, tmp_path / "first")
    project = _project(cache_home, root)
    marker = project / "docs" / "planted.md"
    marker.write_text("# Planted\n", encoding="utf-8")
    fd = os.open(project.with_name(project.name + ".lock"), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another build would hold it
        _build(root, tmp_path / "second")
    finally:
        os.close(fd)
    assert marker.exists()  # not touched: the build used a fresh folder
    assert not (tmp_path / "second" / "site" / "planted").exists()
    assert _tree(tmp_path / "second" / "site") == _tree(tmp_path / "first" / "site")
