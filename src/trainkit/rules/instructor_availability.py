"""instructor-unavailable: an instructor scheduled while they said they are away.

An instructor's ``unavailable`` list holds periods (leave, other duties): a
date range covers whole days in the instructor's time zone (``until`` is
inclusive), a date-time range is exact (``until`` is exclusive). A scheduled
session of theirs that overlaps such a period, even partly, is reported at
the session with the reason and where the period is written. Give the
session another instructor, move it, or correct the period.

A period that ends before it starts, or has no length (a ``from`` date-time
without an ``until``), is reported where it is written
(``unavailable-period``): it would block nothing, which is never what was meant.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Instructor, Session, Unavailability
from trainkit.rules._util import err, group_by, live_sessions, when

CODES = {"instructor-unavailable": "error", "unavailable-period": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for inst in academy.instructors.values():
        yield from _periods(inst)
    away = {i.id: i for i in academy.instructors.values() if i.unavailable}
    if not away:
        return
    by_instructor = group_by(live_sessions(academy),
                             lambda s: [i for i in dict.fromkeys(s.instructors) if i in away])
    for ident in sorted(by_instructor):
        yield from _instructor(away[ident], by_instructor[ident])


def _instructor(inst: Instructor, sessions: list[Session]) -> Iterator[Diagnostic]:
    windows = sorted(inst.unavailable, key=lambda u: (u.start.timestamp(), u.end.timestamp()))
    starts = [u.start.timestamp() for u in windows]
    # widest[k]: the window among windows[:k+1] that ends last, so one binary
    # search per session finds an overlapping window even if windows overlap.
    widest: list[Unavailability] = []
    for u in windows:
        widest.append(u if not widest or u.end.timestamp() > widest[-1].end.timestamp()
                      else widest[-1])
    for s in sessions:
        k = bisect_left(starts, s.end_ts)  # windows[:k] start before the session ends
        if k and widest[k - 1].end.timestamp() > s.start_ts:
            u = widest[k - 1]
            yield err(s.loc, "instructor-unavailable",
                      f"instructor {inst.id!r} is unavailable ({u.reason}, {_period(u)}, "
                      f"{u.loc.path}:{u.loc.line}) but teaches {s.key} {when(s)}; "
                      "give the session another instructor or move it")


def _periods(inst: Instructor) -> Iterator[Diagnostic]:
    for u in inst.unavailable:
        if u.end == u.start:
            yield err(u.loc, "unavailable-period",
                      f"instructor {inst.id!r}: the unavailable period from {_moment(u.start)} "
                      "has no length; a 'from' date-time needs an 'until' date-time "
                      "(or write 'from' as a date to block the whole day)")
        elif u.end < u.start:
            yield err(u.loc, "unavailable-period",
                      f"instructor {inst.id!r}: the unavailable period ends before it starts "
                      f"({_written(u)}); "
                      "swap 'from' and 'until' or fix the dates")


def _period(u: Unavailability) -> str:
    midnight = time(0, 0)
    if u.start.time() == midnight and u.end.time() == midnight:
        last = (u.end - timedelta(days=1)).date()
        first = u.start.date()
        return f"{first}" if first == last else f"{first} to {last}"
    return f"{_moment(u.start)} to {_moment(u.end)}"


def _written(u: Unavailability) -> str:
    """The period as written: an inclusive ``until`` date is shown as that date."""
    last = u.end - timedelta(days=1) if u.end.time() == time(0, 0) else u.end
    fmt = "%Y-%m-%d" if u.end.time() == time(0, 0) else "%Y-%m-%d %H:%M"
    return f"from {_moment(u.start)} until {last.strftime(fmt)}"


def _moment(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"
