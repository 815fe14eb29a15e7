"""What every importer shares: reading exports, finding the table, reading times.

Exports come as UTF-8 (with or without a byte-order mark), UTF-16 (Teams),
or a Windows code page; comma-, semicolon- or tab-separated, sometimes with
a block of meeting details above the participant table. ``csv.Sniffer``
picks the delimiter; :func:`find_table` finds the header row by the column
names a format is known to use.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateparser

from trainkit.load.csvtext import CsvProblem, read_records
from trainkit.load.yamlcore import byte_position


class ImportProblem(Exception):
    """A problem with the export file; the message says where and what to do."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Participant:
    """One person as an attendance export shows them (possibly on several rows)."""

    name: str
    email: str
    line: int  # first row in the export
    intervals: list[tuple[datetime, datetime]] = field(default_factory=list)
    minutes: float = 0.0  # the export's own durations, summed
    first_join: datetime | None = None
    guest: bool = False


@dataclass
class Submission:
    """One quiz attempt as a quiz export shows it."""

    name: str
    email: str
    line: int
    score: float
    maximum: float
    submitted_at: datetime
    graded: bool = True  # False: an attempt the export lists without a grade (skipped)
    # The export's other columns, (header, cell) in column order: the answers to the
    # questions, and any per-question marks (read by importers.answers).
    cells: tuple[tuple[str, str], ...] = ()


def decode(raw: bytes, path: str = "") -> str:
    """Text of an export: BOM-marked UTF-16/UTF-8 first, then UTF-8, then cp1252.

    A UTF-8 byte-order mark says what the file is: bytes after it that are not
    UTF-8 are an error at their line, not a reason to guess another encoding.
    """
    # errors="replace": a file that is no export at all should reach "not a format I
    # know", not stop on a byte no code page maps.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        body = raw[3:]
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, _ = byte_position(body, exc.start)
            raise ImportProblem(path, line, f"byte 0x{body[exc.start]:02x} is not UTF-8, "
                                "although the file starts with a UTF-8 byte-order mark; "
                                "export or save it again as UTF-8") from None
    if len(raw) > 1 and raw[1:2] == b"\x00" and raw[0:1] != b"\x00":
        # UTF-16 without a BOM: every other byte is NUL.
        return raw.decode("utf-16-le", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def norm(header: str) -> str:
    """A header cell reduced for comparison: ``Duration (Minutes)`` -> ``duration(minutes)``."""
    return re.sub(r"\s+", "", header.strip().strip("\ufeff").lower())


def rows(text: str, path: str = "") -> list[list[str]]:
    """All rows of a delimited text, with the delimiter guessed by ``csv.Sniffer``."""
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        return read_records(text, dialect)[0]
    except CsvProblem as exc:
        raise ImportProblem(path, exc.line, exc.message) from None


def has_table(table: list[list[str]], wanted: Iterable[str]) -> bool:
    """Whether ``table`` holds a header row with all the ``wanted`` columns."""
    try:
        find_table(table, wanted, "")
    except ImportProblem:
        return False
    return True


def find_table(table: list[list[str]], wanted: Iterable[str], path: str,
               start: int = 0) -> tuple[int, dict[str, int]]:
    """The index of the first row (from ``start``) holding every wanted header.

    ``wanted`` names are compared after :func:`norm`; returns the row index and
    the column of each header (normalised name -> column).
    """
    names = [norm(w) for w in wanted]
    for i in range(start, len(table)):
        cols = {norm(c): j for j, c in enumerate(table[i])}
        if all(n in cols for n in names):
            return i, cols
    raise ImportProblem(path, 1, "no header row with the columns " + ", ".join(wanted) +
                        "; is this the right export (see trainkit import --help)?")


def pick(cols: dict[str, int], *names: str) -> int | None:
    """The column of the first header name present (exports rename columns over time)."""
    for n in names:
        if norm(n) in cols:
            return cols[norm(n)]
    return None


def cell(row: Sequence[str], col: int | None) -> str:
    return row[col].strip() if col is not None and col < len(row) else ""


_MAX_OFFSET = timedelta(hours=14)
# The years a record's date-time may have (the record schemas say the same).
MIN_YEAR, MAX_YEAR = 1900, 2199
_GMT = re.compile(r"\s*(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\s*$")


class Times:
    """Reads the date-times of one export, deciding day-first once for the file.

    Exports write local times without a zone (read in ``zone``, the session's
    zone) or with a ``GMT+1`` style suffix (POSIX-style parsers get its sign
    backwards, so it is handled here).
    """

    def __init__(self, zone: tzinfo, values: Iterable[str], day: date | None = None) -> None:
        self.zone = zone
        self.dayfirst = self._dayfirst([v for v in values if v and v != "-"])
        # A bare time ("10:01 AM", Meet) is on the session's day, never "today".
        self.default = datetime(day.year, day.month, day.day) if day else datetime(1970, 1, 1)

    @staticmethod
    def _dayfirst(values: list[str]) -> bool:
        for v in values:
            m = re.match(r"\s*(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}", v)
            if m and int(m.group(1)) > 12:
                return True
        return False

    def parse(self, text: str, path: str, line: int) -> datetime:
        text = text.strip()
        offset = None
        m = _GMT.search(text)
        if m:
            sign = 1 if m.group(1) == "+" else -1
            offset = sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
            if abs(offset) > _MAX_OFFSET:
                raise ImportProblem(path, line, f"{m.group(0).strip()!r} is not a time zone "
                                    "offset (they run from GMT-12 to GMT+14)")
            text = text[:m.start()]
        try:
            value = dateparser.parse(text.replace(",", " "), dayfirst=self.dayfirst,
                                     default=self.default)
        except (ValueError, OverflowError, TypeError):  # TypeError: dateutil on odd tokens
            raise ImportProblem(path, line, f"{text!r} is not a date and time") from None
        if offset is not None:
            value = value.replace(tzinfo=timezone(offset))
        elif not value.tzinfo:
            value = value.replace(tzinfo=self.zone)
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ImportProblem(path, line, f"{text!r} is not a date between {MIN_YEAR} and "
                                f"{MAX_YEAR}")
        return value


_NUMBER = re.compile(r"\d{1,9}(?:\.\d+)?")


def points(text: str, path: str, line: int, what: str) -> float:
    """A score or maximum as written in an export: digits, at most one point, under 10^9.

    ``nan``, ``inf``, ``n/a`` and the like are refused: a record holds a number.
    """
    value = text.strip().replace(",", ".")
    if not _NUMBER.fullmatch(value):
        raise ImportProblem(path, line, f"{what} {text.strip()!r} is not a number such as 7 "
                            "or 7.5; fix the export or leave the row out")
    return float(value)


_DURATION = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|s|sec|secs|second|seconds)\b)",
    re.IGNORECASE,
)


def minutes_of(text: str) -> float | None:
    """Minutes in ``1h 2m 3s``, ``1 hr 2 min``, ``25 mins 3 secs``, ``01:02:03`` or ``62``."""
    text = text.strip()
    if not text or text == "-":
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    clock = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", text)
    if clock:
        h, m, s = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        return h * 60 + m + s / 60
    total, found = 0.0, False
    for number, unit in _DURATION.findall(text):
        found = True
        u = unit.lower()
        factor = 60.0 if u.startswith("h") else (1 / 60 if u.startswith("s") else 1.0)
        total += float(number) * factor
    return total if found else None


def merged_minutes(intervals: list[tuple[datetime, datetime]], start: datetime,
                   end: datetime) -> float:
    """Minutes covered by the intervals within ``[start, end]``, overlaps counted once."""
    spans = sorted((max(a, start), min(b, end)) for a, b in intervals)
    total = timedelta()
    cur_a: datetime | None = None
    cur_b: datetime | None = None
    for a, b in spans:
        if b <= a:
            continue
        if cur_b is None or a > cur_b:
            if cur_a is not None and cur_b is not None:
                total += cur_b - cur_a
            cur_a, cur_b = a, b
        elif b > cur_b:
            cur_b = b
    if cur_a is not None and cur_b is not None:
        total += cur_b - cur_a
    return total.total_seconds() / 60
