"""Programs (session plan, completion rules, certificate) and their cohorts and sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from trainkit.model.assessments import Assessment
from trainkit.model.commerce import Price
from trainkit.model.common import Loc
from trainkit.model.costs import Cost
from trainkit.model.settings import CompetencyRef, Registration
from trainkit.model.skills import Override

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
    assessments: tuple[str, ...] = ()  # "<program>/<id>" of the assessments to pass

    @property
    def graded(self) -> bool:
        """Whether completion reads results (quizzes, courses, groups, assessments)."""
        return bool(self.quizzes or self.courses or self.groups or self.assessments)


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
    # the competency prerequisites with their level and position ({id, level} or an id)
    levels: tuple[CompetencyRef, ...] = ()


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
    reminders: tuple[timedelta, ...] | None = None  # None: the academy's reminder windows
    registration: Registration = field(default_factory=Registration)  # merged with the academy's
    # planning preferences (``planning:``): instructors to choose first, and last
    preferred_instructors: tuple[str, ...] = ()
    avoided_instructors: tuple[str, ...] = ()
    awards: tuple[CompetencyRef, ...] = ()  # competency levels completing it is evidence of
    assessments: tuple[Assessment, ...] = ()  # practical assessments it declares
    price: Price | None = None  # what a seat or a closed cohort costs; None: not on sale
    materials: Cost | None = None  # materials per learner (private)
    surveys: tuple[str, ...] = ()  # feedback surveys learners are asked (ids)
    survey_locs: tuple[Loc, ...] = field(default=(), compare=False)  # where each is named

    def assessment(self, ident: str) -> Assessment | None:
        return next((a for a in self.assessments if a.id == ident), None)

    def template(self, template_id: str) -> SessionTemplate | None:
        return next((t for t in self.plan if t.id == template_id), None)


# ---------------------------------------------------------------- cohorts and sessions


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """An assignment left for ``trainkit plan``: ``auto`` (no candidates) or a candidate list."""

    candidates: tuple[str, ...]  # empty: anyone who fits
    loc: Loc  # where ``auto`` or the candidate list is written
    accessible: bool = False  # rooms: only step-free ones


@dataclass(frozen=True, slots=True)
class Enrollment:
    learner: str
    status: str  # enrolled | waitlisted | withdrawn | completed-elsewhere
    enrolled_on: date | None
    loc: Loc
    reason: str = ""
    override: Override | None = None  # admitted without the prerequisites, and why


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
    # The start and end as POSIX timestamps, worked out once: rules order and compare
    # tens of thousands of sessions by instant, and aware datetimes of other zones
    # compare only after asking each zone its offset, again at every comparison.
    start_ts: float = field(init=False, repr=False, compare=False)
    end_ts: float = field(init=False, repr=False, compare=False)
    key: str = field(init=False, repr=False, compare=False)  # ``<cohort>/<session>``

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_ts", self.start.timestamp())
        object.__setattr__(self, "end_ts", self.end.timestamp())
        # the academy-wide session id, asked for a hundred thousand times a build
        object.__setattr__(self, "key", f"{self.cohort}/{self.id}")

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def duration(self) -> timedelta:
        # Elapsed time: subtracting two datetimes of the same zone would give the
        # wall-clock difference, an hour off for a session across a clock change.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


def start_instant(s: Session) -> datetime:
    """A sort key ordering sessions as their starts do: the start in UTC. Starts in many
    zones compare only after asking each zone its offset, again at every comparison;
    in one zone they compare as plain fields (a tenth of the time for 20,000 sessions)."""
    return s.start.astimezone(UTC)


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
    registration: Registration = field(default_factory=Registration)  # merged, all levels
    # assignments left open for ``trainkit plan`` (``lead: auto``, ``room: auto``)
    open_lead: OpenSlot | None = None
    open_room: OpenSlot | None = None
    price: Price | None = None  # the program's price with this cohort's overrides
    materials: Cost | None = None  # per learner: the cohort's, else the program's (private)
    costs: tuple[Cost, ...] = ()  # other costs of delivering it (private)

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
