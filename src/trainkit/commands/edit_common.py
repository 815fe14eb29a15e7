"""What the commands that change academy files share: options, checking, writing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    academy_root,
    add_format,
    add_root,
    print_diagnostics,
)
from trainkit.commands.common import resolve_format as _fmt
from trainkit.diagnostics import Severity
from trainkit.edit import Changes, EditError
from trainkit.edit.enrollments import Refused
from trainkit.model import Academy
from trainkit.pipeline import Result

EDIT_EPILOG = """\
The change is made to the YAML files as they are written (comments, order,
quoting and blank lines kept; only the changed lines change), then the whole
academy is checked as 'trainkit check' would check it. With an error nothing
is written. --dry-run prints the change as a unified diff instead of writing
it. Review and merge the change like any other (trainkit diff shows it).
"""


def add_edit_options(p: argparse.ArgumentParser) -> None:
    add_root(p)
    add_format(p)
    p.add_argument("--dry-run", action="store_true",
                   help="print the change as a unified diff and write nothing")


def add_force(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="accept a registration outside its window or for a closed or started "
                   "cohort (needs --reason, which is recorded)")
    p.add_argument("--reason", default=None, metavar="TEXT",
                   help="why; written into the enrollment entry")


def add_date(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the registration date (default: today in the academy's time zone)")


def today(academy: Academy) -> date:
    return datetime.now(ZoneInfo(academy.settings.timezone)).date()


Operation = Callable[[Changes, Academy], list[str]]
# Looks at the checked result before anything is written: raises Refused, says
# what the change does, or changes more and returns the new result (e.g. an
# override recorded with --force).
Review = Callable[[Changes, Result], Result]


def run_edit(args: argparse.Namespace, operation: Operation,
             cohorts: Sequence[str] | None = None, review: Review | None = None) -> int:
    """Load the academy, apply ``operation``, check the result, then diff or write.

    ``cohorts``: the only cohorts the operation decides about (faster to read).
    """
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    changes = Changes(root)
    academy, problems = changes.academy(cohorts)
    if academy is None:
        print_diagnostics([p for p in problems if p.severity is Severity.ERROR], _fmt(args.format))
        print("trainkit: the academy cannot be read; fix the errors above first", file=sys.stderr)
        return EXIT_ERRORS
    try:
        messages = operation(changes, academy)
    except Refused as exc:
        print(f"trainkit: refused: {exc}; nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    except EditError as exc:
        where = f"{exc.path}:{exc.line}:{exc.col}" if exc.line else exc.path
        print(f"trainkit: {where}: {exc.message}; nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    return finish(args, changes, messages, review)


def finish(args: argparse.Namespace, changes: Changes, messages: list[str],
           review: Review | None = None) -> int:
    if not changes.changed():
        for m in messages:
            print(f"trainkit: {m}", file=sys.stderr)
        return EXIT_OK
    result = changes.check()
    if review is not None and not result.errors:
        try:
            result = review(changes, result)
        except Refused as exc:
            print(f"trainkit: refused: {exc}; nothing was written", file=sys.stderr)
            return EXIT_ERRORS
    if result.errors:
        print_diagnostics(result.errors, _fmt(args.format), quiet=True)
        print("trainkit: the academy would have the errors above after this change; "
              "nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    if args.dry_run:
        sys.stdout.write(changes.diff())
        for m in messages:
            print(f"trainkit: {m}", file=sys.stderr)
        print("trainkit: dry run: the diff above shows the change; nothing was written",
              file=sys.stderr)
        return EXIT_OK
    try:
        written = changes.write()
    except EditError as exc:
        print(f"trainkit: {exc.path}: {exc.message}", file=sys.stderr)
        return EXIT_ERRORS
    for m in messages:
        print(f"trainkit: {m}", file=sys.stderr)
    print(f"trainkit: changed {', '.join(written)}", file=sys.stderr)
    return EXIT_OK
