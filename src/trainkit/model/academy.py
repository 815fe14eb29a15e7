"""The whole, resolved academy: every part of the model, keyed by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from trainkit.model.assessments import Assessment, AssessmentResult
from trainkit.model.commerce import Organisation
from trainkit.model.common import Loc
from trainkit.model.courses import Course, Quiz
from trainkit.model.invoicing import IssuedDocument, Payment
from trainkit.model.orders import InvoiceSettings, LedgerSeats, Order
from trainkit.model.people import Instructor, Learner, Venue
from trainkit.model.programs import Cohort, Program, Session, start_instant
from trainkit.model.records import Answer, AttendanceRecord, QuizResult, Revocation
from trainkit.model.settings import Competency, Settings
from trainkit.model.skills import Evidence, Role
from trainkit.model.surveys import ResponseFile, Survey

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
    roles: dict[str, Role] = field(default_factory=dict)
    evidence: Sequence[Evidence] = ()  # records/evidence/*.csv, in file and row order
    # records/assessments/*.csv, in file and row order
    assessment_results: Sequence[AssessmentResult] = ()
    organisations: dict[str, Organisation] = field(default_factory=dict)  # private clients
    # Invoicing (private): records/orders/*.yaml, records/invoices.yaml, trainkit.yaml
    orders: dict[str, Order] = field(default_factory=dict)
    ledger: tuple[IssuedDocument, ...] = ()  # invoices and credit notes, in the order issued
    ledger_seats: dict[str, LedgerSeats] = field(default_factory=dict)  # by number
    invoicing: InvoiceSettings | None = None
    # records/payments/*.csv: private, read by the finance and client reports only
    payments: tuple[Payment, ...] = ()
    answers: Sequence[Answer] = ()  # records/answers/*.csv: Records, or any sequence of rows
    surveys: dict[str, Survey] = field(default_factory=dict)  # surveys/<id>.yaml
    # records/surveys/*.csv, in path order (private: never published)
    survey_responses: Sequence[ResponseFile] = ()

    @cached_property
    def learner_positions(self) -> dict[str, int]:
        """Each learner's position in ``learners`` (the order of their ids), made once;
        the resolver makes it while loading, so the stages after it share one index."""
        return dict(zip(self.learners, range(len(self.learners)), strict=True))

    def assessment(self, key: str) -> Assessment | None:
        """The assessment named ``<program>/<id>``, if declared."""
        program_id, _, ident = key.partition("/")
        program = self.programs.get(program_id)
        return program.assessment(ident) if program else None

    def sessions(self) -> list[Session]:
        """Every session of every cohort, ordered by start then key."""
        out = [s for c in self.cohorts.values() for s in c.sessions]
        out.sort(key=lambda s: (start_instant(s), s.key))
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
