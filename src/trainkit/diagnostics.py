"""The one problem type every stage reports, and how the CLI prints it.

Stages never raise on a user mistake: they yield :class:`Diagnostic` values,
which are collected, sorted by file and position, and printed once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at ``path:line:col`` (both 1-based; 0 means "the whole file")."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def text(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.severity.value}[{self.code}]: {self.message}"

    def github(self) -> str:
        # Workflow commands: '%', CR and LF must be escaped in the message,
        # and ',' / ':' as well in properties.
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        kind = "error" if self.severity is Severity.ERROR else "warning"
        return (
            f"::{kind} file={file},line={max(self.line, 1)},col={max(self.col, 1)},"
            f"title={self.code}::{msg}"
        )

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, code, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, code, message)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.col, d.code, d.message)


def render(diagnostics: Iterable[Diagnostic], fmt: str) -> str:
    """Render sorted diagnostics as ``text``, ``github`` or ``json``."""
    items = sorted(set(diagnostics), key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_json() for d in items], indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(d.github() + "\n" for d in items)
    return "".join(d.text() + "\n" for d in items)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    items = list(diagnostics)
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = len(items) - errors
    files = len({d.path for d in items})
    if not items:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def did_you_mean(word: str, candidates: Iterable[str], limit: int = 5) -> str:
    """A hint listing the closest known names (or a few known ones)."""
    import difflib

    known = sorted(set(candidates))
    close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not known:
        return "none are defined"
    shown = ", ".join(known[:limit])
    more = f", … ({len(known)} in all)" if len(known) > limit else ""
    return f"known: {shown}{more}"
