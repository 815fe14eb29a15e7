"""Helpers shared by the site tests: build the demo academy, walk the output."""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from trainkit.writers.build import BuildOptions, run_build

DEMO = Path(__file__).resolve().parents[1]
# 2026-03-01T00:00:00Z: before the London March first-aid cohort, so it is upcoming.
EPOCH_MARCH = 1772323200


@contextmanager
def source_date_epoch(seconds: int) -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build(root: Path, out: Path, *, only: tuple[str, ...] = ("site",),
          epoch: int = EPOCH_MARCH) -> Path:
    """Build ``root`` into ``out/site`` and return that folder; fails on any error."""
    with source_date_epoch(epoch):
        result, _ = run_build(root, BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", only=only))
    assert not result.errors, [str(d) for d in result.errors]
    return out / "site"


def copy_demo(target: Path) -> Path:
    """A copy of the demo academy (sources only) that a test may change."""
    def ignore(folder: str, names: list[str]) -> list[str]:
        skip = {".git", "site", "reports", "tests", "benchmarks", "src", ".ci", "__pycache__",
                ".trainkit-cache"}
        return [n for n in names if n in skip] if Path(folder) == DEMO else []

    shutil.copytree(DEMO, target, ignore=ignore)
    return target


def public_texts(site: Path) -> Iterator[tuple[Path, str]]:
    """Every file of the site as text (gzip files decompressed)."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Links(HTMLParser):
    """Collects href/src attributes, table rows and text of one HTML page.

    Rows and text are what a reader sees at the build's time: elements hidden
    by the class ``tk-off`` are left out, and so is a table row whose
    ``tk-row`` marker is hidden (see ``trainkit.site.live``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.rows: list[list[str]] = []
        self.text: list[str] = []  # shown text, in order
        self._cell: list[str] | None = None
        self.struck: list[bool] = []
        self._in_del = False
        self._off = 0  # depth inside a hidden element
        self._drop_row = False

    def shown(self) -> str:
        return " ".join("".join(self.text).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))
        classes = (dict(attrs).get("class") or "").split()
        if tag in VOID:
            pass
        elif self._off:
            self._off += 1
        elif "tk-off" in classes:
            self._off = 1
            self._drop_row = self._drop_row or "tk-row" in classes
        if self._off:
            return
        if tag == "tr":
            self.rows.append([])
            self.struck.append(False)
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "del":
            self._in_del = True
            if self.struck:
                self.struck[-1] = True

    def handle_endtag(self, tag: str) -> None:
        if self._off and tag not in VOID:
            self._off -= 1
            return
        if tag == "tr" and self._drop_row and self.rows:
            self.rows.pop()
            self.struck.pop()
            self._drop_row = False
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "del":
            self._in_del = False

    def handle_data(self, data: str) -> None:
        if self._off:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page(site: Path, url: str) -> Path:
    """The file a directory URL such as ``cohorts/x/`` is served from."""
    return site / url / "index.html"
