"""The record-* rules of ``trainkit check``, each at the row and column of the problem."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainkit.pipeline import check_dir
from trainkit.rules import records

SMALL = Path(__file__).parent / "cases" / "small" / "input"
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def problems(tmp_path: Path, attendance: str = "", results: str = "",
             at: datetime = NOW) -> list[tuple[str, int, int, str, str]]:
    root = tmp_path / "academy"
    shutil.copytree(SMALL, root)
    if attendance:
        (root / "records/attendance/extra.csv").write_text(
            "session,learner,status,minutes,note\n" + attendance, encoding="utf-8")
    if results:
        (root / "records/quiz-results/extra.csv").write_text(
            "learner,quiz,score,max,submitted_at,attempt\n" + results, encoding="utf-8")
    result = check_dir(root)
    assert result.academy is not None
    return [(d.path, d.line, d.col, d.severity.value, d.code)
            for d in records.check(result.academy, at)]


def test_the_fixture_academy_has_no_record_problems(tmp_path: Path) -> None:
    assert problems(tmp_path) == []


def test_learner_not_enrolled_in_the_cohort(tmp_path: Path) -> None:
    found = problems(tmp_path, "intro-oct/only,l-05,present,60,\nsaf-c/s1,l-01,present,120,\n")
    assert found == [("records/attendance/extra.csv", 2, 2, "error", "record-not-enrolled")]


def test_makeup_needs_the_program_to_allow_it(tmp_path: Path) -> None:
    root = tmp_path / "academy"
    found = problems(tmp_path, "saf-c/s1,l-01,present,120,\n")
    assert found == []  # l-01 is enrolled in saf-a of the same program: a make-up
    program = root / "programs/safety/program.yaml"
    program.write_text(program.read_text().replace("makeups: true", "makeups: false"))
    academy = check_dir(root).academy
    assert academy is not None
    (d,) = [d for d in records.check(academy, NOW) if d.path.endswith("extra.csv")]
    assert d.code == "record-not-enrolled"
    assert "enrolled in 'saf-a' but program 'safety' does not allow make-ups" in d.message


def test_duplicate_rows(tmp_path: Path) -> None:
    found = problems(tmp_path, "saf-a/s1,l-01,absent,,\n",
                     "l-01,basics/final,9,10,2026-01-21T10:00:00Z,1\n")
    # Files are read in path order, so the second sighting is in saf-a.csv / basics.csv.
    assert found == [("records/attendance/saf-a.csv", 2, 1, "error", "record-duplicate"),
                     ("records/quiz-results/extra.csv", 2, 6, "error", "record-duplicate")]
    root = tmp_path / "academy"
    academy = check_dir(root).academy
    assert academy is not None
    first = next(records.check(academy, NOW))
    assert "already has a row for 'saf-a/s1' at records/attendance/extra.csv:2" in first.message


def test_scores_maxima_and_attempts(tmp_path: Path) -> None:
    found = problems(tmp_path, results=(
        "l-03,basics/final,11,10,2026-01-25T10:00:00Z,2\n"
        "l-04,basics/final,4,5,2026-01-25T10:00:00Z,2\n"
        "l-06,basics/final,9,10,2026-01-25T10:00:00Z,3\n"))
    path = "records/quiz-results/extra.csv"
    assert found == [
        (path, 2, 3, "error", "score-above-max"),
        (path, 3, 4, "warning", "quiz-max-mismatch"),
        (path, 4, 6, "warning", "too-many-attempts"),
    ]


def test_records_in_the_future_depend_on_the_given_now(tmp_path: Path) -> None:
    rows = "saf-c/s2,l-07,present,120,\n"
    result = "l-08,basics/final,9,10,2026-04-20T10:00:00Z,1\n"
    found = problems(tmp_path, rows, result, at=NOW)
    assert ("records/attendance/extra.csv", 2, 3, "warning", "record-in-future") in found
    assert ("records/quiz-results/extra.csv", 2, 5, "warning", "record-in-future") in found
    assert problems(tmp_path / "later", rows, result, at=datetime(2026, 5, 1, tzinfo=UTC)) == []


def test_now_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")
    assert records.now() == datetime(2026, 4, 1, tzinfo=UTC)
