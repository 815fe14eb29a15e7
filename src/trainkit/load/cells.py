"""Cheap tests of record cells, each equivalent to a JSON Schema pattern or format.

Record files hold hundreds of thousands of cells; :mod:`trainkit.load.records`
checks each column's distinct values with these instead of the schema, and
``tests/test_records_io.py`` keeps both in step on every example.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date, datetime
from functools import cache
from operator import itemgetter

ID = r"[a-z0-9][a-z0-9._-]*"
NUMBER = r"[0-9]{1,9}(?:\.[0-9]+)?"  # below a billion: no count or score is larger
DATETIME = r"(?:19|20|21)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"


_DAY_PART = itemgetter(slice(0, 10))
_SEP = "\x1f"  # joins many cells for one regex pass; never matched by a cell pattern
# A test -> the same test of many cells at once (True: all pass; False: look at each).
_MANY: dict[Callable[[str], object], Callable[[Collection[str]], bool]] = {}


def all_pass(test: Callable[[str], object], cells: Collection[str]) -> bool:
    """Whether every cell passes ``test``, decided in one pass where the test allows it.

    False means "some may fail": the caller then tests each cell. A column of
    distinct ids or times (a response id, a submission time) is checked by one
    regular expression over the cells joined, not by a call per cell.
    """
    many = _MANY.get(test)
    return many is not None and len(cells) > 1 and many(cells)


def _joined(pattern: str) -> Callable[[Collection[str]], bool]:
    whole = re.compile(f"(?:{pattern})(?:{_SEP}(?:{pattern}))*").fullmatch

    def many(cells: Collection[str]) -> bool:
        text = _SEP.join(cells)
        return text.count(_SEP) == len(cells) - 1 and whole(text) is not None
    return many


def rx(pattern: str) -> Callable[[str], object]:
    one = re.compile(pattern).fullmatch
    _MANY[one] = _joined(pattern)
    return one


def date_time(text: str) -> bool:
    """The schema's pattern and its ``date-time`` format: a real day and time.

    Whole seconds (nearly every record, each one distinct) need no parse: the strict
    pattern bounds the time and offset, and the day is checked once per distinct day.
    """
    if _WHOLE_SECONDS_RX(text) is not None:
        return _known_day(text[:10])
    if _DATETIME_RX(text) is None:
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # 2026-02-30, 25:00
        return False
    return True


_DATETIME_RX = re.compile(DATETIME).fullmatch
_HM = r"(?:[01]\d|2[0-3]):[0-5]\d"
_WHOLE_SECONDS_RX = re.compile(rf"\d{{4}}-\d\d-\d\dT{_HM}:[0-5]\d(?:Z|[+-]{_HM})").fullmatch
_DATE_RX = re.compile(r"(?:19|20|21)\d{2}-\d{2}-\d{2}").fullmatch
_WHOLE_SECONDS = _joined(rf"\d{{4}}-\d\d-\d\dT{_HM}:[0-5]\d(?:Z|[+-]{_HM})")


def _date_times(cells: Collection[str]) -> bool:
    return _WHOLE_SECONDS(cells) and all(map(_known_day, set(map(_DAY_PART, cells))))


def day(text: str) -> bool:
    """The schema's pattern and its ``date`` format: a real day."""
    if _DATE_RX(text) is None:
        return False
    try:
        date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return False
    return True


_known_day = cache(day)
_MANY[date_time] = _date_times


def optional_day(text: str) -> bool:
    return not text or day(text)


def one_of(*words: str) -> Callable[[str], object]:
    allowed = frozenset(words)
    return allowed.__contains__


def anything(_: str) -> bool:
    return True
