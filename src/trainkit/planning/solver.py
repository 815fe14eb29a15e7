"""The plan as a CP-SAT model: one variable per (open assignment, option).

Hard constraints are the rules ``trainkit check`` enforces between choices
(each demand's options already pass them one by one, see
:mod:`~trainkit.planning.demand`): an instructor or room is in one
place at a time (an *at most one* over every set of sessions that overlap at
some instant: for intervals that is exact), an instructor works at one venue
a day, and stays within ``max_hours_per_week`` in every ISO week of their own
time zone. The objective adds up costs people can read (see :data:`COSTS`):
avoided and non-preferred instructors, teaching away from home venues,
changing an assignment that exists, seats wasted or missing in a room, and
the busiest instructor's hours, so the work spreads out.

The solver runs with a fixed seed and worker count; with the default single
worker, the same inputs give the same plan whenever the solver finishes
within its time limit.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from trainkit.model import Academy
from trainkit.planning.demand import Demand, Fixed, added_minutes, minutes, week_of

COSTS = {
    "avoided": 100,  # per cohort given to an instructor the program avoids
    "not-preferred": 20,  # per cohort given to someone else when the program prefers some
    "away": 10,  # per session taught away from the instructor's home venues
    "changed": 50,  # per existing assignment changed (re-planning, substitutes)
    "new-to-cohort": 20,  # substitutes: someone who does not teach the cohort yet
    "seat-spare": 1,  # per spare seat beyond what the cohort offers
    "week-load": 1,  # per hour the instructor already teaches in the cohort's weeks
    "busiest-hour": 1,  # per hour the busiest instructor teaches
}


@dataclass(frozen=True)
class Options:
    time_limit: float = 60.0  # seconds of search
    workers: int = 1
    seed: int = 1
    current: dict[tuple[str, str], str] = field(default_factory=dict)  # (cohort, kind) -> id
    familiar: dict[str, frozenset[str]] = field(default_factory=dict)  # cohort -> who teaches it


@dataclass
class Plan:
    status: str  # optimal | feasible | infeasible | unknown
    chosen: dict[tuple[str, str], str]
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    first_solution: float | None = None  # seconds of search to the first feasible plan
    model_seconds: float = 0.0  # stating the model, before the search
    conflict: list[Demand] = field(default_factory=list)  # demands that cannot all be met
    cost_parts: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(self.objective - self.bound, 0.0) / abs(self.objective)


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float) -> None:
        super().__init__()
        self.t0 = t0
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.t0


def solve(academy: Academy, demands: list[Demand], fixed: Fixed, options: Options) -> Plan:
    started = time.perf_counter()
    m, x, parts = _model(academy, demands, fixed, options)
    modelled = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.max_time_in_seconds = options.time_limit
    t0 = time.perf_counter()
    first = _FirstSolution(t0)
    code = solver.solve(m, first)
    plan = Plan(status=_STATUS.get(code, "unknown"), chosen={},
                seconds=time.perf_counter() - t0, first_solution=first.first,
                model_seconds=modelled)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        plan.chosen = {demands[d].key: opt for (d, opt), var in sorted(x.items())
                       if solver.boolean_value(var)}
        plan.objective, plan.bound = solver.objective_value, solver.best_objective_bound
        plan.cost_parts = {name: int(sum(c * solver.value(v) for c, v in terms))
                           for name, terms in parts.items()}
    elif code == cp_model.INFEASIBLE:
        found = _core(academy, demands, fixed, options)
        plan.conflict = [demands[d] for d in _smaller(academy, demands, fixed, found)]
    return plan


Choices = dict[tuple[int, str], cp_model.IntVar]


def _stated(academy: Academy, demands: list[Demand], fixed: Fixed, *,
            assumptions: bool = False) -> tuple[cp_model.CpModel, Choices, list[cp_model.IntVar]]:
    """The choices and the hard rules; each demand takes exactly one option.

    With ``assumptions`` that "exactly one" holds under one literal per demand
    (returned in demand order), so an infeasible model can name the demands
    that conflict.
    """
    m = cp_model.CpModel()
    x = {(d, opt): m.new_bool_var(f"d{d}_{opt}")
         for d, demand in enumerate(demands) for opt in demand.options}
    lits = []
    for d, demand in enumerate(demands):
        if assumptions:
            lit = m.new_bool_var(f"take{d}")
            m.add(sum(x[d, o] for o in demand.options) == 1).only_enforce_if(lit)
            lits.append(lit)
        else:
            m.add_exactly_one(x[d, o] for o in demand.options)
    _rules(m, academy, demands, x, fixed)
    if assumptions:
        m.add_assumptions(lits)
    return m, x, lits


def _model(academy: Academy, demands: list[Demand], fixed: Fixed, options: Options
           ) -> tuple[cp_model.CpModel, Choices, dict[str, list[tuple[int, cp_model.IntVar]]]]:
    m, x, _ = _stated(academy, demands, fixed)
    return m, x, _objective(m, academy, demands, x, fixed, options)


def _core(academy: Academy, demands: list[Demand], fixed: Fixed, options: Options
          ) -> list[int]:
    """Demands that cannot all be met: the solver's infeasible set under assumptions.

    Assumptions slow the search a great deal, so they are only used once a
    plain solve has proved that no plan exists.
    """
    m, _, assume = _stated(academy, demands, fixed, assumptions=True)
    code, solver = _single(m, options.time_limit)
    if code != cp_model.INFEASIBLE:
        return list(range(len(demands)))
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [d for d, lit in enumerate(assume) if lit.index in core]


def _single(m: cp_model.CpModel, seconds: float) -> tuple[Any, cp_model.CpSolver]:
    """One solve on one worker (explanations need no speed, only an answer)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    return solver.solve(m), solver


_STATUS = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible",
           cp_model.INFEASIBLE: "infeasible", cp_model.MODEL_INVALID: "unknown"}


MAX_SHRINK = 40  # demands in a conflict worth shrinking one by one


def _smaller(academy: Academy, demands: list[Demand], fixed: Fixed,
             found: list[int]) -> list[int]:
    """Drop demands from a conflicting set while the rest still conflicts.

    The solver's set is sufficient, not minimal: a person reads a conflict of
    two or three cohorts, not of all of them. Each try is a small solve of
    the remaining demands alone.
    """
    if not 2 < len(found) <= MAX_SHRINK:
        return found
    keep = list(found)
    for d in list(found):
        trial = [x for x in keep if x != d]
        if len(trial) < 2:
            break
        if _conflicts(academy, [demands[x] for x in trial], fixed):
            keep = trial
    return keep


def _conflicts(academy: Academy, subset: list[Demand], fixed: Fixed) -> bool:
    m, _, _ = _stated(academy, subset, fixed)
    return bool(_single(m, 5.0)[0] == cp_model.INFEASIBLE)


def _rules(m: cp_model.CpModel, academy: Academy, demands: list[Demand],
           x: Choices, fixed: Fixed) -> None:
    """The hard rules between choices (each option already fits on its own)."""
    _no_overlap(m, demands, x, "lead")
    _no_overlap(m, demands, x, "room")
    _one_venue_a_day(m, demands, x)
    _weekly_hours(m, academy, demands, x, fixed)


def _no_overlap(m: cp_model.CpModel, demands: list[Demand],
                x: Choices, kind: str) -> None:
    """At most one demand per resource among those with a session covering any instant."""
    # A room is known by its venue too: two venues may both have a room 'r1'.
    by_resource: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for d, demand in enumerate(demands):
        if demand.kind != kind:
            continue
        place = demand.cohort.venue or "" if kind == "room" else ""
        for opt in demand.options:
            for s in demand.sessions:
                by_resource[place, opt].append((s.start.timestamp(), s.end.timestamp(), d))
    for (_place, resource), items in sorted(by_resource.items()):
        items.sort()
        seen: set[frozenset[int]] = set()
        active: list[tuple[float, int]] = []  # (end, demand)
        for start, end, d in items:
            active = [(e, a) for e, a in active if e > start]
            active.append((end, d))
            group = frozenset(a for _, a in active)
            if len(group) > 1 and group not in seen:
                seen.add(group)
                m.add_at_most_one(x[a, resource] for a in sorted(group))


def _one_venue_a_day(m: cp_model.CpModel, demands: list[Demand],
                     x: Choices) -> None:
    days: dict[tuple[str, object], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for d, demand in enumerate(demands):
        if demand.kind != "lead":
            continue
        for opt in demand.options:
            for s in demand.sessions:
                if s.venue:
                    days[opt, s.start.date()][s.venue].add(d)
    for (opt, _day), venues in sorted(days.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if len(venues) < 2:
            continue
        here = []
        for _venue, ds in sorted(venues.items()):
            y = m.new_bool_var("")
            for d in sorted(ds):
                m.add_implication(x[d, opt], y)
            here.append(y)
        m.add_at_most_one(here)


def _weekly_hours(m: cp_model.CpModel, academy: Academy, demands: list[Demand],
                  x: Choices, fixed: Fixed) -> None:
    load: dict[tuple[str, int, int], list[tuple[int, int]]] = defaultdict(list)
    for d, demand in enumerate(demands):
        if demand.kind != "lead":
            continue
        for opt in demand.options:
            inst = academy.instructors[opt]
            if inst.max_hours_per_week is None:
                continue
            for week, mins in added_minutes(inst, demand.sessions, fixed).items():
                load[week].append((mins, d))
    for week, terms in sorted(load.items()):
        limit = int((academy.instructors[week[0]].max_hours_per_week or 0) * 60)
        room = limit - fixed.minutes.get(week, 0)
        if sum(mins for mins, _ in terms) > room:
            m.add(sum(mins * x[d, week[0]] for mins, d in terms) <= room)


def _objective(m: cp_model.CpModel, academy: Academy, demands: list[Demand],
               x: Choices, fixed: Fixed,
               options: Options) -> dict[str, list[tuple[int, cp_model.IntVar]]]:
    parts: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    taught: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (d, opt), var in sorted(x.items()):
        demand = demands[d]
        for name, cost in _costs(academy, demand, opt, options, fixed).items():
            if cost:
                parts[name].append((cost, var))
        if demand.kind == "lead":
            taught[opt].append((sum(minutes(s) for s in demand.sessions), var))
    if taught:
        busiest = m.new_int_var(0, 10**7, "busiest")
        for opt, terms in taught.items():
            base = sum(b.end - b.start for b in fixed.instructors.get(opt, ())) // 60
            m.add(busiest * 60 >= int(base) + sum(mins * v for mins, v in terms))
        parts["busiest-hour"].append((COSTS["busiest-hour"], busiest))
    m.minimize(sum(c * v for terms in parts.values() for c, v in terms))
    return parts


def _costs(academy: Academy, demand: Demand, opt: str, options: Options,
           fixed: Fixed) -> dict[str, int]:
    out: dict[str, int] = {}
    current = options.current.get(demand.key)
    if current is not None and current != opt:
        out["changed"] = COSTS["changed"]
    cohort = demand.cohort
    if demand.kind == "room":
        venue = academy.venues[cohort.venue or ""]
        room = venue.room(opt)
        seats = room.capacity if room else 0
        wanted = max(cohort.capacity, len(cohort.active_enrollments()))
        out["seat-spare"] = COSTS["seat-spare"] * max(seats - wanted, 0)
        return out
    if options.familiar and opt not in options.familiar.get(cohort.id, frozenset()):
        out["new-to-cohort"] = COSTS["new-to-cohort"]
    program = academy.programs.get(cohort.program)
    if program is not None:
        if opt in program.avoided_instructors:
            out["avoided"] = COSTS["avoided"]
        elif program.preferred_instructors and opt not in program.preferred_instructors:
            out["not-preferred"] = COSTS["not-preferred"]
    inst = academy.instructors[opt]
    weeks = {week_of(s, inst) for s in demand.sessions}
    present = {b.what for b in fixed.instructors.get(opt, ())}
    there = sum(minutes(s) for s in demand.sessions if s.key in present)  # already attending
    load = sum(fixed.minutes.get(w, 0) for w in weeks) - there
    out["week-load"] = COSTS["week-load"] * max(load, 0) // 60
    if inst.home_venues:
        away = sum(1 for s in demand.sessions if s.venue and s.venue not in inst.home_venues)
        out["away"] = COSTS["away"] * away
    return out


def cost_reasons(academy: Academy, demand: Demand, opt: str, options: Options,
                 fixed: Fixed) -> list[str]:
    """The cost terms of choosing ``opt``, in words (for ranked candidates)."""
    words = {"avoided": "the program avoids them", "not-preferred": "not a preferred instructor",
             "away": "teaches away from home venues", "changed": "changes an existing assignment",
             "seat-spare": "spare seats",
             "week-load": "hours already taught those weeks",
             "new-to-cohort": "does not teach this cohort yet"}
    return [f"{words[k]} (+{v})" for k, v in
            sorted(_costs(academy, demand, opt, options, fixed).items()) if v]


def cost_total(academy: Academy, demand: Demand, opt: str, options: Options,
               fixed: Fixed) -> int:
    return sum(_costs(academy, demand, opt, options, fixed).values())
