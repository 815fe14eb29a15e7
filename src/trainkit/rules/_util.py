"""Small helpers shared by rule modules."""

from __future__ import annotations

from datetime import datetime

from trainkit.diagnostics import Diagnostic, error, warning
from trainkit.model import Loc, Session


def err(where: Loc, code: str, message: str) -> Diagnostic:
    return error(where.path, where.line, where.col, code, message)


def warn(where: Loc, code: str, message: str) -> Diagnostic:
    return warning(where.path, where.line, where.col, code, message)


def when(s: Session) -> str:
    """``2026-03-04 10:00-12:00 Europe/London``: a session's local time, for messages."""
    return f"{s.start:%Y-%m-%d %H:%M}-{s.end:%H:%M} {s.timezone}"


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def sweep(items: list[tuple[datetime, datetime, Session]]) -> list[tuple[Session, Session]]:
    """Pairs of overlapping intervals, found by sorting: O(n log n + pairs).

    Each interval is compared only with the ones still open when it starts,
    so a resource with thousands of sessions is not scanned all-pairs.
    """
    items = sorted(items, key=lambda t: (t[0], t[1], t[2].key))
    found: list[tuple[Session, Session]] = []
    active: list[tuple[datetime, datetime, Session]] = []
    for start, end, s in items:
        active = [a for a in active if a[1] > start]
        found.extend((a[2], s) for a in active)
        active.append((start, end, s))
    return found
