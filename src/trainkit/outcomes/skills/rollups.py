"""Standings summed up: per role, organisation and manager, and per competency.

A learner counts once per group and requirement (competency at a level):
when two of their roles need the same thing, the worse standing counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial
from itertools import repeat
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
    names, first = gaps.fields.codes(grouping)
    groups = sorted({str(name or "(none)") for name in names})
    position = {g: i for i, g in enumerate(groups)}
    code = np.array([position[str(name or "(none)")] for name in names], dtype=np.int64)[first]
    keys = sorted({(r.competency, r.level or "") for needs in gaps.needs.values()
                   for r, _ in needs})
    at_key = {k: i for i, k in enumerate(keys)}
    people, held, soon = (np.zeros((len(groups), len(keys)), dtype=np.int64) for _ in range(3))
    size = len(groups)
    for roles, rows in gaps.groups.items():
        mine, mine_codes = gaps.standing_of(roles), code[rows]
        cols = [at_key[k] for k in mine.keys]
        people[:, cols] += np.bincount(mine_codes, minlength=size)[:, None]
        # group x requirement: one count over the flat (requirement, learner) matrices
        cell = mine_codes[None, :] * len(cols) + np.arange(len(cols))[:, None]
        held[:, cols] += np.bincount(cell[mine.met], minlength=size * len(cols)).reshape(
            size, len(cols))
        soon[:, cols] += np.bincount(cell[mine.expiring], minlength=size * len(cols)).reshape(
            size, len(cols))
    found = np.flatnonzero(people)
    width = len(keys)
    group_of = np.array(groups, dtype=object)[found // width].tolist()
    comp_of, level_of = zip(*keys, strict=True) if keys else ((), ())
    which = (found % width).tolist()
    p, m, e = people.reshape(-1)[found], held.reshape(-1)[found], soon.reshape(-1)[found]
    return list(map(partial(tuple.__new__, Rollup), zip(
        repeat(grouping), group_of, map(comp_of.__getitem__, which),
        map(level_of.__getitem__, which), p.tolist(), m.tolist(), e.tolist(),
        (p - m - e).tolist())))


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
        mine = gaps.standing_of(roles)
        met, expiring = mine.met.sum(axis=1).tolist(), mine.expiring.sum(axis=1).tolist()
        at_key = {k: i for i, k in enumerate(mine.keys)}
        for name, wanted in named.items():
            for comp, level in wanted:
                m, e = met[at_key[(comp, level)]], expiring[at_key[(comp, level)]]
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
    at_least = gaps.summary.at_least(_levels(academy))
    out = []
    for i, (cid, comp) in enumerate(academy.competencies.items()):
        for rank, level in enumerate(comp.levels or ("",)):
            lasting, valid, dated = (int(c[i, rank]) for c in at_least)
            out.append(Coverage(cid, level, valid, valid - lasting, dated - valid,
                                needed[(cid, rank)]))
    return out


def _levels(academy: Academy) -> int:
    return max((len(c.levels) for c in academy.competencies.values()), default=0) or 1
