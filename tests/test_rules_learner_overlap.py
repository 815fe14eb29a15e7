"""learner-double-booked: one learner enrolled in two cohorts that meet at once."""

from __future__ import annotations

from conftest import PROGRAM, CheckAcademy, lines

COHORT = """\
version: 1
title: {title}
{where}
instructors:
  lead: [{lead}]
enrollments:
  - learner: l-0001
    status: {status}
  - learner: l-0002
sessions:
  - id: day1
    date: 2026-06-02
    start: "{start}"
    end: "{end}"
"""
LONDON = "venue: london-hq\nroom: {room}"


def _files(start_b: str = "11:00", end_b: str = "15:00", status_b: str = "enrolled",
           where_b: str = LONDON.format(room="severn")) -> dict[str, str | None]:
    return {
        # Four places, so that both cohorts fit the rooms they use.
        "programs/first-aid/program.yaml": PROGRAM.replace("capacity: 12", "capacity: 4"),
        "programs/first-aid/cohorts/fa-a.yaml": COHORT.format(
            title="A", where=LONDON.format(room="thames"), lead="ajones", status="enrolled",
            start="09:00", end="12:00"),
        "programs/first-aid/cohorts/fa-b.yaml": COHORT.format(
            title="B", where=where_b, lead="bsmith", status=status_b, start=start_b, end=end_b),
    }


def test_two_overlapping_cohorts(check_academy: CheckAcademy) -> None:
    found = lines(check_academy(_files()))
    assert found == [
        f"programs/first-aid/cohorts/fa-b.yaml:{line}:5: warning[learner-double-booked]: "
        f"learner '{who}' is enrolled in cohorts 'fa-a' and 'fa-b', which meet at the same "
        "time: fa-b/day1 2026-06-02 11:00-15:00 Europe/London overlaps fa-a/day1 (2026-06-02 "
        "09:00-12:00 Europe/London); withdraw the learner from one cohort or move a session"
        for line, who in ((8, "l-0001"), (10, "l-0002"))
    ]


def test_waitlisted_learner_is_not_double_booked(check_academy: CheckAcademy) -> None:
    found = lines(check_academy(_files(status_b="waitlisted")), "learner-double-booked")
    assert [f.split(": ", 1)[0] for f in found] == ["programs/first-aid/cohorts/fa-b.yaml:10:5"]
    assert "'l-0002'" in found[0]


def test_consecutive_cohorts_are_fine(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files(start_b="12:00"))) == []


def test_online_cohort_elsewhere_is_compared_as_instants(check_academy: CheckAcademy) -> None:
    # 06:30 in New York is 11:30 in London in June.
    online = "timezone: America/New_York"
    found = lines(check_academy(_files("06:30", "07:30", where_b=online)))
    assert len(found) == 2
    assert "fa-b/day1 2026-06-02 06:30-07:30 America/New_York overlaps fa-a/day1" in found[0]
    assert lines(check_academy(_files("07:00", "08:00", where_b=online))) == []
