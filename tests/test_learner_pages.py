""""My training" pages: only with the secret, one per learner, private and self-contained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_site_support import build, copy_demo
from trainkit.pipeline import check_dir
from trainkit.writers.learner_pages import page_path

SECRET = "learner-pages-test-secret"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_demo(tmp_path_factory.mktemp("pages") / "academy")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAINKIT_FEED_SECRET", SECRET)
    try:
        site = build(root, tmp_path_factory.mktemp("out"), only=())
    finally:
        mp.undo()
    return root, site


def test_one_page_per_learner_beside_the_feed(built: tuple[Path, Path]) -> None:
    root, site = built
    academy = check_dir(root).academy
    assert academy is not None
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("calendars/p/*.html"))
    assert pages == sorted(page_path(SECRET.encode(), lid) for lid in academy.learners)
    for lid, learner in academy.learners.items():
        rel = page_path(SECRET.encode(), lid)
        assert (site / rel.replace(".html", ".ics")).is_file()
        html = (site / rel).read_text(encoding="utf-8")
        assert learner.name in html.replace("&#39;", "'")
        others = [o.name for o in academy.learners.values() if o.id != lid and o.name]
        assert not [n for n in others if n in html.replace("&#39;", "'")], lid


def test_a_page_shows_sessions_completion_certificates_gaps_and_next_steps(
        built: tuple[Path, Path]) -> None:
    root, site = built
    # l-0122: a shift lead (built as of March 2026) with a seat in a fire-warden cohort
    html = (site / page_path(SECRET.encode(), "l-0122")).read_text(encoding="utf-8")
    for heading in ("Coming sessions", "Completion", "Certificates", "My roles and skills",
                    "Recommended next steps"):
        assert f">{heading}</h2>" in html
    assert "Subscribe to my calendar" in html and "webcal://" in html
    assert "Warehouse shift lead" in html and 'class="gap">missing' in html
    assert "fw-man-2027-03" in html  # enrolled: its sessions and completion status
    assert "closes " in html  # a recommendation with its reason


def test_pages_are_private_and_self_contained(built: tuple[Path, Path]) -> None:
    _, site = built
    for page in site.glob("calendars/p/*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex, nofollow, noarchive">' in html
        assert "<script" not in html and "<img" not in html and "<link" not in html
        links = re.findall(r'(?:href|src)="([^"]*)"', html)
        assert links, page
        for link in links:
            # its own feed, or a verification page: nothing else, no other host
            assert link == page.name.replace(".html", ".ics") or \
                re.fullmatch(r"\.\./\.\./verify/[0-9a-f]+/", link), (page.name, link)


def test_no_public_page_reaches_a_learner_page(built: tuple[Path, Path]) -> None:
    _, site = built
    names = {p.name for p in site.glob("calendars/p/*.html")}
    assert names
    for path in site.rglob("*"):
        if not path.is_file() or path.parent == site / "calendars" / "p":
            continue
        if path.suffix not in (".html", ".xml", ".json", ".txt", ".js", ".ics"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not any(n in text for n in names), path
        assert "calendars/p/" not in text or path.suffix == ".ics", path


def test_without_the_secret_there_are_no_pages(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINKIT_FEED_SECRET", raising=False)
    root = copy_demo(tmp_path / "academy")
    site = build(root, tmp_path / "out", only=("site", "learner_pages"))
    assert not list(site.glob("calendars/p/*.html"))
    assert not (tmp_path / "out/reports/feeds/learner-pages.csv").exists()


def test_the_link_list_is_in_reports(built: tuple[Path, Path]) -> None:
    _, site = built
    listing = (site.parent / "reports/feeds/learner-pages.csv").read_text(encoding="utf-8")
    assert listing.startswith("id,name,email,page\n")
    assert page_path(SECRET.encode(), "l-0101") in listing
