"""session-on-holiday, session-on-blackout: sessions on days nobody should be working.

* **session-on-holiday** (warning): a scheduled session on a public holiday.
  An in-person session is checked against its venue's country and
  subdivision (``address.country`` / ``subdivision``); an online session, or
  one without a venue, against the academy's ``holidays`` calendars. Holiday
  data comes from the maintained ``holidays`` library, observed days included.
* **session-on-blackout** (warning): a scheduled session inside one of the
  academy's ``blackout_dates`` ranges (both ends inclusive).

Dates are the session's local dates (its start day, and its end day for a
session running past midnight). Recurrences already skip these days unless
``skip_holidays`` / ``skip_blackouts`` are false, so these usually point at a
session moved by hand. Move the session, or cancel it (``status:
cancelled`` with a ``reason``); they are warnings because some teams do run
sessions on a holiday on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, HolidayCalendar, Session
from trainkit.resolve.calendars import blackout_on, holiday_name
from trainkit.resolve.programs import cohort_calendars
from trainkit.rules._util import live_sessions, warn

CODES = {"session-on-holiday": "warning", "session-on-blackout": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    settings = academy.settings
    calendars_of: dict[str | None, tuple[HolidayCalendar, ...]] = {}
    names: dict[tuple[date, tuple[HolidayCalendar, ...]], str | None] = {}
    for s in live_sessions(academy):
        venue_id = None if s.online else s.venue
        if venue_id not in calendars_of:
            calendars_of[venue_id] = cohort_calendars(settings, academy.venues.get(venue_id or ""))
        calendars = calendars_of[venue_id]
        for day in _days(s):
            key = (day, calendars)
            if key not in names:
                names[key] = holiday_name(day, calendars)
            if names[key]:
                yield warn(s.loc, "session-on-holiday",
                           f"session {s.key} is on {day}, a public holiday: {names[key]}; move it "
                           "or cancel it (status: cancelled, with a reason)")
                break
        for day in _days(s):
            b = blackout_on(day, settings.blackouts)
            if b is not None:
                yield warn(s.loc, "session-on-blackout",
                           f"session {s.key} is on {day}, inside the blackout '{b.reason}' "
                           f"({b.start} to {b.end}, {b.loc.path}:{b.loc.line}); move it or "
                           "cancel it (status: cancelled, with a reason)")
                break


def _days(s: Session) -> tuple[date, ...]:
    first = s.start.date()
    if s.end.date() == first:
        return (first,)
    # A session that ends at midnight does not touch the next day.
    last = (s.end - timedelta(microseconds=1)).date()
    return (first,) if last <= first else (first, last)
