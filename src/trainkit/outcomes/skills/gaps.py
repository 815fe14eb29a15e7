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
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from trainkit.model import Academy, Role, RoleRequirement
from trainkit.outcomes.skills.columns import Ints
from trainkit.outcomes.skills.evidence import Held, Holdings, rank_of
from trainkit.outcomes.skills.lazy import Lazy

Bools = npt.NDArray[np.bool_]

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

    Held compactly, as three matrices over learners and competencies (see
    :class:`Summary`): the standing of a requirement depends only on the
    rank it needs and the learner's summary of that competency, so the
    roll-ups, coverage and recommendations count over the matrices, and
    learners are grouped by their roles (``groups``). ``rows()`` gives every
    standing, with the evidence behind it, sorted by learner, for the reports:
    made when a writer first reads them.
    """

    def __init__(self, academy: Academy, holdings: Holdings, day: date,
                 window: timedelta = WINDOW) -> None:
        self.academy, self.holdings, self.day, self.window = academy, holdings, day, window
        ranks = {c: {lvl: rank_of(comp, lvl) for lvl in (None, "", *comp.levels)}
                 for c, comp in academy.competencies.items()}
        self.needs: dict[str, list[Need]] = {}
        for rid, reqs in flattened(academy).items():
            found = [(r, ranks.get(r.competency, {}).get(r.level)) for r in reqs]
            self.needs[rid] = [(r, k) for r, k in found if k is not None]
        self.summary = Summary(holdings, day, day + window)
        self.fields = LearnerFields(academy)
        self.groups = _groups(self.fields)
        self._standings: dict[tuple[str, ...], GroupStandings] = {}
        for roles in self.groups:
            self.standing_of(roles)

    def standing_of(self, roles: tuple[str, ...]) -> GroupStandings:
        """The standings of the learners of ``groups[roles]`` (made once, when first asked)."""
        found = self._standings.get(roles)
        if found is None:
            wanted = sorted({(r.competency, r.level or ""): rank for rid in roles
                             for r, rank in self.needs.get(rid, ())}.items())
            comps = [self.holdings.index.of_competency[c] for (c, _), _ in wanted]
            ranks = np.array([rank for _, rank in wanted], dtype=np.int64)[:, None]
            cells = np.ix_(np.array(comps, dtype=np.int64), self.groups[roles])
            met = self.summary.lasting[cells] >= ranks
            expiring = ~met & (self.summary.valid[cells] >= ranks)
            found = self._standings[roles] = GroupStandings([k for k, _ in wanted], met,
                                                            expiring)
        return found

    def rows(self) -> GapRows:
        """Every standing with the evidence behind it, sorted by learner: made when first read."""
        return GapRows(self)

    def counts(self) -> tuple[int, int, int]:
        """Standings, gaps among them, and learners with a gap (counted over the groups)."""
        rows = gaps = learners = 0
        for roles, members in self.groups.items():
            mine = self.standing_of(roles)
            at = {k: i for i, k in enumerate(mine.keys)}
            lacking = np.zeros(len(members), dtype=bool)
            for rid in roles:
                found = [at[(r.competency, r.level or "")] for r, _ in self.needs.get(rid, ())]
                short = ~(mine.met[found] | mine.expiring[found])
                rows += short.size
                gaps += int(short.sum())
                lacking |= short.any(axis=0)
            learners += int(lacking.sum())
        return rows, gaps, learners


class GapRows(Lazy[Standing]):
    """Every learner with roles against every requirement of each role (``Standing``, with
    the evidence behind it), sorted by learner: made from each learner's evidence the first
    time a writer reads them; ``gaps`` is what they are made of."""

    def __init__(self, gaps: Gaps) -> None:
        self.gaps = gaps
        self._made: list[Standing] | None = None

    def _items(self) -> list[Standing]:
        if self._made is not None:
            return self._made
        g = self.gaps
        out: list[Standing] = []
        learners, held = g.academy.learners, g.holdings.by_learner
        day, soon = g.day, g.day + g.window
        for lid in sorted(learners[lid].id for lid in learners if learners[lid].roles):
            mine = held.get(lid, {})
            for rid in learners[lid].roles:
                for req, rank in g.needs.get(rid, ()):
                    items = mine.get(req.competency)
                    status, h = _status(items, rank, day, soon) if items else (MISSING, None)
                    out.append(Standing(lid, rid, req.competency, req.level or "", rank,
                                        req.weight, req.by, status, h))
        self._made = out
        return out

    def __len__(self) -> int:
        if self._made is not None:
            return len(self._made)
        needs = self.gaps.needs
        return sum(len(members) * sum(len(needs.get(rid, ())) for rid in roles)
                   for roles, members in self.gaps.groups.items())



class Summary:
    """Per competency and learner, the highest rank of: evidence valid beyond the window
    (``lasting``), valid evidence (``valid``), evidence dated by the day (``dated``); -1: none.

    A requirement at rank r is met when lasting >= r, expiring when valid >= r
    (and not met), below when valid >= 0, expired when dated >= r, else
    missing: exactly what :func:`standing` finds one piece at a time. Each
    matrix has a row per competency, a column per learner.
    """

    def __init__(self, holdings: Holdings, day: date, soon: date) -> None:
        index = holdings.index
        size = len(index.learners)
        blocks = [b for b in holdings.blocks if len(b.who)]
        top = max((int(b.rank.max()) for b in blocks), default=0)
        kind = np.int8 if top < 127 else np.int64  # ranks are positions in a list of levels
        self.lasting, self.valid, self.dated = (
            np.full((len(index.competencies), size), -1, dtype=kind) for _ in range(3))
        if not blocks:
            return
        key = np.concatenate([b.comp * size + b.who for b in blocks])
        rank, on, ends = (np.concatenate([getattr(b, f) for b in blocks])
                          for f in ("rank", "on", "ends"))
        dated = on <= day.toordinal()
        valid = dated & (ends > day.toordinal())
        for matrix, counts in ((self.dated, dated), (self.valid, valid),
                               (self.lasting, valid & (ends > soon.toordinal()))):
            np.maximum.at(matrix.reshape(-1), key[counts], rank[counts].astype(kind))

    @cached_property
    def cells(self) -> Ints:
        """The (competency, learner) cells with evidence dated by the day (flat positions)."""
        return np.flatnonzero(self.dated.reshape(-1) >= 0)

    def at_least(self, top: int) -> list[Ints]:
        """Per matrix (lasting, valid, dated): learners per competency (row) with rank >= k
        (column k, 0 <= k < top)."""
        width = len(self.lasting)
        if not width:
            return [np.zeros((0, top), dtype=np.int64)] * 3
        size = self.lasting.shape[1]
        row = self.cells // size * (top + 1)
        out = []
        for matrix in (self.lasting, self.valid, self.dated):
            ranks = matrix.reshape(-1)[self.cells].astype(np.int64) + 1  # 0: none
            count = np.bincount(row + ranks, minlength=width * (top + 1)).reshape(width, -1)
            out.append(np.cumsum(count[:, ::-1], axis=1)[:, ::-1][:, 1:])
        return out



class GroupStandings(NamedTuple):
    """The learners of one group (same roles) against each requirement of their roles."""

    keys: list[tuple[str, str]]  # (competency, level) of each requirement, sorted
    met: Bools  # requirement x learner: held, not expiring within the window
    expiring: Bools  # requirement x learner: held, expiring within the window


class LearnerFields:
    """Fields of every learner (in the learner files' order) that skills group by, each read
    when first asked, with codes per field."""

    def __init__(self, academy: Academy) -> None:
        self._learners = academy.learners.values()
        self._columns: dict[str, list[object]] = {}
        self._codes: dict[str, tuple[list[object], Ints]] = {}

    def column(self, field: str) -> list[object]:
        found = self._columns.get(field)
        if found is None:
            found = self._columns[field] = list(map(attrgetter(field), self._learners))
        return found

    def codes(self, field: str) -> tuple[list[object], Ints]:
        """The distinct values of ``field`` in first-seen order, and each learner's position
        among them."""
        found = self._codes.get(field)
        if found is None:
            values = self.column(field)
            position = {v: i for i, v in enumerate(dict.fromkeys(values))}
            found = self._codes[field] = (list(position), np.fromiter(
                map(position.__getitem__, values), dtype=np.int64, count=len(values)))
        return found


def _groups(fields: LearnerFields) -> dict[tuple[str, ...], Ints]:
    """Learners with roles grouped by their roles: positions in the learner files' order."""
    names, code = fields.codes("roles")
    order = np.argsort(code, kind="stable")
    starts = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1]]) if len(order) \
        else order
    out: dict[tuple[str, ...], Ints] = {}
    for start, part in zip(starts.tolist(), np.split(order, starts[1:]), strict=True):
        roles = names[code[order[start]]]
        if roles:
            out[roles] = part  # type: ignore[index]
    return out


def standings(academy: Academy, holdings: Holdings, day: date,
              window: timedelta = WINDOW) -> list[Standing]:
    """Every learner with roles against every requirement of each role, sorted."""
    return list(Gaps(academy, holdings, day, window).rows())


def weighted_gap(rows: Iterable[Standing]) -> float:
    """Share of the weight of the given requirements that is a gap (0 when there are none)."""
    items = list(rows)
    total = sum(s.weight for s in items)
    return sum(s.weight for s in items if s.gap) / total if total else 0.0
