"""unknown-*: references to things that are not defined."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"
COHORT = """\
version: 1
title: London
venue: {venue}
room: thames
instructors:
  lead: [ajones]
enrollments:
  - learner: {learner}
sessions:
  - id: day1
    template: {template}
    date: 2026-06-02
    start: "09:00"
    instructors: [{instructor}]
    room: {room}
"""


def _cohort(venue: str = "london-hq", learner: str = "l-0001", template: str = "day1",
            instructor: str = "bsmith", room: str = "thames") -> dict[str, str | None]:
    return {PATH: COHORT.format(venue=venue, learner=learner, template=template,
                                instructor=instructor, room=room)}


def test_all_references_resolve(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_cohort())) == []


def test_unknown_session_instructor_room_and_template(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort(template="day3", instructor="bsmyth", room="severne"))
    assert lines(result) == [
        f"{PATH}:10:5: error[unknown-instructor]: instructor 'bsmyth' is not defined (did you "
        "mean 'bsmith'?)",
        f"{PATH}:10:5: error[unknown-room]: room 'severne' of venue 'london-hq' is not defined "
        "(did you mean 'severn'?)",
        f"{PATH}:10:5: error[unknown-template]: session-plan template 'day3' of program "
        "'first-aid' is not defined (did you mean 'day2' or 'day1'?)",
    ]


def test_unknown_enrolled_learner(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_cohort(learner="l-0004"))) == [
        f"{PATH}:8:5: error[unknown-learner]: learner 'l-0004' is not defined (did you mean "
        "'l-0003' or 'l-0002' or 'l-0001'?)",
    ]


def test_unknown_cohort_venue(check_academy: CheckAcademy) -> None:
    found = lines(check_academy(_cohort(venue="london")), "unknown-venue")
    assert found == [
        f"{PATH}:3:8: error[unknown-venue]: venue 'london' is not defined (did you mean "
        "'london-hq'?)",
    ]


def test_cohort_level_typos_are_reported_once_where_written(check_academy: CheckAcademy) -> None:
    text = COHORT.format(venue="london-hq", learner="l-0001", template="day1",
                         instructor="bsmith", room="thames")
    text = text.replace("room: thames\ninstructors:\n  lead: [ajones]",
                        "room: temse\ninstructors:\n  lead: [ajones, ajonse]")
    text = text.replace("    room: thames\n", "") + "  - id: day2\n    date: 2026-06-03\n" \
        '    start: "09:00"\n'
    assert lines(check_academy({PATH: text})) == [
        f"{PATH}:4:7: error[unknown-room]: room 'temse' of venue 'london-hq' is not defined "
        "(known: severn, thames)",
        f"{PATH}:6:18: error[unknown-instructor]: instructor 'ajonse' is not defined (did you "
        "mean 'ajones'?)",
    ]


def test_attendance_rows_naming_unknown_sessions(check_academy: CheckAcademy) -> None:
    csv = ("session,learner,status,minutes,note\n"
           "fa-1/day1,l-0001,present,,\n"
           "fa-1/day9,l-0001,present,,\n"
           "zz/day1,l-0001,present,,\n")
    result = check_academy({**_cohort(), "records/attendance/2026.csv": csv})
    assert lines(result, "unknown-session") == [
        "records/attendance/2026.csv:3:1: error[unknown-session]: session 'fa-1/day9' is not "
        "defined",
        "records/attendance/2026.csv:4:1: error[unknown-session]: session 'zz/day1' is not "
        "defined (no cohort 'zz')",
    ]
