"""``trainkit diff``: what a change does to people's calendars, rosters and records."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import git

from trainkit.commands import diff_render
from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    academy_root,
    add_root,
    moment_arg,
)
from trainkit.diagnostics import Severity
from trainkit.history.revision import Side, load_revision, revisions, rule_problems
from trainkit.history.scope import changed_files
from trainkit.history.semdiff import diff
from trainkit.load.loader import ParseCache
from trainkit.load.records import collector_paused
from trainkit.model import Academy

HELP = """\
Compare the academy at two revisions and report what changes for people, not
which lines changed: sessions added, removed, rescheduled (old and new local
time in the cohort's zone), cancelled or restored, moved to another room or
venue, instructors swapped; cohorts added, removed, renamed or moved to another
program; enrollments added, withdrawn or moved from the waitlist; completion
rules and certificate validity; attendance and quiz records; learners whose
completion status changes; and check problems the change introduces or
resolves (matched by code and message, not line).

Both revisions are read straight from git objects: nothing is checked out, so
it works in a dirty tree. BASE defaults to the merge-base of HEAD with the
default branch (origin/HEAD, else main, else master); HEAD defaults to the
working tree, uncommitted edits included. In a repository without that
branch or without commits, everything is reported as added.

Completion status is evaluated for both sides at the same moment: the HEAD
commit's time, or now for the working tree (--as-of overrides it).

Privacy: without --private, no format names learners or shows their ids or
e-mails; changes say how many learners and instructors they touch.

Cross-file rules run only on the cohorts a change can affect (the changed
ones and those sharing an instructor, learner or room with them), so a
problem elsewhere that HEAD already had is neither new nor resolved; run
'trainkit check' for the full list.

examples:
  trainkit diff                        this branch and its uncommitted edits vs main
  trainkit diff origin/main HEAD       committed changes only
  trainkit diff HEAD~1 --format json   the last commit plus edits, for a bot
  trainkit diff --format markdown > comment.md    a pull-request comment

exit codes: 0 the diff was printed and the change introduces no errors; 1 the
change introduces errors, or HEAD has files that do not load (syntax or
schema errors), or this is not a git repository (the diff is still printed
when there is one); 64 a revision does not exist or the command line is wrong.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("diff", help="semantic diff of two revisions: who is affected, how",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", nargs="?", metavar="BASE",
                   help="revision to compare from (default: merge-base with the default branch)")
    p.add_argument("head", nargs="?", metavar="HEAD",
                   help="revision to compare to (default: the working tree)")
    add_root(p)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (default), markdown (a pull-request comment) or json (for bots)")
    p.add_argument("--private", action="store_true",
                   help="name the learners and instructors each change touches (never in public "
                   "places such as pull-request comments on a public repository)")
    p.add_argument("--as-of", type=moment_arg, default=None, metavar="DATE",
                   help="evaluate completion at this date or date-time (default: the HEAD commit "
                   "time, or now for the working tree)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        print(f"trainkit: {root} is not in a git repository; 'trainkit diff' compares "
              "revisions, so run 'git init' and commit first", file=sys.stderr)
        return EXIT_ERRORS
    try:
        base, head, default = revisions(repo, args.base, args.head)
    except ValueError as exc:
        print(f"trainkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    prefix = Path(root).resolve().relative_to(Path(str(repo.working_tree_dir)).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix
    # Both revisions' documents and models live until the command ends: the
    # cyclic collector would only rescan them (seconds on a large academy) to
    # find no garbage, so it stays off until then.
    with collector_paused():
        return _diff(args, repo, base, head, prefix, root, default)


def _diff(args: argparse.Namespace, repo: git.Repo, base: git.Commit | None,
          head: git.Commit | None, prefix: str, root: Path, default: str) -> int:
    cache: ParseCache = {}
    old = load_revision(repo, base, prefix, root, cache, args.base or f"merge-base with {default}")
    new = load_revision(repo, head, prefix, root, cache, args.head or "")
    as_of = args.as_of or (datetime.fromtimestamp(head.committed_date, UTC) if head else
                           datetime.now(UTC))
    files = changed_files(old.blobs, new.blobs)
    old_rules, new_rules = rule_problems(_academy(old), _academy(new), files)
    result = diff(_academy(old), _academy(new),
                  old_problems=[*(old.result.diagnostics if old.result else ()), *old_rules],
                  new_problems=[*(new.result.diagnostics if new.result else ()), *new_rules],
                  as_of=as_of)
    sys.stdout.write(diff_render.render(args.format, result, old, new, as_of=as_of,
                                        private=args.private))
    introduced = any(p.severity is Severity.ERROR for p in result.new_problems)
    failed = new.result is None or bool(new.result.errors) or introduced
    return EXIT_ERRORS if failed else EXIT_OK


def _academy(side: Side) -> Academy | None:
    return side.result.academy if side.result else None
