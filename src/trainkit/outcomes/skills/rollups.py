"""Standings summed up: per role, organisation and manager, and per competency.

A learner counts once per group and requirement (competency at a level):
when two of their roles need the same thing, the worse standing counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np

from trainkit.model import Academy
from trainkit.outcomes.skills.evidence import Holdings
from trainkit.outcomes.skills.gaps import WINDOW, Gaps

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


def _role_name(academy: Academy, rid: str) -> str:
    role = academy.roles.get(rid)
    return role.name if role else rid


def rollups(academy: Academy, gaps: Gaps, grouping: str) -> list[Rollup]:
    """Counts per group and requirement (competency at a level), sorted.

    Counted over whole columns: per group of learners with the same roles
    and per requirement, the learners' summaries of the competency say who
    holds it; their group (organisation or manager) says where they count.
    """
    if grouping == "role":
        return _by_role(academy, gaps)
    names = [getattr(learner, grouping) or "(none)" for learner in academy.learners.values()]
    groups = sorted(set(names))
    code = np.fromiter(map({g: i for i, g in enumerate(groups)}.__getitem__, names),
                       dtype=np.int64, count=len(names))
    keys = sorted({(r.competency, r.level or "") for needs in gaps.needs.values()
                   for r, _ in needs})
    position = {k: i for i, k in enumerate(keys)}
    width = len(keys)
    cells, met, expiring = [], [], []
    for roles, rows in gaps.groups.items():
        wanted = _wanted(gaps, roles)
        at = code[rows] * width
        for (comp, level), rank in sorted(wanted.items()):
            ok, soon = gaps.summary.status_counts(rows, gaps.comp_index(comp), rank)
            cells.append(at + position[(comp, level)])
            met.append(ok)
            expiring.append(soon)
    if not cells:
        return []
    where = np.concatenate(cells)
    size = len(groups) * width
    people = np.bincount(where, minlength=size)
    held = np.bincount(where, np.concatenate(met), minlength=size).astype(np.int64)
    soon = np.bincount(where, np.concatenate(expiring), minlength=size).astype(np.int64)
    found = np.flatnonzero(people)
    return [Rollup(grouping, groups[i // width], *keys[i % width], p, m, e, p - m - e)
            for i, p, m, e in zip(found.tolist(), people[found].tolist(), held[found].tolist(),
                                  soon[found].tolist(), strict=True)]


def _wanted(gaps: Gaps, roles: Iterable[str]) -> dict[tuple[str, str], int]:
    """(competency, level) -> rank, of every requirement of the given roles."""
    return {(r.competency, r.level or ""): rank for rid in roles
            for r, rank in gaps.needs.get(rid, ())}


def _by_role(academy: Academy, gaps: Gaps) -> list[Rollup]:
    """Per role name: a learner counts once per role in people, once per name in holders."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for roles, rows in gaps.groups.items():
        n = len(rows)
        named: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
        for rid in roles:
            name = _role_name(academy, rid)
            for (comp, level), rank in _wanted(gaps, (rid,)).items():
                c = counts[(name, comp, level)]
                c[0] += n
                c[3] += n
                named[name][(comp, level)] = rank
        for name, wanted in named.items():
            for (comp, level), rank in wanted.items():
                ok, soon = gaps.summary.status_counts(rows, gaps.comp_index(comp), rank)
                m, e = int(ok.sum()), int(soon.sum())
                c = counts[(name, comp, level)]
                c[1] += m
                c[2] += e
                c[3] -= m + e
    return [Rollup("role", g, comp, level, *c)
            for (g, comp, level), c in sorted(counts.items())]


class Coverage(NamedTuple):
    competency: str
    level: str
    holders: int  # learners with valid evidence at this level or above
    expiring: int  # of which all such evidence expires within the window
    lapsed: int  # learners whose evidence at this level or above has all expired
    needed_by: int  # learners whose roles need this level or above


def coverage(academy: Academy, holdings: Holdings, gaps: Gaps, day: date,
             window: timedelta = WINDOW) -> list[Coverage]:
    """Per competency and level, across the whole academy (counted over the summaries).

    ``holdings`` and ``day``/``window`` are those ``gaps`` was made with.
    """
    needed: dict[tuple[str, int], int] = defaultdict(int)
    for roles, learners in gaps.groups.items():
        top: dict[str, int] = {}
        for rid in roles:
            for r, rank in gaps.needs.get(rid, ()):
                top[r.competency] = max(rank, top.get(r.competency, 0))
        for cid, rank in top.items():
            for k in range(rank + 1):
                needed[(cid, k)] += len(learners)
    s = gaps.summary
    # learners with the highest rank k or above: a suffix sum of how many have each rank
    at_least = [np.cumsum(np.apply_along_axis(np.bincount, 0, m + 1, minlength=_levels(academy)
                                              + 1)[::-1], axis=0)[::-1]
                for m in (s.lasting, s.valid, s.dated)]
    out = []
    for i, (cid, comp) in enumerate(academy.competencies.items()):
        for rank, level in enumerate(comp.levels or ("",)):
            lasting, valid, dated = (int(c[rank + 1, i]) for c in at_least)
            out.append(Coverage(cid, level, valid, valid - lasting, dated - valid,
                                needed[(cid, rank)]))
    return out


def _levels(academy: Academy) -> int:
    return max((len(c.levels) for c in academy.competencies.values()), default=0) or 1
