"""Records: attendance, quiz results (kept as column tables) and certificate revocations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from trainkit.load import records as records_io
from trainkit.load.yamlio import Document
from trainkit.model import (
    Answer,
    AttendanceRecord,
    Column,
    Converted,
    QuizResult,
    Records,
    Revocation,
    Settings,
)
from trainkit.resolve.common import loc
from trainkit.resolve.people import parse_moment


def resolve_attendance(docs: list[Document]) -> Records[AttendanceRecord]:
    """Every good row of the attendance files, as one table of columns (see ``Records``)."""
    return Records.joined(AttendanceRecord,
                          [records_io.attendance_columns(d.path, d.data) for d in docs])


def resolve_quiz_results(docs: list[Document], settings: Settings) -> Records[QuizResult]:
    """Every good row of the quiz-result files; a time without an offset is the academy's."""
    def moment(text: str) -> datetime:
        return parse_moment(text, settings.timezone)
    return Records.joined(QuizResult, [records_io.quiz_result_columns(d.path, d.data, moment)
                                       for d in docs])


def resolve_answers(docs: list[Document]) -> Records[Answer]:
    """Every good row of the answers files, as one table of columns (converted when read)."""
    return Records.joined(Answer, [_answer_columns(d.path, d.data) for d in docs])


def _answer_columns(path: str, data: records_io.Columns) -> list[Column]:
    c, n = data.columns, len(data)
    return [c["learner"], c["quiz"], Converted(c["attempt"], int), c["question"],
            Converted(c["score"], float), c["answer"], [path] * n, data.lines]


def resolve_revocations(docs: list[Document]) -> Iterable[Revocation]:
    for doc in docs:
        for i, r in enumerate(doc.data.get("revocations", [])):
            yield Revocation(r["certificate"], date.fromisoformat(r["date"]), r.get("reason", ""),
                             loc(doc, "revocations", i))
