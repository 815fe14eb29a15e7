"""over-capacity, room-capacity and waitlist-with-space."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"


def _cohort(capacity: int, room: str, enrollments: list[tuple[str, str]]) -> str:
    people = "".join(f"  - learner: {who}\n    status: {status}\n" for who, status in enrollments)
    return f"""\
version: 1
title: London
venue: london-hq
room: {room}
capacity: {capacity}
instructors:
  lead: [ajones]
enrollments:
{people}sessions:
  - id: day1
    date: 2026-06-02
    start: "09:00"
"""


LEARNERS = "version: 1\nlearners:\n" + "".join(
    f"  - id: l-{i:04d}\n    name: Learner {i}\n    email: l{i}@example.org\n" for i in range(1, 7)
)


def _enrolled(n: int) -> list[tuple[str, str]]:
    return [(f"l-{i:04d}", "enrolled") for i in range(1, n + 1)]


def _check(check_academy: CheckAcademy, text: str) -> list[str]:
    return lines(check_academy({PATH: text, "people/learners/acme.yaml": LEARNERS}))


def test_within_capacity_is_clean(check_academy: CheckAcademy) -> None:
    assert _check(check_academy, _cohort(3, "thames", _enrolled(3))) == []


def test_more_enrolled_than_places(check_academy: CheckAcademy) -> None:
    found = _check(check_academy, _cohort(2, "thames", _enrolled(3)))
    assert found == [
        f"{PATH}:13:5: error[over-capacity]: cohort 'fa-1' has 3 enrolled learners but 2 "
        "places; this is enrollment 3. Move learners to the waitlist (status: waitlisted) or "
        "raise 'capacity'",
    ]


def test_waitlisted_and_withdrawn_learners_take_no_place(check_academy: CheckAcademy) -> None:
    people = _enrolled(2) + [("l-0003", "waitlisted"), ("l-0004", "withdrawn")]
    assert _check(check_academy, _cohort(2, "thames", people)) == []


def test_room_smaller_than_the_enrolled_group(check_academy: CheckAcademy) -> None:
    # The Severn room seats 4.
    found = _check(check_academy, _cohort(6, "severn", _enrolled(5)))
    assert found == [
        f"{PATH}:20:5: error[over-capacity]: room 'severn' of venue 'london-hq' seats 4 but "
        "cohort 'fa-1' has 5 enrolled learners (fa-1/day1 is the first session there); book a "
        "bigger room or move learners",
    ]


def test_room_smaller_than_the_places_offered(check_academy: CheckAcademy) -> None:
    found = _check(check_academy, _cohort(6, "severn", _enrolled(4)))
    assert found == [
        f"{PATH}:18:5: warning[room-capacity]: room 'severn' of venue 'london-hq' seats 4 but "
        "cohort 'fa-1' offers 6 places (fa-1/day1 is the first session there); lower the "
        "cohort's 'capacity' or book a bigger room",
    ]


def test_waitlist_while_places_are_free(check_academy: CheckAcademy) -> None:
    people = _enrolled(1) + [("l-0002", "waitlisted")]
    found = _check(check_academy, _cohort(3, "thames", people))
    assert found == [
        f"{PATH}:11:5: warning[waitlist-with-space]: cohort 'fa-1' has 2 free place(s) but 1 "
        "waitlisted learner(s); enroll them (status: enrolled) or close the cohort",
    ]
    closed = _cohort(3, "thames", people).replace("capacity: 3", "capacity: 3\nstatus: closed")
    assert _check(check_academy, closed) == []
