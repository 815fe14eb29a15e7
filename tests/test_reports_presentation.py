"""Reports people read: headings in words, titles with ids, sections, sortable tables, a
utilization chart that reads at a glance. CSV and JSON keep their machine column names."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from trainkit.writers import charts

EXPECTED = Path(__file__).parent / "cases" / "small" / "expected" / "reports"
CHROMIUM = "/usr/bin/chromium"
RAW = ("completed_on", "max_hours_per_week", "make_ups", "scheduled_hours", "monthly_max",
       "delivered_hours", "enrolled_on", "expires_on")


def _html(rel: str) -> str:
    return (EXPECTED / rel).read_text(encoding="utf-8")


def _headings(html: str) -> list[str]:
    return re.findall(r"<th>([^<]*)</th>", html)


def test_html_headings_are_words_and_csv_columns_stay_machine_names() -> None:
    pages = sorted(EXPECTED.rglob("*.html"))
    assert pages
    for path in pages:
        for raw in RAW:
            assert f"<th>{raw}</th>" not in path.read_text(encoding="utf-8"), (path.name, raw)
    assert "Completed on" in _headings(_html("completion/saf-a.html"))
    assert "Maximum hours a week" not in _headings(_html("utilization.html"))  # in the title
    assert "Make-ups from other cohorts" in _headings(_html("attendance.html"))
    with (EXPECTED / "completion/saf-a.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["cohort", "program", "learner", "name", "organisation",
                                        "status", "reason", "attendance", "completed_on",
                                        "certificate"]
    with (EXPECTED / "utilization.csv").open(encoding="utf-8", newline="") as fh:
        assert "max_hours_per_week" in next(csv.reader(fh))


def test_program_completion_has_a_section_per_cohort_by_title() -> None:
    html = _html("completion/programs/safety.html")
    sections = re.findall(r'<h2>([^<]*) <span class="id">([^<]*)</span></h2>', html)
    assert [ident for _title, ident in sections] == ["saf-a", "saf-b", "saf-c"]
    assert sections[0][0] == "January 2026"
    assert "<h1>Completion: Workplace Safety</h1>" in html
    assert _headings(html)[:3] == ["Learner", "Organisation", "Status"]
    assert "<td>saf-a</td>" not in html and "<td>safety</td>" not in html  # not on every row
    # The learner by name, the id beside it; the status in words, its colour by class.
    assert 'Priya Shah <span class="id">l-01</span>' in html
    assert '<td class="not-completed">Not completed</td>' in html


def test_dates_are_written_for_people_and_sort_by_iso() -> None:
    html = _html("completion/saf-a.html")
    assert '<td data-sort="2026-01-21">21 Jan 2026</td>' in html
    assert "<h1>Completion: Workplace Safety – January 2026</h1>" in html


def test_operations_are_grouped_by_program_and_instructor() -> None:
    delivery = _html("delivery.html")
    assert re.search(r'<h2>Workplace Safety <span class="id">safety</span></h2>', delivery)
    assert _headings(delivery)[0] == "Month"
    utilization = _html("utilization.html")
    assert re.search(r'<h2>Ann Trainer <span class="id">ann · at most 10 hours a week</span>',
                     utilization)
    index = _html("index.html")
    line = re.search(r"<li>.*saf-a.*</li>", index)
    assert line and line.group(0) == (
        '<li><a href="completion/saf-a.html">January 2026 (saf-a): completion</a> · '
        '<a href="rosters/saf-a.csv">roster (CSV)</a> · '
        '<a href="sign-in/saf-a.html">sign-in sheets</a></li>')
    assert index.index('<h2>Safety Induction <span class="id">intro</span></h2>') < \
        index.index('<h2>Workplace Safety <span class="id">safety</span></h2>')


def test_heatmap_labels_every_cell_and_marks_overload() -> None:
    svg = charts.heatmap(["Ann", "Bob"], ["Jan 2026", "Feb 2026"],
                         [[14.0, None], [120.0, None]],
                         labels=[["14%", ""], ["120%", "6 h"]], title="Utilization",
                         colorbar="scheduled / maximum (%)")
    assert svg == charts.heatmap(["Ann", "Bob"], ["Jan 2026", "Feb 2026"],
                                 [[14.0, None], [120.0, None]],
                                 labels=[["14%", ""], ["120%", "6 h"]], title="Utilization",
                                 colorbar="scheduled / maximum (%)")
    for text in ("Ann", "Bob", "Jan 2026", "14%", "120%", "6 h", "Utilization"):
        assert f"{text} <" in svg or f">{text}<" in svg or text in svg
    assert "#c62828" in svg  # over the maximum: red
    assert charts.NO_SCALE in svg  # hours without a maximum: grey
    assert "<dc:date>" not in svg


def _measured(monkeypatch: pytest.MonkeyPatch, chart: object, *args: object,
              **kwargs: object) -> tuple[str, str]:
    """``chart`` drawn with its title set just above the frame where trainkit sets it there,
    and drawn with the title placed by matplotlib's own measure of what lies above."""
    drawn = chart(*args, **kwargs)  # type: ignore[operator]
    title = charts._title
    monkeypatch.setattr(charts, "_title", lambda ax, text, fixed=True: title(ax, text, False))
    return drawn, chart(*args, **kwargs)  # type: ignore[operator]


def test_a_title_set_above_the_frame_is_where_matplotlib_would_put_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    title = "A title as wide as the chart, so that anything above the value axis meets it"
    # small values, names for rows: nothing above the frame, the same drawing either way
    for chart, args, kwargs in (
            (charts.bars, (["a", "b"], {"one": [3.0, 99000.0], "two": [-5.0, 7.0]}),
             {"title": title, "ylabel": "count"}),
            (charts.bars, (["a"], {"rate": [42.0]}), {"title": title, "ylabel": "%",
                                                      "percent": True}),
            (charts.heatmap, (["Ann", "Bob"], ["Jan", "Feb"], [[10.0, None], [120.0, 50.0]]),
             {"title": title}),
            (charts.category_grid, (["Ann", "Bob"], ["x", "y"], [[0, 1], [1, 0]]),
             {"colors": ["#ffffff", "#000000"], "names": ["no", "yes"], "title": title})):
        fixed, measured = _measured(monkeypatch, chart, *args, **kwargs)
        monkeypatch.undo()
        assert fixed == measured, chart
    # values large enough for a power of ten above the axis: matplotlib lifts the title
    # above it, so trainkit lets it measure (a title always set at the frame would differ)
    big = (["a", "b"], {"revenue": [2.5e7, 3.1e7]})
    lifted, measured = _measured(monkeypatch, charts.bars, *big, title=title, ylabel="JPY")
    assert lifted == measured
    monkeypatch.undo()
    monkeypatch.setattr(charts, "SMALL", float("inf"))
    assert charts.bars(*big, title=title, ylabel="JPY") != measured


def test_utilization_page_has_the_heatmap_with_each_month_labelled() -> None:
    html = _html("utilization.html")
    assert html.count("<svg") == 1
    with (EXPECTED / "utilization.csv").open(encoding="utf-8", newline="") as fh:
        shares = {r["utilization"] for r in csv.DictReader(fh) if r["utilization"]}
    for share in shares:  # "13.5%" in the table is "14%" in its cell
        assert f"{float(share.rstrip('%')):.0f}%" in html


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


@pytest.mark.browser
def test_tables_sort_by_a_click_on_the_heading(browser: Browser) -> None:
    page = browser.new_page()
    page.goto((EXPECTED / "completion/saf-a.html").as_uri())
    table = page.locator("table.sortable").first

    def column(n: int) -> list[str]:
        return [c.strip() for c in table.locator(f"tbody tr td:nth-child({n})").all_inner_texts()]

    assert column(1)[0].startswith("Priya Shah")  # without a click: the order written
    written = [int(s.rstrip("%")) for s in column(5)]
    table.get_by_role("button", name="Attendance").click()
    shares = [int(s.rstrip("%")) for s in column(5)]
    assert shares == sorted(written) and shares != written
    assert table.locator("th").nth(4).get_attribute("aria-sort") == "ascending"
    table.get_by_role("button", name="Attendance").click()
    assert [int(s.rstrip("%")) for s in column(5)] == sorted(shares, reverse=True)
    table.get_by_role("button", name="Completed on").click()
    dates = table.locator("tbody tr td:nth-child(6)").evaluate_all(
        "tds => tds.map(td => td.dataset.sort)")
    assert dates == sorted(dates) and dates[-1] == "2026-02-17"
    table.get_by_role("button", name="Learner").click()
    names = [n.split(" l-")[0].lower() for n in column(1)]
    assert names == sorted(names)
    page.close()


def test_cells_for_people_in_the_academys_locale() -> None:
    from datetime import date

    from trainkit.writers.reports.html import day, heading, month, percent

    assert (day(date(2026, 3, 9), "de-DE").text, day(date(2026, 3, 9), "en-US").text) == (
        "09.03.2026", "Mar 9, 2026")
    assert day(date(2026, 3, 9), "en-US").sort == "2026-03-09"
    assert (month("2026-03", "fr-FR").text, month("2026-03", "fr-FR").sort) == ("mars 2026",
                                                                                "2026-03")
    assert percent("66.7%").sort == "66.7" and percent("").sort == "-1"
    assert heading("max_hours_per_week") == "Maximum hours a week"
    assert heading("some_new_column") == "Some new column"


@pytest.mark.browser
def test_tables_read_without_the_script(browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((EXPECTED / "completion/programs/safety.html").as_uri())
    assert page.locator("table.sortable").count() == 3
    assert page.locator("th button").count() == 0  # plain headings, nothing to click
    first = page.locator("table.sortable").first.locator("tbody tr td:nth-child(1)")
    assert first.first.inner_text().startswith("Priya Shah")
    context.close()


def test_attendance_chart_tells_cohorts_of_the_same_title_apart(tmp_path: Path) -> None:
    import shutil
    from datetime import UTC, datetime

    from trainkit.pipeline import check_dir
    from trainkit.writers.reports.operations import write_attendance

    root = tmp_path / "academy"
    shutil.copytree(EXPECTED.parents[1] / "input", root)
    saf_b = root / "programs/safety/cohorts/saf-b.yaml"
    saf_b.write_text(saf_b.read_text().replace("title: February 2026", "title: January 2026"))
    academy = check_dir(root).academy
    assert academy is not None
    write_attendance(academy, tmp_path / "out", datetime(2026, 4, 1, tzinfo=UTC))
    html = (tmp_path / "out/attendance.html").read_text(encoding="utf-8")
    assert "January 2026 (saf-a)" in html and "January 2026 (saf-b)" in html
    assert "October 2025 (intro-oct)" not in html  # a title of its own needs no id
