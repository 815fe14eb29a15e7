"""Fast reading and checking of the record CSV files (attendance, quiz results).

Record files are the only inputs that grow without bound: an academy collects
one attendance row per learner per session, year after year. Validating every
row with the JSON Schema costs tens of microseconds a row, so rows are checked
here with precompiled regular expressions and sets that accept exactly what
``schemas/attendance-row.schema.json`` and ``schemas/quiz-result-row.schema.json``
accept. The schema files stay the documentation (and editors use them); the
schema is consulted again only for a row that fails, to word its message the
same way every other schema problem is worded.

A row that fails is reported and left out of the data, so the resolver never
sees a value it cannot convert.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import contains, itemgetter
from typing import Any

from trainkit import schemas
from trainkit.diagnostics import Diagnostic, error
from trainkit.yamlio import CsvRows, Document, YamlError, read_text

ROW_KIND = {"attendance": "attendance-row", "quiz-results": "quiz-result-row"}
CSV_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "attendance": (("session", "learner", "status"), ("minutes", "note")),
    "quiz-results": (("learner", "quiz", "score", "max", "submitted_at", "attempt"), ()),
}
MAX_CSV_ERRORS = 200

_ID = r"[a-z0-9][a-z0-9._-]*"
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"


def _rx(pattern: str) -> Callable[[str], object]:
    return re.compile(pattern).fullmatch


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
        "minutes": _rx(f"(?:{_NUMBER})?"),
        "note": _anything,
    },
    "quiz-results": {
        "learner": _rx(_ID),
        "quiz": _rx(f"{_ID}/{_ID}"),
        "score": _rx(_NUMBER),
        "max": _rx(_NUMBER),
        "submitted_at": _rx(_DATETIME),
        "attempt": _rx("[1-9][0-9]*"),
    },
}


def row_is_valid(kind: str, row: dict[str, str]) -> bool:
    """The fast check of one row (a mapping of column to cell), as the schema would say."""
    checks = CHECKS[kind]
    required, optional = CSV_COLUMNS[kind]
    if any(c not in row for c in required) or any(c not in checks for c in row):
        return False
    return all(checks[c](v) for c, v in row.items())


def load_csv(path: str, kind: str, raw: bytes) -> Document:
    """Parse and check one record file; bad rows become diagnostics and are dropped."""
    doc = Document(path, kind, None)
    try:
        text = read_text(path, raw)
    except YamlError as exc:
        doc.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
        return doc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        doc.diagnostics.append(error(path, 1, 1, "csv-header",
                                     "the file is empty; add a header row"))
        return doc
    header = [h.strip() for h in header]
    problem = _header_problem(kind, header)
    if problem:
        doc.diagnostics.append(error(path, 1, 1, "csv-header", problem))
        return doc
    with collector_paused():
        doc.data = _read_rows(path, kind, header, reader, doc.diagnostics)
    return doc


def _header_problem(kind: str, header: list[str]) -> str | None:
    required, optional = CSV_COLUMNS[kind]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if not (missing or unknown or repeated):
        return None
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(unknown))
    if repeated:
        parts.append("repeated column(s) " + ", ".join(repeated))
    return "; ".join(parts) + f"; the header must be: {','.join(required + optional)}"


class _Memo:
    """Cells already known to be valid, per checked column.

    Record files repeat the same session, learner, quiz and status values on
    thousands of rows, so each distinct value is tested against its pattern
    once; after that a row costs a few set look-ups done in C.
    """

    def __init__(self, kind: str, header: list[str]) -> None:
        checks = CHECKS[kind]
        self.columns = [i for i, c in enumerate(header) if checks[c] is not _anything]
        self.tests = [checks[header[i]] for i in self.columns]
        self.known: list[set[str]] = [set() for _ in self.columns]
        getter = itemgetter(*self.columns) if self.columns else (lambda r: ())
        self.pick: Callable[[list[str]], Any] = (
            (lambda r: (getter(r),)) if len(self.columns) == 1 else getter)

    def valid(self, record: list[str]) -> bool:
        values = self.pick(record)
        if all(map(contains, self.known, values)):
            return True
        for test, known, value in zip(self.tests, self.known, values, strict=True):
            if value not in known:
                if not test(value):
                    return False
                known.add(value)
        return True


def _read_rows(path: str, kind: str, header: list[str], reader: csv._reader,  # type: ignore[name-defined]
               out: list[Diagnostic]) -> CsvRows:
    """The row loop: kept flat because it runs once per record in the academy."""
    rows = CsvRows(header)
    append, lines = rows.append, rows.lines.append
    width = len(header)
    memo = _Memo(kind, header)
    valid, known, pick = memo.valid, memo.known, memo.pick
    absent = [c for c in CSV_COLUMNS[kind][1] if c not in header]
    blank = dict.fromkeys(absent, "")
    line = reader.line_num
    bad = 0
    for record in reader:
        start = line + 1
        line = reader.line_num
        # Fast path first (every cell already seen valid), then the per-cell tests.
        if len(record) == width and (all(map(contains, known, pick(record))) or valid(record)):
            row = dict(zip(header, record, strict=False))  # lengths checked just above
            if absent:
                row.update(blank)
            append(row)
            lines(start)
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # blank line
        problems = _row_problems(path, kind, header, record, start)
        if not problems:  # the schema accepts what the fast check did not: trust the schema
            append(dict(zip(header, record, strict=True), **dict.fromkeys(absent, "")))
            lines(start)
            continue
        bad += 1
        if bad > MAX_CSV_ERRORS:
            out.append(error(path, start, 1, "csv-row",
                             f"more than {MAX_CSV_ERRORS} bad rows; fix these first"))
            break
        out.extend(problems)
    return rows


def _row_problems(path: str, kind: str, header: list[str], record: list[str],
                  line: int) -> list[Diagnostic]:
    """Why a row failed, worded from the schema, at the failing cell's column."""
    if len(record) != len(header):
        return [error(path, line, 1, "csv-row",
                      f"row has {len(record)} cells but the header has {len(header)}; "
                      "check for a stray comma or a missing quote")]
    row = dict(zip(header, record, strict=True))
    out = []
    for err in schemas.errors(ROW_KIND[kind], row):
        column = next((str(p) for p in err.absolute_path), "")
        col = header.index(column) + 1 if column in header else 1
        value = row.get(column, "")
        message = (f"column {column!r}: {value!r} is not valid ({err.message})" if column
                   else err.message)
        out.append(error(path, line, col, "csv-row", message))
    return out


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small acyclic objects are made.

    Hundreds of thousands of rows become as many small objects; each collector
    pass rescans everything allocated so far, which makes the whole job
    several times slower without freeing anything.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def write_csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    """Canonical CSV text (header + rows, LF line ends) for a record file."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()
