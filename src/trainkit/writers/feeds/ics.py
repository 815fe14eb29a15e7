"""iCalendar pieces built with the ``icalendar`` library, ready to be concatenated.

Every feed is ``header + VTIMEZONEs + VEVENTs + footer``. Each session's
VEVENT is serialised ONCE per audience, not once per subscriber:

* the properties every audience shares (UID, times, SEQUENCE, SUMMARY,
  DESCRIPTION …) are serialised once per session;
* the ones that depend on the audience (LOCATION, CONFERENCE) are serialised
  once per *variant*: ``public`` (site feeds), ``learner`` (adds the private
  online link) and ``instructor`` (adds the link and the room's capacity and
  step-free access). A variant that would equal another reuses its bytes.
  Private details live in these short properties so that the long
  DESCRIPTION (costly to fold) is serialised only once.

A feed is then a ``b"".join`` of cached bytes. Each property line is
serialised by ``icalendar`` (its ``Contentline`` does the escaping, the
75-octet folding and CRLF); values that recur across sessions are serialised
once per build (:class:`Lines`). Property order inside a VEVENT carries no
meaning (RFC 5545 §3.6), so assembling it from lines is safe.

Pitfalls of icalendar 7.3 handled here (each has a test):

* ``X-WR-CALDESC`` / ``X-WR-CALNAME`` given as ``str`` are written unescaped,
  and a newline then crashes ``to_ical()``: they are added as ``vText``.
* ``REFRESH-INTERVAL`` is written without ``VALUE=DURATION`` (required by
  RFC 7986), and a ``timedelta`` under ``X-PUBLISHED-TTL`` comes out as
  ``12:00:00``: both are added as ``vDuration`` with explicit parameters.
* ``Calendar.new()`` / ``Event.new()`` invent a random UID and stamp the wall
  clock: they are not used; every line is built from a value given here (UID
  a UUIDv5 of the session key, DTSTAMP the build's fixed time).

VTIMEZONEs come from :mod:`trainkit.writers.feeds.vtimezone` (one observance per
clock change, the form every client reads alike), limited to the whole
calendar years a feed's events span and cached per zone and year range. A
start or end whose local wall time is not unique (in the hour skipped or
repeated at a clock change) is written in UTC, see :func:`instant`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any

from icalendar import (
    vCategory,
    vDDDTypes,
    vDuration,
    vGeo,
    vInt,
    vText,
    vUri,
)
from icalendar.parser import Contentline

from trainkit.history.sequence import Change, event_sequence
from trainkit.model import Academy, Cohort, Session
from trainkit.writers import places
from trainkit.writers.feedlinks import cohort_page_path
from trainkit.writers.feeds.vtimezone import vtimezone

PRODID = "-//trainkit//trainkit feeds//EN"
# Fixed namespace for session UIDs: uuid5(NAMESPACE_URL, "urn:trainkit:session").
SESSION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trainkit:session")
FOOTER = b"END:VCALENDAR\r\n"


def session_uid(academy_id: str, key: str) -> str:
    """A stable, opaque UID: the same for a session however often it moves."""
    return f"{uuid.uuid5(SESSION_NAMESPACE, f'{academy_id}/{key}')}"


@dataclass(frozen=True, slots=True)
class EventBytes:
    """One session's VEVENT for each audience, plus what a feed needs to know."""

    public: bytes
    learner: bytes
    instructor: bytes
    tzid: str | None  # None for UTC times (no VTIMEZONE needed)
    first_year: int
    last_year: int


class Lines:
    """Serialises single properties with icalendar, remembering repeated ones.

    Many property values recur across sessions (the cohort URL, the program's
    categories, a room's LOCATION, the build's DTSTAMP, "Program: session"
    summaries): each distinct one is serialised once per build. Each line is
    what ``Component.to_ical`` would write for it (same ``Contentline``
    folding and escaping), so the bytes are the library's.
    """

    def __init__(self) -> None:
        self.memo: dict[tuple[str, str], bytes] = {}

    @staticmethod
    def line(name: str, prop: Any) -> bytes:
        raw: bytes = Contentline.from_parts(name, prop.params, prop).to_ical()
        return raw + b"\r\n"

    def text(self, name: str, value: str) -> bytes:
        """A TEXT property whose value repeats (memoised)."""
        key = (name, value)
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = self.line(name, vText(value))
        return hit

    def other(self, name: str, key: str, make: Callable[[], Any]) -> bytes:
        """Any other repeating property, memoised by ``key``."""
        memo_key = (name, key)
        hit = self.memo.get(memo_key)
        if hit is None:
            hit = self.memo[memo_key] = self.line(name, make())
        return hit


def event_bytes(academy: Academy, session: Session, change: Change, stamp: datetime,
                private: bool, lines: Lines | None = None,
                cohort: Cohort | None = None) -> EventBytes:
    """Serialise one session; ``private`` False skips the personal variants.

    ``cohort`` is the session's cohort when it is not the academy's (a removed
    session of a deleted cohort file, as history last saw it).
    """
    lines = lines or Lines()
    cohort = cohort or academy.cohorts[session.cohort]
    program = academy.programs.get(session.program)
    cancelled = session.cancelled or cohort.status == "cancelled"
    title = f"{program.title}: {session.title}" if program else session.title
    start, finish = instant(session.start), instant(session.end)
    url = academy.settings.base_url + cohort_page_path(cohort.id)
    cats = categories(session, program.tags if program else ())
    modified = change.last_modified
    sequence = event_sequence(change, cancelled)
    head = b"".join([
        b"BEGIN:VEVENT\r\n",
        lines.text("SUMMARY", f"Cancelled: {title}" if cancelled else title),
        lines.line("DTSTART", start),
        lines.line("DTEND", finish),
        lines.other("DTSTAMP", stamp.isoformat(), lambda: vDDDTypes(stamp)),
        lines.line("UID", vText(session_uid(academy.settings.id, session.key))),
        lines.other("SEQUENCE", str(sequence), lambda: vInt(sequence)),
        lines.other("LAST-MODIFIED", modified.isoformat(), lambda: vDDDTypes(modified))
        if modified is not None else b"",
        lines.text("STATUS", "CANCELLED" if cancelled else "CONFIRMED"),
        lines.other("URL", url, lambda: vUri(url)),
        lines.other("CATEGORIES", "\0".join(cats), lambda: vCategory(cats)),
        lines.line("DESCRIPTION", vText(description(academy, session, cohort, cancelled))),
        _geo(academy, session, lines),
    ])
    end = b"END:VEVENT\r\n"
    public = head + lines.text("LOCATION", location(academy, session, "public")) + end
    learner = instructor = public
    link = session.online_url if session.online else None
    if private:
        conference = lines.other("CONFERENCE", link, lambda: conference_uri(link)) if link else b""
        if link:
            where = location(academy, session, "learner")
            learner = head + lines.text("LOCATION", where) + conference + end
        where = location(academy, session, "instructor")
        instructor = head + lines.text("LOCATION", where) + conference + end
        if instructor == learner:
            instructor = learner  # share one object: less memory for 20,000 sessions
    tzid = start.params.get("TZID") or finish.params.get("TZID")
    return EventBytes(public, learner, instructor, tzid, session.start.year, session.end.year)


def instant(at: datetime) -> vDDDTypes:
    """``at`` as a DTSTART/DTEND value every reader turns into the same instant.

    A local time with TZID names one instant only when that wall time happens
    exactly once that day. In the hour skipped when the clocks go forward,
    or repeated when they go back, readers disagree (RFC 5545 says a repeated
    time is its first occurrence; libical and ical.js take the second), so
    such a time, e.g. an end computed from a ``duration``, is written in UTC.
    """
    if unique_wall_time(at):
        return vDDDTypes(at)
    return vDDDTypes(at.astimezone(UTC))


def unique_wall_time(at: datetime) -> bool:
    """Whether ``at``'s local wall time happens exactly once in its zone."""
    if at.tzinfo is None or _steady_day(at.tzinfo, at.date()):
        return True
    # A repeated time has two readings; for a skipped one zoneinfo also gives two offsets.
    return at.replace(fold=0).utcoffset() == at.replace(fold=1).utcoffset()


@cache
def _steady_day(zone: tzinfo, day: date) -> bool:
    """Whether ``zone`` keeps one offset all ``day`` (most days: the exact test is skipped).

    Both readings of the day's first and last second are compared, so a change at
    midnight (America/Santiago) counts for the day whose hour it skips or repeats.
    """
    ends = (datetime.combine(day, time(0), zone), datetime.combine(day, time(23, 59, 59), zone))
    return len({t.replace(fold=f).utcoffset() for t in ends for f in (0, 1)}) == 1


def _geo(academy: Academy, session: Session, lines: Lines) -> bytes:
    """GEO from the venue's coordinates (public, like its address): for maps and travel time."""
    venue = academy.venues.get(session.venue or "")
    if venue is None or venue.latitude is None or venue.longitude is None:
        return b""
    where = (venue.latitude, venue.longitude)
    return lines.other("GEO", venue.id, lambda: vGeo(where))


def conference_uri(link: str) -> vUri:
    """CONFERENCE: the meeting link, as a video URI."""
    prop = vUri(link)
    prop.params["VALUE"] = "URI"
    prop.params["FEATURE"] = "VIDEO"
    return prop


def categories(session: Session, tags: Iterable[str]) -> list[str]:
    modes = (["in-person"] if session.venue else []) + (["online"] if session.online else [])
    return list(dict.fromkeys([*tags, *modes]))


def location(academy: Academy, session: Session, audience: str) -> str:
    """Room, venue and address, or "Online".

    Learners' and instructors' feeds add the private meeting link; instructors'
    also the room's capacity and step-free access.
    """
    parts = []
    venue = academy.venues.get(session.venue or "")
    if venue is not None:
        room = venue.room(session.room or "")
        a = venue.address
        place = []
        if room is not None:
            access = "step-free access" if room.accessible else "no step-free access"
            place.append(f"{room.name} (capacity {room.capacity}, {access})"
                         if audience == "instructor" else room.name)
        place += [venue.name, *_address(a, academy.settings.locale)]
        parts.append(", ".join(place))
    if session.online:
        private = audience != "public" and session.online_url
        parts.append(f"Online: {session.online_url}" if private else "Online")
    return " and ".join(parts) or "To be announced"


# In the venue's country's postal order and with the country named ("United Kingdom", not
# "GB"), as on the site: map apps find the address more often. Cached: every event asks.
_address = cache(places.address_lines)


def description(academy: Academy, session: Session, cohort: Cohort, cancelled: bool) -> str:
    """What the session is about: public, the same in every feed."""
    lines: list[str] = []
    if cancelled:
        reason = session.reason or ("the cohort is cancelled" if cohort.status == "cancelled"
                                    else "")
        lines += [f"Cancelled{': ' + reason if reason else ''}", ""]
    lines.append(f"Cohort: {cohort.title}")
    if session.agenda:
        lines += ["", "Agenda:", *(f"- {item}" for item in session.agenda)]
    if session.preparation:
        lines += ["", f"Preparation: {session.preparation}"]
    names = [academy.instructors[i].name if i in academy.instructors else i
             for i in session.instructors]
    if names:
        lines += ["", "Instructors: " + ", ".join(names)]
    venue = academy.venues.get(session.venue or "")
    if venue is not None and venue.directions:
        lines += ["", f"Getting there: {venue.directions}"]
    if venue is not None and (venue.map_url or "").startswith(("https://", "http://")):
        lines += ["", f"Map: {venue.map_url}"]
    lines += ["", f"Details: {academy.settings.base_url}{cohort_page_path(cohort.id)}"]
    return "\n".join(lines)


def calendar_header(name: str, description: str, url: str, refresh: timedelta,
                    lines: Lines | None = None) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's properties (no METHOD: a feed, not a message).

    NAME/X-WR-CALNAME and DESCRIPTION/X-WR-CALDESC are written as ``vText``
    (escaped); the refresh hint as ``vDuration`` with ``VALUE=DURATION``.
    """
    lines = lines or Lines()
    ttl = vDuration(refresh)
    interval = vDuration(refresh)
    interval.params["VALUE"] = "DURATION"
    link = vUri(url)
    link.params["VALUE"] = "URI"
    return b"".join([
        b"BEGIN:VCALENDAR\r\n",
        lines.text("VERSION", "2.0"),
        lines.text("PRODID", PRODID),
        lines.text("CALSCALE", "GREGORIAN"),
        lines.text("NAME", name),
        lines.text("X-WR-CALNAME", name),
        lines.text("DESCRIPTION", description),
        lines.text("X-WR-CALDESC", description),
        lines.line("URL", link),
        lines.other("REFRESH-INTERVAL", str(refresh), lambda: interval),
        lines.other("X-PUBLISHED-TTL", str(refresh), lambda: ttl),
    ])


def assemble(header: bytes, events: list[EventBytes], variant: str, fallback_zone: str,
             fallback_year: int) -> bytes:
    """One feed: header, the VTIMEZONEs its events use, the events, footer.

    A feed with no events still carries one VTIMEZONE (the academy's) because
    RFC 5545 wants at least one component in a calendar.
    """
    spans: dict[str, tuple[int, int]] = {}
    for e in events:
        if e.tzid:
            lo, hi = spans.get(e.tzid, (e.first_year, e.last_year))
            spans[e.tzid] = (min(lo, e.first_year), max(hi, e.last_year))
    if not events:
        spans[fallback_zone] = (fallback_year, fallback_year)
    zones = [vtimezone(tzid, lo, hi) for tzid, (lo, hi) in sorted(spans.items())]
    bodies = [getattr(e, variant) for e in events]
    return b"".join([header, *zones, *bodies, FOOTER])
