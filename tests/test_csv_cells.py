"""CSV outputs: a line break inside a cell never starts a row, nor a live formula.

Spreadsheets start a new row at a carriage return that is not inside quotes,
and run a cell line that starts with ``=``, ``+``, ``-`` or ``@``. Every CSV
trainkit writes quotes cells holding CR or LF, and neutralises every line of
a cell, not only its first.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.load.records import write_csv as write_records

HERE = Path(__file__).parent
SMALL = HERE / "cases" / "small" / "input"
PAYLOAD = "Jane Doe\r=2+5+cmd|' /C calc'!A0"
FORMULA = ("=", "+", "-", "@", "\t")


@pytest.mark.parametrize(("value", "cell"), [
    (PAYLOAD, "Jane Doe\r'=2+5+cmd|' /C calc'!A0"),
    ("a\n+1\r\n-2\r@3\n\tx", "a\n'+1\r\n'-2\r'@3\n'\tx"),
    ("=1\n=2", "'=1\n'=2"),
    ("\r=x", "'\r'=x"),
    ("line one\nline two", "line one\nline two"),
])
def test_every_line_of_a_cell_is_neutralised(value: str, cell: str) -> None:
    assert safe_cell(value) == cell


def test_cells_with_cr_or_lf_are_quoted_and_rows_end_with_lf() -> None:
    text = csv_text([("name", "note"), ("a\rb", "c\nd"), ("e\r\nf", "plain")])
    assert text == 'name,note\n"a\rb","c\nd"\n"e\r\nf",plain\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["name", "note"], ["a\rb", "c\nd"], ["e\r\nf", "plain"]]


def test_record_files_written_by_import_quote_cr_too() -> None:
    text = write_records([{"session": "c/s1", "learner": "l-01", "note": "x\ry"}],
                         ("session", "learner", "status", "minutes", "note"))
    assert text == 'session,learner,status,minutes,note\nc/s1,l-01,,,"x\ry"\n'


def _unquoted(text: str) -> str:
    """The text outside quoted cells, where a spreadsheet sees row breaks."""
    return re.sub(r'"(?:[^"]|"")*"', '""', text)


def test_a_learner_name_with_a_carriage_return_stays_in_its_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01: certificates issued
    root = tmp_path / "academy"
    shutil.copytree(SMALL, root)
    people = root / "people/learners/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "name: Priya Shah", 'name: "Jane Doe\\r=2+5+cmd|\' /C calc\'!A0"'), encoding="utf-8")
    reports = tmp_path / "out/reports"
    assert main(["build", "--root", str(root), "--site-dir", str(tmp_path / "out/site"),
                 "--reports-dir", str(reports)]) == 0, capsys.readouterr()
    files = sorted(reports.rglob("*.csv"))
    seen = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "\r" not in _unquoted(text), path
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(r) for r in rows}) == 1, path  # no row was split
        for cell in (c for r in rows for c in r):
            for line in re.split(r"\r\n|\r|\n", cell):
                assert not line.startswith(FORMULA), (path, cell)
            seen += "Jane Doe" in cell
    assert (reports / "certificates/index.csv") in files
    assert "Jane Doe" in (reports / "certificates/index.csv").read_text(encoding="utf-8")
    assert seen >= 2
