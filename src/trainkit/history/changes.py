"""One semantic change and the set of them, as :mod:`~trainkit.history.semdiff` and
:mod:`~trainkit.history.semdiff_records` make them and ``trainkit diff`` prints them.

Every :class:`Change` carries the learner and instructor ids it touches, so
the caller can print counts (the default: learner ids are pseudonymous but
still personal) or names (``--private``). Learner names appear only in
``Change.private``; the public ``text`` never holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from trainkit.diagnostics import Diagnostic
from trainkit.model import (
    RECORD_LOCATION_FIELDS,
    AttendanceRecord,
    QuizResult,
)

# The order changes are listed in, within one cohort.
KINDS = (
    "program-added", "program-removed", "completion-rules-changed", "certificate-changed",
    "cohort-added", "cohort-removed", "cohort-renamed", "cohort-moved", "cohort-status",
    "cohort-details", "session-added", "session-removed", "session-rescheduled",
    "session-cancelled", "session-restored", "session-moved", "instructors-changed",
    "enrolled", "from-waitlist", "waitlisted", "withdrawn", "enrollment-changed",
    "attendance-changed", "quiz-results-changed", "assessment-results-changed",
    "certificates-revoked", "completion-changed",
)


@dataclass(frozen=True)
class Change:
    """One semantic change. ``text`` is public; ``private`` lines may name learners."""

    kind: str
    program: str  # program id ("" when academy-wide)
    cohort: str  # cohort id ("" when program- or academy-wide)
    text: str
    learners: frozenset[str] = frozenset()
    instructors: frozenset[str] = frozenset()
    # (learner id, what happened to them): shown, with names, only with --private
    private: tuple[tuple[str, str], ...] = ()

    def sort_key(self) -> tuple[bool, str, str, int, str]:
        # Academy-wide changes (no program) come last.
        return (not self.program, self.program, self.cohort, KINDS.index(self.kind), self.text)


@dataclass
class SemDiff:
    changes: list[Change] = field(default_factory=list)
    new_problems: list[Diagnostic] = field(default_factory=list)
    resolved_problems: list[Diagnostic] = field(default_factory=list)

    def learners(self) -> frozenset[str]:
        return frozenset().union(*(c.learners for c in self.changes))

    def instructors(self) -> frozenset[str]:
        return frozenset().union(*(c.instructors for c in self.changes))


def plain(value: Any) -> Any:
    """``value`` with every ``loc`` dropped, so moving a line is not a change."""
    if is_dataclass(value) and not isinstance(value, type):
        return tuple(plain(getattr(value, f.name)) for f in fields(value) if f.name != "loc")
    if isinstance(value, AttendanceRecord | QuizResult):  # named tuples: drop path and line
        return tuple(v for f, v in zip(value._fields, value, strict=True)
                     if f not in RECORD_LOCATION_FIELDS)
    if isinstance(value, tuple | list):
        return tuple(plain(v) for v in value)
    return value


def count(n: int, word: str) -> str:
    """``1 learner``, ``3 learners``: a count with its noun in the right number."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def when(start: datetime, end: datetime, tz: str) -> str:
    """``Tue 3 Mar 2026 09:00-17:00`` in the zone ``tz`` (the cohort's)."""
    zone = ZoneInfo(tz)
    a, b = start.astimezone(zone), end.astimezone(zone)
    day = f"{a:%a} {a.day} {a:%b %Y}"
    if a.date() == b.date():
        return f"{day} {a:%H:%M}-{b:%H:%M}"
    return f"{day} {a:%H:%M} to {b:%a} {b.day} {b:%b %Y %H:%M}"
