"""User mistakes of every shape end in diagnostics, never in a traceback.

Each case breaks one file of a clean academy the way people do (a broken
link, a folder named like a file, an explicit YAML tag that does not fit, an
impossible unavailability period, an unreadable file) and asserts the exact
diagnostic lines ``trainkit check`` prints, and exit code 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CheckAcademy, write_academy
from trainkit.cli import main
from trainkit.load.sources import DirSource
from trainkit.pipeline import check_source

COHORT = """\
version: 1
title: London
timezone: Europe/London
venue: london-hq
room: thames
instructors:
  lead: [ajones]
enrollments:
  - learner: l-0001
    status: enrolled
sessions:
  - id: day1
    template: day1
    date: 2026-06-02
    start: "09:00"
"""
COHORT_PATH = "programs/first-aid/cohorts/fa-a.yaml"
ATTENDANCE = "session,learner,status\nfa-a/day1,l-0001,present\nfa-a/day1,l-0002,present\n"


def _lines(result_diags: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(d.text() for d in result_diags)


@pytest.fixture(autouse=True)
def _no_ci_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_broken_symlink_is_an_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_academy(tmp_path / "a", {COHORT_PATH: COHORT})
    (root / "programs/first-aid/cohorts/gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert main(["check", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "programs/first-aid/cohorts/gone.yaml:1:1: error[unreadable]: the file cannot be read "
        "(No such file or directory); fix its permissions or, for a link, its target\n"
    )
    assert "Traceback" not in err


def test_folder_named_like_a_file_is_reported(check_academy: CheckAcademy, tmp_path: Path) -> None:
    (tmp_path / "academy/venues/annex.yaml").mkdir(parents=True)
    result = check_academy({COHORT_PATH: COHORT})
    assert _lines(result.diagnostics) == [
        "venues/annex.yaml:1:1: error[unreadable]: this is a folder named like an input file; "
        "rename or remove it"
    ]


class _Unreadable(DirSource):
    """A folder where one file is refused, as for a user without permission."""

    def read(self, path: str) -> bytes:
        if path == COHORT_PATH:
            raise PermissionError(13, "Permission denied", path)
        return super().read(path)


def test_permission_denied_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    root = write_academy(tmp_path / "a", {
        COHORT_PATH: COHORT,
        "people/instructors/cdoe.yaml": "version: 1\nname: 12\n",
    })
    result = check_source(_Unreadable(root), str(root))
    assert _lines(result.diagnostics) == [
        "people/instructors/cdoe.yaml:2:7: error[schema]: name: expected text, got the "
        "number 12; put the value in quotes",
        f"{COHORT_PATH}:1:1: error[unreadable]: the file cannot be read (Permission denied); "
        "fix its permissions or, for a link, its target",
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("!!int abc", "'abc' is not a valid int"),
    ("!!float x1", "'x1' is not a valid float"),
    ("!!bool maybe", "'maybe' is not a valid bool"),
    ("!!null nothing", "'nothing' is not a valid null"),
])
def test_explicit_tag_that_does_not_fit(
    check_academy: CheckAcademy, value: str, message: str
) -> None:
    result = check_academy({COHORT_PATH: COHORT.replace("title: London", f"title: {value}")})
    assert _lines(result.diagnostics) == [
        f"{COHORT_PATH}:2:8: error[yaml-tag]: {message}; remove the '!!' tag and write the "
        "value plainly"
    ]


def test_libyaml_position_suffix_is_not_in_the_message(check_academy: CheckAcademy) -> None:
    result = check_academy({COHORT_PATH: "version: 1\x00\n"})
    (line,) = [t for t in _lines(result.diagnostics) if COHORT_PATH in t]
    assert line.endswith("invalid YAML: unacceptable character #x0000: control characters "
                         "are not allowed")


def _unavailable(from_: str, until: str | None) -> str:
    text = "version: 1\nname: Alice Jones\nunavailable:\n  - from: " + from_ + "\n"
    return text + (f"    until: {until}\n" if until else "")


@pytest.mark.parametrize(("from_", "until", "message"), [
    ("2026-06-10", "2026-06-03",
     "the unavailable period ends before it starts (from 2026-06-10 00:00 until 2026-06-03); "
     "swap 'from' and 'until' or fix the dates"),
    ("2026-06-10T13:00", "2026-06-10T09:00",
     "the unavailable period ends before it starts (from 2026-06-10 13:00 until "
     "2026-06-10 09:00); swap 'from' and 'until' or fix the dates"),
    ("2026-06-10T13:00", None,
     "the unavailable period from 2026-06-10 13:00 has no length; a 'from' date-time needs "
     "an 'until' date-time (or write 'from' as a date to block the whole day)"),
])
def test_impossible_unavailable_period(
    check_academy: CheckAcademy, from_: str, until: str | None, message: str
) -> None:
    result = check_academy({"people/instructors/ajones.yaml": _unavailable(from_, until)})
    assert _lines(result.diagnostics) == [
        "people/instructors/ajones.yaml:4:5: error[unavailable-period]: instructor 'ajones': "
        + message
    ]


def test_valid_unavailable_periods_are_quiet(check_academy: CheckAcademy) -> None:
    for from_, until in (("2026-06-10", None), ("2026-06-10", "2026-06-10"),
                         ("2026-06-10T09:00", "2026-06-10T13:00")):
        result = check_academy({"people/instructors/ajones.yaml": _unavailable(from_, until)})
        assert result.diagnostics == [], (from_, until)


def test_unavailable_date_time_that_does_not_exist(check_academy: CheckAcademy) -> None:
    result = check_academy({"people/instructors/ajones.yaml":
                            _unavailable("2026-02-30T10:00", "2026-03-02")})
    assert _lines(result.diagnostics) == [
        "people/instructors/ajones.yaml:4:5: error[schema]: unavailable[0]: not a real date "
        "or time (day is out of range for month); fix it"
    ]


def test_unavailable_hour_out_of_range_is_a_schema_error(check_academy: CheckAcademy) -> None:
    result = check_academy({"people/instructors/ajones.yaml":
                            _unavailable("2026-06-10T25:00", "2026-06-11")})
    assert [d.code for d in result.diagnostics] == ["schema"]


def test_a_broken_file_is_not_echoed_at_every_reference(check_academy: CheckAcademy) -> None:
    """The cohort, its instructor and its venue each have an error; nothing else is said."""
    result = check_academy({
        COHORT_PATH: COHORT.replace("timezone: Europe/London", "timezone: 12"),
        "records/attendance/fa-a.csv": ATTENDANCE,
        "programs/first-aid/cohorts/fa-b.yaml": COHORT.replace("title: London", "title: B"),
        "people/instructors/ajones.yaml": "version: 1\nname: [\n",
        "venues/london-hq.yaml": "version: 1\nname: Test London\ncolour: red\n",
    })
    codes = sorted((d.path, d.code) for d in result.diagnostics)
    assert codes == [
        ("people/instructors/ajones.yaml", "yaml-syntax"),
        (COHORT_PATH, "schema"),
        ("venues/london-hq.yaml", "schema"),  # 'colour' is unknown
        ("venues/london-hq.yaml", "schema"),  # 'rooms' is missing
    ]


def test_references_to_a_missing_file_are_still_reported(check_academy: CheckAcademy) -> None:
    result = check_academy({
        COHORT_PATH: COHORT.replace("lead: [ajones]", "lead: [jdoe]"),
        "records/attendance/fa-a.csv": ATTENDANCE.replace("fa-a/", "fa-z/"),
    })
    assert sorted(d.code for d in result.diagnostics) == [
        "unknown-instructor", "unknown-session", "unknown-session"]


def test_learners_of_a_broken_learner_file_are_not_unknown(check_academy: CheckAcademy) -> None:
    result = check_academy({
        COHORT_PATH: COHORT,
        "people/learners/acme.yaml": "version: 1\nlearners:\n  - id: l-0001\n    name: [\n",
    })
    assert [(d.path, d.code) for d in result.diagnostics] == [
        ("people/learners/acme.yaml", "yaml-syntax")]


RECURRING = """\
version: 1
title: Evenings
timezone: Europe/London
instructors:
  lead: [ajones]
recurrence:
  start_date: 2026-06-02
  frequency: weekly
  days: [TU]
  start: "18:00"
  end: "20:00"
  count: 3
  id_prefix: w
sessions:
  - id: {sid}
    status: cancelled
    reason: Room closed
"""


def test_override_of_a_session_the_recurrence_does_not_make(check_academy: CheckAcademy) -> None:
    result = check_academy({COHORT_PATH: RECURRING.format(sid="w9")})
    assert _lines(result.diagnostics) == [
        f"{COHORT_PATH}:15:5: error[session-time]: session 'w9' is not one the recurrence makes "
        "(w01, w02, w03), so it is an extra session and needs a date and a start time; to "
        "change a generated session, use its id"
    ]


def test_override_of_a_generated_session_is_accepted(check_academy: CheckAcademy) -> None:
    result = check_academy({COHORT_PATH: RECURRING.format(sid="w02")})
    assert result.diagnostics == []
    (cohort,) = result.academy.cohorts.values()  # type: ignore[union-attr]
    assert [(s.id, s.status) for s in cohort.sessions] == [
        ("w01", "scheduled"), ("w02", "cancelled"), ("w03", "scheduled")]


def test_all_problems_of_all_files_in_one_run_sorted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_academy(tmp_path / "a", {
        COHORT_PATH: COHORT.replace("lead: [ajones]", "lead: [jdoe]").replace(
            'start: "09:00"', 'start: "9am"'),
        "people/instructors/cdoe.yaml": "version: 1\nname: C Doe\nhours: 3\n",
        "venues/annex.yaml": "version: 1\nname: [\n",
        "programs/first-aid/notes.yaml": "a: 1\n",
        "records/attendance/x.csv": "session,learner,status\nfa-a/day1,l-0001,maybe\n",
    })
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 2)[:2] for line in out] == [
        ["people/instructors/cdoe.yaml:3:1", "error[schema]"],
        ["programs/first-aid/cohorts/fa-a.yaml:15:12", "error[schema]"],
        ["programs/first-aid/notes.yaml:1:1", "warning[unknown-file]"],
        ["records/attendance/x.csv:2:3", "error[csv-row]"],
        ["venues/annex.yaml:3:1", "error[yaml-syntax]"],
    ]


def test_internal_error_exits_3_and_says_it_is_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_academy(tmp_path / "a", {})

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("trainkit.commands.check_cmd.check_tree", broken)
    assert main(["check", "--root", str(root)]) == 3
    err = capsys.readouterr().err
    assert "RuntimeError: a bug" in err
    assert "internal error (this is a bug in trainkit, not in your files)" in err


def test_source_without_academy_file(tmp_path: Path) -> None:
    root = write_academy(tmp_path / "a", {"trainkit.yaml": None}, base=True)
    assert not (root / "trainkit.yaml").exists()
    result = check_source(DirSource(root), str(root))
    assert [d.text() for d in result.diagnostics] == [
        "trainkit.yaml:0:0: error[no-academy]: there is no trainkit.yaml; run 'trainkit init' "
        "to start an academy"
    ]


@pytest.mark.parametrize(("text", "line"), [
    ("version: 1\n<<: [1, 2]\n", "2:5: error[yaml-merge]: '<<' must merge a mapping or a list "
                                 "of mappings"),
    ("version: 1\n[a, b]: c\n", "2:1: error[yaml-key]: a key must be plain text"),
    ("version: 1\n? {a: 1}\n: c\n", "2:3: error[yaml-key]: a key must be plain text"),
])
def test_yaml_structure_errors(check_academy: CheckAcademy, text: str, line: str) -> None:
    result = check_academy({"venues/annex.yaml": text})
    assert _lines(result.diagnostics) == [f"venues/annex.yaml:{line}"]


@pytest.mark.parametrize(("path", "message"), [
    ("programs/first-aid/cohorts/FA Lon.yaml",
     "the file name 'FA Lon' is the cohort's id and ids use lower-case letters, digits, '-', "
     "'_' and '.' only; rename the file (e.g. 'fa-lon')"),
    ("programs/First Aid/program.yaml",
     "the folder name 'First Aid' is the program's id and ids use lower-case letters, digits, "
     "'-', '_' and '.' only; rename the folder (e.g. 'first-aid')"),
    ("people/instructors/Ann.Smith.yaml",
     "the file name 'Ann.Smith' is the instructor's id and ids use lower-case letters, digits, "
     "'-', '_' and '.' only; rename the file (e.g. 'ann.smith')"),
])
def test_names_that_are_not_ids(check_academy: CheckAcademy, path: str, message: str) -> None:
    text = (COHORT if "cohorts" in path else
            "version: 1\ntitle: First aid\n" if "program" in path else "version: 1\nname: Ann\n")
    result = check_academy({path: text})
    assert f"{path}:1:1: error[id-name]: {message}" in _lines(result.diagnostics)


def test_names_that_are_ids_are_quiet(check_academy: CheckAcademy) -> None:
    result = check_academy({"people/instructors/ann.smith_2.yaml": "version: 1\nname: Ann\n"})
    assert result.diagnostics == []


def test_a_reversed_recurrence_is_reported_once(check_academy: CheckAcademy) -> None:
    text = RECURRING.format(sid="w02").replace('end: "20:00"', 'end: "17:00"')
    result = check_academy({COHORT_PATH: text})
    assert _lines(result.diagnostics) == [
        f"{COHORT_PATH}:15:5: error[session-time]: session fa-a/w02 ends at 17:00, before it "
        "starts at 18:00 on 2026-06-09; fix the times, or write 'duration:' instead of 'end:' "
        "for a session that runs past midnight",  # the override is written on its own
        f"{COHORT_PATH}:7:3: error[session-time]: sessions w01, w03 of cohort 'fa-a' end at "
        "17:00, before they start at 18:00; fix the times, or write 'duration:' instead of "
        "'end:' for sessions that run past midnight",
    ]


def test_yaml_in_a_course_that_is_not_read_is_pointed_out(check_academy: CheckAcademy) -> None:
    result = check_academy({"courses/c/course.yaml": "version: 1\ntitle: C\n",
                            "courses/c/quizzes/old/final.yaml": "version: 1\n"})
    assert _lines(result.diagnostics) == [
        "courses/c/quizzes/old/final.yaml:1:1: warning[unknown-file]: trainkit does not read "
        "this file; see docs/format.md for where each kind of file goes",
    ]


def test_quizzes_of_a_broken_course_are_not_unknown(check_academy: CheckAcademy) -> None:
    quiz = ("version: 1\ntitle: Q\nmode: graded\npass_mark: 50\nquestions:\n  - id: q1\n"
            "    type: true-false\n    prompt: Yes?\n    answer: true\n")
    result = check_academy({
        "courses/c/course.yaml": "version: 1\ntitle: C\ncolour: red\n",
        "courses/c/quizzes/final.yaml": quiz,
        "records/quiz-results/c.csv": "learner,quiz,score,max,submitted_at,attempt\n"
                                      "l-0001,c/final,1,1,2026-06-01T10:00:00Z,1\n",
    })
    assert [(d.path, d.code) for d in result.diagnostics] == [("courses/c/course.yaml", "schema")]


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_infinity_is_not_a_number_here(check_academy: CheckAcademy, value: str) -> None:
    result = check_academy({"people/instructors/ajones.yaml":
                            f"version: 1\nname: Alice\nmax_hours_per_week: {value}\n"})
    assert _lines(result.diagnostics) == [
        f"people/instructors/ajones.yaml:3:21: error[schema]: max_hours_per_week: expected a "
        f"number, got the text '{value}'"
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("    date: 9999-12-31\n", "sessions[0].date: '9999-12-31' is not a date written YYYY-MM-DD "
                              "(years 1900 to 2199)"),
    ("    date: 0001-01-01\n", "sessions[0].date: '0001-01-01' is not a date written YYYY-MM-DD "
                              "(years 1900 to 2199)"),
])
def test_dates_out_of_any_real_schedule(check_academy: CheckAcademy, text: str, message: str
                                        ) -> None:
    result = check_academy({COHORT_PATH: COHORT.replace("    date: 2026-06-02\n", text)})
    assert _lines(result.diagnostics) == [f"{COHORT_PATH}:14:11: error[schema]: {message}"]


@pytest.mark.parametrize("value", ["1e308", "9999999999999999999999", "169"])
def test_weekly_hours_beyond_a_week(check_academy: CheckAcademy, value: str) -> None:
    result = check_academy({"people/instructors/ajones.yaml":
                            f"version: 1\nname: Alice\nmax_hours_per_week: {value}\n"})
    assert [(d.line, d.code) for d in result.diagnostics] == [(3, "schema")]


@pytest.mark.parametrize("when", ["2026-02-30T08:10:00+01:00", "2026-10-10T25:10:00Z",
                                  "0001-01-01T00:00:00+01:00"])
def test_quiz_result_time_that_cannot_be(check_academy: CheckAcademy, when: str) -> None:
    result = check_academy({"records/quiz-results/c.csv":
                            "learner,quiz,score,max,submitted_at,attempt\n"
                            f"l-0001,c/final,1,1,{when},1\n"})
    assert [(d.path, d.line, d.col, d.code) for d in result.diagnostics] == [
        ("records/quiz-results/c.csv", 2, 5, "csv-row")]


def test_unreadable_files_are_not_echoed_at_their_references(
    check_academy: CheckAcademy, tmp_path: Path
) -> None:
    venue = tmp_path / "academy/venues/annex.yaml"
    venue.mkdir(parents=True)
    link = tmp_path / "academy/programs/first-aid/cohorts/fa-b.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(tmp_path / "nowhere.yaml")
    result = check_academy({
        COHORT_PATH: COHORT.replace("venue: london-hq\nroom: thames\n", "venue: annex\n"),
        "records/attendance/fa-b.csv": ATTENDANCE.replace("fa-a/", "fa-b/"),
    })
    assert [(d.path, d.code) for d in result.diagnostics] == [
        ("programs/first-aid/cohorts/fa-b.yaml", "unreadable"),
        ("venues/annex.yaml", "unreadable"),
    ]
