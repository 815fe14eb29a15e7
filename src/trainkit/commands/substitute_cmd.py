"""``trainkit substitute``: who can take over from an instructor who cannot teach."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from trainkit.commands import diff_render
from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    print_diagnostics,
    resolve_format,
)
from trainkit.commands.edit_common import EDIT_EPILOG, add_edit_options, finish
from trainkit.commands.plan_cmd import add_solver_options, load_clean
from trainkit.diagnostics import Diagnostic
from trainkit.edit import Changes, EditError
from trainkit.edit.assignments import assign_session
from trainkit.history.revision import Side
from trainkit.history.semdiff import diff
from trainkit.model import Academy
from trainkit.pipeline import Result
from trainkit.planning import explain
from trainkit.planning.demand import Demand, Fixed
from trainkit.planning.solver import Options, Plan, solve
from trainkit.planning.substitute import affected, familiar, needs, rank

HELP = f"""\
An instructor falls ill or cannot travel: list every session they lead
between --from and --to (dates in each session's own zone), and for each
cohort the instructors who could take over, best first, with the reasons:
qualified on the day, free at those times, hours left that week, travel
(home venues, one venue a day) and continuity (someone who already teaches
the cohort comes first). A cohort nobody can cover whole is split into its
sessions; a session nobody can take is explained, located in your files.

--apply chooses the best consistent set (no substitute booked twice, weekly
hours kept, by the same solver as 'trainkit plan') and writes it: each
affected session gets its own 'instructors:' in the cohort file, so the
change is exact and easy to review. The semantic diff of the change (as
'trainkit diff' prints it) follows, so the pull request shows who is
affected.

{EDIT_EPILOG}
examples:
  trainkit substitute fiona-macleod --from 2027-02-08 --to 2027-02-12
  trainkit substitute fiona-macleod --from 2027-02-08 --to 2027-02-12 --apply --dry-run

exit codes: 0 listed (with --apply: written, or shown with --dry-run); 1 a
session cannot be covered (explained), the instructor is unknown, or the
academy would have errors; 3 internal error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("substitute", help="rank and apply replacements for an absent instructor",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("instructor", metavar="INSTRUCTOR", help="the instructor who cannot teach")
    p.add_argument("--from", dest="start", type=date.fromisoformat, required=True,
                   metavar="YYYY-MM-DD", help="first day of the absence")
    p.add_argument("--to", dest="end", type=date.fromisoformat, required=True,
                   metavar="YYYY-MM-DD", help="last day of the absence")
    p.add_argument("--apply", action="store_true",
                   help="write the best consistent set of substitutes")
    p.add_argument("--top", type=int, default=5, metavar="N",
                   help="candidates listed per cohort (default 5)")
    add_solver_options(p)
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_clean(args)
    if loaded is None:
        return EXIT_ERRORS
    changes, academy, problems = loaded
    fmt = resolve_format(args.format)
    if args.instructor not in academy.instructors:
        print(f"trainkit: unknown instructor {args.instructor!r}", file=sys.stderr)
        return EXIT_ERRORS
    if args.end < args.start:
        print("trainkit: --to is before --from", file=sys.stderr)
        return EXIT_ERRORS
    sessions = affected(academy, args.instructor, args.start, args.end)
    if not sessions:
        print(f"trainkit: {args.instructor} leads no session from {args.start} to {args.end}",
              file=sys.stderr)
        return EXIT_OK
    todo, fixed = needs(academy, args.instructor, sessions)
    options = Options(args.time_limit, args.workers, args.seed,
                      familiar=familiar(academy, args.instructor))
    _list(academy, todo, fixed, options, fmt, args.top)
    stuck = [explain.no_option(d) for d in todo if not d.options]
    if stuck:
        print_diagnostics(stuck, fmt)
        return EXIT_ERRORS
    if not args.apply:
        return EXIT_OK
    plan = solve(academy, todo, fixed, options)
    if not plan.chosen:
        print_diagnostics(explain.conflict(plan.conflict), fmt)
        print(f"trainkit: no consistent set of substitutes ({plan.status}); nothing was written",
              file=sys.stderr)
        return EXIT_ERRORS
    gap = "" if plan.status == "optimal" or plan.gap is None else f", gap {plan.gap:.1%}"
    print(f"trainkit: substitutes {plan.status}: cost {plan.objective:g}{gap}: "
          + ", ".join(f"{cid} {sub}" for (cid, _), sub in sorted(plan.chosen.items())),
          file=sys.stderr)
    return _apply(args, changes, academy, problems, todo, plan)


def _list(academy: Academy, todo: list[Demand], fixed: Fixed, options: Options,
          fmt: str, top: int) -> None:
    rows: list[dict[str, Any]] = []
    for d in todo:
        ranked = rank(academy, d, fixed, options)
        rows.append({"cohort": d.cohort.id, "sessions": [s.key for s in d.sessions],
                     "candidates": [{"instructor": r.ident, "cost": r.cost,
                                     "reasons": list(r.reasons)} for r in ranked[:top]],
                     "ruled_out": [{"instructor": i, "why": w} for i, w in d.rejected]})
    if fmt == "json":
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        print(f"{row['cohort']}: {', '.join(row['sessions'])}")
        if not row["candidates"]:
            print("  nobody can take these sessions (see below)")
        for n, c in enumerate(row["candidates"], 1):
            print(f"  {n}. {c['instructor']} (cost {c['cost']}): {'; '.join(c['reasons'])}")


def _apply(args: argparse.Namespace, changes: Changes, academy: Academy,
           problems: list[Diagnostic],
           todo: list[Demand], plan: Plan) -> int:
    try:
        for d in todo:
            sub = plan.chosen[d.key]
            for s in d.sessions:
                people = [sub if i == args.instructor else i for i in s.instructors]
                assign_session(changes, d.cohort, s, list(dict.fromkeys(people)))
    except EditError as exc:
        print(f"trainkit: {exc.path}: {exc.message}; nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    def show_impact(changes: Changes, result: Result) -> Result:
        # Who the change affects, as 'trainkit diff' says it, before it is written.
        as_of = datetime.now(UTC)
        old = Side("before", None, Result(academy, problems))
        semantic = diff(academy, result.academy, as_of=as_of)
        sys.stdout.write(diff_render.render("text", semantic, old, Side("after", None, result),
                                            as_of=as_of, private=False))
        return result

    return finish(args, changes, [], show_impact)
