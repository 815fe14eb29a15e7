"""Private reports: safe CSV cells, escaped HTML, figures, charts; nothing personal in site/."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import check_dir
from trainkit.writers import charts
from trainkit.writers.reports.formats import safe_cell
from trainkit.writers.reports.operations import attendance_rates, utilization

HERE = Path(__file__).parent
SMALL = HERE / "cases" / "small" / "input"
EXPECTED = HERE / "cases" / "small" / "expected" / "reports"
REPO = HERE.parent
AS_OF = datetime(2026, 4, 1, tzinfo=UTC)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (None, ""), (12, "12"),
])
def test_formula_cells_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_every_golden_csv_cell_is_safe() -> None:
    files = sorted(EXPECTED.rglob("*.csv"))
    assert len(files) > 10
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row), path
    roster = (EXPECTED / "rosters/saf-a.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in roster


def test_html_reports_escape_learner_text() -> None:
    pages = [p.read_text(encoding="utf-8") for p in EXPECTED.rglob("*.html")]
    joined = "\n".join(pages)
    assert "Zoë &lt;O&#39;Brien&gt;" in joined
    assert "<O'Brien>" not in joined


def test_sign_in_sheet_has_one_page_per_held_session() -> None:
    page = (EXPECTED / "sign-in/saf-b.html").read_text(encoding="utf-8")
    assert page.count('<section class="sheet">') == 2  # s2 was cancelled
    assert "break-before:page" in page and "@media print" in page  # pages: test_reports_print
    assert page.count("<td>Future Fay</td>") == 2  # the one enrolled learner, on each sheet
    assert page.count('<tr class="blank">') == 2 * 3  # rows for make-up attendees


def test_attendance_rates() -> None:
    academy = check_dir(SMALL).academy
    assert academy is not None
    per_session, per_cohort = attendance_rates(academy, AS_OF)
    assert ["saf-a/s2", "2026-01-13", 6, 4, 0, "66.7%"] in per_session  # excused: not attended
    # l-06 of saf-a makes up s3 in saf-b: counted apart, so the rate stays within 100%
    assert ["saf-b/s3", "2026-02-17", 1, 1, 1, "100.0%"] in per_session
    assert ["saf-b", 2, 2, 2, "100.0%"] in per_cohort
    assert ["saf-a", 3, 18, 14, "77.8%"] in per_cohort
    assert ["saf-c", 1, 2, 1, "50.0%"] in per_cohort  # only the session that has ended


def test_utilization_against_the_weekly_maximum() -> None:
    academy = check_dir(SMALL).academy
    assert academy is not None
    rows = {(r[0], r[2]): r for r in utilization(academy, AS_OF)}
    # January: three 2-hour sessions; 10 h/week * 31/7 weeks = 44.3 h.
    assert rows[("ann", "2026-01")][3:] == [6.0, 6.0, 10, 44.3, "13.5%"]
    # April: two sessions scheduled after the build date, none delivered yet.
    assert rows[("ann", "2026-04")][3:5] == [4.0, 0.0]


def test_delivery_counts_planned_delivered_cancelled() -> None:
    with (EXPECTED / "delivery.csv").open(encoding="utf-8", newline="") as fh:
        rows = {(r["program"], r["month"]): r for r in csv.DictReader(fh)}
    assert rows[("safety", "2026-02")] == {"program": "safety", "month": "2026-02", "planned": "3",
                                           "delivered": "2", "cancelled": "1", "upcoming": "0"}
    assert rows[("safety", "2026-04")]["upcoming"] == "2"


def test_charts_are_deterministic_svg_without_a_date() -> None:
    one = charts.bars(["a", "b"], {"x": [1.0, 2.0]}, title="T", ylabel="n")
    two = charts.bars(["a", "b"], {"x": [1.0, 2.0]}, title="T", ylabel="n")
    assert one == two and one.startswith("<svg")
    assert "<dc:date>" not in one
    assert re.search(r"<text[^>]*>[^<]*T", one) or ">T<" in one
    page = (EXPECTED / "utilization.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Ann Trainer" in page


def test_full_build_keeps_learners_out_of_the_site(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795996800")  # 2026-11-29: records exist by then
    monkeypatch.setenv("TRAINKIT_FEED_SECRET", "a-long-random-test-secret")
    root = copy_demo(tmp_path / "academy")
    assert main(["build", "--root", str(root)]) == 0
    academy = check_dir(root).academy
    assert academy is not None and academy.attendance and academy.learners
    site = root / "site"
    # Each learner's own page ("My training", calendars/p/<token>.html) names them, by
    # design; tests/test_learner_pages.py checks those. Everything else must not.
    personal = site / "calendars" / "p"
    assert list(personal.glob("*.html"))
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in site.rglob("*") if p.is_file() and p.suffix in
             (".html", ".ics", ".json", ".xml", ".txt", ".js", ".csv")
             and not (p.parent == personal and p.suffix == ".html")]
    assert texts and list((site / "verify").glob("*/index.html"))
    blob = "\n".join(texts)
    for learner in academy.learners.values():
        assert learner.email not in blob, learner.id
        assert learner.name not in blob, learner.id
    assert (root / "reports/completion").is_dir()
    assert any(p.name for p in (root / "reports").rglob("*.csv"))


def test_every_csv_of_a_full_build_is_safe(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """All writers, not only the reports': the personal feed list names learners too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01
    monkeypatch.setenv("TRAINKIT_FEED_SECRET", "a-long-random-test-secret")
    root = tmp_path / "academy"
    shutil.copytree(SMALL, root)
    people = root / "people/learners/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "name: Priya Shah", 'name: "@SUM(1,2) Priya"'), encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 0
    files = sorted((root / "reports").rglob("*.csv"))
    assert root / "reports/feeds/personal-feeds.csv" in files
    for path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row), path
    feeds = (root / "reports/feeds/personal-feeds.csv").read_text(encoding="utf-8")
    assert "'@SUM(1,2) Priya" in feeds
