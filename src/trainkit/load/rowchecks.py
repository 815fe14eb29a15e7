"""Which columns each kind of record file has, and the fast check of one row.

Rows are checked with precompiled regular expressions and sets that accept
exactly what the row schemas in ``schemas/`` accept (``attendance-row``,
``quiz-result-row`` …); the schema is consulted again only for a row that fails,
to word its message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

ROW_KIND = {"attendance": "attendance-row", "quiz-results": "quiz-result-row",
            "evidence": "evidence-row", "assessments": "assessment-result-row",
            "payments": "payment-row", "answers": "answer-row"}
CSV_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "attendance": (("session", "learner", "status"), ("minutes", "note")),
    "quiz-results": (("learner", "quiz", "score", "max", "submitted_at", "attempt"), ()),
    "evidence": (("learner", "competency", "level", "date"),
                 ("expires", "source", "assessor", "note")),
    "assessments": (("learner", "assessment", "attempt", "date", "assessor", "results",
                     "overall"), ("evidence", "note")),
    "payments": (("date", "invoice", "amount", "currency"), ("reference", "payer", "note")),
    "answers": (("learner", "quiz", "attempt", "question", "score"), ("answer",)),
}
MAX_CSV_ERRORS = 200

_ID = r"[a-z0-9][a-z0-9._-]*"
_NUMBER = r"[0-9]{1,9}(?:\.[0-9]+)?"  # below a billion: no count or score is larger
_DATETIME = r"(?:19|20|21)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"


def _rx(pattern: str) -> Callable[[str], object]:
    return re.compile(pattern).fullmatch


def _datetime(text: str) -> bool:
    """The schema's pattern and its ``date-time`` format: a real day and time."""
    if _DATETIME_RX(text) is None:
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # 2026-02-30, 25:00
        return False
    return True


_DATETIME_RX = re.compile(_DATETIME).fullmatch
_DATE_RX = re.compile(r"(?:19|20|21)\d{2}-\d{2}-\d{2}").fullmatch


def _date(text: str) -> bool:
    """The schema's pattern and its ``date`` format: a real day."""
    if _DATE_RX(text) is None:
        return False
    try:
        date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return False
    return True


def _optional_date(text: str) -> bool:
    return not text or _date(text)


def _one_of(*words: str) -> Callable[[str], object]:
    allowed = frozenset(words)
    return allowed.__contains__


def _anything(_: str) -> bool:
    return True


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
    if any(c not in row for c in required) or any(c not in checks for c in row):
        return False
    return all(checks[c](v) for c, v in row.items())
