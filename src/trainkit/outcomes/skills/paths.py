"""Learning paths: the cohorts and courses that close a learner's gaps for a role soonest,
and what a whole team needs.

A **personal path** is built step by step: of the offerings (see
:mod:`.recommend`) that close a gap still open, the one that is finished
first is taken (a self-paced course counts as done at once; ties go to the
larger weight closed), provided its prerequisites are met by then, counting
what earlier steps award, and none of its sessions overlaps a session
already on the path. The date the learner would be fully qualified is the
end of the last step; gaps that no offering closes are listed as open.

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
from trainkit.outcomes.skills.gaps import Standing
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
            done, sessions = _finish(academy, cand, as_of)
            if any(a < e and s < b for s, e in sessions for a, b in busy):
                continue  # overlaps a session already on the path
            if cand.kind == "cohort" and not _ready(academy, facts, cand, lid, gained):
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


def _finish(academy: Academy, cand: Candidate, as_of: datetime
            ) -> tuple[date, list[tuple[datetime, datetime]]]:
    if cand.kind == "course":
        return as_of.date(), []
    cohort = academy.cohorts[cand.item]
    live = [(s.start, s.end) for s in cohort.sessions if not s.cancelled]
    end = cohort.end or as_of
    return end.date(), live


def _ready(academy: Academy, facts: PrerequisiteFacts, cand: Candidate, lid: str,
           gained: set[str]) -> bool:
    """Prerequisites met by the first session, can still be met, or awarded earlier on the path."""
    program = academy.programs[cand.source]
    cohort = academy.cohorts[cand.item]
    missing = facts.missing(program.prerequisites, lid, cohort.start or facts.as_of)
    return all(m.how or any(c in m.text for c in gained) for m in missing)


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
