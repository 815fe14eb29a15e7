"""Rules that work per instructor, room or cohort keep what they found for the objects
that come again (trainkit.rules._util.Recalled): a live preview checks again after every
save, and its kept resolve hands the rules the very objects of the files that did not
change. What they report is always what a check from scratch reports."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import INSTRUCTOR, write_academy
from trainkit.load.parsecache import StoredParses
from trainkit.pipeline import check_tree
from trainkit.resolve.reuse import Reuse
from trainkit.rules import MODULES, instructor_overlap
from trainkit.rules._util import Recalled

COHORT = """\
version: 1
title: {title}
timezone: Europe/London
venue: london-hq
room: {room}
instructors:
  lead: [{lead}]
status: open
enrollments:
  - learner: {learner}
    status: enrolled
    date: 2026-02-01
sessions:
  - id: day1
    template: day1
    date: {day1}
    start: "09:00"
    end: "16:00"
  - id: day2
    template: day2
    date: {day2}
    start: "09:00"
    end: "16:00"
"""
C1 = "programs/first-aid/cohorts/c1.yaml"
C2 = "programs/first-aid/cohorts/c2.yaml"
C3 = "programs/first-aid/cohorts/c3.yaml"


def test_a_result_is_kept_while_its_very_objects_come_again() -> None:
    kept, made = Recalled(), []

    def make(*args: object) -> list[object]:
        made.append(args)
        return list(args)

    a, b, twin = [1.5], [2.5], [1.5]
    with kept.round() as recall:
        assert recall("x", (a, b), make, "x") == ["x"]
        recall("y", (b,), make, "y")
    assert len(made) == 2
    with kept.round() as recall:
        assert recall("x", (a, b), make, "other") == ["x"]  # kept: make does not run
        assert len(made) == 2
        recall("x2", (a, b), make, "x2")  # another key
        assert len(made) == 3
    with kept.round() as recall:
        recall("x", (twin, b), make, "equal, not the same object")
        recall("x2", (b, a), make, "another order")
        recall("y", (b,), make, "y was left out of the last round")
    assert len(made) == 6


@contextmanager
def _aside() -> Iterator[None]:
    """A check from scratch with the rules' kept results left as they were."""
    kept = [v for name in MODULES
            for v in vars(importlib.import_module(f"trainkit.rules.{name}")).values()
            if isinstance(v, Recalled)]
    assert len(kept) >= 4
    saved = [k._last for k in kept]
    try:
        yield
    finally:
        for k, last in zip(kept, saved, strict=True):
            k._last = last


def _cohort(title: str, lead: str, room: str, learner: str, day1: str, day2: str) -> str:
    return COHORT.format(title=title, lead=lead, room=room, learner=learner, day1=day1,
                         day2=day2)


def test_a_check_that_recalls_reports_what_one_from_scratch_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limited = INSTRUCTOR.format(id="ajones", name="Alice Jones") + "max_hours_per_week: 10\n"
    root = write_academy(tmp_path / "academy", {
        "people/instructors/ajones.yaml": limited,
        C1: _cohort("One", "ajones", "thames", "l-0001", "2026-04-14", "2026-04-15"),
        C2: _cohort("Two", "ajones", "thames", "l-0001", "2026-05-12", "2026-05-13"),
        C3: _cohort("Three", "bsmith", "severn", "l-0002", "2026-04-14", "2026-04-15"),
    })
    parses, reuse = StoredParses(None), Reuse()  # what trainkit serve keeps
    made: list[str] = []
    clashes = instructor_overlap._clashes

    def counted(ident: str, sessions: Any) -> Any:
        made.append(ident)
        return clashes(ident, sessions)

    monkeypatch.setattr(instructor_overlap, "_clashes", counted)

    def again() -> set[str]:
        made.clear()
        result = check_tree(root, parses, None, reuse)
        seen = list(made)
        with _aside():
            fresh = check_tree(root, StoredParses(None))
        assert sorted(map(str, result.diagnostics)) == sorted(map(str, fresh.diagnostics))
        made[:] = seen  # what the check that recalls made (not the one from scratch)
        return {d.code for d in result.diagnostics}

    assert "instructor-over-hours" in again()  # 14 hours in a week, over 10
    assert sorted(made) == ["ajones", "bsmith"]

    # C2 moved onto C1's days: its instructor, room and learner are booked twice
    (root / C2).write_text(_cohort("Two", "ajones", "thames", "l-0001", "2026-04-14",
                                   "2026-04-15"), encoding="utf-8")
    codes = again()
    assert {"instructor-double-booked", "room-double-booked",
            "learner-double-booked"} <= codes
    assert made == ["ajones"]  # bsmith's sessions are the very objects of the last check

    # C3 retitled: only its instructor's sessions are new objects
    (root / C3).write_text(_cohort("Three again", "bsmith", "severn", "l-0002", "2026-04-14",
                                   "2026-04-15"), encoding="utf-8")
    assert {"instructor-double-booked", "room-double-booked",
            "learner-double-booked"} <= again()
    assert made == ["bsmith"]

    # C2 moved back: the double bookings are gone, kept results or not
    (root / C2).write_text(_cohort("Two", "ajones", "thames", "l-0001", "2026-05-12",
                                   "2026-05-13"), encoding="utf-8")
    codes = again()
    assert not codes & {"instructor-double-booked", "room-double-booked",
                        "learner-double-booked"}
    assert "instructor-over-hours" in codes
    assert made == ["ajones"]

