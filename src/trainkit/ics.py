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

A feed is then a ``b"".join`` of cached bytes. Property order inside a
VEVENT carries no meaning (RFC 5545 §3.6), so splitting it is safe; folding,
escaping and CRLF are all done by ``icalendar``.

Pitfalls of icalendar 7.3 handled here (each has a test):

* ``X-WR-CALDESC`` / ``X-WR-CALNAME`` given as ``str`` are written unescaped,
  and a newline then crashes ``to_ical()``: they are added as ``vText``.
* ``REFRESH-INTERVAL`` is written without ``VALUE=DURATION`` (required by
  RFC 7986), and a ``timedelta`` under ``X-PUBLISHED-TTL`` comes out as
  ``12:00:00``: both are added as ``vDuration`` with explicit parameters.
* ``Calendar.new()`` / ``Event.new()`` invent a random UID and stamp the wall
  clock: plain constructors are used and every value is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from icalendar import (
    Calendar,
    Event,
    Timezone,
    vCategory,
    vDDDTypes,
    vDuration,
    vInt,
    vText,
    vUri,
)

from trainkit.feedlinks import cohort_page_path
from trainkit.history import Change
from trainkit.model import Academy, Cohort, Session

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


def _body(component: Event) -> bytes:
    """Serialised properties without the BEGIN/END lines."""
    raw: bytes = component.to_ical()
    return raw[raw.index(b"\r\n") + 2 : raw.rindex(b"END:")]


def event_bytes(academy: Academy, session: Session, change: Change, stamp: datetime,
                private: bool) -> EventBytes:
    """Serialise one session; ``private`` False skips the personal variants.

    Values are assigned as typed icalendar objects rather than through
    ``Event.add`` (same bytes, half the cost: this runs once per session).
    """
    cohort = academy.cohorts[session.cohort]
    program = academy.programs.get(session.program)
    cancelled = session.cancelled or cohort.status == "cancelled"
    title = f"{program.title}: {session.title}" if program else session.title
    shared = Event()
    shared["UID"] = vText(session_uid(academy.settings.id, session.key))
    shared["DTSTAMP"] = vDDDTypes(stamp)
    shared["DTSTART"] = start = vDDDTypes(session.start)
    shared["DTEND"] = vDDDTypes(session.end)
    shared["SEQUENCE"] = vInt(change.sequence)
    if change.last_modified is not None:
        shared["LAST-MODIFIED"] = vDDDTypes(change.last_modified)
    shared["SUMMARY"] = vText(f"Cancelled: {title}" if cancelled else title)
    shared["DESCRIPTION"] = vText(description(academy, session, cohort, cancelled))
    shared["URL"] = vUri(academy.settings.base_url + cohort_page_path(cohort.id))
    shared["CATEGORIES"] = vCategory(categories(session, program.tags if program else ()))
    shared["STATUS"] = vText("CANCELLED" if cancelled else "CONFIRMED")
    head = b"BEGIN:VEVENT\r\n" + _body(shared)
    end = b"END:VEVENT\r\n"
    public = head + _variant(location(academy, session, "public"), None) + end
    learner = instructor = public
    link = session.online_url if session.online else None
    if private and link:
        learner = head + _variant(location(academy, session, "learner"), link) + end
    if private:
        where = location(academy, session, "instructor")
        instructor = learner if where == location(academy, session, "learner") else (
            head + _variant(where, link) + end)
    return EventBytes(public, learner, instructor, start.params.get("TZID"),
                      session.start.year, session.end.year)


def categories(session: Session, tags: Iterable[str]) -> list[str]:
    modes = (["in-person"] if session.venue else []) + (["online"] if session.online else [])
    return list(dict.fromkeys([*tags, *modes]))


def _variant(where: str, link: str | None) -> bytes:
    """The audience-dependent properties: LOCATION, and CONFERENCE for a private link."""
    part = Event()
    part["LOCATION"] = vText(where)
    if link:
        part.add("CONFERENCE", vUri(link), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    return _body(part)


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
        place += [venue.name, a.street, f"{a.city} {a.postcode}", a.country]
        parts.append(", ".join(place))
    if session.online:
        private = audience != "public" and session.online_url
        parts.append(f"Online: {session.online_url}" if private else "Online")
    return " and ".join(parts) or "To be announced"


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
    lines += ["", f"Details: {academy.settings.base_url}{cohort_page_path(cohort.id)}"]
    return "\n".join(lines)


def calendar_header(name: str, description: str, url: str, refresh: timedelta) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's properties (no METHOD: a feed, not a message)."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("NAME", vText(name))
    cal.add("X-WR-CALNAME", vText(name))
    cal.add("DESCRIPTION", vText(description))
    cal.add("X-WR-CALDESC", vText(description))
    cal.add("URL", vUri(url), parameters={"VALUE": "URI"})
    cal.add("REFRESH-INTERVAL", vDuration(refresh), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(refresh))
    raw: bytes = cal.to_ical()
    return raw[: raw.rindex(b"END:VCALENDAR")]


@cache
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The zone's rules for whole years ``first_year..last_year`` only (small, cached)."""
    tz = Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1),
                            last_date=date(last_year + 1, 1, 1))
    raw: bytes = tz.to_ical()
    return raw


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
