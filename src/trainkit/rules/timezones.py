"""invalid-timezone, unknown-holiday-calendar, timezone-mismatch: zones and holiday calendars.

Every time zone (the academy's ``timezone``, and any a cohort, venue,
instructor or learner sets) must be an IANA zone name such as ``Europe/London`` or
``America/New_York``: the schema only checks its shape, so a typo such as
``Europe/Londn`` would otherwise put every session at the wrong hour (trainkit
falls back to UTC). Fix the name; the message suggests the closest real one.

The academy's ``holidays`` calendars and each venue's ``address.country`` /
``subdivision`` pick the public holidays that sessions are checked against
(and that recurrences skip). A country or subdivision the ``holidays``
library does not know means no holiday is found there, so it is reported as a
warning: use an ISO 3166-1 country code (``GB``) and one of the subdivision
codes listed in the message (``ENG``), or remove the subdivision.

**timezone-mismatch** (warning): a cohort that meets at a venue but sets a
``timezone`` whose clock differs from the venue's. Session times are read
in the cohort's zone, so a London venue with ``timezone: America/New_York``
puts every session five hours later than the wall clock in the room says.
Remove the cohort's ``timezone`` (it defaults to the venue's), or fix it.
A session moved to another venue is checked against that venue too.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from zoneinfo import available_timezones

import holidays as holidays_lib

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, Loc
from trainkit.resolve.calendars import UTC, holiday_calendar, safe_zone
from trainkit.rules._util import err, warn

CODES = {
    "invalid-timezone": "error",
    "unknown-holiday-calendar": "warning",
    "timezone-mismatch": "warning",
}


def check(academy: Academy) -> Iterator[Diagnostic]:
    s = academy.settings
    yield from _zone(s.timezone, s.timezone_loc or s.loc, "")
    for v in academy.venues.values():
        yield from _zone(v.timezone, v.timezone_loc or v.loc, f"venue {v.id!r}: ")
    # An instructor or cohort without its own zone inherits one that is checked above.
    for i in academy.instructors.values():
        if i.timezone_loc is not None:
            yield from _zone(i.timezone, i.timezone_loc, f"instructor {i.id!r}: ")
    for c in academy.cohorts.values():
        if c.timezone_loc is not None:
            yield from _zone(c.timezone, c.timezone_loc, f"cohort {c.id!r}: ")
    for learner in academy.learners.values():  # the zone of the times in their e-mails
        if learner.timezone:
            yield from _zone(learner.timezone, learner.timezone_loc or learner.loc,
                             f"learner {learner.id!r}: ")
    yield from _mismatches(academy)
    for cal in s.holidays:
        problem = _calendar_problem(cal.country, cal.subdivision)
        if problem:
            yield warn(cal.loc or s.loc, "unknown-holiday-calendar",
                       f"holiday calendar: {problem}; public holidays will not be checked for it")
    for v in academy.venues.values():
        problem = _calendar_problem(v.address.country, v.address.subdivision)
        if problem and v.address.country:
            yield warn(v.address.loc or v.loc, "unknown-holiday-calendar",
                       f"venue {v.id!r}: {problem}; public holidays will not be checked there")


def _mismatches(academy: Academy) -> Iterator[Diagnostic]:
    for c in academy.cohorts.values():
        if c.timezone_loc is None:  # the zone comes from the venue (or the academy)
            continue
        seen: set[str] = set()
        for venue_id, where in [(c.venue, c.timezone_loc)] + [
                (x.venue, x.loc) for x in c.sessions if not x.online and x.venue != c.venue]:
            venue = academy.venues.get(venue_id or "")
            if venue is None or venue.id in seen or not _clocks_differ(c.timezone, venue.timezone):
                continue
            seen.add(venue.id)
            yield warn(where, "timezone-mismatch",
                       f"cohort {c.id!r} reads its session times in {c.timezone}, but venue "
                       f"{venue.id!r} is in {venue.timezone}; remove the cohort's 'timezone' "
                       "to use the venue's, or correct it")


def _clocks_differ(a: str, b: str) -> bool:
    """Whether two zones show different times (aliases such as Asia/Calcutta do not)."""
    za, zb = safe_zone(a), safe_zone(b)
    if za is None or zb is None or a == b:
        return False  # an unknown zone is reported on its own
    probes = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))
    return any(t.astimezone(za).utcoffset() != t.astimezone(zb).utcoffset() for t in probes)


def _zone(name: str, where: Loc, what: str) -> Iterator[Diagnostic]:
    if safe_zone(name) is None:
        # A tighter cutoff than usual: many zone names share a region prefix.
        close = difflib.get_close_matches(name, sorted(_zones()), n=2, cutoff=0.85)
        hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?" if close
                else "names look like Europe/London")
        yield err(where, "invalid-timezone",
                  f"{what}time zone {name!r} is not an IANA time zone name ({hint}); "
                  "use a zone from the IANA database (until then times are read as UTC)")


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _calendar_problem(country: str, subdivision: str | None) -> str | None:
    if holiday_calendar(country, subdivision) is not None:  # the library itself decides
        return None  # (it also knows aliases of subdivisions)
    supported = holidays_lib.list_supported_countries()
    if country not in supported:
        close = did_you_mean(country, [c for c in supported if len(c) == 2])
        hint = close if close.startswith("did you") else "use an ISO 3166-1 code such as GB"
        return f"there is no public-holiday calendar for country {country!r} ({hint})"
    subdivisions = supported[country]
    if subdivision is not None and subdivision not in subdivisions:
        known = did_you_mean(subdivision, subdivisions) if subdivisions else "it has none"
        return f"country {country!r} has no subdivision {subdivision!r} ({known})"
    return f"the holidays library has no calendar for {country}-{subdivision}"
