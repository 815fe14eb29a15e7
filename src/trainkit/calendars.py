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
def _calendar(country: str, subdivision: str | None) -> holidays_lib.HolidayBase | None:
    try:
        return holidays_lib.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        return None


def holiday_name(day: date, calendars: tuple[HolidayCalendar, ...]) -> str | None:
    """The name of the public holiday on ``day`` in any of ``calendars``."""
    for cal in calendars:
        hols = _calendar(cal.country, cal.subdivision)
        if hols is not None:
            name = hols.get(day)
            if name:
                where = cal.country + (f"-{cal.subdivision}" if cal.subdivision else "")
                return f"{name} ({where})"
    return None


def known_calendar(cal: HolidayCalendar) -> bool:
    return _calendar(cal.country, cal.subdivision) is not None


def calendar_problem(cal: HolidayCalendar) -> str | None:
    try:
        holidays_lib.country_holidays(cal.country, subdiv=cal.subdivision)
    except NotImplementedError:
        return f"the holidays library has no calendar for country {cal.country!r}"
    except Exception as exc:  # the library raises plain exceptions for bad subdivisions
        return str(exc).splitlines()[0]
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


def format_duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    h, m = divmod(minutes, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m or not h else "")


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())
