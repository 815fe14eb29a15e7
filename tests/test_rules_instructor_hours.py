"""instructor-over-hours: weekly teaching hours above max_hours_per_week."""

from __future__ import annotations

from conftest import CheckAcademy, lines

INSTRUCTOR = """\
version: 1
name: Alice Jones
email: ajones@example.org
timezone: {tz}
max_hours_per_week: {limit}
qualifications:
  - id: first-aid
"""

COHORT = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
sessions:
"""


def _files(limit: float, sessions: str, tz: str = "Europe/London") -> dict[str, str | None]:
    return {
        "people/instructors/ajones.yaml": INSTRUCTOR.format(tz=tz, limit=limit),
        "programs/first-aid/cohorts/fa-1.yaml": COHORT + sessions,
    }


TWO_DAYS = """\
  - id: day1
    date: 2026-03-03
    start: "09:00"
  - id: day2
    date: 2026-03-04
    start: "09:00"
"""


def test_week_over_the_limit_is_reported_once(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files(10, TWO_DAYS))) == [
        "programs/first-aid/cohorts/fa-1.yaml:11:5: warning[instructor-over-hours]: instructor "
        "'ajones' teaches 14h in week 2026-W10 (from Monday 2026-03-02, Europe/London), over "
        "their max_hours_per_week of 10 (people/instructors/ajones.yaml); fa-1/day2 takes it "
        "over: move or reassign sessions, or raise the limit",
    ]


def test_exactly_the_limit_is_fine(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files(14, TWO_DAYS))) == []


def test_cancelled_sessions_do_not_count(check_academy: CheckAcademy) -> None:
    cancelled = TWO_DAYS + "    status: cancelled\n    reason: Moved\n"
    assert lines(check_academy(_files(10, cancelled))) == []


SUNDAY_MONDAY = """\
  - id: sun
    date: 2026-03-08
    start: "20:00"
    duration: 4h
  - id: mon
    date: 2026-03-09
    start: "09:00"
    duration: 7h
"""


def test_weeks_are_counted_in_the_instructors_time_zone(check_academy: CheckAcademy) -> None:
    # Sunday 20:00 in London is Monday 01:30 in Kolkata: one week there, two in London.
    assert lines(check_academy(_files(10, SUNDAY_MONDAY))) == []
    assert lines(check_academy(_files(10, SUNDAY_MONDAY, tz="Asia/Kolkata"))) == [
        "programs/first-aid/cohorts/fa-1.yaml:12:5: warning[instructor-over-hours]: instructor "
        "'ajones' teaches 11h in week 2026-W11 (from Monday 2026-03-09, Asia/Kolkata), over "
        "their max_hours_per_week of 10 (people/instructors/ajones.yaml); fa-1/mon takes it "
        "over: move or reassign sessions, or raise the limit",
    ]
