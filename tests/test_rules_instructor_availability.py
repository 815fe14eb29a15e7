"""instructor-unavailable: sessions inside an instructor's unavailable periods."""

from __future__ import annotations

from conftest import CheckAcademy, lines

AJONES = """\
version: 1
name: Alice Jones
email: ajones@example.org
timezone: Europe/London
qualifications:
  - id: first-aid
unavailable:
  - from: 2026-04-06
    until: 2026-04-10
    reason: Annual leave
  - from: 2026-05-12T13:00
    until: 2026-05-12T17:00
    reason: Dentist
"""

COHORT = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: {date}
    start: "{start}"
    end: "{end}"
"""


def _files(date: str, start: str = "09:00", end: str = "17:00") -> dict[str, str | None]:
    return {
        "people/instructors/ajones.yaml": AJONES,
        "programs/first-aid/cohorts/fa-1.yaml": COHORT.format(date=date, start=start, end=end),
    }


def test_session_inside_leave_is_reported(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-04-07"))) == [
        "programs/first-aid/cohorts/fa-1.yaml:8:5: error[instructor-unavailable]: instructor "
        "'ajones' is unavailable (Annual leave, 2026-04-06 to 2026-04-10, "
        "people/instructors/ajones.yaml:8) but teaches fa-1/day1 2026-04-07 09:00-17:00 "
        "Europe/London; give the session another instructor or move it",
    ]


def test_until_date_is_inclusive(check_academy: CheckAcademy) -> None:
    assert len(lines(check_academy(_files("2026-04-10")), "instructor-unavailable")) == 1
    assert lines(check_academy(_files("2026-04-11")), "instructor-unavailable") == []


def test_partial_overlap_with_a_timed_window(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-05-12", "16:00", "18:00"))) == [
        "programs/first-aid/cohorts/fa-1.yaml:8:5: error[instructor-unavailable]: instructor "
        "'ajones' is unavailable (Dentist, 2026-05-12 13:00 to 2026-05-12 17:00, "
        "people/instructors/ajones.yaml:11) but teaches fa-1/day1 2026-05-12 16:00-18:00 "
        "Europe/London; give the session another instructor or move it",
    ]


def test_session_ending_as_the_window_starts_is_fine(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-05-12", "09:00", "13:00"))) == []
    assert lines(check_academy(_files("2026-05-12", "17:00", "18:00"))) == []


def test_window_in_another_zone_is_compared_as_instants(check_academy: CheckAcademy) -> None:
    # 10:00 in New York on 2026-05-12 is 15:00 in London (both on summer time).
    files = _files("2026-05-12", "10:00", "11:00")
    files["programs/first-aid/cohorts/fa-1.yaml"] = (
        COHORT.format(date="2026-05-12", start="10:00", end="11:00")
        .replace("venue: london-hq\nroom: thames", "timezone: America/New_York")
    )
    found = lines(check_academy(files))
    assert len(found) == 1
    assert "Dentist" in found[0] and "2026-05-12 10:00-11:00 America/New_York" in found[0]
