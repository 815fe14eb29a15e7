"""Builds of a process that builds again soon after (the live preview's saves).

With ``BuildOptions.again`` the writers run one after another in the building
process, and keep in memory what the next build reads: the site's texts and
page cache entries (``writers.memo.Memory``), the input files' digests
(``writers.fingerprint.Digests``), the replay of the git history
(``history.sequence``) and, in the preview, a frozen heap (``writers.heap.keep``).
None of it may show in the output: after each edit, committed or not, and
after an edit is undone, the output is byte for byte a build from scratch.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from pathlib import Path

import pytest

from test_build_incremental import COHORT, _replace, _tree
from test_feeds_academy import commit_all, git
from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.commands import serve_cmd
from trainkit.history import sequence
from trainkit.writers import fingerprint, heap, incremental
from trainkit.writers.build import PUBLIC_WRITERS, BuildOptions, run_build
from trainkit.writers.feeds import kept
from trainkit.writers.fingerprint import Digests
from trainkit.writers.memo import Memory
from trainkit.writers.site import writer as site_writer

MOVED = ('    date: 2027-01-14\n    start: "09:00"', '    date: 2027-01-13\n    start: "10:00"')


def _build(root: Path, out: Path, *, again: bool, cache: bool | None = None) -> list[str]:
    """The preview's public build (``cache``: with the build cache; by default when
    building ``again``, else from scratch)."""
    said: list[str] = []
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", only=PUBLIC_WRITERS,
            personal=False, jobs=2, cache=again if cache is None else cache, again=again,
            progress=said.append))
    assert not result.errors, [d.text() for d in result.errors]
    return said


def test_builds_that_keep_memory_make_what_a_build_from_scratch_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    git(root, "init", "-q")
    commit_all(root, "Academy", "2026-11-01T10:00:00+00:00")

    real, again = incremental._share, [True]

    def forked(*args: object) -> object:
        assert not again[0], "a build that builds again forked a writer process"
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "_share", forked)
    steps = [
        ("first build", lambda: None),
        ("a session moved", lambda: _replace(root, COHORT, *MOVED)),
        ("committed", lambda: commit_all(root, "Move", "2026-11-02T10:00:00+00:00")),
        ("moved back", lambda: _replace(root, COHORT, MOVED[1], MOVED[0])),
        ("moved again", lambda: _replace(root, COHORT, *MOVED)),
        ("a program renamed", lambda: _replace(
            root, "programs/first-aid/program.yaml", "title: First Aid at Work",
            "title: First Aid in the Workplace")),
        ("committed", lambda: commit_all(root, "Rename", "2026-11-03T10:00:00+00:00")),
    ]
    out = tmp_path / "out"
    for n, (what, step) in enumerate(steps):
        step()
        again[0] = True
        said = _build(root, out, again=True)
        assert any(m.startswith("site: written") for m in said), (what, said)
        # what the next build finds in memory (and the builds from scratch leave alone)
        assert site_writer._TEXTS.last and site_writer._ENTRIES.last, what
        again[0] = False
        monkeypatch.setattr(sequence, "_LAST", None)  # nothing this process keeps: fresh
        scratch = tmp_path / f"scratch-{n}"
        _build(root, scratch, again=False)
        assert _tree(out / "site") == _tree(scratch / "site"), what
        assert _tree(out / "reports") == _tree(scratch / "reports"), what


def test_a_file_is_read_again_when_its_status_changed_or_was_too_recent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = fingerprint._digest

    def counted(path: str) -> str:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(fingerprint, "_digest", counted)
    monkeypatch.setattr(Digests, "RECENT_NS", 50_000_000)
    path = tmp_path / "learners.yaml"
    path.write_bytes(b"- one\n")
    old = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(old, old))
    time.sleep(0.1)  # its change time is no longer recent
    known = Digests()

    def look() -> str:
        digest = known.of(str(path))
        known.turn()
        return digest

    assert look() == hashlib.sha256(b"- one\n").hexdigest() and len(reads) == 1
    assert look() == hashlib.sha256(b"- one\n").hexdigest() and len(reads) == 1  # not read
    path.write_bytes(b"- two\n")  # the same size, and the same modification time
    os.utime(path, ns=(old, old))
    assert look() == hashlib.sha256(b"- two\n").hexdigest() and len(reads) == 2
    look()  # changed just now: a change in the same clock tick could hide, so not kept
    assert len(reads) == 3


def test_a_kept_heap_stays_frozen_through_builds() -> None:
    try:
        heap.keep()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with heap.gathering() as gathered:
            gathered()
        with heap.collect_seldom():
            pass
        assert gc.get_freeze_count() >= frozen  # neither unfroze it
    finally:
        gc.unfreeze()
        heap._frozen = False


def test_the_preview_imports_what_its_workers_imported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    monkeypatch.setattr(incremental, "WORKER_IMPORTS",
                        {"colorsys", "hooks/trainkit_pages.py", "no_such_module_here"})
    serve_cmd.Preview(tmp_path, work).preload()
    assert "colorsys" in sys.modules
    assert not incremental.WORKER_IMPORTS
    assert (work / serve_cmd.IMPORTS).read_text().split() == ["colorsys"]
    # a preview started later imports them while it waits for the first save
    monkeypatch.delitem(sys.modules, "colorsys")
    serve_cmd.Preview(tmp_path, work).preload()
    assert "colorsys" in sys.modules


def test_a_preview_reads_its_first_builds_entries_while_it_waits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first build of a preview runs its writers in forked processes, so what they
    left in the build cache for the next build (the page cache hook's entries, the
    serialised events) is read in while the preview waits for its first save: the
    save then reads no entry file it could have had in memory, and builds the same."""
    root = copy_demo(tmp_path / "academy")
    cache = root / ".trainkit-cache"
    out = tmp_path / "out"
    _build(root, out, again=False, cache=True)  # the preview's first build
    pages = cache / "pages"
    entries = {n for n in os.listdir(pages) if n.endswith((".json", ".jinja"))}
    assert len(entries) > 40
    _replace(root, COHORT, *MOVED)
    reads: dict[bool, set[str]] = {}
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        if self.parent == pages:
            reads[warmed].add(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    loads: list[int] = []
    real_load = kept._load
    monkeypatch.setattr(kept, "_load", lambda *a: loads.append(1) or real_load(*a))
    saved: dict[bool, int] = {}  # the times the save decoded the events' file
    for warmed in (False, True):
        reads[warmed] = set()
        monkeypatch.setattr(site_writer, "_ENTRIES", Memory())
        monkeypatch.setattr(kept, "_LAST", {})
        if warmed:
            assert site_writer.warm(cache) == len(entries)
            kept.for_build(cache, personal=False)
            assert kept._LAST
        reads[warmed].clear()  # what the save reads
        before = len(loads)
        _build(root, tmp_path / f"save-{warmed}", again=True)
        saved[warmed] = len(loads) - before
        _replace(root, COHORT, MOVED[1], MOVED[0])  # back, for the next round
        _replace(root, COHORT, *MOVED)
    assert reads[False] & entries  # without: the save reads the entries one by one
    assert not reads[True] & entries  # with: only those of pages the edit changed
    assert saved == {False: 1, True: 0}  # and takes the events from memory
    _build(root, tmp_path / "scratch", again=False)
    assert _tree(tmp_path / "save-True" / "site") == _tree(tmp_path / "scratch" / "site")


def test_the_preview_warms_up_after_its_first_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(site_writer, "_ENTRIES", Memory())
    monkeypatch.setattr(kept, "_LAST", {})
    preview = serve_cmd.Preview(root, work)
    with source_date_epoch(EPOCH_MARCH):
        preview.rebuild()  # its first build: the writers in forked processes
    assert not preview.errors, preview.errors
    assert not site_writer._ENTRIES.last  # the site ran in a forked process
    kept._LAST.clear()  # as after feeds written in a forked process too
    preview.warm()
    assert len(site_writer._ENTRIES.last) > 40
    assert kept._LAST
