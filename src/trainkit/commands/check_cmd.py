"""``trainkit check``: report every problem of every file as path:line:col."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainkit.commands.calendar_warnings import calendar_warnings
from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WARNINGS,
    academy_root,
    add_format,
    add_root,
    print_diagnostics,
    progress_printer,
    resolve_format,
)
from trainkit.load.parsecache import StoredParses
from trainkit.pipeline import Result, check_tree
from trainkit.rules import _catalog, all_rules

HELP = """\
Load the whole academy (every YAML and CSV file), validate each file against its
JSON Schema, resolve references, and run the cross-file rules (double-booked
instructors and rooms, capacity, qualifications, holidays, ...). All problems of
all files are reported in one run, sorted by file and line. In a git repository it
also warns, comparing with the last commit, when a cohort file is renamed or
deleted or a session removed: what subscribed calendars will then show
(docs/feeds.md).

Parsed files are kept in your own cache folder ($XDG_CACHE_HOME/trainkit/parsed,
never in the academy), shared with 'trainkit build': the next check parses only
the files that changed. --no-cache parses every file and keeps nothing.

examples:
  trainkit check                          every problem as path:line:col
  trainkit check --strict                 fail on warnings too (exit 2)
  trainkit check --format json            for tools
  trainkit check --list-rules             what each rule checks (docs/rules.md)

exit codes: 0 no errors (warnings allowed), 1 errors, 2 warnings only and
--strict, 3 internal error, 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="validate the academy and report problems",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_root(p)
    add_format(p, ("text", "github", "json", "markdown"))
    p.add_argument("--strict", action="store_true",
                   help="exit 2 when there are warnings but no errors")
    p.add_argument("--list-rules", action="store_true",
                   help="list the rules with their codes and documentation and exit (with "
                   "--format markdown: the page docs/rules.md; --format json: for tools)")
    p.add_argument("--progress", action="store_true", help="print what is being done to stderr")
    p.add_argument("--no-cache", action="store_true",
                   help="parse every file, neither using nor filling the cache of parsed files")
    p.add_argument("files", nargs="*", help=argparse.SUPPRESS)  # pre-commit passes changed files
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules(args.format)
    if args.format == "markdown":
        print("trainkit check: --format markdown goes with --list-rules; problems are "
              "printed as text, github or json", file=sys.stderr)
        return EXIT_USAGE
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    fmt = resolve_format(args.format)
    result = _check(root, args)
    if result.academy is not None:  # what the uncommitted edits do to subscribed calendars
        result.diagnostics.extend(calendar_warnings(root, result.academy))
    print_diagnostics(result.diagnostics, fmt)
    if result.errors:
        return EXIT_ERRORS
    if result.warnings and args.strict:
        return EXIT_WARNINGS
    if fmt == "text" and not result.diagnostics:
        print(f"trainkit: {root.name}: all good", file=sys.stderr)
    return EXIT_OK


def _check(root: Path, args: argparse.Namespace) -> Result:
    """The academy checked; unchanged files come from the parse cache, as in a build."""
    parses = None if args.no_cache else StoredParses.for_user()
    result = check_tree(root, parses, progress_printer(args.progress))
    if parses is not None:
        parses.prune()
    return result


def _list_rules(fmt: str | None) -> int:
    if fmt == "markdown":
        sys.stdout.write(_catalog.markdown())
    elif fmt == "json":
        sys.stdout.write(_catalog.as_json())
    else:
        for rule in all_rules():
            codes = ", ".join(f"{c} ({s})" for c, s in rule.codes.items())
            print(f"{rule.name}: {codes}\n\n{rule.doc}\n")
    return EXIT_OK
