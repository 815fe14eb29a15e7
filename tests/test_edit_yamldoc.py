"""Round-trip edits keep the file as written: only the changed lines change."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest

from trainkit.edit import Changes, EditError, YamlDocument
from trainkit.edit.yamldoc import guess_indent

TEXT = """\
# yaml-language-server: $schema=../../../schemas/cohort.schema.json
version: 1
title: 'London: June'     # single quotes kept
notes: "Lunch provided."
instructors: {lead: [ajones], assistants: []}
enrollments:
  - learner: l-0001
    status: enrolled   # paid
    date: 2026-04-01

  # Late registrations below
  - learner: l-0002
    date: 2026-04-03

sessions:
  - id: day1
    start: "09:00"
    agenda: >-
      Primary survey,
      CPR
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_an_unchanged_document_dumps_byte_for_byte() -> None:
    assert YamlDocument("c.yaml", TEXT).dump() == TEXT


def test_append_goes_after_the_last_item_before_the_blank_line() -> None:
    doc = YamlDocument("c.yaml", TEXT)
    assert doc.append(["enrollments"], {"learner": "l-0003", "status": "waitlisted",
                                        "date": date(2026, 4, 9)}) == 2
    after = doc.dump()
    assert after == TEXT.replace("    date: 2026-04-03\n\n", "    date: 2026-04-03\n"
                                 "  - learner: l-0003\n    status: waitlisted\n"
                                 "    date: 2026-04-09\n\n")


def test_set_replaces_a_value_and_keeps_its_comment_in_its_column() -> None:
    doc = YamlDocument("c.yaml", TEXT)
    doc.set(["enrollments", 0, "status"], "withdrawn")
    assert changed_lines(TEXT, doc.dump()) == [
        "-    status: enrolled   # paid", "+    status: withdrawn  # paid"]


def test_a_new_key_at_the_end_of_an_item_keeps_what_followed_below_it() -> None:
    doc = YamlDocument("c.yaml", TEXT)
    doc.set(["enrollments", 1, "status"], "waitlisted", after=["learner"])
    doc.set(["enrollments", 0, "reason"], "moved: see ticket 12", after=["date"])
    after = doc.dump()
    assert changed_lines(TEXT, after) == [
        "+    reason: 'moved: see ticket 12'", "+    status: waitlisted"]
    assert "    reason: 'moved: see ticket 12'\n\n  # Late registrations below\n" in after


def test_remove_an_item_and_a_key() -> None:
    doc = YamlDocument("c.yaml", TEXT)
    doc.remove(["enrollments", 1])
    doc.remove(["notes"])
    after = doc.dump()
    assert changed_lines(TEXT, after) == [
        '-notes: "Lunch provided."', "-  - learner: l-0002", "-    date: 2026-04-03"]
    assert "# Late registrations below\n\nsessions:" in after


def test_a_flow_list_stays_flow_and_an_empty_one_becomes_a_block() -> None:
    doc = YamlDocument("c.yaml", TEXT)
    doc.append(["instructors", "lead"], "bsmith")
    doc.set(["waitlist_note"], "ask", after=["notes"])
    after = doc.dump()
    assert "instructors: {lead: [ajones, bsmith], assistants: []}\n" in after
    fresh = YamlDocument("n.yaml", "version: 1\nenrollments: []\n")
    fresh.append(["enrollments"], {"learner": "l-0001"})
    assert fresh.dump() == "version: 1\nenrollments:\n  - learner: l-0001\n"


def test_a_missing_list_is_made_after_the_named_key() -> None:
    doc = YamlDocument("c.yaml", "version: 1\ntitle: X\nsessions: []\n")
    doc.append(["enrollments"], {"learner": "l-0001"}, after=["title", "status"])
    assert doc.dump() == ("version: 1\ntitle: X\nenrollments:\n  - learner: l-0001\n"
                          "sessions: []\n")


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n  b: 1\nc:\n  - x\n", (2, 4, 2)),
    ("a:\n    b: 1\nc:\n- x\n", (4, 2, 0)),
    ("learners:\n  - id: a\n    name: b\n", (2, 4, 2)),
    ("version: 1\n", (2, 4, 2)),
])
def test_indentation_is_read_from_the_file(text: str, expected: tuple[int, int, int]) -> None:
    assert guess_indent(text) == expected
    assert YamlDocument("x.yaml", text).dump() == text


def test_a_layout_the_round_trip_would_change_is_refused() -> None:
    # Two spellings of indentation in one file: a re-dump would even them out.
    text = "a:\n  - x\nb:\n    - y\n"
    with pytest.raises(EditError, match="without changing its layout"):
        YamlDocument("odd.yaml", text)


def test_a_syntax_error_is_reported_with_its_position() -> None:
    with pytest.raises(EditError) as err:
        YamlDocument("bad.yaml", "a: 1\n  b: [\n")
    assert err.value.line >= 2 and "fix the file first" in err.value.message


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "trainkit.yaml").write_text("version: 1\n")
    target = tmp_path / "people/learners/a.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("version: 1\nlearners: []\n")
    changes = Changes(tmp_path)
    changes.open("people/learners/a.yaml").append(["learners"], {"id": "x"})
    target.write_text("version: 1\nlearners: []  # edited by someone else\n")
    with pytest.raises(EditError, match="changed on disk"):
        changes.write()
    assert target.read_text() == "version: 1\nlearners: []  # edited by someone else\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.yaml"]  # no temp file left


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("version: 1\nlearners: []\n")
    target.chmod(0o640)
    changes = Changes(tmp_path)
    changes.open("a.yaml").append(["learners"], {"id": "x"})
    assert changes.diff() == ("--- a/a.yaml\n+++ b/a.yaml\n@@ -1,2 +1,3 @@\n version: 1\n"
                              "-learners: []\n+learners:\n+  - id: x\n")
    assert changes.write() == ["a.yaml"]
    assert target.read_text() == "version: 1\nlearners:\n  - id: x\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert changes.changed() == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("# yaml-language-server: $schema=x.json\n---\nversion: 1\nlearners: []\n",
     "# yaml-language-server: $schema=x.json\n---\nversion: 1\nlearners:\n  - id: a\n"),
    # The comment keeps its column; the empty flow list becomes a block list.
    ("version: 1\r\nlearners: []  # none yet\r\n",
     "version: 1\r\nlearners:     # none yet\r\n  - id: a\r\n"),
])
def test_document_markers_and_windows_line_ends_are_kept(text: str, expected: str) -> None:
    doc = YamlDocument("x.yaml", text)
    assert doc.dump() == text
    doc.append(["learners"], {"id": "a"})
    assert doc.dump() == expected
