"""``trainkit enroll``: add a learner to a cohort, or to its waitlist when it is full."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_USAGE
from trainkit.commands.edit_common import (
    EDIT_EPILOG,
    add_date,
    add_edit_options,
    add_force,
    run_edit,
    today,
)
from trainkit.edit import Changes
from trainkit.edit.enrollments import Refused, cohort_of, enroll
from trainkit.edit.learners import add_learner, by_email
from trainkit.edit.orders import add_seat
from trainkit.importers import registration_issue
from trainkit.model import Academy
from trainkit.pipeline import Result

HELP = f"""\
Enroll a learner in a cohort. When the cohort is full the learner goes on
its waitlist instead (and trainkit says so); 'trainkit promote' enrolls
waitlisted learners when places free up. The learner is given by id, or by
e-mail: an existing learner is found by e-mail (without regard to case), a
new one is added to the learner directory (to the file of their
--org, else to people/learners/registrations.yaml).

Refused, with a message: an unknown cohort or learner, a cancelled cohort, a
learner already enrolled or waitlisted there, and, unless --force is given
with a --reason (recorded in the enrollment), a registration outside the
cohort's registration window or for a closed or started cohort, and a
learner without the program's prerequisites (with --force the reason is
recorded as the enrollment's 'override').

--order ID puts the seat in the order records/orders/ID.yaml: in its line
for the cohort, at that line's price, or in a new line priced as the
cohort's price applied on the order's booking date. A new order needs --bill
ORGANISATION (who pays) and takes --po NUMBER; 'trainkit invoice' bills it.

--from-issue FILE reads the registration from a GitHub issue made with the
registration issue form: the issue body as the form writes it ('### Cohort',
'### Full name', '### E-mail', '### Organisation' sections), or the issue
event JSON of a workflow ($GITHUB_EVENT_PATH), whose opening date is the
registration date. When $GITHUB_OUTPUT is set (in GitHub Actions), cohort,
learner, status and approval are written to it for the next steps.

{EDIT_EPILOG}
examples:
  trainkit enroll fa-lon-2027-01 l-0104
  trainkit enroll fa-lon-2027-01 --email priya.shah@acme.example --name "Priya Shah" --org Acme
  trainkit enroll --from-issue "$GITHUB_EVENT_PATH"
  trainkit enroll fa-lon-2027-01 l-0104 --force --reason "late, agreed with the client"
  trainkit enroll fa-lon-2027-01 l-0104 --dry-run
  trainkit enroll fa-lon-2027-01 l-0104 --order acme-fa-2027-01 --bill acme-logistics --po PO-4471

exit codes: 0 enrolled or waitlisted (or, with --dry-run, would be); 1
refused, or the academy would have errors (nothing written); 3 internal
error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("enroll", help="enroll a learner in a cohort (or its waitlist)",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cohort", nargs="?", metavar="COHORT", help="the cohort id")
    p.add_argument("learner", nargs="?", metavar="LEARNER",
                   help="the learner id (or give --email and --name)")
    p.add_argument("--email", default=None, help="the learner's e-mail address")
    p.add_argument("--name", default=None, help="the learner's full name (for a new learner)")
    p.add_argument("--org", default=None, metavar="ORGANISATION",
                   help="the learner's organisation (for a new learner)")
    p.add_argument("--from-issue", type=Path, default=None, metavar="FILE",
                   help="read cohort, name, e-mail and organisation from a registration issue "
                   "(its body, or the issue event JSON)")
    p.add_argument("--order", default=None, metavar="ID",
                   help="put the seat in order records/orders/ID.yaml (created when new)")
    p.add_argument("--bill", default=None, metavar="ORGANISATION",
                   help="with a new --order: the organisation id that pays")
    p.add_argument("--po", default=None, metavar="NUMBER",
                   help="with --order: the client's purchase-order number")
    add_date(p)
    add_force(p)
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem:
        print(f"trainkit enroll: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.from_issue is not None:
        try:
            issue = registration_issue.read(args.from_issue.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"trainkit: {args.from_issue}: cannot be read ({exc})", file=sys.stderr)
            return EXIT_ERRORS
        except registration_issue.IssueError as exc:
            print(f"trainkit: {args.from_issue}: {exc}", file=sys.stderr)
            return EXIT_ERRORS
        args.cohort, args.email, args.name, args.org = (
            issue.cohort, issue.email, issue.name, issue.organisation)
        args.date = args.date or issue.day
    outcome: dict[str, str] = {}

    def operation(changes: Changes, academy: Academy) -> list[str]:
        return _enroll(args, changes, academy, outcome)

    def review(changes: Changes, result: Result) -> Result:
        return _prerequisites(args, changes, result, outcome)

    code = run_edit(args, operation, [args.cohort], review)
    if args.from_issue is not None and code == 0 and not args.dry_run:
        _github_output(outcome)
    return code


def _usage_problem(args: argparse.Namespace) -> str | None:
    given = [x for x in (args.learner, args.email, args.from_issue) if x is not None]
    if len(given) != 1:
        return "give one of LEARNER, --email (with --name), or --from-issue FILE"
    if args.from_issue is None and args.cohort is None:
        return "give the COHORT"
    if args.from_issue is not None and args.cohort is not None:
        return "--from-issue takes the cohort from the issue; do not give COHORT too"
    if args.force and not (args.reason or "").strip():
        return "--force needs --reason TEXT, which is recorded in the enrollment"
    return None


def _enroll(args: argparse.Namespace, changes: Changes, academy: Academy,
            outcome: dict[str, str]) -> list[str]:
    cohort = cohort_of(academy, args.cohort, changes.cohort_ids)
    messages = []
    learner_id, new = args.learner, False
    if learner_id is None:
        found = by_email(academy, args.email)
        if found is not None:
            learner_id = found.id
            messages.append(f"found learner {found.id!r} by e-mail")
        elif not (args.name or "").strip():
            raise Refused(f"no learner has the e-mail {args.email!r}; give --name to add one")
        else:
            learner_id, path = add_learner(changes, academy, args.name, args.email, args.org)
            new = True
            messages.append(f"added learner {learner_id!r} to {path}")
    day = args.date or today(academy)
    status, words = enroll(changes, academy, cohort.id, learner_id, day,
                           force=args.force, reason=args.reason, new_learner=new)
    outcome.update(cohort=cohort.id, learner=learner_id, status=status,
                   approval="true" if cohort.registration.approval else "false")
    messages.append(words)
    if args.order and status == "enrolled":
        messages.append(add_seat(changes, academy, args.order, cohort.id, learner_id, day,
                                 args.bill, args.po))
    elif args.order:
        messages.append(f"not added to order {args.order!r} while waitlisted")
    return messages


def _github_output(outcome: dict[str, str]) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if not target or not outcome:
        return
    with open(target, "a", encoding="utf-8") as fh:
        for key, value in outcome.items():
            fh.write(f"{key}={value}\n")


def _prerequisites(args: argparse.Namespace, changes: Changes, result: Result,
                   outcome: dict[str, str]) -> Result:
    """Refuse a learner who lacks the program's prerequisites, or record --force as an override.

    The full check of the change already judges prerequisites (the
    ``prerequisite-not-met`` rule); a warning there, for a cohort that has
    not started, still means the registration should not go through as it is.
    """
    learner, cohort = outcome.get("learner"), outcome.get("cohort")
    start = f"learner {learner!r} is enrolled in {cohort!r} without the prerequisites"
    found = [d for d in result.diagnostics
             if d.code == "prerequisite-not-met" and d.message.startswith(start)]
    if not found:
        return result
    if not args.force:
        what = found[0].message.split("; or add ")[0].split("; move the learner")[0]
        what = what.replace(" is enrolled in ", " would be enrolled in ", 1)
        raise Refused(f"{what}; to enroll them anyway, pass --force --reason TEXT (recorded "
                      "in the enrollment as an override)")
    doc = changes.open(found[0].path)
    entries = doc.get(["enrollments"]) or []
    # the learner's last entry: the one enroll just wrote or brought up to date
    index = max((i for i, e in enumerate(entries) if e.get("learner") == learner), default=None)
    if index is None:
        return result
    doc.set(["enrollments", index, "override"], {"reason": args.reason},
            after=("reason", "date", "status", "learner"))
    return changes.check()
