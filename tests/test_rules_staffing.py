"""no-instructor: scheduled sessions without an instructor."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"
COHORT = """\
version: 1
title: London
venue: london-hq
room: thames
{instructors}sessions:
  - id: day1
    date: 2026-06-02
    start: "09:00"
  - id: day2
    date: 2026-06-03
    start: "09:00"
"""


def test_cohort_without_instructors(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({PATH: COHORT.format(instructors="")})) == [
        f"{PATH}:6:5: warning[no-instructor]: cohort 'fa-1' has 2 scheduled session(s) with no "
        "instructor, the first fa-1/day1 (2026-06-02 09:00-16:00 Europe/London); add "
        "'instructors: {lead: [...]}' to the cohort or 'instructors:' to the session",
    ]


def test_staffed_cohort_is_clean(check_academy: CheckAcademy) -> None:
    staffed = "instructors:\n  lead: [ajones]\n"
    assert lines(check_academy({PATH: COHORT.format(instructors=staffed)})) == []


def test_cancelled_cohort_needs_no_instructor(check_academy: CheckAcademy) -> None:
    cancelled = COHORT.format(instructors="status: cancelled\n")
    assert lines(check_academy({PATH: cancelled})) == []
