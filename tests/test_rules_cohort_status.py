"""no-sessions and enrolled-in-cancelled."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PATH = "programs/first-aid/cohorts/fa-1.yaml"
SESSIONS = """\
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: 2026-06-02
    start: "09:00"
"""
ENROLLED = """\
enrollments:
  - learner: l-0001
    status: withdrawn
  - learner: l-0002
  - learner: l-0003
"""


def test_open_cohort_with_sessions_is_clean(check_academy: CheckAcademy) -> None:
    text = "version: 1\nvenue: london-hq\nroom: thames\n" + ENROLLED + SESSIONS
    assert lines(check_academy({PATH: text})) == []


def test_cohort_without_sessions(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({PATH: "version: 1\ntitle: Autumn\n"})) == [
        f"{PATH}:1:1: warning[no-sessions]: cohort 'fa-1' has no sessions; add 'sessions:' or "
        "a 'recurrence:', or set 'status: cancelled'",
    ]


def test_cancelled_cohort_with_enrolled_learners(check_academy: CheckAcademy) -> None:
    text = "version: 1\nstatus: cancelled\n" + ENROLLED
    assert lines(check_academy({PATH: text})) == [
        f"{PATH}:6:5: warning[enrolled-in-cancelled]: cohort 'fa-1' is cancelled but 2 "
        "learner(s) are still enrolled; move them to another cohort or set their status to "
        "withdrawn",
    ]
    withdrawn = text.replace("  - learner: l-0002\n  - learner: l-0003\n", "")
    assert lines(check_academy({PATH: withdrawn})) == []
