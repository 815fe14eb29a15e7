"""A rebuild touches exactly the files whose bytes change, and nothing when nothing changed.

Readers of ``site/`` (a web server, ``rsync``, a CDN) see no new file, inode
or modification time after a build that changes nothing; after a change only
the changed files are new, removed outputs are gone, and the result is what a
build from scratch writes. A damaged cache, or outputs changed by hand, never
lead to wrong output; ``--jobs 1`` and ``--jobs 2`` write the same bytes; a
failed build leaves the previous outputs and the cache as they were.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import write_academy
from test_site_support import source_date_epoch
from trainkit.cli import main
from trainkit.writers import buildcache, feeds
from trainkit.writers.build import BuildError, BuildOptions, run_build

EPOCH = 1772323200  # 2026-03-01
COHORT = """\
version: 1
title: London, April 2026
timezone: Europe/London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
status: open
enrollments:
  - learner: l-0001
    status: enrolled
    date: 2026-02-01
sessions:
  - id: day1
    template: day1
    date: 2026-04-14
    start: "09:00"
    end: "16:00"
  - id: day2
    template: day2
    date: 2026-04-15
    start: "09:00"
    end: "16:00"
"""
SECOND = COHORT.replace("April", "May").replace("2026-04-", "2026-05-")
C1 = "programs/first-aid/cohorts/lon-2026-04.yaml"
C2 = "programs/first-aid/cohorts/lon-2026-05.yaml"


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    return write_academy(tmp_path / "academy", {C1: COHORT, C2: SECOND})


def _cli(root: Path, out: Path, *more: str) -> int:
    with source_date_epoch(EPOCH):
        return main(["build", "--root", str(root), "--site-dir", str(out / "site"),
                     "--reports-dir", str(out / "reports"), "-q", *more])


def _stats(out: Path) -> dict[str, tuple[int, int, int, str]]:
    """Inode, modification time, size and digest of everything in the output folders
    (the spare trees beside them are the outputs before: writers.spare)."""
    found = {}
    for path in sorted(p for kind in ("site", "reports") for p in (out / kind).rglob("*")):
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        found[path.relative_to(out).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size, digest)
    return found


def _bytes(folder: Path) -> dict[str, str]:
    return {k: v[3] for k, v in _stats(folder).items()}


def test_an_unchanged_rebuild_touches_nothing(academy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli(academy, out) == 0
    before, listing = _stats(out), sorted(os.listdir(out))
    folder = out.stat()
    assert _cli(academy, out) == 0
    assert _stats(out) == before  # no file or folder rewritten, renamed or replaced
    assert sorted(os.listdir(out)) == listing  # no staging folder left either
    assert (out.stat().st_mtime_ns, out.stat().st_ino) == (folder.st_mtime_ns, folder.st_ino)
    # Touching an input without changing its bytes changes nothing either.
    os.utime(academy / C1, ns=(1, 1))
    assert _cli(academy, out) == 0
    assert _stats(out) == before


def test_a_change_renews_only_the_changed_files(academy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli(academy, out) == 0
    before = _stats(out)
    (academy / C2).unlink()  # its pages and events must go
    path = academy / C1
    path.write_text(path.read_text().replace('start: "09:00"', 'start: "09:30"', 1))
    assert _cli(academy, out) == 0
    after = _stats(out)
    assert _cli(academy, tmp_path / "scratch", "--no-cache", "--jobs", "1") == 0
    assert _bytes(out) == _bytes(tmp_path / "scratch")
    assert not any("lon-2026-05" in rel for rel in after)
    files = [rel for rel, v in after.items() if v[3] != "folder" and rel in before]
    kept = [rel for rel in files if after[rel][3] == before[rel][3]]
    changed = [rel for rel in files if after[rel][3] != before[rel][3]]
    assert kept and changed
    for rel in kept:  # same bytes: the very same file, as rsync and CDNs see it
        assert after[rel][:2] == before[rel][:2], rel
    for rel in changed:
        assert after[rel][0] != before[rel][0], rel


def test_pages_the_output_has_are_taken_over_without_reading_them(
        academy: Path, tmp_path: Path) -> None:
    """A page whose HTML the page cache keys is taken from the current output by its key:
    its cached HTML is not even read. Every cached HTML is damaged here, so a page whose
    entry was read would be rendered again and its entry rewritten; a page edited by
    hand in the output is made again all the same."""
    out = tmp_path / "out"
    assert _cli(academy, out) == 0
    entries = sorted((academy / ".trainkit-cache" / "pages").glob("*.html"))
    assert entries
    for entry in entries:  # a seal that no longer fits: read, it would be a miss
        entry.write_bytes(b"0" * 64 + entry.read_bytes()[64:])
    damaged = {entry: entry.stat().st_mtime_ns for entry in entries}
    path = academy / C1
    path.write_text(path.read_text().replace('start: "09:00"', 'start: "09:30"', 1))
    by_hand = out / "site" / "programs" / "first-aid" / "index.html"
    by_hand.write_text("changed by hand", encoding="utf-8")
    assert _cli(academy, out) == 0
    assert _cli(academy, tmp_path / "scratch", "--no-cache", "--jobs", "1") == 0
    assert _bytes(out) == _bytes(tmp_path / "scratch")
    unread = [e for e, mtime in damaged.items() if e.exists() and e.stat().st_mtime_ns == mtime]
    pages = [p for p in (out / "site").rglob("index.html")]
    assert len(unread) >= len(pages) // 2, (len(unread), len(pages))
    assert len(unread) < len(entries)  # the edited cohort's and the hand-edited pages'


def test_a_damaged_cache_or_edited_output_is_rebuilt(academy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli(academy, out) == 0
    reference = _bytes(out)
    (manifest,) = (academy / buildcache.CACHE_DIR).glob("build-*.bin")
    assert (academy / buildcache.CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    manifest.write_bytes(manifest.read_bytes()[:-40])  # cut short: the seal no longer fits
    page = next((out / "site").rglob("*.ics"))
    page.write_text("changed by hand")
    assert _cli(academy, out) == 0
    assert _bytes(out) == reference
    # A valid cache, but an output file changed by hand since: its writer runs again.
    page.write_text("changed by hand")
    assert _cli(academy, out) == 0
    assert _bytes(out) == reference
    manifest.unlink()
    assert _cli(academy, out) == 0
    assert _bytes(out) == reference


def test_one_process_and_two_write_the_same_bytes(academy: Path, tmp_path: Path) -> None:
    assert _cli(academy, tmp_path / "one", "--jobs", "1", "--no-cache") == 0
    assert _cli(academy, tmp_path / "two", "--jobs", "2", "--no-cache") == 0
    assert _bytes(tmp_path / "one") == _bytes(tmp_path / "two")


def test_a_failed_build_keeps_outputs_and_cache(academy: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert _cli(academy, out) == 0
    before = _stats(out)
    (manifest,) = (academy / buildcache.CACHE_DIR).glob("build-*.bin")
    saved = manifest.read_bytes()
    path = academy / C1
    path.write_text(path.read_text().replace('start: "09:00"', 'start: "10:00"', 1))

    def broken(ctx: object) -> None:
        raise BuildError("the feeds could not be written")

    monkeypatch.setattr(feeds, "write", broken)
    with source_date_epoch(EPOCH), pytest.raises(BuildError):
        run_build(academy, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                        jobs=1))
    assert _stats(out) == before
    assert manifest.read_bytes() == saved
    monkeypatch.undo()
    assert _cli(academy, out) == 0
    assert _cli(academy, tmp_path / "scratch", "--no-cache") == 0
    assert _bytes(out) == _bytes(tmp_path / "scratch")


def test_the_cache_stays_out_of_git(academy: Path, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(academy)], check=True)
    assert _cli(academy, tmp_path / "out") == 0
    assert (academy / buildcache.CACHE_DIR).is_dir()
    status = subprocess.run(["git", "-C", str(academy), "status", "--porcelain",
                             "--untracked-files=all"], capture_output=True, text=True, check=True)
    assert buildcache.CACHE_DIR not in status.stdout
    assert "programs/" in status.stdout  # the academy's own files are seen


def test_jobs_must_be_a_positive_number(academy: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(academy, tmp_path / "out", "--jobs", "0") == 64
    assert "not a number of processes" in capsys.readouterr().err
