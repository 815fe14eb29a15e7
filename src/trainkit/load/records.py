"""Fast reading and checking of the record CSV files (attendance, quiz results, answers …).

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
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache, partial
from itertools import repeat

from trainkit.diagnostics import Diagnostic, error
from trainkit.load import schemas
from trainkit.load.cells import all_pass, anything
from trainkit.load.csvtext import CsvProblem, csv_text, read_records
from trainkit.load.rowchecks import (
    CHECKS,
    CSV_COLUMNS,
    GROUPED_BY,
    MAX_CSV_ERRORS,
    OPEN_KINDS,
    ROW_KIND,
)
from trainkit.load.yamlcore import YamlError
from trainkit.load.yamlio import Document, read_text
from trainkit.model import Column, Converted, Group, GroupCounts


def load_csv(path: str, kind: str, raw: bytes) -> Document:
    """Parse and check one record file; bad rows become diagnostics and are dropped."""
    doc = Document(path, kind, None)
    try:
        text = read_text(path, raw)
    except YamlError as exc:
        doc.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
        return doc
    with collector_paused():  # the rows are freed before the collector resumes
        doc.data = _parse(path, kind, text, doc.diagnostics)
    return doc


def _parse(path: str, kind: str, text: str, out: list[Diagnostic]) -> Columns | None:
    """Header and checked columns of a file's text, or None when the header is wrong."""
    plain = _split_plain(text)
    body: list[list[str]] | None = None
    if plain is not None:
        header, grid = plain
        lines: Sequence[int] = range(2, len(grid[0]) + 2)
    else:
        try:
            records, line_count = read_records(text)
        except CsvProblem as exc:
            out.append(error(path, exc.line, 1, "csv-row", exc.message))
            return None
        if not records:
            out.append(error(path, 1, 1, "csv-header", "the file is empty; add a header row"))
            return None
        header, body, grid = records[0], records[1:], []
        # Each record on one physical line (no quoted line breaks): record i is on
        # line i + 1, and nobody has to count lines row by row.
        lines = (range(2, len(records) + 1) if line_count == len(records)
                 else start_lines(text)[1:])
    header = [h.strip() for h in header]
    problem = _header_problem(kind, tuple(header))
    if problem:
        out.append(error(path, 1, 1, "csv-header", problem))
        return None
    return _columns(path, kind, header, body, grid, lines, out)


def _split_plain(text: str) -> tuple[list[str], list[Sequence[str]]] | None:
    """Header and columns of a file with nothing for a CSV parser to interpret.

    Without quotes or carriage returns, and with the same number of commas on
    every line, each line is one row and each comma ends a cell: splitting the
    text (in C) gives exactly what ``csv.reader`` would, without a list per row.
    Any other file (quoted cells, blank lines, ragged rows) returns None and is
    read by ``csv.reader``.
    """
    if '"' in text or "\r" in text or "\0" in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if not body:
        return None
    lines = body.split("\n")
    width = lines[0].count(",") + 1
    if set(map(str.count, lines, repeat(","))) != {width - 1}:
        return None
    first = len(lines[0]) + 1
    cells = body[first:].replace("\n", ",").split(",") if len(lines) > 1 else []
    return lines[0].split(","), [cells[i::width] for i in range(width)]


@lru_cache(maxsize=1024)  # record files of one kind mostly share a header
def _header_problem(kind: str, header: tuple[str, ...]) -> str | None:
    required, optional = CSV_COLUMNS[kind]
    missing = [c for c in required if c not in header]
    extra = OPEN_KINDS.get(kind, optional.__contains__)
    unknown = [c for c in header if c not in required and c not in optional and not extra(c)]
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
    return "; ".join(parts) + f"; the header must be: {','.join(required + optional)}" + (
        ", then one column per question id" if kind in OPEN_KINDS else "")


class Columns:
    """The good rows of a record file, column by column.

    ``columns`` maps every canonical column (absent optional ones filled with
    ``""``) to its cells, all of the same length; ``lines`` holds the physical
    line each row starts on. Columns, not row dicts: checking a column is a set
    of its distinct values, and records are made from columns with ``zip``.
    ``groups``: for an open kind, its rows counted per group (:func:`count_groups`).
    """

    __slots__ = ("columns", "groups", "header", "lines")

    def __init__(self, columns: dict[str, Sequence[str]], lines: Sequence[int],
                 header: tuple[str, ...] = (),
                 groups: Mapping[Group, GroupCounts] | None = None) -> None:
        self.columns = columns
        self.lines = lines
        self.header = header  # as written (open kinds: where each question column is)
        self.groups = groups or {}

    def __len__(self) -> int:
        return len(self.lines)

    def rows(self) -> list[dict[str, str]]:
        """The rows as dicts of column to cell (for tests and small files)."""
        names = list(self.columns)
        return [dict(zip(names, cells, strict=True))
                for cells in zip(*self.columns.values(), strict=True)]


def start_lines(text: str) -> list[int]:
    """The line each record starts on, for a file with line breaks inside quoted cells."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, line = [], 0
    for _ in reader:
        starts.append(line + 1)
        line = reader.line_num
    return starts


def _columns(path: str, kind: str, header: list[str], body: list[list[str]] | None,
             grid: list[Sequence[str]], lines: Sequence[int], out: list[Diagnostic]) -> Columns:
    """Check every column by its distinct values; find the rows only for values that fail.

    A column of one value repeated (the survey of a response file, the session
    of an attendance file) is found so by comparing, without hashing each cell,
    and is kept as that one string repeated: less memory, and less for the
    garbage collector to visit once loading is over.

    ``body`` holds the rows when ``csv.reader`` read them (they may be blank or
    ragged); otherwise ``grid`` already holds the columns.
    """
    width = len(header)
    bad: dict[int, None] = {}  # index of a row that fails, in row order once sorted
    skip: set[int] = set()  # blank lines
    if body is not None:
        if any(n != width for n in set(map(len, body))):
            for i, record in enumerate(body):
                if len(record) != width:
                    if not record or (len(record) == 1 and not record[0].strip()):
                        skip.add(i)
                    else:
                        bad[i] = None
        grid = _transpose(body, width, skip | bad.keys())
    checks = CHECKS[kind]
    for j, (name, cells) in enumerate(zip(header, grid, strict=True)):
        test = checks.get(name, anything)  # open kinds: question columns
        if test is anything:
            continue
        if cells and cells[0] == cells[-1] and cells.count(cells[0]) == len(cells):
            distinct = {cells[0]}
            grid[j] = (cells[0],) * len(cells)  # one string kept, not one a row
        else:
            distinct = set(cells)
        wrong = set() if all_pass(test, distinct) else {v for v in distinct if not test(v)}
        if wrong:
            bad.update(dict.fromkeys(i for i, v in enumerate(cells)
                                     if v in wrong and i not in skip))
    rows = body if body is not None else _RowsOf(grid)
    keep = _report(path, kind, header, rows, lines, sorted(bad), out)
    drop = skip | (bad.keys() - keep)
    if drop:
        kept = [i for i in range(len(lines)) if i not in drop]
        grid = [[cells[i] for i in kept] for cells in grid]
        lines = [lines[i] for i in kept]
    columns = dict(zip(header, grid, strict=True))
    required, optional = CSV_COLUMNS[kind]
    blank = ("",) * len(lines)
    full = {c: columns.get(c, blank) for c in required + optional} | columns
    open_columns = [c for c in header if c not in required and c not in optional]
    return Columns(full, lines, tuple(header), count_groups(kind, full, open_columns, len(lines)))


def count_groups(kind: str, columns: Mapping[str, Sequence[str]], open_columns: Sequence[str],
                 n: int) -> dict[Group, GroupCounts]:
    """An open kind's ``n`` rows per group (:data:`GROUPED_BY`: a response's survey,
    cohort and session), each open column's cells counted; other kinds: none.

    Counted here, while the file's cells are at hand, once: every distinct
    answer is then checked and added up once, not once a row.
    """
    by = GROUPED_BY.get(kind)
    if by is None or not n:
        return {}
    fixed = [columns[c] for c in by]
    if all(cells.count(cells[0]) == n for cells in fixed):  # the importer's files: one group
        group = (fixed[0][0], fixed[1][0], fixed[2][0])
        return {group: GroupCounts(n, {c: Counter(columns[c]) for c in open_columns})}
    # Several groups: number them, so each cell is counted with a small int, not a
    # tuple that would be hashed again for every column.
    keys: list[Group] = list(zip(fixed[0], fixed[1], fixed[2], strict=True))
    number = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    ids = list(map(number.__getitem__, keys))
    cells: list[dict[str, dict[str, int]]] = [{c: {} for c in open_columns} for _ in number]
    for c in open_columns:
        for (i, value), times in Counter(zip(ids, columns[c], strict=True)).items():
            cells[i][c][value] = times
    sizes = Counter(ids)
    return {group: GroupCounts(sizes[i], cells[i]) for group, i in number.items()}


class _RowsOf:
    """Row ``i`` of a grid of columns, for the few rows that need a message."""

    def __init__(self, grid: list[Sequence[str]]) -> None:
        self.grid = grid

    def __getitem__(self, i: int) -> list[str]:
        return [cells[i] for cells in self.grid]


def _transpose(body: list[list[str]], width: int, leave_out: set[int]) -> list[Sequence[str]]:
    """Columns of the rows (blank and wrong-width rows as empty cells, so indexes hold)."""
    if leave_out:
        filler = [""] * width
        body = [filler if i in leave_out else r for i, r in enumerate(body)]
    grid: list[Sequence[str]] = list(zip(*body, strict=True))  # widths made equal above
    return grid if grid else [() for _ in range(width)]


def _report(path: str, kind: str, header: list[str], rows: Sequence[list[str]] | _RowsOf,
            lines: Sequence[int], bad: list[int], out: list[Diagnostic]) -> set[int]:
    """Diagnostics for the failing rows, worded from the schema; rows it accepts after all."""
    accepted: set[int] = set()
    shown = 0
    for i in bad:
        problems = _row_problems(path, kind, header, rows[i], lines[i])
        if not problems:  # the schema accepts what the fast check did not: trust the schema
            accepted.add(i)
            continue
        shown += 1
        if shown > MAX_CSV_ERRORS:
            out.append(error(path, lines[i], 1, "csv-row",
                             f"more than {MAX_CSV_ERRORS} bad rows; fix these first"))
            break
        out.extend(problems)
    return accepted


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
        message = (f"column {column!r}: {schemas.explain(err, ROW_KIND[kind])}" if column
                   else err.message)
        out.append(error(path, line, col, "csv-row", message))
    return out


def attendance_columns(path: str, data: Columns) -> list[Column]:
    """The columns of one attendance file as :class:`AttendanceRecord` fields.

    Conversions are left to :class:`Records`, which makes them when a column
    is first read.
    """
    c, n = data.columns, len(data)
    return [c["session"], c["learner"], c["status"], Converted(c["minutes"], _minutes),
            c["note"], partial(_repeated, path, n), data.lines]


def quiz_result_columns(path: str, data: Columns,
                        moment: Callable[[str], datetime]) -> list[Column]:
    """The columns of one quiz-result file as QuizResult fields; ``moment`` reads a time."""
    c, n = data.columns, len(data)
    return [c["learner"], c["quiz"], Converted(c["score"], float), Converted(c["max"], float),
            Converted(c["submitted_at"], moment), Converted(c["attempt"], int),
            partial(_repeated, path, n), data.lines]


def _repeated(value: str, n: int) -> list[str]:
    return [value] * n


def _minutes(cell: str) -> float | None:
    return float(cell) if cell else None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an academy is gathered or used.

    Loading makes millions of small containers that all stay alive (rows,
    documents, model values, evidence); each collector pass would rescan them
    all (tripling the time of a large check) only to find no garbage.
    Reference counting still frees everything as usual, and the collector
    resumes afterwards. Every stage that makes many such objects uses this one.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def write_csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    """Canonical CSV text (header + rows, LF line ends, CR and LF quoted) for a record file."""
    return csv_text([columns, *([row.get(c, "") for c in columns] for row in rows)])
