"""iCalendar pieces built with the ``icalendar`` library, ready to be concatenated.

Every feed is ``header + VTIMEZONEs + VEVENTs + footer``. Each session's
VEVENT is serialised ONCE per audience, not once per subscriber:

* the properties every audience shares (UID, times, SEQUENCE, SUMMARY …)
  are serialised once per session;
* the few that depend on the audience (LOCATION, DESCRIPTION, CONFERENCE)
  are serialised once per *variant*: ``public`` (site feeds), ``learner``
  (adds the private online link) and ``instructor`` (adds the link, room
  details and head counts). A variant that would equal another reuses its
  bytes.

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

from icalendar import Calendar, Event, Timezone, vDuration, vText, vUri

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
    """Serialise one session; ``private`` False skips the personal variants."""
    cohort = academy.cohorts[session.cohort]
    program = academy.programs.get(session.program)
    cancelled = session.cancelled or cohort.status == "cancelled"
    title = f"{program.title}: {session.title}" if program else session.title
    shared = Event()
    shared.add("UID", session_uid(academy.settings.id, session.key))
    shared.add("DTSTAMP", stamp)
    shared.add("DTSTART", session.start)
    shared.add("DTEND", session.end)
    shared.add("SEQUENCE", change.sequence)
    if change.last_modified is not None:
        shared.add("LAST-MODIFIED", change.last_modified)
    shared.add("SUMMARY", f"Cancelled: {title}" if cancelled else title)
    shared.add("URL", vUri(academy.settings.base_url + cohort_page_path(cohort.id)))
    shared.add("CATEGORIES", categories(session, program.tags if program else ()))
    shared.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    head = b"BEGIN:VEVENT\r\n" + _body(shared)
    public = _variant(academy, session, cohort, "public", cancelled)
    learner = public
    instructor = public
    if private:
        if session.online and session.online_url:
            learner = _variant(academy, session, cohort, "learner", cancelled)
        instructor = _variant(academy, session, cohort, "instructor", cancelled)
    tzid = shared["DTSTART"].params.get("TZID")
    end = b"END:VEVENT\r\n"
    return EventBytes(head + public + end, head + learner + end, head + instructor + end, tzid,
                      session.start.year, session.end.year)


def categories(session: Session, tags: Iterable[str]) -> list[str]:
    modes = (["in-person"] if session.venue else []) + (["online"] if session.online else [])
    return list(dict.fromkeys([*tags, *modes]))


def _variant(academy: Academy, session: Session, cohort: Cohort, audience: str,
             cancelled: bool) -> bytes:
    private = audience != "public"
    part = Event()
    part.add("LOCATION", location(academy, session, private))
    part.add("DESCRIPTION", description(academy, session, cohort, audience, cancelled))
    if private and session.online and session.online_url:
        part.add("CONFERENCE", vUri(session.online_url),
                 parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    return _body(part)


def location(academy: Academy, session: Session, private: bool) -> str:
    """Room, venue and address; "Online" (with the link only in private feeds)."""
    parts = []
    venue = academy.venues.get(session.venue or "")
    if venue is not None:
        room = venue.room(session.room or "")
        a = venue.address
        place = [room.name] if room else []
        place += [venue.name, a.street, f"{a.city} {a.postcode}", a.country]
        parts.append(", ".join(place))
    if session.online:
        parts.append(f"Online: {session.online_url}" if private and session.online_url
                     else "Online")
    return " and ".join(parts) or "To be announced"


def description(academy: Academy, session: Session, cohort: Cohort, audience: str,
                cancelled: bool) -> str:
    lines: list[str] = []
    if cancelled:
        reason = session.reason or ("the cohort is cancelled" if cohort.status == "cancelled"
                                    else "")
        lines += [f"Cancelled{': ' + reason if reason else ''}", ""]
    lines.append(f"Cohort: {cohort.title}")
    if audience != "public" and session.online and session.online_url:
        lines.append(f"Join online: {session.online_url}")
    if session.agenda:
        lines += ["", "Agenda:", *(f"- {item}" for item in session.agenda)]
    if session.preparation:
        lines += ["", f"Preparation: {session.preparation}"]
    names = [academy.instructors[i].name if i in academy.instructors else i
             for i in session.instructors]
    if names:
        lines += ["", "Instructors: " + ", ".join(names)]
    if audience == "instructor":
        lines += ["", *_instructor_details(academy, session, cohort)]
    lines += ["", f"Details: {academy.settings.base_url}{cohort_page_path(cohort.id)}"]
    return "\n".join(lines)


def _instructor_details(academy: Academy, session: Session, cohort: Cohort) -> list[str]:
    """What whoever teaches needs: the room, its access, and head counts (no names)."""
    out = [f"Enrolled: {len(cohort.active_enrollments())} of {cohort.capacity}"
           f" (waitlist: {len(cohort.waitlist())})"]
    venue = academy.venues.get(session.venue or "")
    if venue is None:
        return out
    room = venue.room(session.room or "")
    if room is not None:
        access = "step-free access" if room.accessible else "no step-free access"
        out.append(f"Room: {room.name}, capacity {room.capacity}, {access}")
    if venue.directions:
        out.append(f"Directions: {venue.directions}")
    if venue.map_url:
        out.append(f"Map: {venue.map_url}")
    return out


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
