"""Learning paths: the cohorts and courses that close a learner's gaps for a role soonest,
and what a whole team needs.

A **personal path** is the set of offerings (see :mod:`.recommend`) that
closes the most of the learner's gaps for the role and, among those, is
finished soonest (then: fewest steps), listed in the order they finish. An
offering may join a path when none of its sessions overlaps a session already
on it and its prerequisites are met by its first session, can still be met,
or are awarded by a step that finishes before it starts. A self-paced course
counts as done at once. The date the learner would be fully qualified is the
end of the last step; gaps that no offering closes are listed as open.

The path is found in two moves: first step by step (of the offerings that
close a gap still open, the one finished first; ties to the larger weight
closed), then by a branch-and-bound search over the offerings that close each
gap, which replaces that path only with a strictly better one. The search
stops after ``pathsearch.SEARCH_LIMIT`` partial paths; then the step-by-step path stands
(it is then the soonest found, not proven the soonest).

A **team plan** per role and competency compares the learners who lack it
with the seats left in coming cohorts that award it and says how many more
cohorts of the program with the most seats per cohort would be needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from math import ceil
from typing import NamedTuple

from trainkit.model import Academy, CompetencyRef
from trainkit.outcomes.skills import pathsearch as search
from trainkit.outcomes.skills.gaps import Standing
from trainkit.outcomes.skills.pathsearch import finish, ready
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recommend import Candidate, candidates, closes_gaps


class Step(NamedTuple):
    kind: str  # cohort | course
    item: str
    closes: tuple[str, ...]
    done_on: date


class Path(NamedTuple):
    learner: str
    role: str
    steps: tuple[Step, ...]
    qualified_on: date | None  # None: some gap has no offering that closes it
    open_gaps: tuple[str, ...]


def _label(s: Standing) -> str:
    return f"{s.competency}: {s.required}" if s.required else s.competency


def paths(academy: Academy, rows: Iterable[Standing], as_of: datetime) -> list[Path]:
    facts = PrerequisiteFacts(academy, as_of)
    pool = candidates(academy, as_of)
    by_role: dict[tuple[str, str], list[Standing]] = defaultdict(list)
    for s in rows:
        if s.gap:
            by_role[(s.learner, s.role)].append(s)
    return [_path(academy, facts, pool, lid, rid, gaps, as_of)
            for (lid, rid), gaps in sorted(by_role.items())]


def _path(academy: Academy, facts: PrerequisiteFacts, pool: list[Candidate], lid: str, rid: str,
          gaps: list[Standing], as_of: datetime) -> Path:
    greedy = _greedy(academy, facts, pool, lid, rid, gaps, as_of)
    found = search.best_path(academy, facts, pool, lid, gaps, as_of, _score(greedy))
    if found is None:
        return greedy
    steps = tuple(Step(o.cand.kind, o.cand.item, tuple(_label(gaps[i]) for i in sorted(closed)),
                       o.done) for o, closed in found)
    left = set(range(len(gaps))) - {i for _, closed in found for i in closed}
    qualified = max((s.done_on for s in steps), default=None) if not left else None
    return Path(lid, rid, steps, qualified, tuple(_label(gaps[i]) for i in sorted(left)))


def _score(p: Path) -> tuple[int, date, int]:
    """What a path is judged by: open gaps, then when the last step ends, then steps."""
    return (len(p.open_gaps), max((s.done_on for s in p.steps), default=date.min),
            len(p.steps))


def _greedy(academy: Academy, facts: PrerequisiteFacts, pool: list[Candidate], lid: str,
            rid: str, gaps: list[Standing], as_of: datetime) -> Path:
    left = list(gaps)
    steps: list[Step] = []
    busy: list[tuple[datetime, datetime]] = []
    gained: set[str] = set()  # competencies earlier steps award (for prerequisites)
    while left:
        best: tuple[tuple[date, float, str], Candidate, list[Standing],
                    list[tuple[datetime, datetime]]] | None = None
        for cand in pool:
            closed = closes_gaps(academy, cand, left)
            if not closed:
                continue
            done, sessions = finish(academy, cand, as_of)
            if any(a < e and s < b for s, e in sessions for a, b in busy):
                continue  # overlaps a session already on the path
            if cand.kind == "cohort" and not ready(academy, facts, cand, lid, gained):
                continue
            key = (done, -sum(s.weight for s in closed), cand.item)
            if best is None or key < best[0]:
                best = (key, cand, closed, sessions)
        if best is None:
            break
        _, cand, closed, sessions = best
        busy += sessions
        gained |= {w.id for w in cand.awards}
        steps.append(Step(cand.kind, cand.item, tuple(_label(s) for s in closed), best[0][0]))
        left = [s for s in left if s not in closed]
    qualified = max((s.done_on for s in steps), default=None) if not left else None
    return Path(lid, rid, tuple(steps), qualified, tuple(_label(s) for s in left))


class TeamNeed(NamedTuple):
    role: str
    competency: str  # "competency: level"
    lacking: int  # learners of the role who lack it, booked on a cohort that closes it or not
    seats: int  # seats left in coming cohorts that award it
    program: str  # the program whose cohorts would close it ("" when none awards it)
    more_cohorts: int
    sentence: str


def team_needs(academy: Academy, rows: Iterable[Standing], as_of: datetime) -> list[TeamNeed]:
    lacking: dict[tuple[str, str], set[str]] = defaultdict(set)
    wanted: dict[tuple[str, str], Standing] = {}
    for s in rows:
        if s.gap:
            lacking[(s.role, _label(s))].add(s.learner)
            wanted[(s.role, _label(s))] = s
    pool = [c for c in candidates(academy, as_of) if c.kind == "cohort"]
    out = []
    for (rid, label), people in sorted(lacking.items()):
        fits = [c for c in pool if closes_gaps(academy, c, [wanted[(rid, label)]])]
        seats = sum(c.seats_left for c in fits)
        seated = {e.learner for c in fits for e in academy.cohorts[c.item].active_enrollments()}
        waiting = len(people - seated)  # lacking it and not yet in a cohort that closes it
        programs = [p for p in academy.programs.values()
                    if closes_gaps(academy, _offering(p.id, p.awards), [wanted[(rid, label)]])]
        program = max(programs, key=lambda p: (p.capacity, p.id), default=None)
        short = max(0, waiting - seats)
        more = ceil(short / program.capacity) if program is not None and program.capacity else 0
        role = academy.roles[rid].name if rid in academy.roles else rid
        lack = "lacks" if len(people) == 1 else "lack"
        text = (f"{len(people)} with role {role} {lack} {label} ({len(people) - waiting} "
                "already booked)")
        if program is None:
            text += "; no program awards it"
        elif more:
            text += (f"; coming cohorts have {seats} seat(s) left: {more} more cohort(s) of "
                     f"{program.id} needed")
        else:
            text += f"; coming cohorts have {seats} seat(s) left: enough"
        out.append(TeamNeed(rid, label, len(people), seats, program.id if program else "", more,
                            text))
    return out


def _offering(program: str, awards: tuple[CompetencyRef, ...]) -> Candidate:
    """A program as a would-be cohort, to ask what its cohorts would award."""
    return Candidate("cohort", "", program, awards, 0.0, 0.0, "")
