"""The ``trainkit`` command line: the only module that prints or exits.

Exit codes (every command):

* 0: success, no problems
* 1: the academy has errors (or the command could not do its job)
* 2: only warnings, and ``--strict`` was given
* 3: internal error (a bug in trainkit: please report it with the traceback)
* 64: the command line itself is wrong (unknown option, missing argument)
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from trainkit import __version__
from trainkit.commands.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
)

COMMANDS = ("check", "build", "diff", "notify", "init", "serve", "schema", "import",
            "enroll", "withdraw", "transfer", "promote", "waitlist", "plan", "substitute",
            "invoice")


DESCRIPTION = """\
Training operations as code: programs, cohorts, instructors, venues, learners,
self-paced courses and records live as YAML and CSV in git. trainkit checks
them, builds the public site and calendar feeds, and writes private reports.

Run a command inside the academy (any folder below the one holding
trainkit.yaml), or point at it with --root.
"""

EPILOG = """\
examples:
  trainkit check                       report every problem as path:line:col
  trainkit check --format github       annotations for GitHub Actions
  trainkit build                       site/ (public) and reports/ (private)
  trainkit diff origin/main            what a change does to people's calendars
  trainkit COMMAND --help              more on one command

exit codes: 0 ok, 1 errors, 2 warnings only (with --strict), 3 internal error,
64 bad command line.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``) the top level and that one command.

    Each command module imports what its command needs (the writers, the
    planner's solver, the importers); building the parser for every command
    would import all of them before any work starts. ``main`` asks for the one
    command named on the command line; ``--help`` and an unknown name get them all.
    """
    parser = _Parser(
        prog="trainkit", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"trainkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        module = _command(name)
        if module is not None:
            module.add_parser(sub)
    return parser


def _command(name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"trainkit.commands.{name.replace('-', '_')}_cmd")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("trainkit.commands."):
            return None
        raise


def _named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names: its first word, if it is one of ``COMMANDS``."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_named(words))
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("trainkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # a bug: show it, and say so
        traceback.print_exc()
        print(
            "trainkit: internal error (this is a bug in trainkit, not in your files); "
            "please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
