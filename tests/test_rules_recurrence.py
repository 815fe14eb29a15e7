"""recurrence-short: a recurrence making fewer sessions than the session plan."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"
COHORT = """\
version: 1
title: Mondays
venue: london-hq
room: thames
instructors:
  lead: [ajones]
recurrence:
  start_date: 2026-05-04
  days: [MO]
  start: "09:00"
  duration: 3h
  {limit}
"""


def test_recurrence_covering_the_plan_is_clean(check_academy: CheckAcademy) -> None:
    result = check_academy({PATH: COHORT.format(limit="count: 2")})
    assert lines(result) == []
    cohort = result.academy.cohorts["fa-1"] if result.academy else None
    assert cohort is not None
    # 2026-05-04 is a bank holiday in England, so the first session is a week later.
    assert [(s.id, s.template, f"{s.start:%m-%d}") for s in cohort.sessions] == [
        ("s01", "day1", "05-11"), ("s02", "day2", "05-18")]


def test_until_too_early_after_skipping_a_holiday(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({PATH: COHORT.format(limit="until: 2026-05-11")})) == [
        f"{PATH}:8:3: warning[recurrence-short]: the recurrence of cohort 'fa-1' makes 1 "
        "session(s) but program 'first-aid' plans 2; templates without a session: day2; raise "
        "'count', move 'until' later, or add the missing sessions",
    ]


def test_explicit_session_names_the_covered_template(check_academy: CheckAcademy) -> None:
    extra = ('\nsessions:\n  - id: extra\n    template: day2\n'
             '    date: 2026-05-20\n    start: "09:00"\n')
    found = lines(check_academy({PATH: COHORT.format(limit="count: 1") + extra}))
    assert found == [
        f"{PATH}:8:3: warning[recurrence-short]: the recurrence of cohort 'fa-1' makes 1 "
        "session(s) but program 'first-aid' plans 2; raise 'count', move 'until' later, or add "
        "the missing sessions",
    ]


def test_recurrence_that_makes_nothing(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({PATH: COHORT.format(limit="until: 2026-05-01")})) == [
        f"{PATH}:8:3: warning[recurrence-short]: the recurrence of cohort 'fa-1' makes no "
        "session; check start_date, days, count and until",
    ]
