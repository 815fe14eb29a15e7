"""VTIMEZONE definitions that every calendar client reads the same way.

RFC 5545 lets one observance list many onsets (``DTSTART`` plus a
comma-separated ``RDATE``), and that is what ``icalendar``'s
``Timezone.from_tzid`` writes. Real clients mishandle it: ical.js (Thunderbird
and many web apps) ignores the ``DTSTART`` onset when ``RDATE`` is present and
reads only the first ``RDATE`` value, so whole daylight-saving periods vanish.
This module writes the form every reader agrees on:

* one observance per transition, each with its own ``DTSTART`` and no
  ``RDATE`` or ``RRULE``;
* a first observance at 1 January of the first year, holding the offset then
  in force, so every time from there on is covered;
* only the transitions of the years the feed needs (whole calendar years);
* each onset written as the local time *before* the change (RFC 5545: an
  observance's ``DTSTART`` is in its ``TZOFFSETFROM`` offset), so New York's
  spring-forward onset is ``20260308T020000`` with ``TZOFFSETFROM:-0500``;
* no ``COMMENT`` directly under ``VTIMEZONE`` (RFC 5545 allows it only inside
  an observance; libical's restriction check rejects it).

Transitions come from ``zoneinfo`` (the IANA database Python ships or the
system's), found by stepping through the years in UTC and narrowing each
change down to the second. ``icalendar`` builds and serialises the components.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# Coarse step of the search; no zone has changed its clock twice within 6 hours.
STEP = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Transition:
    """The clock change at ``at`` (UTC), or the offset in force at a range's start."""

    at: datetime  # UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    save: timedelta  # the daylight-saving amount zoneinfo reports (negative in Dublin's winter)

    def onset(self) -> datetime:
        """The local wall time of the onset, in the offset before the change (naive)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(zone: ZoneInfo, at: datetime) -> tuple[timedelta, str, timedelta]:
    local = at.astimezone(zone)
    offset = local.utcoffset() or timedelta()
    return offset, local.tzname() or _offset_name(offset), local.dst() or timedelta()


def _daylight(saves: list[timedelta]) -> list[bool]:
    """DAYLIGHT or STANDARD for each period, from its daylight-saving amount.

    Europe/Dublin's summer time is its legal standard time and its winter time
    a negative save; clients (and the rearguard form of the IANA data) call the
    summer period daylight, so a period next to a negative save counts as one.
    """
    zero = timedelta()
    out = []
    for i, save in enumerate(saves):
        near = saves[max(i - 1, 0):i + 2]
        out.append(save > zero or (save == zero and any(s < zero for s in near)))
    return out


def _offset_name(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def transitions(tzid: str, first_year: int, last_year: int) -> list[Transition]:
    """The offset in force at the start of ``first_year``, then every change up to ``last_year``."""
    zone = ZoneInfo(tzid)
    start = datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    until = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    offset, name, save = _state(zone, start)
    found = [Transition(start, offset, offset, name, save)]
    here, state = start, (offset, name, save)
    while here < until:
        after = min(here + STEP, until)
        new = _state(zone, after)
        if new != state:
            when = _narrow(zone, here, after, state)
            found.append(Transition(when, state[0], *_state(zone, when)))
            state = _state(zone, when)
            here = when
            continue
        here = after
    return found


def _narrow(zone: ZoneInfo, before: datetime, after: datetime,
            state: tuple[timedelta, str, timedelta]) -> datetime:
    """The first second in ``(before, after]`` whose state differs from ``state``."""
    lo, hi = before, after
    while hi - lo > timedelta(seconds=1):
        middle = lo + (hi - lo) / 2
        middle = middle.replace(microsecond=0)
        if _state(zone, middle) == state:
            lo = middle
        else:
            hi = middle
    return hi


@cache
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The ``VTIMEZONE`` for ``tzid`` covering whole years ``first_year..last_year``."""
    tz = Timezone()
    tz.add("TZID", tzid)
    found = transitions(tzid, first_year, last_year)
    for t, daylight in zip(found, _daylight([t.save for t in found]), strict=True):
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("DTSTART", t.onset())
        part.add("TZOFFSETFROM", t.offset_from)
        part.add("TZOFFSETTO", t.offset_to)
        part.add("TZNAME", t.name)
        tz.add_component(part)
    raw: bytes = tz.to_ical()
    return raw
