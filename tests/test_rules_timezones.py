"""invalid-timezone and unknown-holiday-calendar."""

from __future__ import annotations

from conftest import ACADEMY, VENUE, CheckAcademy, lines


def test_clean_academy_has_no_zone_or_calendar_problem(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({}), "invalid-timezone", "unknown-holiday-calendar") == []


TAIL = "use a zone from the IANA database (until then times are read as UTC)"


def test_misspelt_academy_zone_is_reported_at_the_value(check_academy: CheckAcademy) -> None:
    result = check_academy({"trainkit.yaml": ACADEMY.replace("Europe/London", "Europe/Londn")})
    assert lines(result, "invalid-timezone") == [
        "trainkit.yaml:5:11: error[invalid-timezone]: time zone 'Europe/Londn' is not an IANA "
        "time zone name (did you mean 'Europe/London'?); "
        + TAIL,
    ]


def test_zones_of_venue_instructor_and_cohort_are_checked(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "venues/london-hq.yaml": VENUE.replace("Europe/London", "Europe/Lundon"),
        "people/instructors/ajones.yaml": "version: 1\nname: A\ntimezone: Mars/Olympus\n",
        "programs/first-aid/cohorts/fa-1.yaml": "version: 1\ntimezone: Asia/Kolkatta\n",
    })
    assert lines(result, "invalid-timezone") == [
        "people/instructors/ajones.yaml:3:11: error[invalid-timezone]: instructor 'ajones': "
        "time zone 'Mars/Olympus' is not an IANA time zone name (names look like "
        "Europe/London); " + TAIL,
        "programs/first-aid/cohorts/fa-1.yaml:2:11: error[invalid-timezone]: cohort 'fa-1': "
        "time zone 'Asia/Kolkatta' is not an IANA time zone name (did you mean "
        "'Asia/Kolkata'?); " + TAIL,
        "venues/london-hq.yaml:3:11: error[invalid-timezone]: venue 'london-hq': time zone "
        "'Europe/Lundon' is not an IANA time zone name (did you mean 'Europe/London'?); " + TAIL,
    ]


def test_real_zones_with_odd_offsets_are_accepted(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "people/instructors/ajones.yaml": "version: 1\nname: A\ntimezone: Asia/Kolkata\n",
        "people/instructors/bsmith.yaml": "version: 1\nname: B\ntimezone: Asia/Kathmandu\n",
        "programs/first-aid/cohorts/fa-1.yaml": "version: 1\ntimezone: America/St_Johns\n",
    })
    assert lines(result, "invalid-timezone") == []


def test_unknown_holiday_subdivision_and_country(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "trainkit.yaml": ACADEMY.replace("subdivision: ENG", "subdivision: XYZ"),
        "venues/london-hq.yaml": VENUE.replace("country: GB\n  subdivision: ENG", "country: QQ"),
    })
    assert lines(result, "unknown-holiday-calendar") == [
        "trainkit.yaml:8:18: warning[unknown-holiday-calendar]: holiday calendar: country 'GB' "
        "has no subdivision 'XYZ' (known: ENG, NIR, SCT, WLS); public holidays will not be "
        "checked for it",
        "venues/london-hq.yaml:6:12: warning[unknown-holiday-calendar]: venue 'london-hq': there "
        "is no public-holiday calendar for country 'QQ' (use an ISO 3166-1 code such as GB); "
        "public holidays will not be checked there",
    ]


MISMATCH = """\
version: 1
title: London
venue: london-hq
room: thames
timezone: {tz}
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: 2026-06-02
    start: "09:00"
"""


def test_cohort_zone_that_differs_from_its_venue(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "programs/first-aid/cohorts/fa-1.yaml": MISMATCH.format(tz="America/New_York")})
    assert lines(result) == [
        "programs/first-aid/cohorts/fa-1.yaml:5:11: warning[timezone-mismatch]: cohort 'fa-1' "
        "reads its session times in America/New_York, but venue 'london-hq' is in "
        "Europe/London; remove the cohort's 'timezone' to use the venue's, or correct it",
    ]


def test_cohort_zone_equal_to_or_an_alias_of_the_venues(check_academy: CheckAcademy) -> None:
    for tz in ("Europe/London", "Europe/Belfast", "GB"):
        text = MISMATCH.format(tz=tz)
        assert lines(check_academy({"programs/first-aid/cohorts/fa-1.yaml": text})) == [], tz
