"""Registration settings, and when a cohort takes registrations.

:func:`read_registration` reads the ``registration:`` settings of the
academy, a program or a cohort (the resolver merges them, most specific
first). The rest says what they mean: everything is decided on days in the
cohort's own time zone, registration being open from the start of ``opens``
until the start of ``closes`` (by default the day of the first session).
The public page decides at the build's fixed time, ``trainkit enroll`` at
the day of the registration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from trainkit.load.yamlio import Document
from trainkit.model import Cohort, Loc, Registration

_DAYS_BEFORE = re.compile(r"^(\d+) days? before$")


def read_registration(doc: Document, data: dict[str, Any]) -> Registration:
    """The settings written in ``doc`` (unset ones are ``None``); the schema checked the shape."""
    r = data.get("registration")
    if not isinstance(r, dict):
        return Registration()
    line, col = doc.locate(("registration",))
    return Registration(
        channel=r.get("channel"),
        opens=window_edge(r.get("opens")),
        closes=window_edge(r.get("closes")),
        approval=r.get("approval"),
        email=r.get("email"),
        form_url=r.get("form_url"),
        repository=r.get("repository"),
        loc=Loc(doc.path, line, col),
    )


def window_edge(text: str | None) -> date | int | None:
    """``2026-08-01`` as a date, ``3 days before`` as 3, nothing as ``None``."""
    if text is None:
        return None
    m = _DAYS_BEFORE.match(text)
    return int(m.group(1)) if m else date.fromisoformat(text)


# Page states, in the order a cohort goes through them.
NOT_OPEN, REGISTER, WAITLIST, CLOSED, RUNNING, FINISHED, CANCELLED = (
    "not-open", "register", "waitlist", "closed", "running", "finished", "cancelled")


@dataclass(frozen=True, slots=True)
class Window:
    opens: date | None  # first day registrations are taken; None: from the start
    closes: date | None  # first day they are no longer taken; None: never (no sessions)

    def before(self, day: date) -> bool:
        return self.opens is not None and day < self.opens

    def after(self, day: date) -> bool:
        return self.closes is not None and day >= self.closes


def first_day(cohort: Cohort) -> date | None:
    """Local date of the cohort's first session that is not cancelled."""
    live = [s.start for s in cohort.sessions if not s.cancelled] or [
        s.start for s in cohort.sessions]
    if not live:
        return None
    return min(live).astimezone(ZoneInfo(cohort.timezone)).date()


def window(cohort: Cohort) -> Window:
    first = first_day(cohort)
    reg = cohort.registration
    return Window(_edge(reg.opens, first), _edge(reg.closes, first) or first)


def _edge(edge: date | int | None, first: date | None) -> date | None:
    if isinstance(edge, int):
        return first - timedelta(days=edge) if first is not None else None
    return edge


def local_day(cohort: Cohort, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(cohort.timezone)).date()


def is_full(cohort: Cohort) -> bool:
    return 0 < cohort.capacity <= len(cohort.active_enrollments())


def free_places(cohort: Cohort) -> int | None:
    """Places left; ``None`` when the cohort has no capacity (no limit)."""
    if cohort.capacity <= 0:
        return None
    return max(0, cohort.capacity - len(cohort.active_enrollments()))


def state(cohort: Cohort, now: datetime) -> str:
    """What the cohort page offers at ``now``: one of the states above."""
    if cohort.status == "cancelled":
        return CANCELLED
    start, end = cohort.start, cohort.end
    if end is not None and end < now:
        return FINISHED
    if start is not None and start <= now:
        return RUNNING
    return _open_state(cohort, local_day(cohort, now))


def _open_state(cohort: Cohort, day: date) -> str:
    win = window(cohort)
    if cohort.status == "closed" or win.after(day):
        return CLOSED
    if win.before(day):
        return NOT_OPEN
    return WAITLIST if is_full(cohort) else REGISTER


def refusal(cohort: Cohort, day: date) -> str | None:
    """Why a registration made on ``day`` is outside what the cohort accepts, or ``None``."""
    win = window(cohort)
    first = first_day(cohort)
    if cohort.status == "closed":
        return f"cohort {cohort.id!r} is closed for enrolment (status: closed)"
    if first is not None and day >= first:
        return f"cohort {cohort.id!r} started on {first.isoformat()}"
    if win.after(day):
        assert win.closes is not None
        return (f"registration for cohort {cohort.id!r} closed on {win.closes.isoformat()} "
                f"(the registration is dated {day.isoformat()})")
    if win.before(day):
        assert win.opens is not None
        return (f"registration for cohort {cohort.id!r} opens on {win.opens.isoformat()} "
                f"(the registration is dated {day.isoformat()})")
    return None
