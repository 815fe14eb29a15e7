"""duplicate-id: ids declared twice across the academy or within one file."""

from __future__ import annotations

from conftest import LEARNERS, CheckAcademy, lines


def test_clean_academy_has_no_duplicates(check_academy: CheckAcademy) -> None:
    assert lines(check_academy({}), "duplicate-id") == []


def test_learner_declared_in_two_files(check_academy: CheckAcademy) -> None:
    other = "version: 1\nlearners:\n  - id: l-0009\n    name: X\n    email: x@example.org\n" \
            "  - id: l-0002\n    name: Tom B.\n    email: tb@example.org\n"
    result = check_academy({"people/learners/zeta.yaml": other})
    assert lines(result) == [
        "people/learners/zeta.yaml:6:5: error[duplicate-id]: learner id 'l-0002' is already "
        "used at people/learners/acme.yaml:7; ids must be unique",
    ]


def test_cohort_id_repeated_in_another_program(check_academy: CheckAcademy) -> None:
    program = "version: 1\ntitle: Fire warden\n"
    result = check_academy({
        "programs/first-aid/cohorts/spring.yaml": "version: 1\n",
        "programs/fire-warden/program.yaml": program,
        "programs/fire-warden/cohorts/spring.yaml": "version: 1\n",
    })
    assert lines(result, "duplicate-id") == [
        # Files are read in path order: fire-warden comes before first-aid.
        "programs/first-aid/cohorts/spring.yaml:1:1: error[duplicate-id]: cohort id 'spring' "
        "is already used at programs/fire-warden/cohorts/spring.yaml:1; ids must be unique",
    ]


def test_learner_enrolled_twice_in_one_cohort(check_academy: CheckAcademy) -> None:
    cohort = "version: 1\nenrollments:\n  - learner: l-0001\n  - learner: l-0002\n" \
             "  - learner: l-0001\n    status: waitlisted\n"
    result = check_academy({"programs/first-aid/cohorts/c1.yaml": cohort})
    assert LEARNERS  # the base directory declares l-0001 and l-0002
    assert lines(result, "duplicate-id") == [
        "programs/first-aid/cohorts/c1.yaml:5:5: error[duplicate-id]: learner 'l-0001' is "
        "enrolled twice in this cohort (first at line 3); remove one of the two entries",
    ]


def test_learner_enrolled_twice_gets_one_message(check_academy: CheckAcademy) -> None:
    """Both entries enrolled, with sessions: the error, and no double-booking against itself."""
    cohort = ("version: 1\nvenue: london-hq\nroom: thames\ninstructors:\n  lead: [ajones]\n"
              "enrollments:\n  - learner: l-0001\n  - learner: l-0001\nsessions:\n"
              "  - id: day1\n    date: 2026-06-02\n    start: \"09:00\"\n    end: \"12:00\"\n")
    result = check_academy({"programs/first-aid/cohorts/c1.yaml": cohort})
    about = [x for x in lines(result) if x.startswith("programs/first-aid/cohorts/c1.yaml")]
    assert about == [
        "programs/first-aid/cohorts/c1.yaml:8:5: error[duplicate-id]: learner 'l-0001' is "
        "enrolled twice in this cohort (first at line 7); remove one of the two entries",
    ]
