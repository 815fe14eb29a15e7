"""``trainkit check`` from the command line, run in-process through ``cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_academy
from trainkit import rules
from trainkit.cli import main

REPO = Path(__file__).resolve().parents[1]

CLASH = """\
version: 1
title: {title}
timezone: Europe/London
instructors:
  lead: [ajones]
sessions:
  - id: day1
    date: 2026-06-02
    start: "{start}"
    end: "{end}"
"""
TWO_COHORTS = {
    "programs/first-aid/cohorts/fa-a.yaml": CLASH.format(title="A", start="09:00", end="12:00"),
    "programs/first-aid/cohorts/fa-b.yaml": CLASH.format(title="B", start="11:00", end="13:00"),
}
HOLIDAY = {
    "programs/first-aid/cohorts/fa-a.yaml": CLASH.format(title="A", start="09:00", end="12:00")
    .replace("2026-06-02", "2026-05-04"),
}
MESSAGE = (
    "instructor 'ajones' is double-booked: fa-b/day1 2026-06-02 11:00-13:00 Europe/London "
    "overlaps fa-a/day1 (2026-06-02 09:00-12:00 Europe/London); move one session or give it "
    "another instructor"
)
ERROR_LINE = "programs/first-aid/cohorts/fa-b.yaml:7:5: error[instructor-double-booked]: " + MESSAGE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "academy"


@pytest.fixture(autouse=True)
def _no_ci_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_clean_academy_exits_0(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, {})
    assert main(["check", "--root", str(root)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "all good" in err


def test_errors_exit_1_with_text_lines(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, TWO_COHORTS)
    assert main(["check", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == ERROR_LINE + "\n"
    assert err == "1 error(s), 0 warning(s) in 1 file(s)\n"


def test_warnings_exit_0_unless_strict(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, HOLIDAY)
    assert main(["check", "--root", str(root)]) == 0
    out, _ = capsys.readouterr()
    assert "warning[session-on-holiday]" in out
    assert main(["check", "--strict", "--root", str(root)]) == 2


@pytest.mark.parametrize("argv", [
    ["check", "--no-such-option"],
    ["check", "--format", "xml"],
    ["no-such-command"],
])
def test_bad_command_line_exits_64(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 64
    assert "usage:" in capsys.readouterr().err


def test_github_format(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, TWO_COHORTS)
    assert main(["check", "--format", "github", "--root", str(root)]) == 1
    out, _ = capsys.readouterr()
    assert out == (
        "::error file=programs/first-aid/cohorts/fa-b.yaml,line=7,col=5,"
        "title=instructor-double-booked::" + MESSAGE + "\n"
    )


def test_github_actions_environment_selects_github(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write_academy(root, TWO_COHORTS)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().out.startswith("::error file=programs/first-aid/cohorts/fa-b.yaml")
    # An explicit --format still wins.
    assert main(["check", "--format", "text", "--root", str(root)]) == 1
    assert capsys.readouterr().out == ERROR_LINE + "\n"


def test_json_format(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, TWO_COHORTS)
    assert main(["check", "--format", "json", "--root", str(root)]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out) == [{
        "path": "programs/first-aid/cohorts/fa-b.yaml", "line": 7, "col": 5,
        "severity": "error", "code": "instructor-double-booked",
        "message": MESSAGE,
    }]


def test_root_is_found_from_a_subfolder(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write_academy(root, TWO_COHORTS)
    monkeypatch.chdir(root / "programs" / "first-aid" / "cohorts")
    assert main(["check"]) == 1
    assert capsys.readouterr().out == ERROR_LINE + "\n"


def test_no_academy_here(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "trainkit: no trainkit.yaml in this folder or any folder above it; cd into an academy, "
        "pass --root DIR, or create one with 'trainkit init DIR'\n"
    )


def test_root_without_academy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(tmp_path)]) == 1
    assert "trainkit.yaml: not found; is --root the academy folder?" in capsys.readouterr().err


def test_yaml_syntax_error_has_a_position_and_no_traceback(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_academy(root, {"programs/first-aid/cohorts/bad.yaml": "version: 1\ntitle: [open\n"})
    assert main(["check", "--root", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("programs/first-aid/cohorts/bad.yaml:3:1: error[yaml-syntax]: "
                          "invalid YAML: ")
    assert "Traceback" not in out + err


def test_list_rules_documents_every_rule_and_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-rules"]) == 0
    out = capsys.readouterr().out
    for rule in rules.all_rules():
        assert f"\n{rule.name}: " in "\n" + out
        assert rule.doc and rule.doc in out
        for code, severity in rule.codes.items():
            assert f"{code} ({severity})" in out
    assert len(rules.all_rules()) == len(rules.MODULES) >= 14


def test_demo_academy_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(REPO)]) == 0, capsys.readouterr().out
