"""``trainkit notify``: e-mail people what a change or the calendar means for them."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import git

from trainkit.commands.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    academy_root,
    add_root,
    moment_arg,
    print_diagnostics,
)
from trainkit.load.records import collector_paused
from trainkit.load.yamlcore import YamlError
from trainkit.load.yamlio import parse, read_text
from trainkit.model import Academy
from trainkit.notify.backends import Backend, OutboxBackend, SmtpBackend
from trainkit.notify.deliver import Outcome, deliver
from trainkit.notify.ledger import Ledger, LedgerError
from trainkit.notify.plan import Plan, from_revisions, from_worktree, last_run
from trainkit.notify.templates import template_problems

HELP = """\
Tell people by e-mail what a change means for them, or what is due.

Without --due, compare two revisions (as 'trainkit diff' does) and write one
message per person and session: an invitation when they are enrolled or a
session is added, an update when it moves (time, room, venue, meeting link),
a cancellation when it is cancelled or removed or they are withdrawn, and a
notice to an instructor newly assigned. Each carries a calendar part
(text/calendar; method=REQUEST or CANCEL) with the UID of the session's feed
event, so calendar apps add, move and remove the event themselves. BASE
defaults to the merge-base with the default branch, HEAD to the working tree.

With --due, look at the working tree at one moment (--as-of, default now):
session reminders, certificates about to expire or expired, learners at risk
of not completing, waitlist places free.

By default nothing is sent: the messages are written to reports/outbox/ as
.eml files with an index.csv. --send delivers them over the SMTP server in
trainkit.yaml (notifications.smtp), with the user name and password from the
environment variables it names, and records each message the server accepted
in the ledger (notifications.ledger, default records/notifications.csv).
Nothing in the ledger is sent again; commit it so the next run knows.

examples:
  trainkit notify HEAD~1 HEAD                 what the last commit would send
  trainkit notify main HEAD --send            send it
  trainkit notify --due --as-of 2026-03-27T07:00:00Z
  trainkit notify --due --send                the daily run
  trainkit notify --since-last-run HEAD --send    CI: everything since the last complete run

exit codes: 0 done; 1 the academy has errors, notifications are not
configured, a message failed (it is retried next run) or the ledger cannot be
read; 64 a revision does not exist or the command line is wrong.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("notify", help="e-mail invitations, updates, cancellations and reminders",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", nargs="?", metavar="BASE",
                   help="revision to compare from (default: merge-base with the default branch)")
    p.add_argument("head", nargs="?", metavar="HEAD",
                   help="revision to compare to (default: the working tree)")
    add_root(p)
    p.add_argument("--due", action="store_true",
                   help="reminders, certificate expiry, at-risk and waitlist notices instead of "
                   "the messages of a change")
    p.add_argument("--as-of", type=moment_arg, default=None, metavar="DATE",
                   help="the moment to judge at (default: now with --due, else the HEAD commit "
                   "time); also the messages' Date")
    p.add_argument("--send", action="store_true",
                   help="deliver over SMTP and record each message in the ledger (default: "
                   "write the outbox only)")
    p.add_argument("--since-last-run", action="store_true",
                   help="compare from the newest commit a complete --send run went through "
                   "(recorded in the ledger; HEAD~1 when there is none) instead of BASE")
    p.add_argument("--reports-dir", type=Path, default=None, metavar="DIR",
                   help="where the outbox goes (default: reports/ in the academy)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The academy stays alive until the command ends: the cyclic collector
    # would rescan it (seconds on a large academy) each time building
    # messages makes enough objects, to find no garbage; it stays off.
    with collector_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    root = academy_root(args)
    if root is None:
        return EXIT_ERRORS
    if args.due and (args.base or args.head or args.since_last_run):
        print("trainkit: --due looks at the working tree; leave out BASE, HEAD and "
              "--since-last-run", file=sys.stderr)
        return EXIT_USAGE
    if args.since_last_run and args.head is not None:
        print("trainkit: with --since-last-run give only HEAD (as the one revision)",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        ledger = Ledger(root / ledger_path(root))
    except LedgerError as exc:
        print(f"trainkit: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    plan = _plan(args, root, ledger)
    if isinstance(plan, int):
        return plan
    if plan.academy is None:
        print_diagnostics(plan.problems, "text")
        print("trainkit: nothing sent: fix the errors above first", file=sys.stderr)
        return EXIT_ERRORS
    academy = plan.academy
    refused = template_problems(root, academy.settings.notifications.templates)
    if refused:
        print_diagnostics(refused, "text")
        print("trainkit: nothing sent: the templates above cannot be used", file=sys.stderr)
        return EXIT_ERRORS
    backend = _backend(args, root, academy)
    if backend is None:
        return EXIT_ERRORS
    outcome = deliver(academy, root, plan.notices, backend, ledger, plan.moment,
                      record=args.send)
    failed = bool(outcome.failed or outcome.stopped)
    if args.send and not failed and plan.head and not args.due:
        ledger.through(plan.head, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        ledger.save()
    _summary(plan, outcome, args.send, backend)
    return EXIT_ERRORS if failed else EXIT_OK


def ledger_path(root: Path) -> str:
    """``notifications.ledger`` of trainkit.yaml, read before the academy is checked."""

    default = "records/notifications.csv"
    try:
        data, _ = parse(read_text("trainkit.yaml", (root / "trainkit.yaml").read_bytes()))
    except (OSError, YamlError, ValueError):
        return default
    section = data.get("notifications") if isinstance(data, dict) else None
    value = section.get("ledger") if isinstance(section, dict) else None
    return value if isinstance(value, str) and value else default


def _plan(args: argparse.Namespace, root: Path, ledger: Ledger) -> Plan | int:
    if args.due:
        return from_worktree(root, args.as_of or datetime.now(UTC))
    try:
        base, head = args.base, args.head
        if args.since_last_run:  # the one revision given is HEAD
            base, head = last_run(root, ledger, args.base), args.base
        return from_revisions(root, base, head, args.as_of, ledger)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        print(f"trainkit: {root} is not in a git repository; 'trainkit notify' compares "
              "revisions (or use --due)", file=sys.stderr)
        return EXIT_ERRORS
    except ValueError as exc:
        print(f"trainkit: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _backend(args: argparse.Namespace, root: Path, academy: Academy) -> Backend | None:
    settings = academy.settings.notifications
    if not args.send:
        reports = (args.reports_dir or root / "reports").resolve()
        return OutboxBackend(reports / settings.outbox)
    if settings.from_email is None:
        print("trainkit.yaml: notifications are not configured: add 'notifications:' with "
              "'from:' and 'smtp:' (see docs/notifications.md)", file=sys.stderr)
        return None
    smtp = settings.smtp
    names = [n for n in (smtp.username_env, smtp.password_env) if n]
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        print(f"trainkit: the environment variable {', '.join(missing)} named in trainkit.yaml "
              "(notifications.smtp) is not set; in CI, pass it from a repository secret",
              file=sys.stderr)
        return None
    return SmtpBackend(smtp, os.environ.get(smtp.username_env or ""),
                       os.environ.get(smtp.password_env or ""))


def _summary(plan: Plan, outcome: Outcome, sent: bool, backend: Backend) -> None:
    kinds = Counter(n.kind for n in outcome.handed)
    what = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"
    verb = "sent" if sent else "written to the outbox"
    print(f"trainkit: {plan.label}: {len(outcome.handed)} messages {verb} ({what}); "
          f"{outcome.already} already sent before (ledger)")
    if isinstance(backend, OutboxBackend):
        print(f"trainkit: outbox: {backend.folder}")
    for notice, why in outcome.failed:
        print(f"trainkit: not sent to {notice.recipient.id} ({notice.kind}): {why}; "
              "it is retried next run", file=sys.stderr)
    if outcome.stopped:
        print(f"trainkit: stopped: {outcome.stopped}; {outcome.pending} messages wait for the "
              "next run", file=sys.stderr)
