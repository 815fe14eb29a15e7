"""The academy as one immutable, fully resolved model.

Everything here is plain data: no I/O, no logging. The loader and resolver
build it once; rules and writers only read it. Times are timezone-aware
``datetime`` values (local wall time in the session's IANA zone), so
comparisons between zones and across daylight-saving changes are correct.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, NamedTuple, TypeVar, overload


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a thing is declared: repository-relative path, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1


# ---------------------------------------------------------------- academy


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    country: str
    subdivision: str | None = None
    # where the calendar is named (for diagnostics); not part of its identity
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Blackout:
    start: date
    end: date  # inclusive
    reason: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class SiteSettings:
    title: str
    logo: str | None = None
    favicon: str | None = None
    primary_color: str = "indigo"
    accent_color: str = "indigo"
    nav: tuple[str, ...] = ()
    featured: tuple[str, ...] = ()
    extra_dir: str = "site-extra"  # authors' own pages and overrides
    repo_url: str | None = None


@dataclass(frozen=True, slots=True)
class FeedSettings:
    refresh: timedelta = timedelta(hours=6)
    require_secret: bool = False
    secret_env: str = "TRAINKIT_FEED_SECRET"


@dataclass(frozen=True, slots=True)
class CertificateSettings:
    issuer_name: str
    issuer_url: str
    issuer_email: str | None = None
    show_name_on_verification: bool = False
    signatory: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    id: str
    name: str
    base_url: str  # always ends with "/"
    timezone: str
    locale: str
    holidays: tuple[HolidayCalendar, ...]
    blackouts: tuple[Blackout, ...]
    site: SiteSettings
    feeds: FeedSettings
    certificates: CertificateSettings
    description: str = ""
    contact_email: str | None = None
    loc: Loc = field(default_factory=lambda: Loc("trainkit.yaml"))
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics


# ---------------------------------------------------------------- competencies


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    name: str
    description: str
    levels: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class CompetencyRef:
    id: str
    level: str | None
    loc: Loc


# ---------------------------------------------------------------- people and places


@dataclass(frozen=True, slots=True)
class Qualification:
    id: str
    expires: date | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Unavailability:
    start: datetime  # aware
    end: datetime  # aware, exclusive
    reason: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Instructor:
    id: str
    name: str
    email: str
    bio: str
    timezone: str
    qualifications: tuple[Qualification, ...]
    unavailable: tuple[Unavailability, ...]
    max_hours_per_week: float | None
    loc: Loc
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics


@dataclass(frozen=True, slots=True)
class Learner:
    id: str
    name: str
    email: str
    organisation: str | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    capacity: int
    accessible: bool
    loc: Loc


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    postcode: str
    country: str  # ISO 3166-1 alpha-2
    subdivision: str | None = None
    loc: Loc | None = None  # where the country (or subdivision) is written, for diagnostics


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    name: str
    address: Address
    timezone: str
    rooms: tuple[Room, ...]
    directions: str
    map_url: str | None
    latitude: float | None
    longitude: float | None
    loc: Loc
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms if r.id == room_id), None)


# ---------------------------------------------------------------- programs


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    id: str
    title: str
    duration: timedelta
    mandatory: bool
    agenda: tuple[str, ...]
    preparation: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class QuizRequirement:
    quiz: str  # "<course>/<quiz>"
    pass_mark: float  # percent
    policy: str  # best | last | first
    loc: Loc


@dataclass(frozen=True, slots=True)
class RequirementGroup:
    """``all_of`` / ``any_of`` a list of named requirements (quizzes or courses)."""

    mode: str  # all | any
    quizzes: tuple[QuizRequirement, ...]
    courses: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class CompletionRules:
    min_attendance_share: float | None  # 0..1
    min_attendance_sessions: int | None
    late_weight: float
    excused_weight: float
    present_threshold: float  # share of minutes that makes an import "present"
    mandatory_sessions: tuple[str, ...]  # template ids, plan flags included
    makeups: bool
    quizzes: tuple[QuizRequirement, ...]
    courses: tuple[str, ...]
    groups: tuple[RequirementGroup, ...]
    loc: Loc

    @property
    def graded(self) -> bool:
        """Whether completion reads quiz results (quizzes, courses or groups of them)."""
        return bool(self.quizzes or self.courses or self.groups)


@dataclass(frozen=True, slots=True)
class CertificatePolicy:
    title: str
    validity_months: int | None  # None: never expires
    loc: Loc


@dataclass(frozen=True, slots=True)
class Prerequisites:
    programs: tuple[str, ...]
    courses: tuple[str, ...]
    competencies: tuple[str, ...]
    text: str
    loc: Loc = Loc("")  # the ``prerequisites:`` mapping


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    title: str
    summary: str
    description: str
    delivery: str  # in-person | virtual | blended
    capacity: int
    qualification: str  # what an instructor must hold to teach it
    plan: tuple[SessionTemplate, ...]
    completion: CompletionRules
    certificate: CertificatePolicy | None
    competencies: tuple[CompetencyRef, ...]
    prerequisites: Prerequisites
    tags: tuple[str, ...]
    loc: Loc

    def template(self, template_id: str) -> SessionTemplate | None:
        return next((t for t in self.plan if t.id == template_id), None)


# ---------------------------------------------------------------- cohorts and sessions


@dataclass(frozen=True, slots=True)
class Enrollment:
    learner: str
    status: str  # enrolled | waitlisted | withdrawn | completed-elsewhere
    enrolled_on: date | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Session:
    id: str  # unique within the cohort
    cohort: str
    program: str
    template: str | None
    title: str
    start: datetime  # aware, in ``timezone``
    end: datetime  # aware
    timezone: str
    instructors: tuple[str, ...]
    venue: str | None
    room: str | None
    online_url: str | None  # private: only in personal feeds and reports
    online: bool
    status: str  # scheduled | cancelled
    reason: str
    mandatory: bool
    agenda: tuple[str, ...]
    preparation: str
    generated: bool  # came from a recurrence
    loc: Loc
    end_given: bool = False  # the end is a written wall time (not start + duration)

    @property
    def key(self) -> str:
        """Academy-wide session id: ``<cohort>/<session>``."""
        return f"{self.cohort}/{self.id}"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def duration(self) -> timedelta:
        # Elapsed time: subtracting two datetimes of the same zone would give the
        # wall-clock difference, an hour off for a session across a clock change.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """How generated sessions were described (kept for diagnostics)."""

    frequency: str
    interval: int
    days: tuple[str, ...]
    start_date: date
    count: int | None
    until: date | None
    skip_holidays: bool
    skip_blackouts: bool
    loc: Loc


@dataclass(frozen=True, slots=True)
class Cohort:
    id: str
    program: str
    title: str
    timezone: str
    venue: str | None
    room: str | None
    online_url: str | None
    lead_instructors: tuple[str, ...]
    assistant_instructors: tuple[str, ...]
    capacity: int
    status: str  # open | closed | cancelled
    enrollments: tuple[Enrollment, ...]
    sessions: tuple[Session, ...]
    recurrence: Recurrence | None
    notes: str
    loc: Loc
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics
    # Where references are written, for diagnostics: "venue", "room",
    # "instructors.lead[0]", "instructors.assistants[1]" ...
    ref_locs: dict[str, Loc] = field(default_factory=dict, compare=False)

    @property
    def instructors(self) -> tuple[str, ...]:
        return self.lead_instructors + tuple(
            i for i in self.assistant_instructors if i not in self.lead_instructors
        )

    def active_enrollments(self) -> tuple[Enrollment, ...]:
        return tuple(e for e in self.enrollments if e.status == "enrolled")

    def waitlist(self) -> tuple[Enrollment, ...]:
        return tuple(e for e in self.enrollments if e.status == "waitlisted")

    @property
    def start(self) -> datetime | None:
        return min((s.start for s in self.sessions), default=None)

    @property
    def end(self) -> datetime | None:
        return max((s.end for s in self.sessions), default=None)


# ---------------------------------------------------------------- self-paced courses


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str  # single | multiple | true-false | numeric | text
    prompt: str
    choices: tuple[Choice, ...]
    answer_bool: bool | None
    answer_number: float | None
    tolerance: float
    answers_text: tuple[str, ...]
    explanation: str
    points: float
    loc: Loc


@dataclass(frozen=True, slots=True)
class Quiz:
    id: str  # "<course>/<quiz>"
    course: str
    slug: str
    title: str
    mode: str  # practice | graded
    pass_mark: float  # percent
    attempts: int | None  # None: unlimited
    after_module: str | None
    questions: tuple[Question, ...]
    loc: Loc

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    title: str
    file: str  # repository-relative path of the Markdown
    markdown: str
    minutes: int
    loc: Loc
    found: bool = True  # False: ``file`` names no Markdown file of the course
    file_loc: Loc | None = None  # where ``file`` is written


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    summary: str
    modules: tuple[Module, ...]
    quizzes: tuple[Quiz, ...]
    prerequisites: Prerequisites
    competencies: tuple[CompetencyRef, ...]
    assets: tuple[str, ...]  # repository-relative files next to the modules (images …)
    declared_quizzes: tuple[str, ...]  # the quiz ids course.yaml lists (for the reference rule)
    loc: Loc

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


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


# Fields of the record tuples that say where a row is written, not what it says.
RECORD_LOCATION_FIELDS = frozenset({"path", "line"})

Row = TypeVar("Row", AttendanceRecord, QuizResult)
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


# ---------------------------------------------------------------- the whole


@dataclass(frozen=True)
class Academy:
    """The whole, resolved academy. Mappings are keyed by id and sorted."""

    root: str  # absolute path of the folder holding trainkit.yaml
    settings: Settings
    competencies: dict[str, Competency]
    programs: dict[str, Program]
    cohorts: dict[str, Cohort]
    instructors: dict[str, Instructor]
    learners: dict[str, Learner]
    venues: dict[str, Venue]
    courses: dict[str, Course]
    attendance: Sequence[AttendanceRecord]  # Records, or any sequence of rows
    quiz_results: Sequence[QuizResult]
    revocations: tuple[Revocation, ...]
    # (kind, id, first declaration, repeated declaration) for the duplicate-id rule
    duplicates: tuple[tuple[str, str, Loc, Loc], ...] = ()
    # "kind:id" of things whose file exists but could not be used (a syntax or
    # schema error already reported there): references to them are not
    # reported again as unknown. "learner:*" when a learner file was unreadable.
    unusable: frozenset[str] = frozenset()

    def sessions(self) -> list[Session]:
        """Every session of every cohort, ordered by start then key."""
        out = [s for c in self.cohorts.values() for s in c.sessions]
        out.sort(key=lambda s: (s.start, s.key))
        return out

    def session(self, key: str) -> Session | None:
        cohort_id, _, session_id = key.partition("/")
        cohort = self.cohorts.get(cohort_id)
        if cohort is None:
            return None
        return next((s for s in cohort.sessions if s.id == session_id), None)

    def cohorts_of(self, program_id: str) -> list[Cohort]:
        return [c for c in self.cohorts.values() if c.program == program_id]

    def quizzes(self) -> dict[str, Quiz]:
        return {q.id: q for c in self.courses.values() for q in c.quizzes}
