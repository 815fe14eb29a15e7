"""Options and helpers shared by commands."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from trainkit.diagnostics import Diagnostic, render, summary
from trainkit.load.sources import find_root

# Exit codes of every command (documented in the README and ``trainkit --help``).
EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2, 3, 64


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=None, metavar="DIR",
        help="the academy folder (default: the nearest folder at or above the current one "
        "that holds trainkit.yaml)",
    )


def add_format(parser: argparse.ArgumentParser,
               choices: tuple[str, ...] = ("text", "github", "json")) -> None:
    parser.add_argument(
        "--format", choices=choices, default=None,
        help="how to print problems: text (path:line:col: severity[code]: message), github "
        "(workflow annotations; the default when GITHUB_ACTIONS=true) or json",
    )


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def academy_root(args: argparse.Namespace) -> Path | None:
    """The academy folder, or ``None`` after telling the user how to fix it."""
    if args.root is not None:
        root = Path(args.root)
        if not (root / "trainkit.yaml").is_file():
            print(f"trainkit: {root}/trainkit.yaml: not found; is --root the academy folder?",
                  file=sys.stderr)
            return None
        return root.resolve()
    found = find_root(Path.cwd())
    if found is None:
        print(
            "trainkit: no trainkit.yaml in this folder or any folder above it; "
            "cd into an academy, pass --root DIR, or create one with 'trainkit init DIR'",
            file=sys.stderr,
        )
    return found


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str, *, quiet: bool = False) -> None:
    text = render(diagnostics, fmt)
    if fmt == "json":
        sys.stdout.write(text)
        return
    sys.stdout.write(text)
    if not quiet:
        print(summary(diagnostics), file=sys.stderr)


def progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    """A progress callback writing to stderr, when it is a terminal (or forced)."""
    if not enabled:
        return None

    def show(message: str) -> None:
        print(f"trainkit: {message}", file=sys.stderr, flush=True)

    return show


def moment_arg(text: str) -> datetime:
    """An ``--as-of`` value: a date or date-time, in UTC unless it says otherwise."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or date-time") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)
