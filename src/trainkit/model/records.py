"""Records: attendance, quiz results and answers (held as column tables), revocations.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple, TypeVar, overload

from trainkit.model.common import Loc
from trainkit.model.skills import Evidence

# ---------------------------------------------------------------- records


class AttendanceRecord(NamedTuple):
    """One row of an attendance file.

    A named tuple, not a dataclass: an academy holds hundreds of thousands of
    these, and a tuple is built in C (``records_io`` builds them column by
    column). Where the row is written is kept as ``path`` and ``line``; ``loc``
    makes the :class:`Loc` only when a diagnostic needs it.
    """

    session: str  # "<cohort>/<session>"
    learner: str
    status: str  # present | late | excused | absent
    minutes: float | None
    note: str
    path: str
    line: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, 1)


class QuizResult(NamedTuple):
    """One row of a quiz-result file (a named tuple for the reason given above)."""

    learner: str
    quiz: str  # "<course>/<quiz>"
    score: float
    maximum: float
    submitted_at: datetime  # aware
    attempt: int
    path: str
    line: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, 1)


class Answer(NamedTuple):
    """One row of an answers file: the points one learner scored on one question of one
    attempt (a named tuple for the reason given above)."""

    learner: str
    quiz: str  # "<course>/<quiz>"
    attempt: int
    question: str  # the question's id in the quiz file
    score: float
    answer: str  # as given; may be empty
    path: str
    line: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, 1)


ANSWER_COLUMNS = ("learner", "quiz", "attempt", "question", "score", "answer")

# Fields of the record tuples that say where a row is written, not what it says.
RECORD_LOCATION_FIELDS = frozenset({"path", "line"})

Row = TypeVar("Row", AttendanceRecord, QuizResult, Answer, Evidence)
# A column of one file: its cells, or a function that makes them when first read.
Column = Sequence[Any] | Callable[[], Sequence[Any]]


class Converted:
    """A column of text cells converted when read (``convert`` runs once per distinct cell)."""

    __slots__ = ("cells", "convert")

    def __init__(self, cells: Sequence[str], convert: Callable[[str], Any]) -> None:
        self.cells, self.convert = cells, convert

    def __call__(self) -> list[Any]:
        return self.at(None)

    def at(self, rows: Sequence[int] | None) -> list[Any]:
        """The converted cells of the given rows (all rows: None)."""
        cells = self.cells if rows is None else list(map(self.cells.__getitem__, rows))
        table = {v: self.convert(v) for v in set(cells)}
        return list(map(table.__getitem__, cells))


class Records(Sequence[Row]):
    """The rows of the record files of one kind, held column by column.

    Records are read column by column (a file is split into columns and each
    column checked by its distinct values) and evaluated column by column (who
    had which status at which session), so they are kept that way: per file,
    one column per field of ``kind``. A column is joined across files, and
    converted if it was given as a function (numbers, times), the first time
    it is read, so work nobody needs is never done: evaluation reads three of
    the seven attendance fields. It is still a sequence of ``kind`` tuples for
    code that reads rows; those are made, in C, the first time a row is asked
    for, and kept.
    """

    __slots__ = ("_joined", "_parts", "_rows", "_sizes", "kind")

    def __init__(self, kind: type[Row], columns: Sequence[Column]) -> None:
        self._setup(kind, [columns])

    def _setup(self, kind: type[Row], parts: list[Sequence[Column]]) -> None:
        for part in parts:
            if len(part) != len(kind._fields):
                raise ValueError(f"{kind.__name__} has {len(kind._fields)} fields, "
                                 f"not {len(part)}")
        self.kind: type[Row] = kind
        self._parts = parts
        self._joined: dict[int, Sequence[Any]] = {}
        self._rows: tuple[Row, ...] | None = None
        self._sizes = list(map(_part_length, parts))  # rows in each file

    @classmethod
    def of(cls, kind: type[Row], rows: Iterable[Row]) -> Records[Row]:
        """A table of rows given one by one."""
        rows = tuple(rows)
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else []
        return cls(kind, columns or [[] for _ in kind._fields])

    @classmethod
    def joined(cls, kind: type[Row], parts: Iterable[Sequence[Column]]) -> Records[Row]:
        """One table of the columns of several files, in order (each part: a file's columns)."""
        table = cls.__new__(cls)
        table._setup(kind, list(parts))
        return table

    def column(self, name: str) -> Sequence[Any]:
        """The cells of one field, in row order."""
        i = self.kind._fields.index(name)
        cells = self._joined.get(i)
        if cells is None:
            chunks = [c() if callable(c) else c for c in (part[i] for part in self._parts)]
            if len(chunks) == 1:
                cells = chunks[0]
            else:
                joined: list[Any] = []
                for chunk in chunks:
                    joined += chunk
                cells = joined
            if len(cells) != len(self):
                raise ValueError(f"column {name!r} has {len(cells)} cells, not {len(self)}")
            self._joined[i] = cells
        return cells

    def cells(self, name: str, rows: Sequence[int]) -> list[Any]:
        """The cells of one field at ``rows`` (ascending row numbers), converting only those."""
        i = self.kind._fields.index(name)
        joined = self._joined.get(i)
        if joined is not None:
            return list(map(joined.__getitem__, rows))
        out: list[Any] = []
        start = 0
        for part, size in zip(self._parts, self._sizes, strict=True):
            lo, hi = bisect_left(rows, start), bisect_left(rows, start + size)
            if hi > lo:
                local = [r - start for r in rows[lo:hi]] if start else rows[lo:hi]
                column = part[i]
                if isinstance(column, Converted):
                    out += column.at(local)
                else:
                    made = column() if callable(column) else column
                    out += map(made.__getitem__, local)
            start += size
        return out

    def rows(self) -> tuple[Row, ...]:
        if self._rows is None:
            make = partial(tuple.__new__, self.kind)
            columns = [self.column(name) for name in self.kind._fields]
            self._rows = tuple(map(make, zip(*columns, strict=True)))
        return self._rows

    def __len__(self) -> int:
        return sum(self._sizes)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())

    @overload
    def __getitem__(self, i: int) -> Row: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Row, ...]: ...

    def __getitem__(self, i: int | slice) -> Row | tuple[Row, ...]:
        return self.rows()[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self.kind is other.kind and len(self) == len(other) and all(
                list(self.column(n)) == list(other.column(n)) for n in self.kind._fields)
        if isinstance(other, Sequence):
            return self.rows() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __repr__(self) -> str:
        return f"Records({self.kind.__name__}, {len(self)} rows)"


def _part_length(columns: Sequence[Column]) -> int:
    """Rows in one file's columns (measured on a column that is already made, if any)."""
    made = next((c for c in columns if not callable(c)), None)
    return len(made if made is not None else columns[0]())  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class Revocation:
    certificate: str
    revoked_on: date
    reason: str
    loc: Loc
