"""``trainkit withdraw``: take a learner out of a cohort (the entry stays, as withdrawn)."""

from __future__ import annotations

import argparse

from trainkit.commands.edit_common import EDIT_EPILOG, add_edit_options, run_edit
from trainkit.edit import Changes
from trainkit.edit.enrollments import withdraw
from trainkit.model import Academy

HELP = f"""\
Withdraw an enrolled or waitlisted learner from a cohort: the enrollment
entry stays in the cohort file with 'status: withdrawn' (and --reason, when
given), so the history is kept. A place freed in a cohort with a waitlist
is not filled by itself: 'trainkit promote COHORT' does that.

{EDIT_EPILOG}
examples:
  trainkit withdraw fa-lon-2027-01 l-0104
  trainkit withdraw fa-lon-2027-01 l-0104 --reason "left the company"

exit codes: 0 withdrawn (or, with --dry-run, would be); 1 refused (unknown
cohort, learner not enrolled there) or the academy would have errors; 3
internal error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("withdraw", help="withdraw a learner from a cohort",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cohort", metavar="COHORT", help="the cohort id")
    p.add_argument("learner", metavar="LEARNER", help="the learner id")
    p.add_argument("--reason", default=None, metavar="TEXT",
                   help="why; written into the enrollment entry")
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    def operation(changes: Changes, academy: Academy) -> list[str]:
        return [withdraw(changes, academy, args.cohort, args.learner, args.reason)]

    return run_edit(args, operation, [args.cohort])
