"""unknown-* for programs, courses, quizzes, competencies, modules and module files."""

from __future__ import annotations

from conftest import CheckAcademy, lines

COURSE = """\
version: 1
title: Fire Safety Basics
competencies: [{{id: {competency}}}]
modules:
  - id: triangle
    title: How fires start
    file: {file}
quizzes: [{quiz}]
"""
QUIZ = """\
version: 1
title: Check
mode: graded
pass_mark: 50
after_module: {module}
questions:
  - id: q1
    type: true-false
    prompt: Water is safe on electrical fires.
    answer: false
"""
COMPETENCIES = """\
version: 1
competencies:
  - id: fire-safety
    name: Fire safety
"""
PROGRAM = """\
version: 1
title: First Aid at Work
capacity: 12
competencies: [{{id: {competency}}}]
prerequisites:
  programs: [{program}]
  courses: [{course}]
completion:
  quizzes:
    - quiz: {quiz_key}
      pass_mark: 60
session_plan:
  - id: day1
    title: Day 1
    duration: 7h
"""

INDUCTION = """\
version: 1
title: Induction
session_plan:
  - id: day1
    title: Day 1
    duration: 3h
"""


def _files(competency: str = "fire-safety", file: str = "modules/01.md", quiz: str = "check",
           module: str = "triangle", program: str = "induction",
           course: str = "fire-safety-basics",
           quiz_key: str = "fire-safety-basics/check") -> dict[str, str | None]:
    return {
        "competencies.yaml": COMPETENCIES,
        "courses/fire-safety-basics/course.yaml": COURSE.format(
            competency=competency, file=file, quiz=quiz),
        "courses/fire-safety-basics/modules/01.md": "# How fires start\n",
        "courses/fire-safety-basics/quizzes/check.yaml": QUIZ.format(module=module),
        "programs/first-aid/program.yaml": PROGRAM.format(
            competency=competency, program=program, course=course, quiz_key=quiz_key),
        "programs/induction/program.yaml": INDUCTION,
    }


def test_course_and_program_references_resolve(check_academy: CheckAcademy) -> None:
    assert lines(check_academy(_files())) == []


def test_unknown_course_competency_module_and_quiz(check_academy: CheckAcademy) -> None:
    result = check_academy(_files(competency="fire-safty", module="trianglee", quiz="final"))
    assert lines(result) == [
        "courses/fire-safety-basics/course.yaml:1:1: error[unknown-quiz]: quiz 'final' (no "
        "file courses/fire-safety-basics/quizzes/final.yaml) is not defined (known: check)",
        "courses/fire-safety-basics/course.yaml:3:16: error[unknown-competency]: competency "
        "'fire-safty' is not defined (did you mean 'fire-safety'?)",
        "courses/fire-safety-basics/quizzes/check.yaml:1:1: error[unknown-module]: module "
        "'trianglee' is not defined (did you mean 'triangle'?)",
        "programs/first-aid/program.yaml:4:16: error[unknown-competency]: competency "
        "'fire-safty' is not defined (did you mean 'fire-safety'?)",
    ]


def test_unknown_prerequisites_and_required_quiz(check_academy: CheckAcademy) -> None:
    result = check_academy(_files(program="first-aide", course="fire-safety",
                                  quiz_key="fire-safety-basics/chek"))
    assert lines(result) == [
        "programs/first-aid/program.yaml:1:1: error[unknown-course]: prerequisite course "
        "'fire-safety' is not defined (did you mean 'fire-safety-basics'?)",
        "programs/first-aid/program.yaml:1:1: error[unknown-program]: prerequisite program "
        "'first-aide' is not defined (did you mean 'first-aid'?)",
        "programs/first-aid/program.yaml:10:7: error[unknown-quiz]: quiz "
        "'fire-safety-basics/chek' is not defined (did you mean 'fire-safety-basics/check'?)",
    ]


def test_cohort_in_a_program_folder_without_program_yaml(check_academy: CheckAcademy) -> None:
    cohort = ("version: 1\ntitle: X\ninstructors:\n  lead: [ajones]\nsessions:\n"
              "  - id: day1\n    date: 2026-06-02\n    start: \"09:00\"\n    end: \"12:00\"\n")
    result = check_academy({"programs/first-aide/cohorts/x-1.yaml": cohort})
    assert lines(result) == [
        "programs/first-aide/cohorts/x-1.yaml:1:1: error[unknown-program]: the cohort's folder "
        "names program 'first-aide' is not defined (did you mean 'first-aid'?)",
    ]


def test_module_file_that_does_not_exist(check_academy: CheckAcademy) -> None:
    result = check_academy(_files(file="modules/02.md"))
    assert lines(result) == [
        "courses/fire-safety-basics/course.yaml:7:11: error[missing-module-file]: module "
        "'triangle' of course 'fire-safety-basics': there is no Markdown file "
        "courses/fire-safety-basics/modules/02.md; create it or fix 'file:' (a path relative "
        "to the course folder, ending in .md)",
    ]


def test_module_file_outside_the_course_is_refused(check_academy: CheckAcademy) -> None:
    result = check_academy(_files(file="../../trainkit.yaml"))
    assert [d.code for d in result.diagnostics if d.path.endswith("course.yaml")] == ["schema"]
