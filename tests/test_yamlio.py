"""Reading YAML safely: YAML 1.2 core scalars, positions, and refusing what is dangerous."""

from __future__ import annotations

import pytest

from trainkit.load import schemas
from trainkit.load.yamlio import MAX_FILE_BYTES, Document, load_yaml


def _load(text: str | bytes, kind: str = "cohort") -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_yaml("programs/p/cohorts/c.yaml", kind, raw)


def _texts(doc: Document) -> list[str]:
    return [d.text() for d in doc.diagnostics]


def test_core_schema_keeps_dates_times_and_yes_no_as_text() -> None:
    doc = _load(
        "date: 2026-03-01\ntime: 09:30\nupper_no: NO\nyes: yes\non: on\nsexagesimal: 1:30:00\n"
        "quoted: '1'\npostcode: 01234\n"
    )
    assert _texts(doc) == []
    assert doc.data == {
        "date": "2026-03-01", "time": "09:30", "upper_no": "NO", "yes": "yes", "on": "on",
        "sexagesimal": "1:30:00", "quoted": "1", "postcode": 1234,
    }


def test_core_schema_types_booleans_numbers_and_null() -> None:
    doc = _load(
        "t: true\nf: False\ni: 1\nneg: -7\nfl: 1.5\nexp: 1e3\noct: 0o17\nhex: 0x1F\n"
        "inf: .inf\nn: null\ntilde: ~\nempty:\n"
    )
    assert doc.data == {
        "t": True, "f": False, "i": 1, "neg": -7, "fl": 1.5, "exp": 1000.0, "oct": 15,
        "hex": 31, "inf": ".inf", "n": None, "tilde": None, "empty": None,
    }
    assert type(doc.data["i"]) is int and type(doc.data["fl"]) is float


def test_positions_of_keys_values_and_items() -> None:
    doc = _load("version: 1\nsessions:\n  - id: day1\n    start: \"09:00\"\n  - id: day2\n")
    assert doc.locate(["version"]) == (1, 10)
    assert doc.locate(["version"], key=True) == (1, 1)
    assert doc.locate(["sessions", 1]) == (5, 5)
    assert doc.locate(["sessions", 0, "start"]) == (4, 12)
    # A pointer past the data lands on the closest enclosing value.
    assert doc.locate(["sessions", 0, "end"]) == (3, 5)


def test_duplicate_key_is_a_warning_at_the_second_key() -> None:
    doc = _load("version: 1\ntitle: A\ntitle: B\n")
    assert doc.data == {"version": 1, "title": "B"}
    assert _texts(doc) == [
        "programs/p/cohorts/c.yaml:3:1: warning[duplicate-key]: key 'title' appears twice; "
        "the last one wins",
    ]


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = _load(bomb)
    assert doc.data is None
    [problem] = doc.diagnostics
    assert problem.code == "yaml-too-large"
    assert "alias bomb" in problem.message


def test_ordinary_anchors_and_merge_keys_work() -> None:
    doc = _load("base: &b {start: '09:00', duration: 3h}\ns1: {<<: *b, id: s1}\n")
    assert _texts(doc) == []
    assert doc.data["s1"] == {"id": "s1", "start": "09:00", "duration": "3h"}


def test_more_than_one_document_is_an_error() -> None:
    doc = _load("version: 1\n---\nversion: 1\n")
    assert doc.data is None
    assert _texts(doc) == [
        "programs/p/cohorts/c.yaml:2:1: error[yaml-syntax]: the file holds more than one YAML "
        "document ('---'); keep one per file",
    ]


@pytest.mark.parametrize("text", [
    "a: !!python/name:os.system\n",
    "a: !!python/object/apply:os.system [\"echo hi\"]\n",
    "!!python/object:os.system {x: 1}\n",
    "a: !custom x\n",
])
def test_python_and_unknown_tags_are_refused(text: str) -> None:
    doc = _load(text)
    assert doc.data is None
    [problem] = doc.diagnostics
    assert problem.code == "yaml-tag"
    assert problem.message.endswith("is not allowed; remove it so the value is plain text")


def test_syntax_error_has_a_position_and_no_traceback() -> None:
    doc = _load("version: 1\ntitle: [unclosed\nstatus: open\n")
    [problem] = doc.diagnostics
    assert (problem.line, problem.col, problem.code) == (3, 7, "yaml-syntax")
    assert problem.message.startswith("invalid YAML: ")


def test_file_that_is_not_utf8() -> None:
    doc = _load("title: caf\xe9\n".encode("latin-1"))
    assert _texts(doc) == [
        "programs/p/cohorts/c.yaml:1:11: error[encoding]: the file is not UTF-8 (byte 0xe9 "
        "here); save it as UTF-8",
    ]


def test_invalid_utf8_is_located_at_its_line_and_column() -> None:
    # The column counts characters: "Zoë" is three, although ë is two bytes.
    raw = "\ufeffversion: 1\ntitle: Zoë ".encode() + b"\xff\n"
    doc = _load(raw)
    assert [(d.line, d.col, d.code) for d in doc.diagnostics] == [(2, 12, "encoding")]


def test_control_character_is_located_at_its_line_and_column() -> None:
    doc = _load("version: 1\ntitle: ab\x00c\n")
    assert [(d.line, d.col, d.code) for d in doc.diagnostics] == [(2, 10, "yaml-syntax")]
    assert doc.diagnostics[0].message.startswith("invalid YAML: unacceptable character #x0000")


def test_utf8_with_byte_order_mark_is_fine() -> None:
    doc = _load("\ufefftitle: Café\n".encode())
    assert _texts(doc) == [] and doc.data == {"title": "Café"}


def test_empty_file_is_reported_by_validation() -> None:
    doc = _load("")
    assert doc.data is None and doc.diagnostics == []
    assert [d.text() for d in schemas.validate(doc)] == [
        "programs/p/cohorts/c.yaml:1:1: error[schema]: the file is empty; start it with "
        "'version: 1'",
    ]


def test_file_too_large() -> None:
    doc = _load(b"#" * (MAX_FILE_BYTES + 1))
    assert _texts(doc) == [
        "programs/p/cohorts/c.yaml:1:1: error[file-too-large]: the file is 64 MiB; split it "
        "into files under 64 MiB",
    ]


def test_an_alias_to_no_anchor_is_a_located_syntax_error() -> None:
    doc = _load("version: 1\ntitle: *nowhere\n")
    assert _texts(doc) == [
        "programs/p/cohorts/c.yaml:2:8: error[yaml-syntax]: invalid YAML: found undefined alias"
    ]
