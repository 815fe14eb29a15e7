"""Who can take over from an instructor who cannot teach for a while.

The sessions the absent instructor leads in the window are grouped by
cohort: one substitute for all of a cohort's affected sessions keeps the
cohort with one face; a cohort no single person can cover is split into
its sessions. Each group's candidates are those who could take it on their
own (qualified on the day, not on leave, free at those times, at no other
venue that day, within their weekly hours), ranked by the plan's costs with
the reasons in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from trainkit.model import Academy, Session
from trainkit.planning.demand import (
    Demand,
    Fixed,
    added_minutes,
    fixed_load,
    lead_demand,
)
from trainkit.planning.demand import week_of as _week
from trainkit.planning.solver import Options, cost_reasons, cost_total
from trainkit.rules._util import hours, live_sessions


@dataclass(frozen=True)
class Ranked:
    ident: str
    cost: int
    reasons: tuple[str, ...]


def affected(academy: Academy, absent: str, start: date, end: date) -> list[Session]:
    """Live sessions in ``start``..``end`` (local dates) that ``absent`` teaches as a lead."""
    out = []
    for s in live_sessions(academy):
        if absent not in s.instructors or not start <= s.start.date() <= end:
            continue
        cohort = academy.cohorts[s.cohort]
        if absent in cohort.assistant_instructors and absent not in cohort.lead_instructors \
                and s.instructors == cohort.instructors:
            continue  # an assistant: the rules need no qualified replacement
        out.append(s)
    return out


def needs(academy: Academy, absent: str, sessions: list[Session]
          ) -> tuple[list[Demand], Fixed]:
    """One demand per cohort (split per session when nobody covers them all)."""
    fixed = fixed_load(academy, {(s.key, absent) for s in sessions})
    pool = tuple(i for i in academy.instructors if i != absent)
    by_cohort: dict[str, list[Session]] = {}
    for s in sessions:
        by_cohort.setdefault(s.cohort, []).append(s)
    out = []
    for cid, group in sorted(by_cohort.items()):
        cohort = academy.cohorts[cid]
        whole = lead_demand(academy, cohort, tuple(group), fixed, pool=pool)
        if whole.options or len(group) == 1:
            out.append(whole)
            continue
        out.extend(replace(lead_demand(academy, cohort, (s,), fixed, pool=pool), part=s.id)
                   for s in group)
    return out, fixed


def familiar(academy: Academy, absent: str) -> dict[str, frozenset[str]]:
    """Per cohort, the instructors (other than the absent one) who already teach it."""
    return {c.id: frozenset({i for s in c.sessions for i in s.instructors} - {absent})
            for c in academy.cohorts.values()}


def rank(academy: Academy, demand: Demand, fixed: Fixed, options: Options) -> list[Ranked]:
    out = []
    for ident in demand.options:
        why = _facts(academy, demand, ident, fixed)
        why += cost_reasons(academy, demand, ident, options, fixed)
        out.append(Ranked(ident, cost_total(academy, demand, ident, options, fixed),
                          tuple(why)))
    return sorted(out, key=lambda r: (r.cost, r.ident))


def _facts(academy: Academy, demand: Demand, ident: str, fixed: Fixed) -> list[str]:
    inst = academy.instructors[ident]
    program = academy.programs.get(demand.cohort.program)
    need = program.qualification if program else demand.cohort.program
    until = max((q.expires or date.max) for q in inst.qualifications if q.id == need)
    facts = [f"qualified for {need!r}" + ("" if until == date.max else f" until {until}"),
             "free at those times"]
    if inst.max_hours_per_week is not None:
        per_week = added_minutes(inst, demand.sessions, fixed) or {
            _week(demand.sessions[0], inst): 0}
        left = min(int(inst.max_hours_per_week * 60) - fixed.minutes.get(w, 0) - m
                   for w, m in per_week.items())
        facts.append(f"{hours(timedelta(minutes=left))} left of {inst.max_hours_per_week:g} h "
                     "that week")
    if inst.home_venues:
        at = demand.sessions[0].venue
        facts.append("home venue" if at in inst.home_venues else f"travels to {at}")
    return facts
