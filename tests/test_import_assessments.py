"""``trainkit import assessments``: the assessor's filled sheet (CSV or xlsx) to records."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import check_dir
from trainkit.writers.reports.assessment_sheets import write_sheets

COHORT = "fa-lon-2026-10"
OUT = f"records/assessments/{COHORT}--day2--cpr.csv"
EPOCH = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    academy = check_dir(Path(__file__).resolve().parents[1]).academy
    assert academy is not None
    folder = tmp_path_factory.mktemp("sheets")
    links = write_sheets(academy, academy.cohorts[COHORT], folder, EPOCH)
    assert links[0] == (f"assessments/sheets/{COHORT}/day2--cpr.xlsx", "day2 sheet (xlsx)")
    return folder / COHORT


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def _fill_csv(sheets: Path, tmp_path: Path, fills: dict[int, list[str]]) -> Path:
    """The CSV sheet with data rows (0-based among the learners) filled from column 3 on."""
    grid = list(csv.reader(io.StringIO((sheets / "day2--cpr.csv").read_text())))
    for i, cells in fills.items():
        grid[4 + i][2:2 + len(cells)] = cells
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grid)
    path = tmp_path / "filled.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _import(demo: Path, path: Path, *extra: str) -> int:
    return main(["import", "assessments", str(path), "--cohort", COHORT, "--root", str(demo),
                 *extra])


PASS = ["", "2026-10-23", "amara-okafor", "competent", "exceeds", "competent", "competent",
        "pass", "form FA-1001", ""]
FAIL = ["1", "", "", "competent", "not-yet", "competent", "not-yet", "fail", "",
        "Compressions too shallow"]


def test_the_sheet_layout_follows_the_checklist(sheets: Path) -> None:
    grid = list(csv.reader(io.StringIO((sheets / "day2--cpr.csv").read_text())))
    assert grid[0] == ["assessment", "first-aid/cpr", "CPR practical"]
    assert grid[1][:2] == ["session", f"{COHORT}/day2"]
    assert grid[3] == ["learner", "name", "attempt", "date", "assessor", "scene-safety",
                       "rate-depth", "aed", "recovery", "overall", "evidence", "note"]
    assert len(grid) == 4 + 11 and all(len(r) == 12 for r in grid[4:])
    book = load_workbook(sheets / "day2--cpr.xlsx")
    values = [[c or "" for c in row] for row in book.active.iter_rows(values_only=True)]
    assert values[3] == grid[3] and [r[:2] for r in values[4:]] == [r[:2] for r in grid[4:]]
    rules = {str(v.sqref): v.formula1 for v in book.active.data_validations.dataValidation}
    assert rules == {"F5:I15": '"not-yet,competent,exceeds"', "J5:J15": '"pass,fail"'}


def test_filled_csv_sheet_becomes_records(demo: Path, sheets: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = _fill_csv(sheets, tmp_path, {0: PASS, 2: FAIL})
    assert _import(demo, path) == 0
    assert "wrote" in capsys.readouterr().out
    rows = list(csv.DictReader((demo / OUT).open(encoding="utf-8")))
    first, third = (sheets / "day2--cpr.csv").read_text().splitlines()[4:7:2]
    assert [r["learner"] for r in rows] == [first.split(",")[0], third.split(",")[0]]
    assert rows[0] | {"learner": ""} == {
        "learner": "", "assessment": "first-aid/cpr", "attempt": "1", "date": "2026-10-23",
        "assessor": "amara-okafor", "overall": "pass", "evidence": "form FA-1001", "note": "",
        "results": "scene-safety=competent;rate-depth=exceeds;aed=competent;recovery=competent"}
    # empty date and assessor: the session's date and its one qualified instructor
    assert (rows[1]["date"], rows[1]["assessor"], rows[1]["note"]) == (
        "2026-10-23", "amara-okafor", "Compressions too shallow")
    result = check_dir(demo)
    assert [d.text() for d in result.diagnostics if d.path == OUT] == []
    # never replaced without --force
    assert _import(demo, path) == 1
    assert "--force" in capsys.readouterr().err
    assert _import(demo, path, "--force") == 0


def test_filled_xlsx_sheet_becomes_records(demo: Path, sheets: Path, tmp_path: Path) -> None:
    book = load_workbook(sheets / "day2--cpr.xlsx")
    sheet = book.active
    for j, value in enumerate(PASS, start=3):
        sheet.cell(6, j).value = value or None
    sheet.cell(6, 4).value = datetime(2026, 10, 23)  # a date typed as a date
    path = tmp_path / "filled.xlsx"
    book.save(path)
    assert _import(demo, path, "--session", "day2") == 0
    rows = list(csv.DictReader((demo / OUT).open(encoding="utf-8")))
    assert len(rows) == 1
    assert (rows[0]["date"], rows[0]["overall"], rows[0]["attempt"]) == ("2026-10-23", "pass",
                                                                          "1")


def test_bad_cells_are_located_and_nothing_is_written(
        demo: Path, sheets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = ["x", "2026-13-01", "nobody", "competent", "great", "competent", "competent",
           "maybe", "", ""]
    path = _fill_csv(sheets, tmp_path, {0: PASS, 1: bad})
    assert _import(demo, path) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:5] == [
        f"{path}:6:7: column 'rate-depth': 'great' is not a level of the rubric; write one "
        "of: not-yet, competent, exceeds",
        f"{path}:6:10: column 'overall': 'maybe': write pass or fail",
        f"{path}:6:4: column 'date': '2026-13-01' is not a date written YYYY-MM-DD",
        f"{path}:6:5: column 'assessor': 'nobody' is not an instructor id",
        f"{path}:6:3: column 'attempt': 'x' is not an attempt number (1, 2, …)",
    ]
    assert not (demo / OUT).exists()


def test_a_sheet_for_another_session_or_without_its_lines_is_refused(
        demo: Path, sheets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _fill_csv(sheets, tmp_path, {0: PASS})
    assert _import(demo, path, "--session", "day1") == 1
    assert f"{path}:2: the sheet is for session 'day2', not 'day1'" in capsys.readouterr().err
    text = path.read_text().splitlines()
    path.write_text("\n".join(["assessment,first-aid/nope", *text[1:]]) + "\n")
    assert _import(demo, path) == 1
    assert "line 1 must name an assessment of first-aid" in capsys.readouterr().err
