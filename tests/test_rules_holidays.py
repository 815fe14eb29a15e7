"""session-on-holiday and session-on-blackout."""

from __future__ import annotations

from conftest import ACADEMY, CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"
COHORT = """\
version: 1
title: London
{where}
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: {date}
    start: "09:00"
"""
LONDON = "venue: london-hq\nroom: thames"
NEW_YORK = """\
version: 1
name: New York
timezone: America/New_York
address:
  city: New York
  country: US
  subdivision: NY
rooms:
  - id: hudson
    capacity: 20
"""


def _files(date: str, where: str = LONDON) -> dict[str, str | None]:
    return {PATH: COHORT.format(date=date, where=where), "venues/new-york.yaml": NEW_YORK}


def test_ordinary_day_is_clean(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-06-02"))) == []


def test_in_person_session_on_the_venues_holiday(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-05-04"))) == [
        f"{PATH}:8:5: warning[session-on-holiday]: session fa-1/day1 is on 2026-05-04, a public "
        "holiday: May Day (GB-ENG); move it or cancel it (status: cancelled, with a reason)",
    ]


def test_venue_calendar_not_the_academys_is_used(check_academy: CheckAcademy) -> None:
    ny = "venue: new-york\nroom: hudson"
    assert lines(check_academy(_files("2026-05-04", where=ny))) == []
    assert lines(check_academy(_files("2026-07-03", where=ny))) == [
        f"{PATH}:8:5: warning[session-on-holiday]: session fa-1/day1 is on 2026-07-03, a public "
        "holiday: Independence Day (observed) (US-NY); move it or cancel it (status: cancelled, "
        "with a reason)",
    ]


def test_online_session_uses_the_academys_calendars(check_academy: CheckAcademy) -> None:
    online = "timezone: America/New_York"
    assert len(lines(check_academy(_files("2026-05-04", where=online)))) == 1
    assert lines(check_academy(_files("2026-07-03", where=online))) == []


def test_academy_without_holiday_calendars(check_academy: CheckAcademy) -> None:
    academy = ACADEMY.replace("holidays:\n  - country: GB\n    subdivision: ENG\n", "")
    files = _files("2026-05-04", where="timezone: Europe/London")
    files["trainkit.yaml"] = academy
    assert lines(check_academy(files)) == []


def test_session_in_a_blackout_and_on_a_holiday(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files("2026-12-25"))) == [
        f"{PATH}:8:5: warning[session-on-blackout]: session fa-1/day1 is on 2026-12-25, inside "
        "the blackout 'Winter closure' (2026-12-24 to 2027-01-01, trainkit.yaml:10); move it or "
        "cancel it (status: cancelled, with a reason)",
        f"{PATH}:8:5: warning[session-on-holiday]: session fa-1/day1 is on 2026-12-25, a public "
        "holiday: Christmas Day (GB-ENG); move it or cancel it (status: cancelled, with a reason)",
    ]


def test_cancelled_session_on_a_holiday_is_fine(check_academy: CheckAcademy) -> None:
    files = _files("2026-12-25")
    files[PATH] = (files[PATH] or "") + "    status: cancelled\n    reason: Christmas\n"
    assert lines(check_academy(files)) == []
