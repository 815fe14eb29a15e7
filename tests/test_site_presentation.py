"""How the site reads: the staff page out of the learners' navigation (in every footer),
addresses in their country's order, time zones that say which clock they mean."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from test_site_support import DEMO, build, copy_demo, page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DEMO, tmp_path_factory.mktemp("presentation"))


def _nav_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" class="md-nav__link', html)


def _footer_link(html: str) -> str:
    found = re.findall(r'<a class="tk-editing-link" href="([^"]+)">How to edit this academy</a>',
                       html)
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("where", ["", "catalog/", "cohorts/fa-lon-2027-01/",
                                   "courses/manual-handling/tile/", "editing/"])
def test_editing_page_is_reached_from_the_footer_not_the_nav(site: Path, where: str) -> None:
    html = (site / where / "index.html").read_text()
    assert not [h for h in _nav_links(html) if h.rstrip("/").endswith("editing")]
    target = posixpath.normpath(posixpath.join("/" + where, _footer_link(html)))
    assert target == "/editing"
    assert "How to edit this academy" in page(site, "editing").read_text()


def test_footer_link_works_on_the_not_found_page(site: Path) -> None:
    # Served at any depth, the 404 page links from the site root (site_url's path is /).
    assert _footer_link((site / "404.html").read_text()) == "/editing/"


def test_editing_page_is_in_the_nav_when_named(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    settings = root / "trainkit.yaml"
    text = settings.read_text()
    settings.write_text(text.replace("about.md]", "about.md, editing]"))
    home = (build(root, tmp_path / "out") / "index.html").read_text()
    assert [h for h in _nav_links(home) if h.endswith("editing/")]
    assert _footer_link(home) == "editing/"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_venue_address_in_its_countrys_order(site: Path) -> None:
    new_york = _text(page(site, "venues/new-york").read_text())
    assert "200 Water Street, Suite 1400 New York, NY 10038 United States" in new_york
    london = _text(page(site, "venues/london-hq").read_text())
    assert "27 Turnmill Street London EC1M 5RR United Kingdom" in london


def test_zone_abbreviations_carry_their_offset(site: Path) -> None:
    india = _text(page(site, "cohorts/lt-2026-11-ist").read_text())
    assert "All times are local time in Kolkata (Asia/Kolkata): IST (UTC+5:30)." in india
    assert re.search(r"\d\d:\d\d–\d\d:\d\d IST \(UTC\+5:30\)", india)
    assert not re.search(r"\bIST\b(?! \(UTC)", india)  # never the bare abbreviation
    home = _text((site / "index.html").read_text())
    assert re.search(r"\d\d:\d\d–\d\d:\d\d (GMT|BST) \(UTC\+[01]\)", home)
