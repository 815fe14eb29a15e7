"""Skills: role profiles, external competency evidence and enrollment overrides.

What a learner *holds* is computed (``outcomes.skills``); what is declared
lives here: the competencies a role needs, evidence recorded from outside
the academy, and the reason a learner was let into a cohort without its
prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from trainkit.model.common import Loc


@dataclass(frozen=True, slots=True)
class RoleRequirement:
    """One competency a role needs, at a level, with a weight; optionally by a date."""

    competency: str
    level: str | None  # None: the competency has no levels
    weight: float
    by: date | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    description: str
    extends: tuple[str, ...]
    requirements: tuple[RoleRequirement, ...]  # its own, not those it extends
    loc: Loc
    extends_locs: tuple[Loc, ...] = ()  # where each ``extends`` entry is written


class Evidence(NamedTuple):
    """One row of ``records/evidence/*.csv``: a competency level held, from outside.

    A named tuple like the other record rows; ``loc`` is made on demand.
    """

    learner: str
    competency: str
    level: str  # "" when the competency has no levels
    on: date
    expires: date | None
    source: str
    assessor: str
    note: str
    path: str
    line: int

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, 1)


@dataclass(frozen=True, slots=True)
class Override:
    """Why a learner holds a seat without the program's prerequisites."""

    reason: str
    loc: Loc
