"""The site's pages converted ahead in forked processes (writers.site.ahead).

Converting ahead must not change a byte of the site, must leave a page that
MkDocs warns about to be reported as without it, and must happen only when
the build has processes to spare: on two cores, with every writer running,
each already has one, and forking more cost CPU and wall time (measured).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from test_build_incremental import _tree
from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.writers.build import BuildError, BuildOptions, run_build
from trainkit.writers.site import ahead

MODULE = "courses/manual-handling/modules/02-tile.md"


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Converting ahead from a page on (the demo has fewer pages than it takes at scale);
    each time pages are handed to forked processes, how many and to how many is written
    to the file returned (the site writer may itself run in a forked process)."""
    said = tmp_path / "ahead.log"
    real = ahead.fan_out

    def spy(work, items, jobs, least=None):  # type: ignore[no-untyped-def]
        with said.open("a") as fh:
            fh.write(f"{len(items)} {jobs}\n")
        return real(work, items, jobs, least)

    monkeypatch.setattr(ahead, "LEAST", 1)
    monkeypatch.setattr(ahead, "fan_out", spy)
    return said


def _build(root: Path, out: Path, **options: object) -> None:
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=b"ahead-test",
            **options))  # type: ignore[arg-type]
    assert not result.errors, [d.text() for d in result.errors]


def test_pages_converted_ahead_make_the_same_site(spied: Path, tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    _build(root, tmp_path / "ahead", only=("site",), jobs=3)  # the site alone: 3 to spare
    handed = [tuple(map(int, line.split())) for line in spied.read_text().splitlines()]
    pages = len(list((tmp_path / "ahead" / "site").rglob("index.html")))
    assert len(handed) == 1 and handed[0][1] == 3
    assert 0.5 * pages < handed[0][0] <= pages  # the nav's pages, every one a miss
    _build(root, tmp_path / "scratch", only=("site",), jobs=1, cache=False)
    assert _tree(tmp_path / "ahead" / "site") == _tree(tmp_path / "scratch" / "site")

    # a second build finds every conversion stored: nothing is left to hand over
    spied.unlink()
    _build(root, tmp_path / "ahead", only=("site",), jobs=3)
    assert not spied.exists()


def test_a_page_mkdocs_warns_about_is_reported_as_without(spied: Path,
                                                          tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    with (root / MODULE).open("a", encoding="utf-8") as fh:
        fh.write("\nSee [the rules](no-such-page.md).\n")
    errors = []
    for jobs in (3, 1):
        with source_date_epoch(EPOCH_MARCH), pytest.raises(BuildError) as err:
            run_build(root, BuildOptions(site_dir=tmp_path / f"{jobs}" / "site",
                                         reports_dir=tmp_path / f"{jobs}" / "reports",
                                         only=("site",), jobs=jobs))
        errors.append(str(err.value))
    assert spied.read_text().strip()  # the pages were handed over
    assert errors[0] == errors[1]
    assert f"{MODULE}:1:1: error[site-build]:" in errors[0] and "no-such-page.md" in errors[0]


def test_no_pages_are_converted_ahead_when_every_process_has_a_writer(
        spied: Path, tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    _build(root, tmp_path / "out", jobs=2)  # every writer runs: none to spare
    assert not spied.exists()


def test_a_process_that_dies_converting_leaves_the_pages_to_mkdocs(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = ahead.fan_out

    def dying(work, items, jobs, least=None):  # type: ignore[no-untyped-def]
        def die(part):  # type: ignore[no-untyped-def]
            work(part[: len(part) // 2])  # some pages stored, then killed
            os._exit(9)
        return real(die, items, jobs, least)

    monkeypatch.setattr(ahead, "LEAST", 1)
    monkeypatch.setattr(ahead, "fan_out", dying)
    root = copy_demo(tmp_path / "academy")
    _build(root, tmp_path / "ahead", only=("site",), jobs=3)
    _build(root, tmp_path / "scratch", only=("site",), jobs=1, cache=False)
    assert _tree(tmp_path / "ahead" / "site") == _tree(tmp_path / "scratch" / "site")


def test_a_page_read_ahead_is_not_read_again(spied: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The page cache hook reads and hashes each page once a build: the pages' sources
    and keys that converting ahead read are those MkDocs' turn at each page uses."""
    root = copy_demo(tmp_path / "academy")
    reads: Counter[str] = Counter()
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        if sys._getframe(1).f_code.co_filename.endswith(("trainkit_pages.py", "ahead.py")):
            reads[self.as_posix()] += 1
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    for edit in (False, True):  # every page converted, then one and the rest from the cache
        if edit:
            with (root / MODULE).open("a", encoding="utf-8") as fh:
                fh.write("\nOne more line.\n")
        reads.clear()
        _build(root, tmp_path / "out", only=("site",), jobs=3)
        pages = len(list((tmp_path / "out" / "site").rglob("index.html")))
        assert len(reads) > 0.5 * pages
        assert set(reads.values()) == {1}
