"""The calendar part of an invitation, update or cancellation (iTIP, RFC 5546).

The VEVENT has the UID of the session's event in the feeds
(:func:`~trainkit.writers.feeds.ics.session_uid`), so the calendar that took
the invitation and a subscribed feed speak of the same session, and the same
times, place, summary and description. ``METHOD:REQUEST`` adds or replaces
the event (a client replaces it only when SEQUENCE is not lower than the one
it holds); ``METHOD:CANCEL`` removes it. The organizer is the academy's
sender address, the one attendee the recipient, with ``RSVP=FALSE``: the
academy keeps enrollments in git, not in replies.

Each session's lines are serialised once per method, SEQUENCE and audience
and reused for every attendee: only the ATTENDEE line is per person.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import vCalAddress, vDDDTypes, vInt, vText, vUri

from trainkit.model import Academy, Cohort, Session
from trainkit.notify.notice import Recipient
from trainkit.writers.feedlinks import cohort_page_path
from trainkit.writers.feeds.ics import (
    Lines,
    calendar_start,
    conference_uri,
    description,
    instant,
    location,
    session_uid,
)
from trainkit.writers.feeds.vtimezone import vtimezone

PRODID = "-//trainkit//trainkit notify//EN"


def _address(name: str, email: str, **params: str) -> vCalAddress:
    addr = vCalAddress(f"mailto:{email}")
    addr.params["CN"] = name
    for key, value in params.items():
        addr.params[key.replace("_", "-")] = value
    return addr


class Itip:
    """Builds iTIP calendars for one academy and one moment (DTSTAMP)."""

    def __init__(self, academy: Academy, organizer: tuple[str, str], stamp: datetime) -> None:
        self.academy = academy
        self.organizer = organizer  # (name, e-mail)
        self.stamp = stamp
        self.lines = Lines()
        self.memo: dict[tuple[str, str, int, str], bytes] = {}

    def calendar(self, session: Session, method: str, sequence: int, recipient: Recipient,
                 cohort: Cohort | None = None) -> bytes:
        """A whole VCALENDAR for one attendee (``cohort``: one no longer in the academy)."""
        key = (session.key, method, sequence, recipient.role)
        body = self.memo.get(key)
        if body is None:
            cohort = cohort or self.academy.cohorts[session.cohort]
            body = self.memo[key] = self._body(session, cohort, method, sequence,
                                               recipient.role)
        role = "CHAIR" if recipient.role == "instructor" else "REQ-PARTICIPANT"
        attendee = self.lines.line("ATTENDEE", _address(
            recipient.name, recipient.email, ROLE=role, PARTSTAT="NEEDS-ACTION", RSVP="FALSE",
            CUTYPE="INDIVIDUAL"))
        head, tail = body.split(b"END:VEVENT\r\n", 1)
        return head + attendee + b"END:VEVENT\r\n" + tail

    def _body(self, session: Session, cohort: Cohort, method: str, sequence: int,
              role: str) -> bytes:
        academy, lines = self.academy, self.lines
        program = academy.programs.get(session.program)
        cancelled = method == "CANCEL"
        title = f"{program.title}: {session.title}" if program else session.title
        # The feed's own rule: a wall time that is skipped or repeated is written in
        # UTC, so the invitation names the same instants as the subscribed feed.
        start, finish = instant(session.start), instant(session.end)
        tzid = start.params.get("TZID") or finish.params.get("TZID")
        zone = vtimezone(tzid, session.start.year, session.end.year) if tzid else b""
        audience = "instructor" if role == "instructor" else "learner"
        name, email = self.organizer
        link = session.online_url if session.online else None
        url = academy.settings.base_url + cohort_page_path(cohort.id)
        conference = lines.line("CONFERENCE", conference_uri(link)) if link else b""
        return b"".join([
            calendar_start(PRODID, lines),
            lines.text("METHOD", method),
            zone,
            b"BEGIN:VEVENT\r\n",
            lines.line("UID", vText(session_uid(academy.settings.id, session.key))),
            lines.line("SEQUENCE", vInt(sequence)),
            lines.line("DTSTAMP", vDDDTypes(self.stamp)),
            lines.line("DTSTART", start),
            lines.line("DTEND", finish),
            lines.text("SUMMARY", f"Cancelled: {title}" if cancelled else title),
            lines.text("STATUS", "CANCELLED" if cancelled else "CONFIRMED"),
            lines.text("TRANSP", "OPAQUE"),
            lines.text("LOCATION", location(academy, session, audience)),
            lines.line("DESCRIPTION", vText(description(academy, session, cohort, cancelled))),
            lines.line("URL", vUri(url)),
            conference,
            lines.line("ORGANIZER", _address(name, email)),
            b"END:VEVENT\r\n",
            b"END:VCALENDAR\r\n",
        ])
