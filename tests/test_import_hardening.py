"""Broken exports and identity maps end in exit 1 naming the file and line, and write nothing.

Each case is one that used to stop ``trainkit import`` with a traceback (exit
3) or made it write a value ``trainkit check`` then rejects.
"""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.pipeline import check_dir
from trainkit.rules import records

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "imports"
SMALL = HERE / "cases" / "small" / "input"
QUIZ_OUT = "records/quiz-results/basics--final.csv"
MOODLE = (FIX / "moodle.csv").read_text(encoding="utf-8")
FORMS = (FIX / "google-forms.csv").read_text(encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "academy"
    shutil.copytree(SMALL, dest)
    return dest


def _import(root: Path, kind: str, export: Path, *extra: str) -> int:
    target = ("--session", "saf-a/s1") if kind == "attendance" else ("--quiz", "basics/final")
    return main(["import", kind, str(export), *target, *extra, "--root", str(root)])


def _fails_at(root: Path, capsys: pytest.CaptureFixture[str], kind: str, export: Path,
              line: int, words: str, *extra: str) -> None:
    """Exit 1, one message naming ``export`` at ``line``, and no record file written."""
    before = sorted(p.relative_to(root) for p in (root / "records").rglob("*"))
    assert _import(root, kind, export, *extra) == 1
    err = capsys.readouterr().err
    assert f"trainkit import: {export}:{line}: " in err, err
    assert words in err, err
    assert "Traceback" not in err
    assert sorted(p.relative_to(root) for p in (root / "records").rglob("*")) == before


def test_utf8_byte_order_mark_then_invalid_bytes(root: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "moodle.csv"
    lines = MOODLE.encode().split(b"\n")
    lines[2] = lines[2].replace(b"Failer", b"Fa\xffler")
    export.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines))
    _fails_at(root, capsys, "quiz-results", export, 3, "byte 0xff is not UTF-8")


def test_google_forms_offset_beyond_any_time_zone(root: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "forms.csv"
    export.write_text(FORMS.replace("09:30:00 AM GMT", "09:30:00 AM GMT+99"), encoding="utf-8")
    _fails_at(root, capsys, "quiz-results", export, 4, "'GMT+99' is not a time zone offset")


@pytest.mark.parametrize("grade", ["n/a", "nan", "inf", "-inf", "1e999", "9" * 12])
def test_moodle_finished_attempt_with_a_grade_that_is_no_number(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], grade: str) -> None:
    export = tmp_path / "moodle.csv"
    export.write_text(MOODLE.replace('"9.00"', f'"{grade}"'), encoding="utf-8")
    _fails_at(root, capsys, "quiz-results", export, 2, f"grade {grade!r} is not a number")


def test_google_forms_score_too_large(root: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "forms.csv"
    export.write_text(FORMS.replace('"5 / 10"', '"' + "9" * 400 + ' / 10"'), encoding="utf-8")
    _fails_at(root, capsys, "quiz-results", export, 3, "is not a number")


def test_export_with_a_quote_left_open(root: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "moodle.csv"
    # The quoted cell opened on line 8 swallows the lines after it, past the csv module's limit.
    export.write_text(MOODLE + '"Open,' + "x\n" * 70_000 + '"a","b"\n', encoding="utf-8")
    _fails_at(root, capsys, "quiz-results", export, 8,
              "add the closing quote (\") if one is missing", "--from", "moodle")


def test_a_date_out_of_range_is_refused(root: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "forms.csv"
    export.write_text(FORMS.replace("2026/01/25", "0001/01/25"), encoding="utf-8")
    _fails_at(root, capsys, "quiz-results", export, 4, "is not a date between 1900 and 2199")


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("map.yaml", "identities:\n  l-01: [a\n  l-02: b\n", 3, "invalid YAML"),
    ("map.yaml", "version: 1\nidentities: [l-01]\n", 1, "expected 'identities:'"),
    ("map.yaml", "identities:\n  l-01: alias\n  l-02: [{x: 1}]\n", 3, "must be names"),
    ("map.yaml", "identities:\n  l-01: &a [*a]\n", 2, "nested more than 500 levels"),
    ("map.yaml", "- just\n- a list\n", 1, "expected 'identities:'"),
    ("map.csv", 'alias,learner\n"open,l-01\n' + "x" * 140_000 + "\n", 2, "add the closing quote"),
    ("map.csv", "name,who\nx,l-01\n", 1, "the header must be: alias,learner"),
    ("map.csv", "alias,learner\nx\n", 2, "learner '' is not in the learner directory"),
])
def test_malformed_identity_map(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                name: str, text: str, line: int, words: str) -> None:
    identity = tmp_path / name
    identity.write_text(text, encoding="utf-8")
    before = sorted((root / "records").rglob("*"))
    assert _import(root, "quiz-results", FIX / "moodle.csv", "--identity-map", str(identity)) == 1
    err = capsys.readouterr().err
    assert f"trainkit import: {identity}:{line}: " in err, err
    assert words in err, err
    assert sorted((root / "records").rglob("*")) == before


def _rows(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["learner"], r["attempt"], r["submitted_at"]) for r in csv.DictReader(fh)]


def _duplicates(root: Path) -> list[str]:
    academy = check_dir(root).academy
    assert academy is not None
    return [d.text() for d in records.check(academy, datetime(2026, 4, 1, tzinfo=UTC))
            if d.code == "record-duplicate"]


def test_a_second_export_continues_the_attempt_numbers(root: Path, tmp_path: Path) -> None:
    (root / "records/quiz-results/basics.csv").unlink()
    first, second = tmp_path / "january.csv", tmp_path / "february.csv"
    first.write_text(MOODLE, encoding="utf-8")
    second.write_text(MOODLE.replace("January", "February"), encoding="utf-8")
    assert _import(root, "quiz-results", first, "--output", str(root / QUIZ_OUT)) == 0
    assert [a for _, a, _ in _rows(root / QUIZ_OUT)] == ["1", "1", "2"]
    other = root / "records/quiz-results/basics--february.csv"
    assert _import(root, "quiz-results", second, "--output", str(other)) == 0
    assert _rows(other) == [
        ("l-01", "2", "2026-02-21T10:12:00+00:00"),
        ("l-05", "3", "2026-02-21T10:20:00+00:00"),
        ("l-05", "4", "2026-02-28T10:20:00+00:00"),
    ]
    assert _duplicates(root) == []


def test_replacing_a_file_renumbers_it_and_a_repeated_export_adds_nothing(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "records/quiz-results/basics.csv").unlink()
    export = tmp_path / "moodle.csv"
    export.write_text(MOODLE, encoding="utf-8")
    assert _import(root, "quiz-results", export) == 0
    first = _rows(root / QUIZ_OUT)
    # --force replaces the file: its own rows are not "already recorded".
    assert _import(root, "quiz-results", export, "--force") == 0
    assert _rows(root / QUIZ_OUT) == first
    # The same export into another file: every attempt is recorded already.
    capsys.readouterr()
    again = root / "records/quiz-results/again.csv"
    assert _import(root, "quiz-results", export, "--output", str(again)) == 0
    assert _rows(again) == []
    assert "left out 3 attempt(s) already in the records" in capsys.readouterr().out
    assert _duplicates(root) == []
