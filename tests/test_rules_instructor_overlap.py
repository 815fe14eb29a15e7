"""instructor-double-booked: the same instructor in two overlapping sessions."""

from __future__ import annotations

from conftest import CheckAcademy, lines

LONDON = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: 2026-03-04
    start: "10:00"
    end: "12:00"
"""

# 06:00 in New York on 2026-03-04 is 11:00 UTC (EST, -05:00); London is on GMT.
NYC = """\
version: 1
title: New York, online
timezone: America/New_York
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: 2026-03-04
    start: "{start}"
    end: "{end}"
    {extra}
"""


def _files(start: str, end: str, extra: str = "", london: str = LONDON) -> dict[str, str | None]:
    return {
        "programs/first-aid/cohorts/fa-lon.yaml": london,
        "programs/first-aid/cohorts/fa-nyc.yaml": NYC.format(start=start, end=end, extra=extra),
    }


def test_overlap_across_time_zones_is_reported_at_the_later_session(
        check_academy: CheckAcademy) -> None:
    result = check_academy(_files("06:00", "08:00"))
    assert lines(result) == [
        "programs/first-aid/cohorts/fa-nyc.yaml:7:5: error[instructor-double-booked]: "
        "instructor 'ajones' is double-booked: fa-nyc/day1 2026-03-04 06:00-08:00 "
        "America/New_York overlaps fa-lon/day1 (2026-03-04 10:00-12:00 Europe/London); "
        "move one session or give it another instructor",
    ]


def test_back_to_back_sessions_do_not_clash(check_academy: CheckAcademy) -> None:
    # 07:00 New York = 12:00 UTC = the London session's end.
    assert lines(check_academy(_files("07:00", "09:00"))) == []


def test_cancelled_session_does_not_count(check_academy: CheckAcademy) -> None:
    result = check_academy(_files("06:00", "08:00", extra="status: cancelled\n    reason: Ill"))
    assert lines(result) == []


def test_cancelled_cohort_does_not_count(check_academy: CheckAcademy) -> None:
    london = LONDON.replace("venue: london-hq", "status: cancelled\nvenue: london-hq")
    assert lines(check_academy(_files("06:00", "08:00", london=london))) == []


def test_session_instructors_override_the_cohort(check_academy: CheckAcademy) -> None:
    result = check_academy(_files("06:00", "08:00", extra="instructors: [bsmith]"))
    assert lines(result) == []


def test_each_clash_of_three_sessions_is_reported_once(check_academy: CheckAcademy) -> None:
    london = LONDON + """\
  - id: day1b
    date: 2026-03-04
    start: "11:30"
    end: "13:00"
"""
    result = check_academy(_files("06:00", "08:00", london=london))
    found = lines(result, "instructor-double-booked")
    assert len(found) == 3
    assert [f.split(": ", 1)[0] for f in found] == [
        "programs/first-aid/cohorts/fa-lon.yaml:12:5",  # day1b overlaps fa-lon/day1 ...
        "programs/first-aid/cohorts/fa-lon.yaml:12:5",  # ... and fa-nyc/day1
        "programs/first-aid/cohorts/fa-nyc.yaml:7:5",
    ]
    assert "fa-lon/day1b 2026-03-04 11:30-13:00 Europe/London overlaps fa-lon/day1 " in found[0]
    assert "fa-lon/day1b 2026-03-04 11:30-13:00 Europe/London overlaps fa-nyc/day1 " in found[1]


def test_many_sessions_of_one_instructor_without_clashes(check_academy: CheckAcademy) -> None:
    # A long back-to-back day: nothing overlaps, even though all sessions share a date.
    entries = "".join(
        f'  - id: s{h:02d}\n    date: 2026-03-05\n'
        f'    start: "{h:02d}:00"\n    end: "{h + 1:02d}:00"\n'
        for h in range(6, 20)
    )
    result = check_academy(_files("06:00", "08:00", london=LONDON + entries))
    assert [x for x in lines(result) if "2026-03-05" in x] == []
