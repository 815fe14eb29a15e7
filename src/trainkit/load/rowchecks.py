"""Which columns each kind of record file has, and the fast check of one row.

Rows are checked with precompiled regular expressions and sets that accept
exactly what the row schemas in ``schemas/`` accept (``attendance-row``,
``quiz-result-row`` …); the schema is consulted again only for a row that fails,
to word its message.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from trainkit.load.cells import ID as _ID
from trainkit.load.cells import NUMBER as _NUMBER
from trainkit.load.cells import anything as _anything
from trainkit.load.cells import date_time as _datetime
from trainkit.load.cells import day as _date
from trainkit.load.cells import one_of as _one_of
from trainkit.load.cells import optional_day as _optional_date
from trainkit.load.cells import rx as _rx

ROW_KIND = {"attendance": "attendance-row", "quiz-results": "quiz-result-row",
            "evidence": "evidence-row", "assessments": "assessment-result-row",
            "surveys": "survey-response-row", "payments": "payment-row",
            "answers": "answer-row"}
CSV_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "attendance": (("session", "learner", "status"), ("minutes", "note")),
    "quiz-results": (("learner", "quiz", "score", "max", "submitted_at", "attempt"), ()),
    "evidence": (("learner", "competency", "level", "date"),
                 ("expires", "source", "assessor", "note")),
    "assessments": (("learner", "assessment", "attempt", "date", "assessor", "results",
                     "overall"), ("evidence", "note")),
    "surveys": (("response", "survey", "cohort", "submitted_at"), ("session", "respondent")),
    "payments": (("date", "invoice", "amount", "currency"), ("reference", "payer", "note")),
    "answers": (("learner", "quiz", "attempt", "question", "score"), ("answer",)),
}
MAX_CSV_ERRORS = 200

OPEN_KINDS: dict[str, Callable[[str], object]] = {"surveys": re.compile(_ID).fullmatch}
# Open kinds: the columns whose cells group the rows; the loader counts every other
# (open) column's cells per group, while the file is at hand.
GROUPED_BY: dict[str, tuple[str, str, str]] = {"surveys": ("survey", "cohort", "session")}


# Column -> a cheap test equivalent to the column's schema. Keep in step with
# the schema files (tests/test_records_io.py compares both on every example).
CHECKS: dict[str, dict[str, Callable[[str], object]]] = {
    "attendance": {
        "session": _rx(f"{_ID}/{_ID}"),
        "learner": _rx(_ID),
        "status": _one_of("present", "late", "excused", "absent"),
        "minutes": _rx(r"(?:[0-9]{1,6}(?:\.[0-9]+)?)?"),
        "note": _anything,
    },
    "quiz-results": {
        "learner": _rx(_ID),
        "quiz": _rx(f"{_ID}/{_ID}"),
        "score": _rx(_NUMBER),
        "max": _rx(_NUMBER),
        "submitted_at": _datetime,
        "attempt": _rx("[1-9][0-9]{0,5}"),
    },
    "evidence": {
        "learner": _rx(_ID),
        "competency": _rx(_ID),
        "level": _anything,
        "date": _date,
        "expires": _optional_date,
        "source": _anything,
        "assessor": _anything,
        "note": _anything,
    },
    "assessments": {
        "learner": _rx(_ID),
        "assessment": _rx(f"{_ID}/{_ID}"),
        "attempt": _rx("[1-9][0-9]{0,5}"),
        "date": _date,
        "assessor": _rx(_ID),
        "results": _rx(rf"(?:{_ID}=[^;=]*(?:;{_ID}=[^;=]*)*)?;?"),
        "overall": _one_of("pass", "fail"),
        "evidence": _anything,
        "note": _anything,
    },
    "surveys": {"response": _rx(_ID), "survey": _rx(_ID), "cohort": _rx(_ID),
                "session": _rx(f"(?:{_ID})?"), "submitted_at": _datetime},
    "payments": {
        "date": _date,
        "invoice": _rx(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,39}"),
        "amount": _rx(r"(?:0|[1-9][0-9]{0,11})(?:\.[0-9]{1,3})?"),
        "currency": _rx("[A-Z]{3}"),
        "reference": _anything,
        "payer": _anything,
        "note": _anything,
    },
    "answers": {
        "learner": _rx(_ID),
        "quiz": _rx(f"{_ID}/{_ID}"),
        "attempt": _rx("[1-9][0-9]{0,5}"),
        "question": _rx(_ID),
        "score": _rx(_NUMBER),
        "answer": _anything,
    },
}


def row_is_valid(kind: str, row: dict[str, str]) -> bool:
    """The fast check of one row (a mapping of column to cell), as the schema would say."""
    checks = CHECKS[kind]
    required, optional = CSV_COLUMNS[kind]
    extra = OPEN_KINDS.get(kind, checks.get)  # checks.get: no name beyond the checked ones
    if any(c not in row for c in required) or not all(c in checks or extra(c) for c in row):
        return False
    return all(checks.get(c, _anything)(v) for c, v in row.items())
