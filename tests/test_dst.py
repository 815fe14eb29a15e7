"""Clock changes and odd offsets: sessions are compared as instants, lengths as elapsed time.

The UK and the EU move their clocks on 2026-03-29 and 2026-10-25, the US on
2026-03-08 and 2026-11-01; India keeps +05:30 all year. Each case puts one
instructor in two cohorts in different zones and asks the real pipeline
whether the sessions clash.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import CheckAcademy, lines

COHORT = """\
version: 1
title: {cid}
timezone: {tz}
instructors:
  lead: [ajones]
sessions:
  - id: s1
    date: {date}
    start: "{start}"
    {length}
"""


def _cohort(cid: str, tz: str, date: str, start: str, length: str) -> str:
    return COHORT.format(cid=cid, tz=tz, date=date, start=start, length=length)


def _clashes(check_academy: CheckAcademy, a: str, b: str) -> list[str]:
    result = check_academy({
        "programs/first-aid/cohorts/a.yaml": a,
        "programs/first-aid/cohorts/b.yaml": b,
    })
    assert lines(result, "session-time", "session-dst") == []
    return lines(result, "instructor-double-booked")


def _hour(start: str) -> str:
    """``end: "HH:MM"`` one hour after ``start``."""
    h, m = start.split(":")
    return f'end: "{int(h) + 1:02d}:{m}"'


@pytest.mark.parametrize("date", ["2026-03-27", "2026-03-29", "2026-03-30"])
def test_london_0900_is_berlin_1000_on_both_sides_of_the_change(
        check_academy: CheckAcademy, date: str) -> None:
    london = _cohort("a", "Europe/London", date, "09:00", _hour("09:00"))
    same = _cohort("b", "Europe/Berlin", date, "10:00", _hour("10:00"))
    other = _cohort("b", "Europe/Berlin", date, "09:00", _hour("09:00"))
    found = _clashes(check_academy, london, same)
    assert found == [
        f"programs/first-aid/cohorts/b.yaml:7:5: error[instructor-double-booked]: instructor "
        f"'ajones' is double-booked: b/s1 {date} 10:00-11:00 Europe/Berlin overlaps a/s1 "
        f"({date} 09:00-10:00 Europe/London); move one session or give it another instructor",
    ]
    # 09:00 in Berlin is 08:00 in London: it ends as the London session starts.
    assert _clashes(check_academy, london, other) == []


@pytest.mark.parametrize(("date", "clash"), [
    ("2026-03-03", False),  # both on winter time: New York is 5 hours behind London
    ("2026-03-10", True),   # only the US has changed: 4 hours behind
    ("2026-03-31", False),  # both on summer time: 5 hours again
])
def test_us_change_three_weeks_before_europe(
        check_academy: CheckAcademy, date: str, clash: bool) -> None:
    london = _cohort("a", "Europe/London", date, "09:00", _hour("09:00"))
    new_york = _cohort("b", "America/New_York", date, "05:00", _hour("05:00"))
    assert len(_clashes(check_academy, london, new_york)) == (1 if clash else 0)


def test_session_across_the_fall_back_hour_with_a_duration(check_academy: CheckAcademy) -> None:
    # 00:30 BST + 3h elapsed = 02:30 GMT (the 01:00-02:00 hour happens twice).
    long = _cohort("a", "Europe/London", "2026-10-25", "00:30", "duration: 3h")
    result = check_academy({"programs/first-aid/cohorts/a.yaml": long})
    assert result.academy is not None
    s = result.academy.cohorts["a"].sessions[0]
    assert f"{s.start:%H:%M%z}-{s.end:%H:%M%z}" == "00:30+0100-02:30+0000"
    assert s.duration == timedelta(hours=3)
    # A session at 02:00 GMT still overlaps it; one at 02:30 GMT follows it.
    overlap = _cohort("b", "Europe/London", "2026-10-25", "02:00", _hour("02:00"))
    after = _cohort("b", "Europe/London", "2026-10-25", "02:30", _hour("02:30"))
    assert len(_clashes(check_academy, long, overlap)) == 1
    assert _clashes(check_academy, long, after) == []


def test_kolkata_half_hour_offset(check_academy: CheckAcademy) -> None:
    # 14:30 in Kolkata (+05:30) is 09:00 UTC, 10:00 in London in June (+01:00).
    kolkata = _cohort("b", "Asia/Kolkata", "2026-06-02", "14:30", _hour("14:30"))
    overlapping = _cohort("a", "Europe/London", "2026-06-02", "09:30", _hour("09:30"))
    before = _cohort("a", "Europe/London", "2026-06-02", "09:00", _hour("09:00"))
    found = _clashes(check_academy, overlapping, kolkata)
    assert found == [
        "programs/first-aid/cohorts/b.yaml:7:5: error[instructor-double-booked]: instructor "
        "'ajones' is double-booked: b/s1 2026-06-02 14:30-15:30 Asia/Kolkata overlaps a/s1 "
        "(2026-06-02 09:30-10:30 Europe/London); move one session or give it another instructor",
    ]
    assert _clashes(check_academy, before, kolkata) == []
