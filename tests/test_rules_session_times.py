"""session-time, session-dst, and repeated session ids."""

from __future__ import annotations

from conftest import CheckAcademy, lines

HEAD = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
sessions:
"""
PATH = "programs/first-aid/cohorts/fa-1.yaml"


def _cohort(sessions: str) -> dict[str, str | None]:
    return {PATH: HEAD + sessions}


def test_well_formed_sessions_are_clean(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-03
    start: "09:00"
    end: "17:00"
  - id: day2
    date: 2026-03-04
    start: "09:00"
"""))
    assert lines(result) == []


def test_end_before_start(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-03
    start: "17:00"
    end: "09:00"
"""))
    assert lines(result) == [
        f"{PATH}:8:5: error[session-time]: session fa-1/day1 ends at 09:00, before it starts at "
        "17:00 on 2026-03-03; fix the times, or write 'duration:' instead of 'end:' for a "
        "session that runs past midnight",
    ]


def test_session_without_any_length(check_academy: CheckAcademy) -> None:
    # 'extra' is no session-plan template, and there is no end or duration.
    result = check_academy(_cohort("""\
  - id: extra
    date: 2026-03-03
    start: "09:00"
"""))
    assert lines(result, "session-time") == [
        f"{PATH}:8:5: error[session-time]: session fa-1/extra has no length; give it an 'end' "
        "time or a 'duration' (or a session-plan 'template' that has one)",
    ]


def test_start_in_the_spring_forward_gap(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-29
    start: "01:30"
    duration: 1h
"""))
    assert lines(result) == [
        f"{PATH}:8:5: warning[session-dst]: session fa-1/day1 starts at 01:30 on 2026-03-29, a "
        "time that does not exist in Europe/London (the clocks go forward then); it is read as "
        "02:30, so move the session off that hour",
    ]


def test_start_in_the_repeated_fall_back_hour(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-10-25
    start: "01:30"
    end: "03:00"
"""))
    assert lines(result) == [
        f"{PATH}:8:5: warning[session-dst]: session fa-1/day1 starts at 01:30 on 2026-10-25, a "
        "time that happens twice in Europe/London (the clocks go back then); it is read as the "
        "first one (UTC+01:00), so the session lasts 2h30m; move the session off that hour",
    ]


def test_end_in_the_gap(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-29
    start: "00:00"
    end: "01:15"
"""))
    assert lines(result) == [
        f"{PATH}:8:5: warning[session-dst]: session fa-1/day1 ends at 01:15 on 2026-03-29, a "
        "time that does not exist in Europe/London (the clocks go forward then); it is read as "
        "02:15, so write 'duration:' instead of 'end:' (an end computed from a duration is "
        "exact)",
    ]


def test_session_across_the_change_with_duration_is_fine(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-10-25
    start: "00:30"
    duration: 3h
  - id: day2
    date: 2026-03-29
    start: "00:30"
    duration: 3h
"""))
    assert lines(result) == []


def test_cancelled_session_in_the_gap_is_not_reported(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-29
    start: "01:30"
    duration: 1h
    status: cancelled
    reason: Clock change
"""))
    assert lines(result) == []


def test_repeated_session_id_is_reported_not_merged(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-03
    start: "09:00"
  - id: day1
    date: 2026-03-10
    start: "09:00"
"""))
    assert lines(result) == [
        f"{PATH}:11:5: error[duplicate-id]: session id 'day1' is already used at line 8 of this "
        "cohort; give each session its own id (to change a session, edit that entry)",
    ]
    cohort = result.academy.cohorts["fa-1"] if result.academy else None
    assert cohort is not None
    assert [(s.id, s.start.day) for s in cohort.sessions] == [("day1", 3)]


def test_end_from_a_duration_inside_the_repeated_hour_is_fine(check_academy: CheckAcademy) -> None:
    # 00:00 BST + 1h30m elapsed ends at the first 01:30: exact, so nothing to warn about.
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-10-25
    start: "00:00"
    duration: 1h30m
"""))
    assert lines(result) == []


def test_written_end_inside_the_repeated_hour_is_a_warning(check_academy: CheckAcademy) -> None:
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-10-25
    start: "00:00"
    end: "01:30"
"""))
    assert lines(result) == [
        f"{PATH}:8:5: warning[session-dst]: session fa-1/day1 ends at 01:30 on 2026-10-25, a "
        "time that happens twice in Europe/London (the clocks go back then); it is read as the "
        "first one (UTC+01:00), so the session lasts 1h30m; write 'duration:' instead of 'end:' "
        "(an end computed from a duration is exact)",
    ]


def test_start_and_end_around_the_skipped_hour_say_what_happened(
        check_academy: CheckAcademy) -> None:
    # 01:30 does not exist on 2026-03-29 in London: it is read as 02:30, which is also the end.
    result = check_academy(_cohort("""\
  - id: day1
    date: 2026-03-29
    start: "01:30"
    end: "02:30"
  - id: day2
    date: 2026-03-29
    start: "01:45"
    end: "02:15"
"""))
    assert lines(result, "session-time") == [
        f"{PATH}:8:5: error[session-time]: session fa-1/day1 runs from 01:30 (read as 02:30) to "
        "02:30 on 2026-03-29, but the clocks go forward in Europe/London that night, skipping an "
        "hour, so it has no length; move the session off the skipped hour, or give a start "
        "outside it and a 'duration'",
        f"{PATH}:12:5: error[session-time]: session fa-1/day2 runs from 01:45 (read as 02:45) to "
        "02:15 on 2026-03-29, but the clocks go forward in Europe/London that night, skipping an "
        "hour, so it has an end before its start; move the session off the skipped hour, or give "
        "a start outside it and a 'duration'",
    ]
