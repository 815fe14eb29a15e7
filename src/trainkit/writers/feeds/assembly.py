"""A whole feed: the calendar's own lines, then VTIMEZONEs, VEVENTs and the footer.

The events come serialised from :mod:`trainkit.writers.feeds.ics`; the
pitfalls of ``icalendar`` with the calendar's properties are listed there.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import vDuration, vUri

from trainkit.writers.feeds.ics import EventBytes, Lines, calendar_start
from trainkit.writers.feeds.vtimezone import vtimezone

PRODID = "-//trainkit//trainkit feeds//EN"
FOOTER = b"END:VCALENDAR\r\n"


def calendar_header(name: str, description: str, url: str, refresh: timedelta,
                    lines: Lines | None = None) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's properties (no METHOD: a feed, not a message).

    NAME/X-WR-CALNAME and DESCRIPTION/X-WR-CALDESC are written as ``vText``
    (escaped); the refresh hint as ``vDuration`` with ``VALUE=DURATION``.
    """
    lines = lines or Lines()
    link = vUri(url)
    link.params["VALUE"] = "URI"
    return b"".join([
        calendar_start(PRODID, lines),
        lines.text("NAME", name),
        lines.text("X-WR-CALNAME", name),
        lines.text("DESCRIPTION", description),
        lines.text("X-WR-CALDESC", description),
        lines.line("URL", link),
        lines.other("REFRESH-INTERVAL", str(refresh), lambda: _interval(refresh)),
        lines.other("X-PUBLISHED-TTL", str(refresh), lambda: vDuration(refresh)),
    ])


def _interval(refresh: timedelta) -> vDuration:
    interval = vDuration(refresh)
    interval.params["VALUE"] = "DURATION"
    return interval


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
