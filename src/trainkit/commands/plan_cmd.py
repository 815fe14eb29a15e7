"""``trainkit plan``: choose instructors and rooms that cohorts leave open."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    academy_root,
    print_diagnostics,
    resolve_format,
)
from trainkit.commands.edit_common import EDIT_EPILOG, add_edit_options, finish
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.edit import Changes, EditError
from trainkit.edit.assignments import assign_lead, assign_room
from trainkit.model import Academy
from trainkit.planning import explain
from trainkit.planning.demand import (
    Demand,
    Fixed,
    demands,
    fixed_load,
    lead_demand,
    lead_sessions,
    room_demand,
    room_sessions,
)
from trainkit.planning.solver import COSTS, Options, Plan, cost_reasons, solve

HELP = f"""\
Choose the lead instructors and rooms that cohorts leave open, and write
them into the cohort files. Leave an assignment open with

  instructors: {{lead: auto}}                    any qualified instructor
  instructors: {{lead: {{candidates: [a, b]}}}}    one of these
  room: auto                                   a room of the cohort's venue
  room: {{candidates: [thames], accessible: true}}

The plan honours every rule 'trainkit check' enforces: the program's
qualification (valid on each session's day), leave, no double booking of an
instructor or room, one venue a day per instructor, max_hours_per_week in
each ISO week of the instructor's zone, enough seats for the learners
enrolled. Among the plans that do, it picks the cheapest by these costs:
{", ".join(f"{k} {v}" for k, v in COSTS.items())} (program 'planning:'
preferred and avoided instructors, instructors' 'home_venues', spare seats,
the busiest instructor's hours). --replan COHORT also reconsiders the lead
and room a cohort already has, preferring to keep them.

When no plan exists, it says why, located in your files: which candidates
were ruled out and for what, or which cohorts compete for the same people.
It uses the OR-Tools CP-SAT solver with a fixed seed and worker count: the
same inputs give the same plan whenever the search finishes within
--time-limit (the report says if it stopped early, with the gap to the best
possible plan).

{EDIT_EPILOG}
examples:
  trainkit plan --dry-run               show the plan as a diff
  trainkit plan                         write it
  trainkit plan --replan fw-man-2027-03 --time-limit 10

exit codes: 0 planned (or nothing to plan); 1 no plan exists (explained), the
search found none in time, or the academy would have errors; 3 internal
error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plan", help="assign open lead instructors and rooms with a solver",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_solver_options(p)
    p.add_argument("--replan", nargs="+", default=[], metavar="COHORT",
                   help="also reconsider these cohorts' current lead and room")
    add_edit_options(p)
    p.set_defaults(run=run)


def add_solver_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="longest search (default 60); the best plan found by then is used")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="solver threads (default 1: the same plan every run)")
    p.add_argument("--seed", type=int, default=1, help="solver seed (default 1)")


Loaded = tuple[Changes, Academy, list[Diagnostic]]


def load_clean(args: argparse.Namespace) -> Loaded | None:
    """The academy to plan on, or None (the errors printed) when it has errors."""
    root = academy_root(args)
    if root is None:
        return None
    changes = Changes(root)
    academy, problems = changes.academy()
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if academy is None or errors:
        print_diagnostics(errors, resolve_format(args.format))
        print("trainkit: fix the errors above first; nothing was written", file=sys.stderr)
        return None
    return changes, academy, problems


def run(args: argparse.Namespace) -> int:
    loaded = load_clean(args)
    if loaded is None:
        return EXIT_ERRORS
    changes, academy, _ = loaded
    fmt = resolve_format(args.format)
    unknown = [c for c in args.replan if c not in academy.cohorts]
    if unknown:
        print(f"trainkit: unknown cohort {unknown[0]!r}; nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    todo, current, fixed = _demands(academy, set(args.replan))
    if not todo:
        print("trainkit: nothing to plan: no cohort leaves its lead or room open "
              "('lead: auto', 'room: auto')", file=sys.stderr)
        return EXIT_OK
    stuck = [explain.no_option(d) for d in todo if not d.options]
    if stuck:
        print_diagnostics(stuck, fmt)
        print(f"trainkit: no plan exists ({len(stuck)} assignment(s) above have no possible "
              "choice); nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    options = Options(args.time_limit, args.workers, args.seed, current)
    plan = solve(academy, todo, fixed, options)
    if not plan.chosen:
        if plan.conflict:
            print_diagnostics(explain.conflict(plan.conflict), fmt)
        print(f"trainkit: no plan ({plan.status} after {plan.seconds:.1f} s); nothing was "
              "written" + ("" if plan.conflict else ": try a longer --time-limit"),
              file=sys.stderr)
        return EXIT_ERRORS
    try:
        _write_back(changes, academy, plan)
    except EditError as exc:
        print(f"trainkit: {exc.path}:{exc.line}:{exc.col}: {exc.message}; nothing was written",
              file=sys.stderr)
        return EXIT_ERRORS
    _report(academy, todo, plan, options, fixed, fmt)
    return finish(args, changes, [])


def _demands(academy: Academy, replan: set[str]
             ) -> tuple[list[Demand], dict[tuple[str, str], str], Fixed]:
    current: dict[tuple[str, str], str] = {}
    for cid in replan:
        cohort = academy.cohorts[cid]
        if cohort.open_lead is None and cohort.lead_instructors:
            current[(cid, "lead")] = cohort.lead_instructors[0]
        if cohort.open_room is None and cohort.room:
            current[(cid, "room")] = cohort.room
    fixed = fixed_load(academy, _freed_keys(academy, current))
    out = demands(academy, fixed)
    for cid in sorted(replan):
        cohort = academy.cohorts[cid]
        if (cid, "lead") in current:
            sessions = lead_sessions(cohort, cohort.instructors)
            if sessions:
                out.append(lead_demand(academy, cohort, sessions, fixed,
                                       pool=tuple(academy.instructors)))
        if (cid, "room") in current and (sessions := room_sessions(cohort, cohort.room)):
            out.append(room_demand(academy, cohort, sessions, fixed))
    return out, current, fixed


def _freed_keys(academy: Academy, current: dict[tuple[str, str], str]) -> set[tuple[str, str]]:
    out = set()
    for (cid, kind), ident in current.items():
        cohort = academy.cohorts[cid]
        for s in cohort.sessions:
            out.add((s.key, ident if kind == "lead" else f"room:{ident}"))
    return out


def _write_back(changes: Changes, academy: Academy, plan: Plan) -> None:
    for (cid, kind), ident in sorted(plan.chosen.items()):
        cohort = academy.cohorts[cid]
        if kind == "lead":
            assign_lead(changes, cohort, ident)
        else:
            assign_room(changes, cohort, ident)


def _report(academy: Academy, todo: list[Demand], plan: Plan, options: Options,
            fixed: Fixed, fmt: str) -> None:
    gap = plan.gap
    rows: list[dict[str, Any]] = [
        {"cohort": d.cohort.id, "kind": d.kind, "chosen": plan.chosen[d.key],
         "why": cost_reasons(academy, d, plan.chosen[d.key], options, fixed),
         "options": len(d.options)} for d in todo]
    if fmt == "json":
        summary = {"status": plan.status, "objective": plan.objective, "bound": plan.bound,
                   "gap": gap, "seconds": round(plan.seconds, 3),
                   "cost_parts": plan.cost_parts, "assignments": rows}
        print(json.dumps(summary, indent=2, sort_keys=True), file=sys.stderr)
        return
    for row in rows:
        extra = f" ({'; '.join(row['why'])})" if row["why"] else ""
        print(f"trainkit: {row['cohort']}: {row['kind']} {row['chosen']}, one of "
              f"{row['options']} possible{extra}", file=sys.stderr)
    stopped = "" if plan.status == "optimal" else (
        f"; stopped at the time limit, gap {gap:.1%} to the best possible" if gap is not None
        else "")
    parts = ", ".join(f"{k} {v}" for k, v in sorted(plan.cost_parts.items()) if v)
    print(f"trainkit: plan {plan.status}: cost {plan.objective:g} ({parts or 'nothing'}), "
          f"best possible {plan.bound:g}, found in {plan.seconds:.1f} s{stopped}",
          file=sys.stderr)
