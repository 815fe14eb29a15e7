"""Public holidays and blackout dates, and the local-time arithmetic around them.

Holidays come from the ``holidays`` package (maintained country and
subdivision calendars, observed days included) rather than hand-kept lists.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib

from trainkit.model import Blackout, HolidayCalendar

UTC = ZoneInfo("UTC")


@cache
def safe_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name``, or ``None`` if there is no such IANA zone."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@cache
def holiday_calendar(country: str,
                     subdivision: str | None) -> holidays_lib.HolidayBase | None:
    """The public holidays of a country (and subdivision); None when the library has none."""
    try:
        return holidays_lib.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        return None


def holiday_name(day: date, calendars: tuple[HolidayCalendar, ...]) -> str | None:
    """The name of the public holiday on ``day`` in any of ``calendars``."""
    for cal in calendars:
        hols = holiday_calendar(cal.country, cal.subdivision)
        if hols is not None:
            name = hols.get(day)
            if name:
                where = cal.country + (f"-{cal.subdivision}" if cal.subdivision else "")
                return f"{name} ({where})"
    return None




def blackout_on(day: date, blackouts: tuple[Blackout, ...]) -> Blackout | None:
    for b in blackouts:
        if b.start <= day <= b.end:
            return b
    return None


def local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Local wall time ``day at`` in ``tz`` (fold=0 for an ambiguous time)."""
    return datetime.combine(day, at, tzinfo=tz)


def exists(dt: datetime) -> bool:
    """False for a wall time that falls in a spring-forward gap."""
    back = dt.astimezone(UTC).astimezone(dt.tzinfo)
    return back.replace(tzinfo=None) == dt.replace(tzinfo=None)


def ambiguous(dt: datetime) -> bool:
    """True for a wall time that happens twice (autumn fall-back)."""
    return dt.utcoffset() != dt.replace(fold=1).utcoffset()


def parse_duration(text: str) -> timedelta:
    """``3h``, ``45m``, ``1h30m`` (already checked by the schema)."""
    hours, _, rest = text.partition("h") if "h" in text else ("0", "", text)
    minutes = rest.rstrip("m") or "0"
    return timedelta(hours=int(hours or 0), minutes=int(minutes))

