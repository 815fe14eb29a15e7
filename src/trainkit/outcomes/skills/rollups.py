"""Standings summed up: per role, organisation and manager, and per competency.

A learner counts once per group and requirement (competency at a level):
when two of their roles need the same thing, the worse standing counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from operator import attrgetter
from typing import NamedTuple
from weakref import WeakKeyDictionary

from trainkit.load.records import collector_paused
from trainkit.model import Academy
from trainkit.outcomes.skills.evidence import Held, Holdings
from trainkit.outcomes.skills.gaps import EXPIRED, EXPIRING, MET, MISSING, WINDOW, Gaps, Standing

_WORSE = {MET: 0, EXPIRING: 1, "below": 2, EXPIRED: 3, MISSING: 4}
GROUPINGS = ("role", "organisation", "manager")
_Settled = list[tuple[str, list[tuple[str, str, str]]]]
_HELD_UP: WeakKeyDictionary[Gaps, _Settled] = WeakKeyDictionary()  # see _held_up


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
    """Counts per group and requirement, from learners grouped by roles plus their exceptions.

    Every learner starts with a gap in each requirement of their group; the
    standings worked out from evidence (``Gaps.exceptions``) move them to met
    or expiring. So the work grows with learners and evidence, not with
    learners times requirements.
    """
    with collector_paused():
        return _rollups(academy, gaps, grouping)


def _rollups(academy: Academy, gaps: Gaps, grouping: str) -> list[Rollup]:
    learners = academy.learners
    buckets: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
    for roles, group in gaps.by_roles.items():
        if grouping == "role":
            for rid in roles:
                buckets[(_role_name(academy, rid), (rid,))] += len(group)
        else:
            for name, n in Counter(map(attrgetter(grouping),
                                       map(learners.__getitem__, group))).items():
                buckets[(name or "(none)", roles)] += n
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    needed = {roles: {(r.competency, r.level or "") for rid in roles
                      for r, _ in gaps.needs.get(rid, ())} for roles in gaps.by_roles}
    for (group_name, roles), n in buckets.items():
        for comp, level in needed.get(roles) or {(r.competency, r.level or "") for rid in roles
                                                 for r, _ in gaps.needs.get(rid, ())}:
            c = counts[(group_name, comp, level)]
            c[0] += n
            c[3] += n
    if grouping == "role":
        for key, status in _moved_by_role(academy, gaps):
            c = counts[key]
            c[3] -= 1
            c[1 if status == MET else 2] += 1
    else:
        of = attrgetter(grouping)
        for lid, held in _held_up(gaps):
            name = of(learners[lid]) or "(none)"
            for comp, level, status in held:
                c = counts[(name, comp, level)]
                c[3] -= 1
                c[1 if status == MET else 2] += 1
    return [Rollup(grouping, g, comp, level, *c)
            for (g, comp, level), c in sorted(counts.items())]


def _worst(found: Iterable[tuple[str, Standing]]) -> dict[tuple[str, str, str], str]:
    """(group, competency, level) -> the worst status among the given (group, standing)."""
    best: dict[tuple[str, str, str], str] = {}
    for group, s in found:
        key = (group, s.competency, s.required)
        old = best.get(key)
        if old is None or _WORSE[s.status] > _WORSE[old]:
            best[key] = s.status
    return best


def _moved_by_role(academy: Academy, gaps: Gaps) -> Iterator[tuple[tuple[str, str, str], str]]:
    """Each learner's requirements per role name that are met or expiring, not a gap."""
    names = {rid: _role_name(academy, rid) for rid in academy.roles}
    for found in gaps.exceptions.values():
        best = _worst((names.get(rid, rid), s) for (rid, _), s in found.items())
        for key, status in best.items():
            if status in (MET, EXPIRING):
                yield key, status


def _held_up(gaps: Gaps) -> _Settled:
    """Per learner with exceptions: (competency, level, status) met or expiring in all roles.

    The same for every grouping by a property of the learner, so worked out once.
    """
    cached = _HELD_UP.get(gaps)
    if cached is not None:
        return cached
    out: _Settled = []
    for lid, found in gaps.exceptions.items():
        if len(found) == 1:  # the common case: one standing, nothing to compare
            (s,) = found.values()
            settled = [(s.competency, s.required, s.status)]
        else:
            settled = [(comp, level, status) for (_, comp, level), status
                       in _worst(("", s) for s in found.values()).items()]
        out.append((lid, [t for t in settled if t[2] in (MET, EXPIRING)]))
    _HELD_UP[gaps] = out
    return out


class Coverage(NamedTuple):
    competency: str
    level: str
    holders: int  # learners with valid evidence at this level or above
    expiring: int  # of which all such evidence expires within the window
    lapsed: int  # learners whose evidence at this level or above has all expired
    needed_by: int  # learners whose roles need this level or above


def coverage(academy: Academy, holdings: Holdings, gaps: Gaps, day: date,
             window: timedelta = WINDOW) -> list[Coverage]:
    """Per competency and level, across the whole academy (one pass over the evidence)."""
    needed: dict[tuple[str, int], int] = defaultdict(int)
    for roles, learners in gaps.by_roles.items():
        top: dict[str, int] = {}
        for rid in roles:
            for r, rank in gaps.needs.get(rid, ()):
                top[r.competency] = max(rank, top.get(r.competency, 0))
        for cid, rank in top.items():
            for k in range(rank + 1):
                needed[(cid, k)] += len(learners)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    soon = day + window
    for comps in holdings.by_learner.values():
        for cid, items in comps.items():
            if len(items) > 1:
                _cover(counts, cid, items, day, soon)
                continue
            h = items[0]  # the common case, as _cover would count it
            if h.on > day:
                continue
            if h.expires is None or day < h.expires:
                lasts = h.expires is None or h.expires > soon
                for rank in range(h.rank + 1):
                    c = counts[(cid, rank)]
                    c[0] += 1
                    if not lasts:
                        c[1] += 1
            else:
                for rank in range(h.rank + 1):
                    counts[(cid, rank)][2] += 1
    out = []
    for cid, comp in academy.competencies.items():
        for rank, level in enumerate(comp.levels or ("",)):
            holders, expiring, lapsed = counts.get((cid, rank), (0, 0, 0))
            out.append(Coverage(cid, level, holders, expiring, lapsed, needed[(cid, rank)]))
    return out


def _cover(counts: dict[tuple[str, int], list[int]], cid: str, items: Iterable[Held],
           day: date, soon: date) -> None:
    """Count one learner's evidence of competency ``cid`` into holders, expiring and lapsed."""
    # per rank: the longest-lasting valid evidence at that rank (None: never ends), and
    # the highest rank with any evidence dated by ``day``
    lasting: dict[int, date | None] = {}
    highest = -1
    for h in items:
        if h.on > day:
            continue
        if h.rank > highest:
            highest = h.rank
        if h.expires is None or day < h.expires:
            old = lasting.get(h.rank, day)
            lasting[h.rank] = None if old is None or h.expires is None else max(old, h.expires)
    # from the highest rank down: the evidence at that rank or above
    valid, forever, latest = False, False, day
    for rank in range(highest, -1, -1):
        if rank in lasting:
            valid = True
            ends = lasting[rank]
            if ends is None:
                forever = True
            elif ends > latest:
                latest = ends
        c = counts[(cid, rank)]
        if not valid:
            c[2] += 1
        else:
            c[0] += 1
            if not forever and latest <= soon:
                c[1] += 1
