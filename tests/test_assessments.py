"""Practical assessments: declarations, result rows and what they mean for completion."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import PROGRAM, CheckAcademy, lines
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather

ASSESSED = PROGRAM + """\
assessments:
  - id: cpr
    title: CPR practical
    session: day2
    attempts: 2
    levels: [not-yet, competent, exceeds]
    pass_levels: [competent, exceeds]
    criteria:
      - id: rate-depth
        title: CPR rate and depth
        critical: true
      - id: recovery
        title: Recovery position
completion:
  assessments: [cpr]
"""
COHORT = """\
version: 1
title: London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
enrollments:
  - learner: l-0001
  - learner: l-0002
  - learner: l-0003
sessions:
  - id: day1
    template: day1
    date: 2026-03-03
    start: "09:00"
  - id: day2
    template: day2
    date: 2026-03-04
    start: "09:00"
"""
HEADER = "learner,assessment,attempt,date,assessor,results,overall,evidence,note\n"
RESULTS = "records/assessments/2026.csv"
GOOD = "l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=competent;recovery=exceeds,pass,,\n"
QUALIFIED_UNTIL = """\
version: 1
name: Ben Smith
email: b@example.org
qualifications:
  - id: first-aid
    expires: 2026-03-01
"""


def _files(rows: str, program: str = ASSESSED) -> dict[str, str | None]:
    return {"programs/first-aid/program.yaml": program,
            "programs/first-aid/cohorts/fa-1.yaml": COHORT, RESULTS: HEADER + rows}


def test_good_results_are_clean(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files(GOOD))) == []


def test_result_rows_are_checked_at_their_cell(check_academy: CheckAcademy) -> None:
    rows = (
        "l-0001,first-aid/cpt,1,2026-03-04,ajones,rate-depth=competent,pass,,\n"
        "l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=competent;breathing=competent,"
        "pass,,\n"
        "l-0002,first-aid/cpr,1,2026-03-04,ajones,rate-depth=good;recovery=competent,pass,,\n"
        "l-0002,first-aid/cpr,3,2026-03-04,ajones,rate-depth=competent;recovery=competent,"
        "pass,,\n"
        "l-0003,first-aid/cpr,1,2026-03-03,ajones,rate-depth=competent;recovery=competent,"
        "pass,,\n"
        "l-0003,first-aid/cpr,2,2026-03-04,nobody,rate-depth=competent;recovery=competent,"
        "pass,,\n"
        "l-0003,first-aid/cpr,2,2026-03-04,bsmith,rate-depth=competent;recovery=competent,"
        "pass,,\n"
        "l-0099,first-aid/cpr,1,2026-03-04,ajones,rate-depth=competent;recovery=competent,"
        "pass,,\n"
    )
    files = _files(rows)
    files["people/instructors/bsmith.yaml"] = QUALIFIED_UNTIL
    result = check_academy(files)
    assert lines(result) == [
        f"{RESULTS}:2:2: error[assessment-unknown]: unknown assessment 'first-aid/cpt'; "
        "known: first-aid/cpr",
        f"{RESULTS}:3:6: error[assessment-criterion]: no result for criterion(s) recovery of "
        "'first-aid/cpr'; write criterion=level for each",
        f"{RESULTS}:3:6: error[assessment-criterion]: unknown criterion 'breathing' of "
        "'first-aid/cpr'; its criteria: rate-depth, recovery",
        f"{RESULTS}:4:6: error[assessment-level]: criterion 'rate-depth': unknown level 'good'; "
        "use one of not-yet, competent, exceeds",
        f"{RESULTS}:5:3: error[assessment-attempts]: attempt 3 of 'first-aid/cpr', which "
        "allows 2; raise attempts in program.yaml or correct the attempt number",
        f"{RESULTS}:6:4: error[assessment-before-session]: result dated 2026-03-03, before "
        "session 'day2' of the learner's cohort on 2026-03-04; correct the date",
        f"{RESULTS}:7:5: error[assessment-assessor]: assessor 'nobody' is not an instructor; "
        "give the id of an instructor file under people/instructors/",
        f"{RESULTS}:8:5: error[assessment-assessor]: assessor 'bsmith' holds 'first-aid' only "
        "until 2026-03-01, before the assessment on 2026-03-04; renew it in the instructor "
        "file or name another assessor",
        f"{RESULTS}:9:1: error[assessment-learner]: learner 'l-0099' is not in the learner "
        "files",
    ]


def test_assessor_without_the_qualification(check_academy: CheckAcademy) -> None:
    program = ASSESSED.replace("    attempts: 2\n", "    attempts: 2\n"
                               "    qualification: first-aid-assessor\n")
    result = check_academy(_files(GOOD, program))
    assert lines(result) == [
        f"{RESULTS}:2:5: error[assessment-assessor]: assessor 'ajones' does not hold "
        "'first-aid-assessor', which assessing 'first-aid/cpr' needs",
    ]


def test_declarations_are_checked(check_academy: CheckAcademy) -> None:
    program = (ASSESSED.replace("session: day2", "session: day3")
               .replace("pass_levels: [competent, exceeds]", "pass_levels: [competent, pass]")
               .replace("assessments: [cpr]", "assessments: [cpr, aed]"))
    result = check_academy(_files("", program))
    path = "programs/first-aid/program.yaml"
    assert lines(result) == [
        f"{path}:12:5: error[assessment-declaration]: assessment 'cpr' happens in session "
        "'day3', which is not in the session plan (day1, day2); use one of its template ids",
        f"{path}:12:5: error[assessment-declaration]: assessment 'cpr': pass level 'pass' is "
        "not one of its levels (not-yet, competent, exceeds)",
        f"{path}:25:3: error[assessment-unknown]: completion requires assessment 'aed', which "
        "program 'first-aid' does not declare under assessments",
    ]


def test_a_bad_cell_is_a_located_row_error(check_academy: CheckAcademy) -> None:
    rows = "l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=competent,passed,,\n"
    result = check_academy(_files(rows))
    assert lines(result) == [
        f"{RESULTS}:2:7: error[csv-row]: column 'overall': 'passed' is not allowed here; "
        "use one of: pass, fail",
    ]


def _reasons(check_academy: CheckAcademy, rows: str) -> dict[str, tuple[str, str]]:
    result = check_academy(_files(rows))
    outcomes = evaluate(result.academy, datetime(2026, 4, 1, tzinfo=UTC))
    return {o.learner: (o.status, o.reason) for o in outcomes}


def test_completion_says_why_an_assessment_is_not_passed(check_academy: CheckAcademy) -> None:
    rows = (GOOD
            + "l-0002,first-aid/cpr,1,2026-03-04,ajones,rate-depth=not-yet;recovery=exceeds,"
              "fail,,\n"
            + "l-0003,first-aid/cpr,1,2026-03-04,ajones,rate-depth=competent;recovery=not-yet,"
              "fail,,\n"
            + "l-0003,first-aid/cpr,2,2026-03-05,ajones,rate-depth=not-yet;recovery=competent,"
              "pass,,\n")
    got = _reasons(check_academy, rows)
    assert got["l-0001"] == ("completed", "all requirements met on 2026-03-04 (attendance 0%)")
    assert got["l-0002"] == ("in-progress", "practical assessment 'CPR practical' not yet "
                             "passed: critical criterion 'CPR rate and depth' not yet "
                             "competent, resit allowed")
    # An overall pass does not count with a critical criterion below the pass levels.
    assert got["l-0003"] == ("not-completed", "practical assessment 'CPR practical' not yet "
                             "passed: critical criterion 'CPR rate and depth' not yet "
                             "competent, no attempts left")


def test_a_resit_passes_and_a_missing_result_is_named(check_academy: CheckAcademy) -> None:
    rows = ("l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=not-yet;recovery=exceeds,"
            "fail,,\n"
            "l-0001,first-aid/cpr,2,2026-03-10,ajones,rate-depth=exceeds;recovery=competent,"
            "pass,,\n")
    got = _reasons(check_academy, rows)
    assert got["l-0001"] == ("completed", "all requirements met on 2026-03-10 (attendance 0%)")
    assert got["l-0002"] == ("in-progress", "practical assessment 'CPR practical' not yet taken")


def test_a_passed_assessment_awards_its_levels(check_academy: CheckAcademy) -> None:
    program = ASSESSED.replace("    attempts: 2\n", "    attempts: 2\n    awards:\n"
                               "      - competency: first-aid\n        level: awareness\n")
    files = _files("l-0001,first-aid/cpr,1,2026-03-04,ajones,rate-depth=not-yet;recovery=exceeds,"
                   "fail,,\n"
                   "l-0001,first-aid/cpr,2,2026-03-10,ajones,rate-depth=competent;"
                   "recovery=competent,pass,,\n"
                   "l-0002,first-aid/cpr,1,2026-03-04,ajones,rate-depth=not-yet;"
                   "recovery=competent,fail,,\n", program)
    files["competencies.yaml"] = ("version: 1\ncompetencies:\n  - id: first-aid\n"
                                  "    name: First aid\n    levels: [awareness, practitioner]\n")
    result = check_academy(files)
    assert lines(result) == []
    as_of = datetime(2026, 4, 1, tzinfo=UTC)
    holdings = gather(result.academy, evaluate(result.academy, as_of), as_of)
    held = [h for learner in ("l-0001", "l-0002", "l-0003")
            for h in holdings.of(learner, "first-aid") if h.kind == "assessment"]
    assert [(h.learner, h.competency, h.level, h.on.isoformat(), h.source) for h in held] == [
        ("l-0001", "first-aid", "awareness", "2026-03-10", "first-aid/cpr")]


def test_results_of_a_broken_program_are_not_reported_again(check_academy: CheckAcademy) -> None:
    result = check_academy(_files(GOOD, ASSESSED.replace("    attempts: 2\n",
                                                         "    attempts: two\n")))
    codes = [d.code for d in result.diagnostics]
    assert "schema" in codes
    assert not [c for c in codes if c.startswith("assessment-")]
