"""``trainkit waitlist``: who waits for a place in a cohort, in the order they are served."""

from __future__ import annotations

import argparse
import json
import sys

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK, academy_root, add_root
from trainkit.edit import Changes
from trainkit.edit.enrollments import Refused, cohort_of, waitlist
from trainkit.resolve.registration import free_places

HELP = """\
Show a cohort's waitlist in the order 'trainkit promote' serves it (by
registration date), with the free places. Learner names and e-mails are
private: this is for the team, never for the public site.

examples:
  trainkit waitlist fa-lon-2027-01
  trainkit waitlist fa-lon-2027-01 --format json

exit codes: 0 shown; 1 unknown cohort or unreadable academy; 3 internal
error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("waitlist", help="show a cohort's waitlist",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cohort", metavar="COHORT", help="the cohort id")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (a numbered list) or json")
    add_root(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    changes = Changes(root)
    academy, _ = changes.academy([args.cohort])
    if academy is None:
        print("trainkit: the academy cannot be read; run 'trainkit check'", file=sys.stderr)
        return EXIT_ERRORS
    try:
        cohort = cohort_of(academy, args.cohort, changes.cohort_ids)
    except Refused as exc:
        print(f"trainkit: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    rows = []
    for e in waitlist(cohort):
        person = academy.learners.get(e.learner)
        rows.append({"learner": e.learner, "name": person.name if person else "",
                     "email": person.email if person else "",
                     "date": e.enrolled_on.isoformat() if e.enrolled_on else None})
    free = free_places(cohort)
    if args.format == "json":
        json.dump({"cohort": cohort.id, "capacity": cohort.capacity or None,
                   "enrolled": len(cohort.active_enrollments()), "free": free,
                   "waitlist": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    places = "no limit on places" if free is None else f"{free} of {cohort.capacity} places free"
    print(f"{cohort.id}: {len(cohort.active_enrollments())} enrolled, {places}, "
          f"{len(rows)} waiting")
    for i, r in enumerate(rows, 1):
        print(f"{i:>3}. {r['learner']}  {r['name']} <{r['email']}>  registered {r['date'] or '?'}")
    return EXIT_OK
