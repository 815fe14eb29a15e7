"""Shared fixtures: small academies written into ``tmp_path`` and checked for real.

``academy_files`` is a tiny but complete academy (settings, a venue with two
rooms, an online-capable program, two instructors, a few learners). A test
passes the files it changes (path -> YAML text, or ``None`` to delete one)
to the ``check_academy`` fixture, which writes the academy and runs the same
pipeline as ``trainkit check``.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from trainkit.diagnostics import sort_key
from trainkit.pipeline import Result, check_dir
from trainkit.rules import all_rules

DECLARED = {code: severity for rule in all_rules() for code, severity in rule.codes.items()}

ACADEMY = """\
version: 1
id: testacademy
name: Test Academy
base_url: https://academy.example.org/
timezone: Europe/London
holidays:
  - country: GB
    subdivision: ENG
blackout_dates:
  - from: 2026-12-24
    until: 2027-01-01
    reason: Winter closure
"""

VENUE = """\
version: 1
name: Test London
timezone: Europe/London
address:
  city: London
  country: GB
  subdivision: ENG
rooms:
  - id: thames
    name: Thames Room
    capacity: 16
  - id: severn
    name: Severn Room
    capacity: 4
"""

PROGRAM = """\
version: 1
title: First Aid at Work
capacity: 12
session_plan:
  - id: day1
    title: Day 1
    duration: 7h
  - id: day2
    title: Day 2
    duration: 7h
"""

INSTRUCTOR = """\
version: 1
name: {name}
email: {id}@example.org
timezone: Europe/London
qualifications:
  - id: first-aid
"""

LEARNERS = """\
version: 1
organisation: Acme
learners:
  - id: l-0001
    name: Priya Shah
    email: priya@example.org
  - id: l-0002
    name: Tom Bell
    email: tom@example.org
  - id: l-0003
    name: Ana Silva
    email: ana@example.org
"""


def academy_files() -> dict[str, str]:
    """A clean academy with no cohorts yet (``trainkit check`` reports nothing)."""
    return {
        "trainkit.yaml": ACADEMY,
        "venues/london-hq.yaml": VENUE,
        "programs/first-aid/program.yaml": PROGRAM,
        "people/instructors/ajones.yaml": INSTRUCTOR.format(id="ajones", name="Alice Jones"),
        "people/instructors/bsmith.yaml": INSTRUCTOR.format(id="bsmith", name="Ben Smith"),
        "people/learners/acme.yaml": LEARNERS,
    }


def write_academy(root: Path, files: dict[str, str | None], base: bool = True) -> Path:
    """Write ``files`` (over the base academy unless ``base`` is false) below ``root``."""
    merged: dict[str, str | None] = {**(academy_files() if base else {}), **files}
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


CheckAcademy = Callable[..., Result]


@pytest.fixture
def check_academy(tmp_path: Path) -> CheckAcademy:
    """``check_academy({path: text}, base=True) -> Result`` for an academy in tmp_path."""

    def run(files: dict[str, str | None], base: bool = True) -> Result:
        root = tmp_path / "academy"
        write_academy(root, files, base)
        result = check_dir(root)
        # Every rule documents its codes with their severity: hold it to that.
        for d in result.diagnostics:
            declared = DECLARED.get(d.code)
            assert declared in (None, d.severity.value), (d.code, d.severity, declared)
        return result

    return run


def lines(result: Result, *codes: str) -> list[str]:
    """The diagnostics as ``path:line:col: severity[code]: message`` (only ``codes``, if given)."""
    chosen = [d for d in result.diagnostics if not codes or d.code in codes]
    return [d.text() for d in sorted(chosen, key=sort_key)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected", action="store_true", default=False,
        help="rewrite tests/example-files/negative/**/*.expected from the current messages",
    )
    parser.addoption(
        "--fuzz-long", action="store_true", default=False,
        help="run tests/test_fuzz.py with fifty times the examples, randomised (minutes)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long"):
        os.environ["TRAINKIT_FUZZ"] = "long"  # read by tests/test_fuzz.py when it is imported
