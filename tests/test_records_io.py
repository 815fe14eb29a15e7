"""Record CSV loading: the fast row check agrees with the schema; bad rows are located."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.load import schemas
from trainkit.load.records import (
    attendance_columns,
    load_csv,
    quiz_result_columns,
    write_csv,
)
from trainkit.load.rowchecks import ROW_KIND, row_is_valid
from trainkit.model import AttendanceRecord, Loc, QuizResult, Records

EXAMPLES = Path(__file__).parent / "example-files"
SMALL = Path(__file__).parent / "cases" / "small" / "input"

VARIANTS = {
    "attendance": [
        {"session": "c/s", "learner": "l-1", "status": "late"},
        {"session": "c/s", "learner": "l-1", "status": "late", "minutes": "12.5", "note": "x"},
        {"session": "C/s", "learner": "l-1", "status": "late"},
        {"session": "c/s/x", "learner": "l-1", "status": "late"},
        {"session": "c/s", "learner": "-l", "status": "present"},
        {"session": "c/s", "learner": "l", "status": "Present"},
        {"session": "c/s", "learner": "l", "status": "present", "minutes": "1."},
        {"session": "c/s", "learner": "l", "status": "present", "minutes": " 5"},
        {"session": "c/s", "learner": "l", "status": "present", "extra": ""},
        {"session": "c/s", "learner": "l"},
        {"session": "c/s\n", "learner": "l", "status": "present"},
    ],
    "quiz-results": [
        {"learner": "a", "quiz": "k/q", "score": "1", "max": "2", "attempt": "1",
         "submitted_at": "2026-03-04T10:00:00+01:00"},
        {"learner": "a", "quiz": "k/q", "score": "1.5", "max": "2", "attempt": "10",
         "submitted_at": "2026-03-04T10:00:00.123Z"},
        {"learner": "a", "quiz": "k/q", "score": "1", "max": "2", "attempt": "01",
         "submitted_at": "2026-03-04T10:00:00Z"},
        {"learner": "a", "quiz": "k/q", "score": "-1", "max": "2", "attempt": "1",
         "submitted_at": "2026-03-04T10:00:00Z"},
        {"learner": "a", "quiz": "k/q", "score": "1", "max": "2", "attempt": "1",
         "submitted_at": "2026-03-04T10:00Z"},
        {"learner": "a", "quiz": "k/q", "score": "1", "max": "2", "attempt": "1",
         "submitted_at": "2026-03-04 10:00:00Z"},
    ],
}


VARIANTS["evidence"] = [
    {"learner": "a", "competency": "c", "level": "x", "date": "2026-02-30"},
    {"learner": "a", "competency": "c", "level": "x", "date": "2026-02-28",
     "expires": "2029-13-01"},
    {"learner": "a", "competency": "c", "level": "", "date": "2026-02-28", "expires": "2029-01-01"},
    {"learner": "a", "competency": "c", "level": "x", "date": "2026-02-28", "other": ""},
    {"learner": "a", "competency": "c", "date": "2026-02-28"},
    {"learner": "a", "competency": "c", "level": "x", "date": "2026-2-28"},
]

_A = {"learner": "a", "assessment": "p/cpr", "attempt": "1", "date": "2026-05-14",
      "assessor": "i-1", "results": "rate=competent", "overall": "pass"}
VARIANTS["assessments"] = [
    {**_A, "results": ""},
    {**_A, "results": "rate=competent;airway=not-yet;"},
    {**_A, "results": "Rate=competent"},
    {**_A, "results": "rate=a=b"},
    {**_A, "results": "rate"},
    {**_A, "attempt": "0"},
    {**_A, "date": "2026-02-30"},
    {**_A, "assessor": "Dana W"},
    {**_A, "evidence": "form 1", "note": "ok"},
    {**_A, "overall": "Pass"},
]
_S = {"response": "r-1", "survey": "s", "cohort": "c", "submitted_at": "2026-03-30T16:45:10Z"}
VARIANTS["surveys"] = [
    {**_S, "session": ""}, {**_S, "session": "day1"}, {**_S, "session": "Day 1"},
    {**_S, "respondent": "a@b.org", "q1": "5", "q_2": "free, text"},
    {**_S, "Q1": "5"}, {**_S, "response": "R 1"}, {**_S, "submitted_at": "2026-02-30T10:00:00Z"},
]

_P = {"date": "2027-02-14", "invoice": "2027-0001", "amount": "780.00", "currency": "GBP"}
VARIANTS["payments"] = [
    {**_P, "amount": "0"},
    {**_P, "amount": "780"},
    {**_P, "amount": "-780.00"},
    {**_P, "amount": "1,780.00"},
    {**_P, "amount": "780.0001"},
    {**_P, "invoice": "INV/2027/1"},
    {**_P, "invoice": " 2027-0001"},
    {**_P, "date": "2027-02-30"},
    {**_P, "currency": "GB"},
    {**_P, "reference": "x", "payer": "y", "note": "z"},
]

_Q = {"learner": "a", "quiz": "c/final", "attempt": "1", "question": "q1", "score": "1"}
VARIANTS["answers"] = [
    {**_Q, "score": "0.5", "answer": "Call 999, then first aid"},
    {**_Q, "score": "-1"},
    {**_Q, "score": "1e3"},
    {**_Q, "question": "Q1"},
    {**_Q, "attempt": "0"},
    {**_Q, "quiz": "final"},
    {**_Q, "answer": ""},
    {"learner": "a", "quiz": "c/final", "attempt": "1", "question": "q1"},
    {**_Q, "correct": "yes"},
]


def _examples(kind: str) -> list[dict[str, str]]:
    row_kind = ROW_KIND[kind]
    found = []
    for folder in ("positive", "negative"):
        for path in sorted((EXAMPLES / folder / row_kind).glob("*.json")):
            found.append(json.loads(path.read_text(encoding="utf-8")))
    return found + VARIANTS[kind]


@pytest.mark.parametrize("kind", sorted(ROW_KIND))
def test_fast_check_agrees_with_the_schema(kind: str) -> None:
    rows = _examples(kind)
    assert len(rows) > 8
    verdicts = [(row_is_valid(kind, r), schemas.is_valid(ROW_KIND[kind], r)) for r in rows]
    assert [fast for fast, _ in verdicts] == [slow for _, slow in verdicts]
    assert any(fast for fast, _ in verdicts) and not all(fast for fast, _ in verdicts)


def test_bad_rows_are_reported_at_row_and_column_and_left_out() -> None:
    text = ("session,learner,status,minutes,note\n"
            "c/s1,l-1,present,90,\n"
            "c/s1,l-2,attended,90,\n"
            "\n"
            "c/s1,l-3,present,ninety,\"two\nlines\"\n"
            "c/s1,l-4,present\n"
            "c/s2,l-1,absent,,\n")
    doc = load_csv("records/attendance/x.csv", "attendance", text.encode())
    rows = doc.data.rows()
    assert [(r["session"], r["learner"]) for r in rows] == [("c/s1", "l-1"), ("c/s2", "l-1")]
    assert list(doc.data.lines) == [2, 8]
    found = [(d.line, d.col, d.code) for d in doc.diagnostics]
    assert found == [(3, 3, "csv-row"), (5, 4, "csv-row"), (7, 1, "csv-row")]
    assert "'attended'" in doc.diagnostics[0].message
    assert "3 cells but the header has 5" in doc.diagnostics[2].message


def test_header_problems_name_the_columns() -> None:
    doc = load_csv("r.csv", "attendance", b"session,learner,state,learner\n")
    (d,) = doc.diagnostics
    assert doc.data is None
    assert d.code == "csv-header"
    assert "missing column(s) status" in d.message
    assert "unknown column(s) state" in d.message
    assert "repeated column(s) learner" in d.message


def test_optional_columns_may_be_left_out_and_bom_is_accepted() -> None:
    doc = load_csv("r.csv", "attendance", b"\xef\xbb\xbfsession,learner,status\nc/s,l,late\n")
    assert doc.diagnostics == []
    assert doc.data.rows() == [{"session": "c/s", "learner": "l", "status": "late",
                                "minutes": "", "note": ""}]


def test_write_csv_round_trips() -> None:
    rows = [{"session": "c/s", "learner": "l", "status": "present", "minutes": "5",
             "note": 'said "hi", left'}]
    text = write_csv(rows, ("session", "learner", "status", "minutes", "note"))
    doc = load_csv("r.csv", "attendance", text.encode())
    assert doc.data.rows() == rows and doc.diagnostics == []


PLAIN = ("session,learner,status,minutes,note\n"
         "c/s1,l-1,present,90,\n"
         "c/s1,l-2,late,80.5,came in late\n"
         "c/s2,l-1,absent,0,ill\n")


@pytest.mark.parametrize("variant", [
    PLAIN,  # nothing to interpret: split as text
    PLAIN.replace("\n", "\r\n"),  # CRLF: read by csv.reader
    PLAIN.replace("came in late", '"came in late"'),  # quoted cell
    PLAIN.rstrip("\n"),  # no final line break
])
def test_plain_and_csv_reader_paths_read_the_same(variant: str) -> None:
    doc = load_csv("r.csv", "attendance", variant.encode())
    assert doc.diagnostics == []
    assert doc.data.rows() == [
        {"session": "c/s1", "learner": "l-1", "status": "present", "minutes": "90", "note": ""},
        {"session": "c/s1", "learner": "l-2", "status": "late", "minutes": "80.5",
         "note": "came in late"},
        {"session": "c/s2", "learner": "l-1", "status": "absent", "minutes": "0", "note": "ill"},
    ]
    assert list(doc.data.lines) == [2, 3, 4]


def test_bad_value_in_a_plain_file_is_located_and_left_out() -> None:
    text = PLAIN + "c/s3,l-9,present,lots,\n" + "c/s3,l-8,excused,,\n"
    doc = load_csv("r.csv", "attendance", text.encode())
    assert [(d.line, d.col) for d in doc.diagnostics] == [(5, 4)]
    assert [r["learner"] for r in doc.data.rows()] == ["l-1", "l-2", "l-1", "l-8"]
    assert list(doc.data.lines) == [2, 3, 4, 6]


def test_ragged_row_in_an_unquoted_file_is_reported() -> None:
    text = PLAIN + "c/s3,l-9,present\n"
    doc = load_csv("r.csv", "attendance", text.encode())
    assert [(d.line, d.col, d.code) for d in doc.diagnostics] == [(5, 1, "csv-row")]
    assert len(doc.data) == 3


def test_records_are_made_from_the_columns() -> None:
    att = load_csv("records/attendance/a.csv", "attendance", PLAIN.encode())
    first, second, third = Records(AttendanceRecord, attendance_columns(att.path, att.data))
    assert (first.session, first.learner, first.status, first.minutes) == \
        ("c/s1", "l-1", "present", 90.0)
    assert second.minutes == 80.5 and second.note == "came in late"
    assert third.loc == Loc("records/attendance/a.csv", 4, 1)
    text = ("learner,quiz,score,max,submitted_at,attempt\n"
            "l-1,k/q,3.5,4,2026-03-04T10:00:00Z,2\n")
    res = load_csv("records/quiz-results/q.csv", "quiz-results", text.encode())
    (r,) = Records(QuizResult, quiz_result_columns(res.path, res.data, datetime.fromisoformat))
    assert (r.learner, r.quiz, r.score, r.maximum, r.attempt) == ("l-1", "k/q", 3.5, 4.0, 2)
    assert r.submitted_at == datetime(2026, 3, 4, 10, tzinfo=UTC)
    assert r.loc.line == 2


def test_check_reports_a_bad_row_as_path_line_col(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "academy"
    shutil.copytree(SMALL, root)
    with (root / "records/attendance/saf-a.csv").open("a", encoding="utf-8") as fh:
        fh.write("saf-a/s1,l-01,present,lots,\n")
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "records/attendance/saf-a.csv:20:4: error[csv-row]: column 'minutes': 'lots'" in out


def test_many_cells_checked_at_once_agree_with_each_cell() -> None:
    from trainkit.load.cells import ID, all_pass, date_time, rx

    ident = rx(ID)
    assert all_pass(ident, {"r-0001", "r-0002"})
    for cells in ({"r-0001", "R-2"}, {"r-0001", "a\x1fb"}, {"r-1", "a\nb"}):
        assert not all_pass(ident, cells), cells  # some fail: each is then tested alone
    assert all_pass(date_time, {"2026-03-01T10:00:00Z", "2026-03-02T23:59:59+01:00"})
    for bad in ("2026-02-30T10:00:00Z", "2026-03-01T24:00:00Z", "1899-03-01T10:00:00Z",
                "2026-03-01T10:00:00.5Z"):
        assert not all_pass(date_time, {"2026-03-01T10:00:00Z", bad}), bad
    assert date_time("2026-03-01T10:00:00.5Z") and not date_time("2026-02-30T10:00:00Z")


def test_a_column_of_one_wrong_value_is_reported_on_every_row() -> None:
    text = "session,learner,status\n" + "".join(f"C/S,l-{i},present\n" for i in range(3))
    doc = load_csv("r.csv", "attendance", text.encode())
    assert [(d.line, d.col) for d in doc.diagnostics] == [(2, 1), (3, 1), (4, 1)]
    assert len(doc.data) == 0


def test_survey_responses_are_counted_per_group_as_a_plain_count_would() -> None:
    rng = random.Random(7)
    header = ["response", "survey", "cohort", "session", "submitted_at", "overall", "pace"]
    rows = [[f"r{i}", rng.choice(["a", "b"]), rng.choice(["c-1", "c-2"]),
             rng.choice(["", "s1"]), "2026-05-01T10:00:00+00:00",
             rng.choice(["", "1", "5", "x"]), rng.choice(["Too slow", "About, right", ""])]
            for i in range(300)]
    for rows_of_file in (rows, [r[:2] + ["c-1", "s1"] + r[4:] for r in rows if r[1] == "a"]):
        doc = load_csv("s.csv", "surveys", write_csv(
            [dict(zip(header, r, strict=True)) for r in rows_of_file], tuple(header)).encode())
        assert doc.diagnostics == []
        plain: dict[tuple[str, str, str], dict[str, Counter[str]]] = {}
        for r in rows_of_file:
            mine = plain.setdefault((r[1], r[2], r[3]), {"overall": Counter(), "pace": Counter()})
            mine["overall"][r[5]] += 1
            mine["pace"][r[6]] += 1
        assert list(doc.data.groups) == list(plain)  # in the order each group first occurs
        for key, group in doc.data.groups.items():
            assert group.responses == plain[key]["overall"].total()
            assert {q: dict(c) for q, c in group.cells.items()} == plain[key]
            for q, cells in group.cells.items():  # each cell in the order it first occurs
                column = [r[header.index(q)] for r in rows_of_file if (r[1], r[2], r[3]) == key]
                assert list(cells) == list(dict.fromkeys(column))
