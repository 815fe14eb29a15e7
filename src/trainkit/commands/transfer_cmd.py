"""``trainkit transfer``: move a learner from one cohort to another."""

from __future__ import annotations

import argparse
import sys

from trainkit.commands.common import EXIT_USAGE
from trainkit.commands.edit_common import (
    EDIT_EPILOG,
    add_date,
    add_edit_options,
    add_force,
    run_edit,
    today,
)
from trainkit.edit import Changes
from trainkit.edit.enrollments import transfer
from trainkit.model import Academy

HELP = f"""\
Move a learner from cohort FROM to cohort TO: the entry in FROM becomes
'status: withdrawn' with the reason 'transferred to TO', and the learner is
enrolled in TO, or put on its waitlist when TO is full. TO's registration
window and status are checked as for 'trainkit enroll' (--force --reason
accepts the transfer anyway). Both files are changed together or not at all.

{EDIT_EPILOG}
examples:
  trainkit transfer l-0104 fa-lon-2027-01 fa-lon-2027-03
  trainkit transfer l-0104 fa-lon-2027-01 fa-nyc-2027-02 --force --reason "moved to New York"

exit codes: 0 transferred (or, with --dry-run, would be); 1 refused or the
academy would have errors (nothing written); 3 internal error; 64 bad
command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("transfer", help="move a learner from one cohort to another",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("learner", metavar="LEARNER", help="the learner id")
    p.add_argument("source", metavar="FROM", help="the cohort the learner leaves")
    p.add_argument("target", metavar="TO", help="the cohort the learner joins")
    add_date(p)
    add_force(p)
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.force and not (args.reason or "").strip():
        print("trainkit transfer: --force needs --reason TEXT, which is recorded",
              file=sys.stderr)
        return EXIT_USAGE

    def operation(changes: Changes, academy: Academy) -> list[str]:
        return transfer(changes, academy, args.learner, args.source, args.target,
                        args.date or today(academy), force=args.force, reason=args.reason)

    return run_edit(args, operation, [args.source, args.target])
