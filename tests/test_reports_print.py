"""Reports as the operations manager prints and reads them, in a real browser.

Needs Debian's ``chromium`` at /usr/bin/chromium (as tests/test_browser.py).
Pages are counted in the PDF Chromium prints, with the page size the
report's CSS asks for, as the print dialog would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from trainkit.pipeline import check_dir
from trainkit.writers import charts, reports
from trainkit.writers.certificates import write_recertification
from trainkit.writers.reports import formats, operations

CHROMIUM = "/usr/bin/chromium"
SMALL = Path(__file__).parent / "cases" / "small"
EXPECTED = SMALL / "expected" / "reports"
A4_PORTRAIT = (594.96, 841.92)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            yield instance
        finally:
            instance.close()


def printed(browser: Browser, html: Path) -> list[tuple[float, float]]:
    """The (width, height) in points of every page Chromium prints for ``html``."""
    page = browser.new_page()
    page.goto(html.as_uri())
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]*)\]", pdf, re.S)
    if not boxes:  # MediaBox written before /Type
        boxes = re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)
    sizes = [tuple(float(v) for v in b.split()[2:4]) for b in boxes]
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == len(sizes)
    return [(round(w, 2), round(h, 2)) for w, h in sizes]


def test_each_sign_in_sheet_prints_on_one_a4_page(browser: Browser) -> None:
    for sheet in sorted((EXPECTED / "sign-in").glob("*.html")):
        sessions = sheet.read_text(encoding="utf-8").count('<section class="sheet">')
        assert printed(browser, sheet) == [A4_PORTRAIT] * sessions, sheet.name


def test_a_full_cohort_still_gets_one_page_per_session(browser: Browser,
                                                       tmp_path: Path) -> None:
    people = [(f"Marguerite Delacroix-Hall {i:02d}", "Harbourline Hotels Ltd") for i in range(20)]
    sheets = [{"title": f"Week {n}", "program": "Program", "cohort": "Cohort",
               "when": "Tuesday 10 November 2026, 18:30–20:30 (Asia/Kolkata)",
               "where": "Venue, Room", "instructors": "A, B"}
              for n in range(1, 5)]
    out = tmp_path / "sign-in.html"
    formats.write_html(out, "sign-in", sheets=sheets, people=people,
                       blank_rows=reports.SIGN_IN_BLANK_ROWS,
                       lang="en", title="Sign-in", academy="A", as_of="2026-01-01 00:00 UTC",
                       up="../")
    assert printed(browser, out) == [A4_PORTRAIT] * 4


def test_a_certificate_prints_on_one_a4_landscape_page(browser: Browser) -> None:
    cert = next((EXPECTED / "certificates").glob("*.html"))
    assert printed(browser, cert) == [(841.92, 594.96)]


def test_index_links_every_report_and_each_link_resolves() -> None:
    index = (EXPECTED / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert "recertification.html" in links
    assert "certificates/index.csv" in links
    assert {"attendance.html", "delivery.html", "utilization.html"} <= set(links)
    assert [link for link in links if not (EXPECTED / link).is_file()] == []
    assert "All reports</a>" not in index  # no link from the index to itself


def test_every_link_between_reports_resolves() -> None:
    pages = sorted(EXPECTED.rglob("*.html"))
    checked = 0
    for html in pages:
        for href in re.findall(r'href="([^"#:]+)"', html.read_text(encoding="utf-8")):
            assert (html.parent / href).resolve().is_file(), f"{html.name}: {href}"
            checked += 1
    completion = (EXPECTED / "completion/programs/safety.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./certificates/TK-[A-Z0-9-]+\.html"', completion)
    assert checked > len(pages)


def test_an_empty_recertification_report_says_so(tmp_path: Path) -> None:
    academy = check_dir(SMALL / "input").academy
    assert academy is not None
    write_recertification(academy, [], tmp_path, datetime(2026, 4, 1, tzinfo=UTC))
    html = (tmp_path / "recertification.html").read_text(encoding="utf-8")
    assert "No certificate has expired or expires by 2026-06-30." in html
    assert "<table" not in html
    assert (tmp_path / "recertification.csv").read_text(encoding="utf-8").count("\n") == 1


def test_charts_name_both_axes() -> None:
    names = [f"Instructor {i}" for i in range(9)]
    svg = charts.heatmap(names, ["Jan 2026", "Feb 2026"], [[1.0, 2.0] for _ in names],
                         title="Utilization", colorbar="scheduled / maximum (%)",
                         xlabel="month")
    for text in ("Utilization", "scheduled / maximum (%)", "month", *names):
        assert f">{text}<" in svg or text in svg
    bars = charts.bars(["a", "b"], {"rate": [50.0, 60.0]}, title="T", ylabel="attended (%)",
                       xlabel="cohort", percent=True)
    assert "cohort" in bars and "attended (%)" in bars


def test_chart_months_run_without_gaps_across_a_year_end() -> None:
    assert operations.month_range(["2027-02", "2026-11"]) == [
        "2026-11", "2026-12", "2027-01", "2027-02"]
    assert operations.month_range([]) == []
