"""instructor-unqualified and instructor-qualification-expired."""

from __future__ import annotations

from conftest import CheckAcademy, lines

COHORT = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [{lead}]
  assistants: [bsmith]
sessions:
  - id: day1
    date: 2026-03-03
    start: "09:00"
  - id: day2
    date: 2026-03-04
    start: "09:00"
  - id: day3
    date: 2026-03-05
    start: "09:00"
    duration: 3h
"""
PATH = "programs/first-aid/cohorts/fa-1.yaml"
UNQUALIFIED = "version: 1\nname: Ben Smith\nemail: b@example.org\n"
EXPIRING = """\
version: 1
name: Alice Jones
email: a@example.org
qualifications:
  - id: first-aid
    expires: 2026-03-03
"""


def test_qualified_lead_and_unqualified_assistant_are_fine(check_academy: CheckAcademy) -> None:
    result = check_academy({
        PATH: COHORT.format(lead="ajones"),
        "people/instructors/bsmith.yaml": UNQUALIFIED,
    })
    assert lines(result) == []


def test_lead_without_the_qualification(check_academy: CheckAcademy) -> None:
    result = check_academy({
        PATH: COHORT.format(lead="bsmith").replace("  assistants: [bsmith]\n", ""),
        "people/instructors/bsmith.yaml": UNQUALIFIED,
    })
    assert lines(result) == [
        f"{PATH}:8:5: error[instructor-unqualified]: instructor 'bsmith' teaches fa-1/day1 on "
        "2026-03-03 (and 2 more session(s) of this cohort) but does not hold qualification "
        "'first-aid', which program 'first-aid' requires; add it under 'qualifications' in "
        "people/instructors/bsmith.yaml or assign a qualified instructor",
    ]


def test_qualification_expired_before_later_sessions(check_academy: CheckAcademy) -> None:
    result = check_academy({
        PATH: COHORT.format(lead="ajones"),
        "people/instructors/ajones.yaml": EXPIRING,
    })
    # 'expires' is the last valid day: day1 (2026-03-03) is still fine.
    assert lines(result) == [
        f"{PATH}:12:5: error[instructor-qualification-expired]: instructor 'ajones' teaches "
        "fa-1/day2 on 2026-03-04 (and 1 later session(s) of this cohort) but their "
        "qualification 'first-aid' expires on 2026-03-03 (people/instructors/ajones.yaml:5); "
        "renew it (a later 'expires') or assign a qualified instructor",
    ]


def test_renewed_qualification_wins(check_academy: CheckAcademy) -> None:
    renewed = EXPIRING + "  - id: first-aid\n    expires: 2029-03-03\n"
    result = check_academy({
        PATH: COHORT.format(lead="ajones"),
        "people/instructors/ajones.yaml": renewed,
    })
    assert lines(result) == []


def test_program_can_name_another_qualification(check_academy: CheckAcademy) -> None:
    program = "version: 1\ntitle: First Aid\ninstructor_qualification: paramedic\n"
    result = check_academy({
        PATH: COHORT.format(lead="ajones"),
        "programs/first-aid/program.yaml": program,
    })
    found = lines(result, "instructor-unqualified")
    assert len(found) == 1
    assert "does not hold qualification 'paramedic', which program 'first-aid'" in found[0]
