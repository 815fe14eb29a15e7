"""``trainkit promote``: fill a cohort's free places from its waitlist."""

from __future__ import annotations

import argparse

from trainkit.commands.edit_common import EDIT_EPILOG, add_edit_options, run_edit
from trainkit.edit import Changes
from trainkit.edit.enrollments import promote
from trainkit.model import Academy

HELP = f"""\
Enroll waitlisted learners of a cohort while it has free places, in order of
registration date (the 'date' of each enrollment; undated entries last, in
file order). This is what the 'waitlist-with-space' warning of 'trainkit
check' asks for. 'trainkit waitlist COHORT' shows the order first.

{EDIT_EPILOG}
examples:
  trainkit promote fa-lon-2027-01
  trainkit promote fa-lon-2027-01 --dry-run

exit codes: 0 done (also when nobody could be promoted); 1 unknown or
cancelled cohort, or the academy would have errors; 3 internal error; 64
bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("promote", help="fill free places of a cohort from its waitlist",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cohort", metavar="COHORT", help="the cohort id")
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    def operation(changes: Changes, academy: Academy) -> list[str]:
        return promote(changes, academy, args.cohort)

    return run_edit(args, operation, [args.cohort])
