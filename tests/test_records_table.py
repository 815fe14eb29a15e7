"""``Records``: record rows held as columns, joined and converted when first read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trainkit.model import AttendanceRecord, Converted, QuizResult, Records


def _file(path: str, rows: list[tuple[str, str, str, str]], first_line: int = 2) -> list:
    sessions, learners, statuses, minutes = (list(c) for c in zip(*rows, strict=True))
    calls: list[str] = []

    def minute(cell: str) -> float | None:
        calls.append(cell)
        return float(cell) if cell else None
    return [sessions, learners, statuses, Converted(minutes, minute), [""] * len(rows),
            lambda: [path] * len(rows), range(first_line, first_line + len(rows))], calls


def test_columns_are_joined_in_file_order_and_converted_once_per_distinct_cell() -> None:
    a, a_calls = _file("a.csv", [("c/s1", "x", "present", "60"), ("c/s1", "y", "late", "60")])
    b, b_calls = _file("b.csv", [("c/s2", "x", "absent", ""), ("c/s2", "y", "present", "60")])
    table = Records.joined(AttendanceRecord, [a, b])
    assert len(table) == 4
    assert list(table.column("session")) == ["c/s1", "c/s1", "c/s2", "c/s2"]
    assert a_calls == [] and b_calls == []  # nothing converted before it is read
    assert list(table.column("minutes")) == [60.0, 60.0, None, 60.0]
    assert sorted(a_calls) == ["60"] and sorted(b_calls) == ["", "60"]
    assert table[2] == AttendanceRecord("c/s2", "x", "absent", None, "", "b.csv", 2)
    assert [r.loc.path for r in table] == ["a.csv", "a.csv", "b.csv", "b.csv"]


def test_cells_at_rows_convert_only_those_rows_across_files() -> None:
    a, a_calls = _file("a.csv", [("c/s1", "x", "present", "10"), ("c/s1", "y", "late", "20")])
    b, b_calls = _file("b.csv", [("c/s2", "x", "absent", "30"), ("c/s2", "y", "present", "40")])
    table = Records.joined(AttendanceRecord, [a, b])
    assert table.cells("minutes", [1, 2]) == [20.0, 30.0]
    assert a_calls == ["20"] and b_calls == ["30"]
    assert table.cells("learner", [0, 3]) == ["x", "y"]
    assert table.cells("path", [1, 3]) == ["a.csv", "b.csv"]
    assert table.cells("line", [0, 1, 2, 3]) == [2, 3, 2, 3]
    table.column("minutes")  # once joined, rows are read from the joined column
    assert table.cells("minutes", [3]) == [40.0]


def test_tables_compare_with_tables_and_with_rows() -> None:
    when = datetime(2026, 5, 1, 10, tzinfo=UTC)
    rows = [QuizResult("x", "k/q", 7.0, 10.0, when, 1, "r.csv", 2),
            QuizResult("y", "k/q", 9.0, 10.0, when, 2, "r.csv", 3)]
    table = Records.of(QuizResult, rows)
    assert table == Records.of(QuizResult, list(rows))
    assert table == tuple(rows) and table != tuple(rows[:1])
    assert table != Records.of(QuizResult, rows[:1])
    assert list(table.column("score")) == [7.0, 9.0]
    assert len(Records.of(QuizResult, [])) == 0


def test_columns_of_unequal_length_are_refused() -> None:
    a, _ = _file("a.csv", [("c/s1", "x", "present", "10")])
    a[1] = ["x", "y"]
    table = Records(AttendanceRecord, a)
    with pytest.raises(ValueError, match="learner"):
        table.column("learner")
    with pytest.raises(ValueError, match="fields"):
        Records(AttendanceRecord, a[:3])
