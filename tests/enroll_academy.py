"""A small academy in a real git repository, for the commands that edit it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ACADEMY, write_academy

REGISTRATION = """\
registration:
  channel: email
  email: registrations@academy.example.org
  opens: 2026-03-01
  closes: 3 days before
"""

# Full: two places, two enrolled; the waitlist in file order is not the date order.
JUNE = """\
# yaml-language-server: $schema=../../../schemas/cohort.schema.json
version: 1
title: "London, June 2026"   # quoted on purpose
venue: london-hq
room: thames
capacity: 2
instructors:
  lead: [ajones]

# Who is in
enrollments:
  - learner: l-0001
    status: enrolled
    date: 2026-04-01
  - learner: l-0002   # came through Acme HR
    status: waitlisted
    date: 2026-04-03
  - learner: l-0003
    status: enrolled
    date: 2026-03-20
  - learner: l-0004
    status: waitlisted
    date: 2026-04-02

# Sessions
sessions:
  - id: day1
    date: 2026-06-02
    start: "09:00"
    duration: 7h
"""

SEPTEMBER = """\
# yaml-language-server: $schema=../../../schemas/cohort.schema.json
version: 1
title: London, September 2026
venue: london-hq
room: thames
instructors: {lead: [bsmith]}
enrollments:
- learner: l-0005
  date: 2026-05-01

sessions:
- id: day1
  date: 2026-09-08
  start: '09:00'
  duration: 7h
"""

BETA = """\
# yaml-language-server: $schema=../../schemas/learners.schema.json
version: 1
organisation: Beta Services   # the client since 2024
learners:
  - id: l-0004
    name: Chen Wei
    email: chen.wei@beta.example
  - id: l-0005
    name: Dara Murphy
    email: dara.murphy@beta.example
  - id: l-0006
    name: Eli Novak
    email: eli.novak@beta.example
  - id: l-0008
    name: Femi Ade
    email: femi.ade@beta.example

# End of the Beta list.
"""

JUNE_PATH = "programs/first-aid/cohorts/fa-jun.yaml"
SEPTEMBER_PATH = "programs/first-aid/cohorts/fa-sep.yaml"
BETA_PATH = "people/learners/beta.yaml"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def make_repo(root: Path, extra: dict[str, str | None] | None = None) -> Path:
    """The academy, committed on branch main of a fresh repository."""
    files: dict[str, str | None] = {
        "trainkit.yaml": ACADEMY + REGISTRATION, JUNE_PATH: JUNE,
        SEPTEMBER_PATH: SEPTEMBER, BETA_PATH: BETA, **(extra or {}),
    }
    write_academy(root, files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org",
        "commit", "-q", "-m", "academy")
    return root


def diff(root: Path) -> str:
    """``git diff`` of the working tree (new files included), without the index lines."""
    git(root, "add", "-A", "--intent-to-add")
    text = git(root, "diff", "--no-color", "--no-ext-diff")
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(("index ", "new file mode")))


GOLDEN = Path(__file__).parent / "cases" / "enroll"


def assert_golden(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    """``actual`` is byte for byte ``tests/cases/enroll/<name>.diff``.

    ``pytest --update-expected`` rewrites the file; review its diff like code.
    """
    path = GOLDEN / f"{name}.diff"
    if request.config.getoption("--update-expected"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8")
