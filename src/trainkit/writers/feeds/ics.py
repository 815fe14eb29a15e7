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
serialised by ``icalendar`` (its ``Contentline`` does the escaping; the
75-octet folding is the library's rule, see :mod:`trainkit.writers.feeds.fold`);
values that recur across sessions are serialised once per build
(:class:`Lines`). A session's event is first spelled out as plain values
(:class:`Facts`), then serialised from those alone (:func:`pieces`), so the
bytes can be kept across builds by their facts
(:mod:`trainkit.writers.feeds.kept`); the feed itself is put together in
:mod:`trainkit.writers.feeds.assembly`. Property order inside a VEVENT carries no
meaning (RFC 5545 §3.6), so assembling it from lines is safe.

Pitfalls of icalendar 7.3 handled here and in the feed's own lines
(:mod:`trainkit.writers.feeds.assembly`), each with a test:

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
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from typing import Any, NamedTuple

from icalendar import (
    vCategory,
    vDDDTypes,
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
from trainkit.writers.feeds.fold import fold

# Fixed namespace for session UIDs: uuid5(NAMESPACE_URL, "urn:trainkit:session").
SESSION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:trainkit:session")


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
        return fold(Contentline.from_parts(name, prop.params, prop)) + b"\r\n"

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


class Facts(NamedTuple):
    """Everything one session's VEVENT is made from, as plain values, but DTSTAMP.

    :func:`pieces` turns these, and nothing else, into the event's bytes
    around its DTSTAMP line: the ``repr`` spells out all of them (datetimes
    with their zone), so it is a complete key for remembering those bytes
    across builds (:mod:`trainkit.writers.feeds.kept`). DTSTAMP, the build's
    time, is left out: it is the one line every build may change.
    """

    summary: str
    start: datetime  # as written: local time, or UTC where the wall time is not unique
    end: datetime
    uid: str
    sequence: int
    modified: datetime | None
    status: str
    url: str
    categories: tuple[str, ...]
    description: str
    geo: tuple[float, float] | None
    where: str  # the public LOCATION
    learner_where: str | None  # the learners' one, when it differs (an online link)
    instructor_where: str | None  # None: no personal variants
    link: str | None  # CONFERENCE, in personal variants
    first_year: int
    last_year: int


def event_facts(academy: Academy, session: Session, change: Change, private: bool,
                cohort: Cohort | None = None,
                places: dict[tuple[object, ...], str] | None = None) -> Facts:
    """What :func:`event_bytes` writes for one session; ``private`` False: public only.

    ``cohort`` is the session's cohort when it is not the academy's (a removed
    session of a deleted cohort file, as history last saw it). ``places``
    remembers LOCATION texts across the sessions of one academy.
    """
    cohort = cohort or academy.cohorts[session.cohort]
    program = academy.programs.get(session.program)
    cancelled = session.cancelled or cohort.status == "cancelled"
    title = f"{program.title}: {session.title}" if program else session.title
    link = session.online_url if session.online else None
    places = {} if places is None else places
    learner_where = instructor_where = None
    if private:
        if link:
            learner_where = _location(academy, session, "learner", places)
        instructor_where = _location(academy, session, "instructor", places)
    return Facts(
        f"Cancelled: {title}" if cancelled else title,
        written_time(session.start), written_time(session.end),
        session_uid(academy.settings.id, session.key),
        event_sequence(change, cancelled), change.last_modified,
        "CANCELLED" if cancelled else "CONFIRMED",
        academy.settings.base_url + cohort_page_path(cohort.id),
        tuple(categories(session, program.tags if program else ())),
        description(academy, session, cohort, cancelled),
        _geo(academy, session),
        _location(academy, session, "public", places), learner_where, instructor_where,
        link if private else None,
        session.start.year, session.end.year,
    )


def event_bytes(academy: Academy, session: Session, change: Change, stamp: datetime,
                private: bool, lines: Lines | None = None,
                cohort: Cohort | None = None) -> EventBytes:
    """Serialise one session; ``private`` False skips the personal variants."""
    lines = lines or Lines()
    made = pieces(event_facts(academy, session, change, private, cohort), lines)
    return made.event(stamp_line(stamp, lines))


def stamp_line(stamp: datetime, lines: Lines) -> bytes:
    """DTSTAMP: the build's fixed time."""
    return lines.other("DTSTAMP", stamp.isoformat(), lambda: vDDDTypes(stamp))


@dataclass(frozen=True, slots=True)
class Pieces:
    """One session's VEVENT of each audience, but for its DTSTAMP line.

    ``before`` is what comes before DTSTAMP (the same for every audience),
    the others what follows it; a variant equal to the one before it (learner
    to public, instructor to learner) is the same object.
    """

    before: bytes
    public: bytes
    learner: bytes
    instructor: bytes
    tzid: str | None
    first_year: int
    last_year: int

    def event(self, stamp: bytes) -> EventBytes:
        """The whole VEVENTs, with ``stamp`` (a DTSTAMP line) in place."""
        head = self.before + stamp
        public = head + self.public
        learner = public if self.learner is self.public else head + self.learner
        instructor = learner if self.instructor is self.learner else head + self.instructor
        return EventBytes(public, learner, instructor, self.tzid, self.first_year,
                          self.last_year)


def pieces(f: Facts, lines: Lines | None = None) -> Pieces:
    """The VEVENT of each audience around DTSTAMP, made from ``f`` alone."""
    lines = lines or Lines()
    start, finish = vDDDTypes(f.start), vDDDTypes(f.end)
    modified, url, cats, sequence, where = f.modified, f.url, f.categories, f.sequence, f.geo
    before = b"".join([
        b"BEGIN:VEVENT\r\n",
        lines.text("SUMMARY", f.summary),
        lines.line("DTSTART", start),
        lines.line("DTEND", finish),
    ])
    after = b"".join([
        lines.line("UID", vText(f.uid)),
        lines.other("SEQUENCE", str(sequence), lambda: vInt(sequence)),
        lines.other("LAST-MODIFIED", modified.isoformat(), lambda: vDDDTypes(modified))
        if modified is not None else b"",
        lines.text("STATUS", f.status),
        lines.other("URL", url, lambda: vUri(url)),
        lines.other("CATEGORIES", "\0".join(cats), lambda: vCategory(list(cats))),
        lines.line("DESCRIPTION", vText(f.description)),
        lines.other("GEO", repr(where), lambda: vGeo(where)) if where is not None else b"",
    ])
    end = b"END:VEVENT\r\n"
    public = after + lines.text("LOCATION", f.where) + end
    learner = instructor = public
    link = f.link
    if f.instructor_where is not None:
        conference = lines.other("CONFERENCE", link, lambda: conference_uri(link)) if link else b""
        if f.learner_where is not None:
            learner = after + lines.text("LOCATION", f.learner_where) + conference + end
        instructor = after + lines.text("LOCATION", f.instructor_where) + conference + end
        if instructor == learner:
            instructor = learner  # share one object: less memory for 20,000 sessions
    tzid = start.params.get("TZID") or finish.params.get("TZID")
    return Pieces(before, public, learner, instructor, tzid, f.first_year, f.last_year)


def instant(at: datetime) -> vDDDTypes:
    """``at`` as a DTSTART/DTEND value every reader turns into the same instant.

    A local time with TZID names one instant only when that wall time happens
    exactly once that day. In the hour skipped when the clocks go forward,
    or repeated when they go back, readers disagree (RFC 5545 says a repeated
    time is its first occurrence; libical and ical.js take the second), so
    such a time, e.g. an end computed from a ``duration``, is written in UTC.
    """
    return vDDDTypes(written_time(at))


def written_time(at: datetime) -> datetime:
    """``at`` as :func:`instant` writes it: unchanged, or in UTC."""
    return at if unique_wall_time(at) else at.astimezone(UTC)


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


def _geo(academy: Academy, session: Session) -> tuple[float, float] | None:
    """GEO from the venue's coordinates (public, like its address): for maps and travel time."""
    venue = academy.venues.get(session.venue or "")
    if venue is None or venue.latitude is None or venue.longitude is None:
        return None
    return (venue.latitude, venue.longitude)


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


def _location(academy: Academy, session: Session, audience: str,
              places: dict[tuple[object, ...], str]) -> str:
    """:func:`location`, once per place: it reads only these fields of the session."""
    key = (session.venue, session.room, session.online, session.online_url, audience)
    found = places.get(key)
    if found is None:
        found = places[key] = location(academy, session, audience)
    return found


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


def calendar_start(prodid: str, lines: Lines) -> bytes:
    """``BEGIN:VCALENDAR`` with VERSION, PRODID and CALSCALE: how every calendar trainkit
    writes begins, a feed or a message."""
    return b"".join([b"BEGIN:VCALENDAR\r\n", lines.text("VERSION", "2.0"),
                     lines.text("PRODID", prodid), lines.text("CALSCALE", "GREGORIAN")])
