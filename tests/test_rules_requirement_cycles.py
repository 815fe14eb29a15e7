"""requirement-cycle: programs and courses whose requirements go round in a circle."""

from __future__ import annotations

from conftest import CheckAcademy, lines

PLAN = "session_plan:\n  - id: day1\n    title: Day 1\n    duration: 7h\n"


def _program(title: str, extra: str = "") -> str:
    return f"version: 1\ntitle: {title}\n{PLAN}{extra}"


def _course(title: str, extra: str = "") -> str:
    return (f"version: 1\ntitle: {title}\nmodules:\n  - id: intro\n    title: Intro\n"
            f"    file: modules/intro.md\n{extra}")


def _course_files(cid: str, extra: str = "") -> dict[str, str | None]:
    return {f"courses/{cid}/course.yaml": _course(cid.title(), extra),
            f"courses/{cid}/modules/intro.md": "# Intro\n"}


def test_a_program_that_requires_itself(check_academy: CheckAcademy) -> None:
    result = check_academy({"programs/first-aid/program.yaml": _program(
        "First Aid", "prerequisites:\n  programs: [first-aid]\n")})
    assert lines(result, "requirement-cycle") == [
        "programs/first-aid/program.yaml:8:3: error[requirement-cycle]: program 'first-aid' "
        "requires itself; remove 'first-aid' from its own prerequisites",
    ]


def test_a_course_that_requires_itself(check_academy: CheckAcademy) -> None:
    result = check_academy(_course_files("basics", "prerequisites:\n  courses: [basics]\n"))
    assert lines(result, "requirement-cycle") == [
        "courses/basics/course.yaml:8:3: error[requirement-cycle]: course 'basics' requires "
        "itself; remove 'basics' from its own prerequisites",
    ]


def test_two_programs_that_require_each_other_are_reported_once(
        check_academy: CheckAcademy) -> None:
    result = check_academy({
        "programs/first-aid/program.yaml": _program(
            "First Aid", "prerequisites:\n  programs: [refresher]\n"),
        "programs/refresher/program.yaml": _program(
            "Refresher", "prerequisites:\n  text: None.\n  programs: [first-aid]\n"),
    })
    assert lines(result, "requirement-cycle") == [
        "programs/first-aid/program.yaml:8:3: error[requirement-cycle]: program 'first-aid' "
        "requires program 'refresher', which requires program 'first-aid': these "
        "requirements go round in a circle, so nobody can ever meet them; remove one of them",
    ]


def test_three_across_programs_and_courses_with_a_completion_rule(
        check_academy: CheckAcademy) -> None:
    # first-aid needs course a to complete; a needs course b first; b needs first-aid first.
    result = check_academy({
        "programs/first-aid/program.yaml": _program(
            "First Aid", "completion:\n  courses: [a]\n"),
        **_course_files("a", "prerequisites:\n  courses: [b]\n"),
        **_course_files("b", "prerequisites:\n  programs: [first-aid]\n"),
    })
    assert lines(result, "requirement-cycle") == [
        "courses/a/course.yaml:8:3: error[requirement-cycle]: course 'a' requires "
        "course 'b', which requires program 'first-aid', which requires course 'a': these "
        "requirements go round in a circle, so nobody can ever meet them; remove one of them",
    ]


def test_requirements_in_one_direction_are_fine(check_academy: CheckAcademy) -> None:
    result = check_academy({
        "programs/first-aid/program.yaml": _program(
            "First Aid", "prerequisites:\n  courses: [a]\ncompletion:\n  courses: [a, b]\n"),
        "programs/refresher/program.yaml": _program(
            "Refresher", "prerequisites:\n  programs: [first-aid]\n  courses: [b]\n"),
        **_course_files("a"),
        **_course_files("b", "prerequisites:\n  courses: [a]\n"),
    })
    assert lines(result, "requirement-cycle") == []


def test_a_long_chain_and_an_unknown_requirement(check_academy: CheckAcademy) -> None:
    # 300 programs in a line, the last requiring the first: no recursion limit is hit.
    files: dict[str, str | None] = {
        f"programs/p{i:03d}/program.yaml": _program(
            f"P{i}", f"prerequisites:\n  programs: [p{(i + 1) % 300:03d}, nowhere]\n")
        for i in range(300)
    }
    found = lines(check_academy(files), "requirement-cycle")
    assert len(found) == 1
    assert found[0].startswith("programs/p000/program.yaml:8:3: error[requirement-cycle]: "
                               "program 'p000' requires program 'p001', which")
    assert found[0].count("which requires") == 299
