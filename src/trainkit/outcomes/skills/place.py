"""Whether a cohort suits where a learner is: in their city, or online at hours that suit
their time zone.

A learner may give a ``city`` and a ``timezone`` (IANA) in the learner file.
A cohort is **in the learner's city** when every session held in person is at
a venue whose ``address.city`` is that city (compared without regard to
case); it is **online in their time zone** when every session is online and
starts at or after 08:00 and ends by 20:00, on one day, in the learner's
zone. Recommendations rank such cohorts higher and say why; cohorts elsewhere
still appear, lower.
"""

from __future__ import annotations

from datetime import time

from trainkit.model import Academy, Cohort, Learner
from trainkit.resolve.calendars import safe_zone

DAY_STARTS, DAY_ENDS = time(8, 0), time(20, 0)  # reasonable local hours for a live session


def fit(academy: Academy, cohort: Cohort, learner: Learner | None) -> tuple[float, str]:
    """1 and the reason in words when ``cohort`` suits the learner's place; else 0 and ""."""
    if learner is None or not (learner.city or learner.timezone):
        return 0.0, ""
    held = [s for s in cohort.sessions if s.status != "cancelled"]
    if not held:
        return 0.0, ""
    if learner.city:
        cities = {_city(academy, s.venue or cohort.venue) for s in held if not s.online}
        if len(cities) == 1 and (city := cities.pop()) is not None \
                and city.casefold() == learner.city.casefold():
            return 1.0, f"in {city}, your city"
    zone = safe_zone(learner.timezone) if learner.timezone else None
    if zone is not None and all(s.online for s in held):
        for s in held:
            start, end = s.start.astimezone(zone), s.end.astimezone(zone)
            if start.date() != end.date() or start.time() < DAY_STARTS or end.time() > DAY_ENDS:
                return 0.0, ""
        return 1.0, "online, in your time zone"
    return 0.0, ""


def _city(academy: Academy, venue: str | None) -> str | None:
    found = academy.venues.get(venue or "")
    return found.address.city if found and found.address.city else None
