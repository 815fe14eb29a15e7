"""Standings summed up: per role, organisation and manager, and per competency.

A learner counts once per group and requirement (competency at a level):
when two of their roles need the same thing, the worse standing counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from trainkit.model import Academy
from trainkit.outcomes.skills.evidence import Holdings
from trainkit.outcomes.skills.gaps import EXPIRED, EXPIRING, MET, MISSING, WINDOW, Standing

_WORSE = {MET: 0, EXPIRING: 1, "below": 2, EXPIRED: 3, MISSING: 4}
GROUPINGS = ("role", "organisation", "manager")


class Rollup(NamedTuple):
    grouping: str  # role | organisation | manager
    group: str
    competency: str
    level: str
    people: int  # learners of the group who need it
    met: int  # hold it, not expiring soon
    expiring: int  # hold it, expiring within the window
    gaps: int  # lack it (missing, below or expired)

    def sentence(self, window: timedelta = WINDOW) -> str:
        need = f"{self.competency}: {self.level}" if self.level else self.competency
        who = {"role": "with role", "organisation": "at", "manager": "reporting to"}
        lack = "lacks" if self.gaps == 1 else "lack"
        text = f"{self.gaps} of {self.people} {who[self.grouping]} {self.group} {lack} {need}"
        if self.expiring:
            verb = "expires" if self.expiring == 1 else "expire"
            text += f"; {self.expiring} more {verb} within {window.days} days"
        return text


def _group_of(academy: Academy, s: Standing, grouping: str) -> str:
    if grouping == "role":
        role = academy.roles.get(s.role)
        return role.name if role else s.role
    learner = academy.learners.get(s.learner)
    value = getattr(learner, grouping, None) if learner else None
    return value or "(none)"


def rollups(academy: Academy, standings: Iterable[Standing], grouping: str) -> list[Rollup]:
    worst: dict[tuple[str, str, str, str], str] = {}
    for s in standings:
        key = (_group_of(academy, s, grouping), s.competency, s.required, s.learner)
        old = worst.get(key)
        if old is None or _WORSE[s.status] > _WORSE[old]:
            worst[key] = s.status
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (group, comp, level, _), status in worst.items():
        c = counts[(group, comp, level)]
        c[0] += 1
        c[1 if status == MET else 2 if status == EXPIRING else 3] += 1
    return [Rollup(grouping, g, comp, level, *c)
            for (g, comp, level), c in sorted(counts.items())]


class Coverage(NamedTuple):
    competency: str
    level: str
    holders: int  # learners with valid evidence at this level or above
    expiring: int  # of which all such evidence expires within the window
    lapsed: int  # learners whose evidence at this level or above has all expired
    needed_by: int  # learners whose roles need this level or above


def coverage(academy: Academy, holdings: Holdings, standings: Iterable[Standing], day: date,
             window: timedelta = WINDOW) -> list[Coverage]:
    """Per competency and level, across the whole academy (one pass over the evidence)."""
    needs: dict[tuple[str, int], set[str]] = defaultdict(set)
    for s in standings:
        needs[(s.competency, s.rank)].add(s.learner)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    soon = day + window
    for comps in holdings.by_learner.values():
        for cid, items in comps.items():
            comp = academy.competencies.get(cid)
            for rank in range(len(comp.levels) if comp and comp.levels else 1):
                held = [h for h in items if h.rank >= rank and h.on <= day]
                if not held:
                    continue
                valid = [h for h in held if h.valid_on(day)]
                c = counts[(cid, rank)]
                if not valid:
                    c[2] += 1
                    continue
                c[0] += 1
                if all(h.expires is not None and h.expires <= soon for h in valid):
                    c[1] += 1
    out = []
    for cid, comp in academy.competencies.items():
        for rank, level in enumerate(comp.levels or ("",)):
            needed = set().union(*(people for (c, r), people in needs.items()
                                   if c == cid and r >= rank))
            holders, expiring, lapsed = counts.get((cid, rank), (0, 0, 0))
            out.append(Coverage(cid, level, holders, expiring, lapsed, len(needed)))
    return out
