"""session-time, session-dst: sessions whose times cannot be right.

* **session-time** (error): a session that ends before it starts, or has no
  length at all (no ``end``, no ``duration`` and no session-plan template
  with a duration). Times are local wall time on the session's ``date``, so an
  ``end`` earlier than ``start`` would mean the next day, which trainkit does
  not guess: for a session that runs past midnight write ``duration:``.
  Also a session with no ``date`` or ``start``: usually an entry meant to
  change a session of the recurrence whose id the recurrence does not make
  (the message lists the ids it makes).
* **session-dst** (warning): a start or end wall time that does not exist
  on that day in the session's time zone (it falls in the hour skipped when
  the clocks go forward, e.g. 01:30 on 2026-03-29 in Europe/London), or that
  happens twice (the hour repeated when the clocks go back). trainkit reads a
  skipped time as the same instant an hour later and a repeated time as its
  first occurrence; move the session off that hour, or give a ``duration``
  so its length is exact. (An end computed from a ``duration`` is exact and
  never reported.)

A session id used twice in one cohort file is reported as ``duplicate-id``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from trainkit.calendars import UTC, ambiguous, exists
from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Session
from trainkit.rules._util import err, hours, warn

CODES = {"session-time": "error", "session-dst": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    changes: dict[tuple[str, date], bool] = {}
    for cohort in academy.cohorts.values():
        for s in cohort.sessions:
            program = academy.programs.get(s.program)
            if not (s.template and program and program.template(s.template) is None):
                yield from _length(s)  # (an unknown template is reported as such instead)
            if s.cancelled:
                continue
            # An end computed from a duration is an exact instant, never a wall-time mistake.
            ends = ((s.end, "ends"),) if s.end_given else ()
            for at, verb in ((s.start, "starts"), *ends):
                key = (s.timezone, at.date())
                if key not in changes:
                    changes[key] = _clock_change_near(at)
                if changes[key]:
                    yield from _wall_time(s, at, verb)


def _clock_change_near(at: datetime) -> bool:
    """Whether the UTC offset changes between noon the day before and noon the day after.

    Most days have no clock change, so this cheap test spares the exact
    (slower) gap and fold tests for nearly every session.
    """
    noon = at.replace(hour=12, minute=0, second=0, microsecond=0, fold=0)
    before = (noon - timedelta(days=1)).utcoffset()
    return before != (noon + timedelta(days=1)).utcoffset()


def _length(s: Session) -> Iterator[Diagnostic]:
    # Timestamps, not datetimes: two datetimes of one zone compare by wall time.
    start, end = s.start.timestamp(), s.end.timestamp()
    if end == start:
        yield err(s.loc, "session-time",
                  f"session {s.key} has no length; give it an 'end' time or a 'duration' "
                  "(or a session-plan 'template' that has one)")
    elif end < start:
        yield err(s.loc, "session-time",
                  f"session {s.key} ends at {s.end:%H:%M}, before it starts at {s.start:%H:%M} "
                  f"on {s.start:%Y-%m-%d}; fix the times, or write 'duration:' instead of 'end:' "
                  "for a session that runs past midnight")


def _wall_time(s: Session, at: datetime, verb: str) -> Iterator[Diagnostic]:
    if not exists(at):
        real = at.astimezone(UTC).astimezone(at.tzinfo)
        yield warn(s.loc, "session-dst",
                   f"session {s.key} {verb} at {at:%H:%M} on {at:%Y-%m-%d}, a time that does not "
                   f"exist in {s.timezone} (the clocks go forward then); it is read as "
                   f"{real:%H:%M}, so move the session off that hour")
    elif ambiguous(at) and at.fold == 0:
        yield warn(s.loc, "session-dst",
                   f"session {s.key} {verb} at {at:%H:%M} on {at:%Y-%m-%d}, a time that happens "
                   f"twice in {s.timezone} (the clocks go back then); it is read as the first one "
                   f"(UTC{_offset(at)}), so the session lasts {hours(s.duration)}; move it off "
                   "that hour or give a 'duration' to be exact")


def _offset(at: datetime) -> str:
    return f"{at:%z}"[:3] + ":" + f"{at:%z}"[3:]
