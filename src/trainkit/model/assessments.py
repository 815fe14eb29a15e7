"""Practical assessments: what a program observes (criteria, rubric) and the results recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from trainkit.model.common import Loc
from trainkit.model.settings import CompetencyRef


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing the assessor observes; a critical one must reach a passing level."""

    id: str
    title: str
    critical: bool
    loc: Loc


@dataclass(frozen=True, slots=True)
class Assessment:
    """A practical assessment a program declares (``assessments:`` in program.yaml)."""

    program: str
    id: str
    title: str
    session: str  # session-plan template id it happens in
    qualification: str  # what an assessor must hold
    levels: tuple[str, ...]  # rubric levels, lowest first
    passing: tuple[str, ...]  # the levels that pass
    criteria: tuple[Criterion, ...]
    attempts: int  # attempts allowed, resits included
    loc: Loc
    awards: tuple[CompetencyRef, ...] = ()  # competency levels a pass evidences

    @property
    def key(self) -> str:
        """``<program>/<id>``, as results name it."""
        return f"{self.program}/{self.id}"

    def criterion(self, ident: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == ident), None)


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """One row of ``records/assessments/*.csv``: one attempt of one learner."""

    learner: str
    assessment: str  # "<program>/<id>"
    attempt: int
    on: date
    assessor: str  # instructor id
    results: tuple[tuple[str, str], ...]  # (criterion, level) in the order written
    overall: str  # pass | fail
    evidence: str
    note: str
    path: str
    line: int

    def loc(self, column: str = "learner") -> Loc:
        """Where the row (or one of its cells, in canonical column order) is written."""
        return Loc(self.path, self.line, ASSESSMENT_COLUMNS.index(column) + 1)


ASSESSMENT_COLUMNS = ("learner", "assessment", "attempt", "date", "assessor", "results",
                      "overall", "evidence", "note")
