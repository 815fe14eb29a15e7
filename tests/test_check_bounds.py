"""Input that asks for too much is a located error in ``check``, never a crash in ``build``.

Each case used to end in exit 3: a recursion error in the YAML builder, an
overflow turning a duration into a time span, a certificate expiry past the
year 9999, a CSV cell over the ``csv`` module's limit. Now ``trainkit check``
reports each at the line and column of the value, exits 1, and ``trainkit
build`` writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CheckAcademy, write_academy
from trainkit.cli import main

COHORT_PATH = "programs/first-aid/cohorts/fa-a.yaml"
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
ATTENDANCE = "records/attendance/fa-a.csv"


def _lines(result: object) -> list[str]:
    return sorted(d.text() for d in result.diagnostics)  # type: ignore[attr-defined]


def _nested_merges(levels: int) -> str:
    """An instructor file whose ``bio`` merges a mapping ``levels`` deep (block style)."""
    body = "".join("  " * (i + 1) + "<<:\n" for i in range(levels))
    return "version: 1\nname: Alice Jones\nbio:\n" + body + "  " * (levels + 1) + "k: 1\n"


def test_merge_keys_nested_hundreds_deep(check_academy: CheckAcademy) -> None:
    # 450 levels pass the composer's guard; building them took 3 frames a level.
    result = check_academy({"people/instructors/ajones.yaml": _nested_merges(450)})
    assert _lines(result) == [
        "people/instructors/ajones.yaml:4:3: error[schema]: bio: expected text, got a mapping"
    ]
    result = check_academy({"people/instructors/ajones.yaml": _nested_merges(520)})
    [problem] = result.diagnostics
    assert (problem.code, problem.path) == ("yaml-too-deep", "people/instructors/ajones.yaml")
    assert problem.line > 3


def test_a_chain_of_700_anchors(check_academy: CheckAcademy) -> None:
    chain = "".join(f"  a{i}: &a{i} {{k: *a{i - 1}}}\n" for i in range(1, 700))
    # A long comment raises the alias budget, so the depth is what stops it.
    text = ("version: 1\nname: Alice Jones\nx:\n  a0: &a0 {k: 1}\n" + chain
            + "#" + "p" * 400_000 + "\n")
    result = check_academy({"people/instructors/ajones.yaml": text})
    [problem] = result.diagnostics
    assert problem.code == "yaml-too-deep"
    assert 4 <= problem.line <= 703
    assert problem.message.startswith("values are nested more than 500 levels deep (aliases")


@pytest.mark.parametrize(("files", "expected"), [
    ({"programs/first-aid/program.yaml": "version: 1\ntitle: F\nsession_plan:\n"
      "  - id: day1\n    title: Day 1\n    duration: 99999999h\n"},
     "programs/first-aid/program.yaml:6:15: error[schema]: session_plan[0].duration: "
     "'99999999h' is not a duration such as 3h, 45m or 1h30m (at most 9999h and 99999m)"),
    ({COHORT_PATH: COHORT + "    duration: 99999999h\n"},
     f"{COHORT_PATH}:16:15: error[schema]: sessions[0].duration: '99999999h' is not a "
     "duration such as 3h, 45m or 1h30m (at most 9999h and 99999m)"),
    ({"trainkit.yaml": "version: 1\nid: t\nname: T\nbase_url: https://a.example.org/\n"
      "timezone: Europe/London\nfeeds:\n  refresh: 99999999999h\n"},
     "trainkit.yaml:7:12: error[schema]: feeds.refresh: '99999999999h' is not a duration "
     "longer than zero written like 6h, 30m or 1h30m (at most 9999h and 99999m)"),
    ({"programs/first-aid/program.yaml": "version: 1\ntitle: F\nsession_plan:\n"
      "  - id: day1\n    title: Day 1\n    duration: 7h\ncertificate:\n"
      "  validity_months: 99999999\n"},
     "programs/first-aid/program.yaml:8:20: error[schema]: certificate.validity_months: "
     "99999999 is greater than the maximum of 1200"),
    ({"programs/first-aid/program.yaml": "version: 1\ntitle: F\ncapacity: 1e999\n"
      "session_plan:\n  - id: day1\n    title: Day 1\n    duration: 7h\n"},
     "programs/first-aid/program.yaml:3:11: error[schema]: capacity: expected a whole "
     "number, got the text '1e999'"),
    ({"programs/first-aid/program.yaml": "version: 1\ntitle: F\ncapacity: " + "9" * 5000
      + "\nsession_plan:\n  - id: day1\n    title: Day 1\n    duration: 7h\n"},
     "programs/first-aid/program.yaml:3:11: error[schema]: capacity: expected a whole "
     "number, got the text '" + "9" * 5000 + "'"),
])
def test_numbers_beyond_their_bounds(check_academy: CheckAcademy, files: dict[str, str],
                                     expected: str) -> None:
    assert _lines(check_academy(files)) == [expected]


def test_validity_months_beyond_the_bound_never_reaches_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    program = ("version: 1\ntitle: F\nsession_plan:\n  - id: day1\n    title: Day 1\n"
               "    duration: 7h\ncertificate:\n  validity_months: 99999999\n")
    root = write_academy(tmp_path / "a", {"programs/first-aid/program.yaml": program,
                                          COHORT_PATH: COHORT})
    site = tmp_path / "out/site"
    code = main(["build", "--root", str(root), "--site-dir", str(site),
                 "--reports-dir", str(tmp_path / "out/reports")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "validity_months: 99999999 is greater than the maximum of 1200" in out + err
    assert "Traceback" not in err and not site.exists()


def test_csv_cell_over_the_field_limit(check_academy: CheckAcademy) -> None:
    rows = "session,learner,status,note\nfa-a/day1,l-0001,present,\"" + "x" * 140_000 + "\"\n"
    result = check_academy({COHORT_PATH: COHORT, ATTENDANCE: rows})
    assert _lines(result) == [
        f"{ATTENDANCE}:2:1: error[csv-row]: a cell starting on this line is longer than "
        "131,072 characters; add the closing quote (\") if one is missing, else shorten it"
    ]


def test_invalid_utf8_in_a_csv_is_at_its_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = write_academy(tmp_path / "a", {COHORT_PATH: COHORT})
    (root / "records/attendance").mkdir(parents=True)
    (root / ATTENDANCE).write_bytes(
        b"session,learner,status,note\nfa-a/day1,l-0001,present,ok\nfa-a/day1,l-0002,"
        b"absent,caf\xe9\n")
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().out == (
        f"{ATTENDANCE}:3:28: error[encoding]: the file is not UTF-8 (byte 0xe9 here); save "
        "it as UTF-8\n")


def test_nul_in_yaml_is_at_its_line_and_column(check_academy: CheckAcademy) -> None:
    result = check_academy({COHORT_PATH: COHORT.replace("title: London", "title: Lon\0don")})
    assert _lines(result) == [
        f"{COHORT_PATH}:2:11: error[yaml-syntax]: invalid YAML: unacceptable character #x0000: "
        "control characters are not allowed"
    ]
