"""Each learner's standing against what their roles need.

A role's requirements are its own plus those of the roles it ``extends``
(transitively; a competency the role lists itself takes its own level,
weight and date). For each learner, role and requirement, the standing on a
day is one of:

* ``met``: valid evidence at the required level or above;
* ``expiring``: met, but every such piece of evidence expires within the
  window (90 days unless the caller says otherwise);
* ``expired``: evidence at the level existed but has expired;
* ``below``: valid evidence, but only at a lower level;
* ``missing``: no evidence of the competency at all.

The last three are gaps. The weighted gap of a learner for a role is the sum
of the weights of its gaps, over the sum of all its weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from trainkit.load.records import collector_paused
from trainkit.model import Academy, Role, RoleRequirement
from trainkit.outcomes.skills.evidence import Held, Holdings, rank_of

MET, EXPIRING, EXPIRED, BELOW, MISSING = "met", "expiring", "expired", "below", "missing"
GAP_STATUSES = frozenset({EXPIRED, BELOW, MISSING})
WINDOW = timedelta(days=90)


class Standing(NamedTuple):
    """One learner against one requirement of one role, on a day."""

    learner: str
    role: str
    competency: str
    required: str  # level ("" without levels)
    rank: int
    weight: float
    by: date | None
    status: str
    held: Held | None  # the evidence that meets it, or the best there is, or the expired one

    @property
    def gap(self) -> bool:
        return self.status in GAP_STATUSES


def requirements(academy: Academy, role_id: str) -> list[RoleRequirement]:
    """A role's requirements and those of the roles it extends (unknown ones and cycles skipped)."""
    found: dict[str, RoleRequirement] = {}
    seen: set[str] = set()

    def visit(rid: str) -> None:
        role = academy.roles.get(rid)
        if role is None or rid in seen:
            return
        seen.add(rid)
        for parent in role.extends:
            visit(parent)
        for r in role.requirements:
            found[r.competency] = r  # the extending role's own entry wins
    visit(role_id)
    return sorted(found.values(), key=lambda r: r.competency)


def flattened(academy: Academy) -> dict[str, list[RoleRequirement]]:
    return {rid: requirements(academy, rid) for rid in academy.roles}


def standing(holdings: Holdings, learner: str, role: Role | str, req: RoleRequirement,
             rank: int, day: date, window: timedelta = WINDOW) -> Standing:
    rid = role if isinstance(role, str) else role.id
    best = holdings.best(learner, req.competency, rank, day)
    base = (learner, rid, req.competency, req.level or "", rank, req.weight, req.by)
    if best is not None:
        soon = best.expires is not None and best.expires <= day + window
        return Standing(*base, EXPIRING if soon else MET, best)
    held = holdings.of(learner, req.competency)
    valid = [h for h in held if h.valid_on(day)]
    if valid:
        return Standing(*base, BELOW, max(valid, key=lambda h: (h.rank, h.on)))
    lapsed = [h for h in held if h.rank >= rank and h.on <= day]
    if lapsed:
        return Standing(*base, EXPIRED, max(lapsed, key=lambda h: (h.expires or h.on, h.on)))
    return Standing(*base, MISSING, None)


Need = tuple[RoleRequirement, int]  # a requirement and the rank of its level
# role, the standing's fields from role to date, and the rank required
_Plan = tuple[str, tuple[str, str, str, int, float, date | None], int]


def _status(items: Sequence[Held], rank: int, day: date, soon: date) -> tuple[str, Held | None]:
    """``standing`` for one learner's evidence of the competency (``items``, not empty)."""
    best: Held | None = None
    best_key: tuple[date, date, int] | None = None
    for h in items:  # the first of the longest-lasting valid evidence at the rank or above
        if h.rank >= rank and h.on <= day and (h.expires is None or day < h.expires):
            key = (h.expires or date.max, h.on, h.rank)
            if best_key is None or key > best_key:
                best, best_key = h, key
    if best is not None:
        return (EXPIRING if best.expires is not None and best.expires <= soon else MET), best
    valid = [h for h in items if h.valid_on(day)]
    if valid:
        return BELOW, max(valid, key=lambda h: (h.rank, h.on))
    lapsed = [h for h in items if h.rank >= rank and h.on <= day]
    if lapsed:
        return EXPIRED, max(lapsed, key=lambda h: (h.expires or h.on, h.on))
    return MISSING, None


class Gaps:
    """Every learner with roles against every requirement of each of their roles.

    Held compactly, because an academy has far more requirements than
    evidence: learners are grouped by their roles, and a standing is worked
    out only where the learner has some evidence of the competency
    (``exceptions``); every other requirement is ``missing``. ``rows()``
    makes every standing, sorted by learner, for the reports.
    """

    def __init__(self, academy: Academy, holdings: Holdings, day: date,
                 window: timedelta = WINDOW) -> None:
        self.academy, self.day, self.window = academy, day, window
        ranks = {c: {lvl: rank_of(comp, lvl) for lvl in (None, "", *comp.levels)}
                 for c, comp in academy.competencies.items()}
        self.needs: dict[str, list[Need]] = {}
        for rid, reqs in flattened(academy).items():
            found = [(r, ranks.get(r.competency, {}).get(r.level)) for r in reqs]
            self.needs[rid] = [(r, k) for r, k in found if k is not None]
        self.by_roles: dict[tuple[str, ...], list[str]] = {}
        self.exceptions: dict[str, dict[tuple[str, str], Standing]] = {}
        with collector_paused():
            self._group(holdings)

    def _group(self, holdings: Holdings) -> None:
        held, learners = holdings.by_learner, self.academy.learners
        plans: dict[tuple[str, ...], dict[str, list[_Plan]]] = {}
        for lid, learner in sorted(learners.items()):  # ids are unique: sorted by id
            roles = learner.roles
            if not roles:
                continue
            group = self.by_roles.get(roles)
            if group is None:
                group = self.by_roles[roles] = []
                plans[roles] = self._plan(roles)
            group.append(lid)
            mine = held.get(lid)
            if mine and not plans[roles].keys().isdisjoint(mine):
                self._exceptions(lid, plans[roles], mine)

    def _plan(self, roles: tuple[str, ...]) -> dict[str, list[_Plan]]:
        """Per competency: what the roles need of it, as the fields of a standing."""
        plan: dict[str, list[_Plan]] = {}
        for rid in roles:
            for req, rank in self.needs.get(rid, ()):
                base = (rid, req.competency, req.level or "", rank, req.weight, req.by)
                plan.setdefault(req.competency, []).append((rid, base, rank))
        return plan

    def _exceptions(self, lid: str, plan: dict[str, list[_Plan]],
                    mine: dict[str, list[Held]]) -> None:
        found: dict[tuple[str, str], Standing] = {}
        day, soon = self.day, self.day + self.window
        for comp, items in mine.items():
            for rid, base, rank in plan.get(comp, ()):
                status, h = _status(items, rank, day, soon)
                found[(rid, comp)] = Standing(lid, *base, status, h)
        if found:
            self.exceptions[lid] = found

    def rows(self) -> list[Standing]:
        out: list[Standing] = []
        learners = self.academy.learners
        for lid in sorted(lid for group in self.by_roles.values() for lid in group):
            known = self.exceptions.get(lid, {})
            for rid in learners[lid].roles:
                for req, rank in self.needs.get(rid, ()):
                    s = known.get((rid, req.competency))
                    out.append(s if s is not None else Standing(
                        lid, rid, req.competency, req.level or "", rank, req.weight, req.by,
                        MISSING, None))
        return out


def standings(academy: Academy, holdings: Holdings, day: date,
              window: timedelta = WINDOW) -> list[Standing]:
    """Every learner with roles against every requirement of each role, sorted."""
    return Gaps(academy, holdings, day, window).rows()


def weighted_gap(rows: Iterable[Standing]) -> float:
    """Share of the weight of the given requirements that is a gap (0 when there are none)."""
    items = list(rows)
    total = sum(s.weight for s in items)
    return sum(s.weight for s in items if s.gap) / total if total else 0.0
