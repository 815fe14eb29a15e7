"""instructor-over-hours: more teaching in a week than an instructor's limit.

An instructor with ``max_hours_per_week`` is checked week by week: the
lengths of their scheduled sessions are added up per ISO week (Monday to
Sunday in the instructor's own time zone; a session counts in the week it
starts). A week over the limit is reported once, at the session that takes
the total over it.

This is a warning, not an error: a limit is a policy that is sometimes
knowingly exceeded (an agreed extra day), and the schedule itself is still
valid. Use ``trainkit check --strict`` to make warnings fail a CI run. To
fix it, move or reassign sessions, or raise the limit in the instructor file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Instructor, Session
from trainkit.resolve.calendars import UTC, safe_zone
from trainkit.rules._util import Recalled, group_by, hours, live_sessions, warn

CODES = {"instructor-over-hours": "warning"}


_KEPT = Recalled()


def check(academy: Academy) -> Iterator[Diagnostic]:
    limited = {i.id: i for i in academy.instructors.values() if i.max_hours_per_week is not None}
    if not limited:
        return
    by_instructor = group_by(live_sessions(academy),
                             lambda s: [i for i in dict.fromkeys(s.instructors) if i in limited])
    with _KEPT.round() as recall:
        for ident in sorted(by_instructor):
            inst, sessions = limited[ident], by_instructor[ident]
            yield from recall(ident, (inst, *sessions), _instructor, inst, sessions)


def _instructor(inst: Instructor, sessions: list[Session]) -> list[Diagnostic]:
    assert inst.max_hours_per_week is not None
    limit = inst.max_hours_per_week * 3600  # seconds, as the sessions' lengths below
    tz = safe_zone(inst.timezone) or UTC
    weeks: list[tuple[tuple[int, int], Session, float]] = []
    totals: dict[tuple[int, int], float] = {}
    for s in sessions:
        year, week, _ = s.start.astimezone(tz).isocalendar()
        length = max(s.end_ts - s.start_ts, 0.0)
        weeks.append(((year, week), s, length))
        totals[(year, week)] = totals.get((year, week), 0.0) + length
    running: dict[tuple[int, int], float] = {}
    out = []
    for key, s, length in weeks:  # in start order: find the session that takes a week over
        before = running.get(key, 0.0)
        running[key] = before + length
        if before <= limit < running[key]:
            out.append(_over(inst, s, key, timedelta(seconds=totals[key])))
    return out


def _over(inst: Instructor, s: Session, key: tuple[int, int], total: timedelta) -> Diagnostic:
    local = s.start.astimezone(safe_zone(inst.timezone) or UTC)
    monday = local.date() - timedelta(days=local.weekday())
    return warn(s.loc, "instructor-over-hours",
                f"instructor {inst.id!r} teaches {hours(total)} in week {key[0]}-W{key[1]:02d} "
                f"(from Monday {monday}, {inst.timezone}), over their max_hours_per_week of "
                f"{inst.max_hours_per_week:g} ({inst.loc.path}); {s.key} takes it over: "
                "move or reassign sessions, or raise the limit")
