"""``site.nav`` entries are checked where they are written, not left to MkDocs.

MkDocs stops the build on a navigation entry it cannot find, and its
message points at no line of ``trainkit.yaml``. ``trainkit check`` (and so
``trainkit build``, which checks first) reports each entry that is neither
one of the site's own pages nor a Markdown page of ``site-extra/`` at its
line and column.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.cli import main
from trainkit.model.settings import NAV_PAGES
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, run_build

NAV = "  nav: [catalog, courses, instructors, venues, about.md]"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def _nav(root: Path, entries: str) -> int:
    """Set ``site.nav``; the line it is on."""
    path = root / "trainkit.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(NAV)
    lines[at] = f"  nav: [{entries}]"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def _nav_errors(root: Path) -> list[str]:
    return [d.text() for d in check_dir(root).errors if d.code == "unknown-nav-page"]


def test_the_demo_nav_is_clean(demo: Path) -> None:
    assert _nav_errors(demo) == []


def test_a_removed_page_is_reported_at_its_entry_and_stops_the_build(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _nav(demo, "catalog, about.md")
    (demo / "site-extra" / "about.md").unlink()
    col = "  nav: [catalog, about.md]".index("about.md") + 1
    assert _nav_errors(demo) == [
        f"trainkit.yaml:{line}:{col}: error[unknown-nav-page]: site.nav lists 'about.md', "
        "which is neither a page of the site's own (catalog, courses, instructors, venues, "
        "editing) nor a Markdown page in site-extra/; add site-extra/about.md, or remove it "
        "from the list"]
    with source_date_epoch(EPOCH_MARCH):
        code = main(["build", "--root", str(demo), "--site-dir", str(tmp_path / "site"),
                     "--reports-dir", str(tmp_path / "reports"), "-q"])
    assert code == 1
    said = capsys.readouterr()
    assert f"trainkit.yaml:{line}:{col}: error[unknown-nav-page]" in said.out
    assert "Traceback" not in said.out + said.err and not (tmp_path / "site").exists()


@pytest.mark.parametrize("entry", ["catalogue", "../README.md", "about", "assets/logo.svg"])
def test_an_entry_that_names_no_page_is_reported(demo: Path, entry: str) -> None:
    line = _nav(demo, f"catalog, {entry!r}")
    found = _nav_errors(demo)
    assert len(found) == 1 and found[0].startswith(f"trainkit.yaml:{line}:")
    assert repr(entry) in found[0]


def test_a_page_in_a_subfolder_and_every_page_of_the_sites_own_are_fine(
        demo: Path, tmp_path: Path) -> None:
    guide = demo / "site-extra" / "guides" / "intro.md"
    guide.parent.mkdir()
    guide.write_text("# Getting started\n\nRead this first.\n", encoding="utf-8")
    _nav(demo, ", ".join([*NAV_PAGES, "about.md", "guides/intro.md"]))
    assert _nav_errors(demo) == []
    # and MkDocs finds each of them: its strict build would stop on an unknown entry
    with source_date_epoch(EPOCH_MARCH):
        result, _ = run_build(demo, BuildOptions(site_dir=tmp_path / "site",
                                                 reports_dir=tmp_path / "reports",
                                                 only=("site",)))
    assert not result.errors
    assert (tmp_path / "site" / "guides" / "intro" / "index.html").is_file()
