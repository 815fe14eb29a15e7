"""room-double-booked: one venue room in two overlapping sessions."""

from __future__ import annotations

from conftest import CheckAcademy, lines

COHORT = """\
version: 1
title: {title}
venue: london-hq
room: {room}
instructors:
  lead: [{lead}]
sessions:
  - id: day1
    date: 2026-06-02
    start: "{start}"
    end: "{end}"
"""


def _files(room_b: str = "thames", start_b: str = "11:00", end_b: str = "15:00",
           extra_b: str = "") -> dict[str, str | None]:
    return {
        "programs/first-aid/cohorts/fa-a.yaml": COHORT.format(
            title="A", room="thames", lead="ajones", start="09:00", end="12:00"),
        "programs/first-aid/cohorts/fa-b.yaml": COHORT.format(
            title="B", room=room_b, lead="bsmith", start=start_b, end=end_b) + extra_b,
    }


def test_same_room_at_the_same_time(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files())) == [
        "programs/first-aid/cohorts/fa-b.yaml:8:5: error[room-double-booked]: room 'thames' of "
        "venue 'london-hq' is double-booked: fa-b/day1 2026-06-02 11:00-15:00 Europe/London "
        "overlaps fa-a/day1 (2026-06-02 09:00-12:00 Europe/London); move one session or give "
        "it another room",
    ]


def test_other_room_or_later_time_is_fine(check_academy: CheckAcademy) -> None:
    # (the small room gets a room-capacity warning, which is another rule's business)
    assert lines(check_academy(_files(room_b="severn")), "room-double-booked") == []
    assert lines(check_academy(_files(start_b="12:00"))) == []


def test_session_moved_online_frees_the_room(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files(extra_b="    online: true\n"))) == []


def test_session_level_room_override_is_used(check_academy: CheckAcademy) -> None:
    found = lines(check_academy(_files(room_b="severn", extra_b="    room: thames\n")),
                  "room-double-booked")
    assert len(found) == 1 and found[0].startswith(
        "programs/first-aid/cohorts/fa-b.yaml:8:5: error[room-double-booked]: room 'thames'")
