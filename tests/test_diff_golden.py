"""The markdown PR comment of ``trainkit diff``, checked against golden files.

Each case changes the fixture academy in a real repository and compares
``trainkit diff --format markdown`` with ``tests/cases/diff-<case>/expected.md``.
Commit dates and identities are fixed, so commit ids in the output are stable.

Refresh every golden file after an intended change, then review the diff:

    TRAINKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_diff_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from test_diff import FA3, FA9, FW10, Repo, run_diff

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("TRAINKIT_UPDATE_GOLDEN") == "1"


def schedule(repo: Repo) -> list[str]:
    repo.edit(FA9, "date: 2026-09-16", "date: 2026-09-17")
    repo.edit(FA3, "room: quay", "room: dock")
    repo.edit(FA3, "assistants: [bob]", "assistants: [dan]")
    repo.edit(FW10, "    end: \"17:00\"\n", "    end: \"17:00\"\n    status: cancelled\n"
              "    reason: Venue closed for repairs\n")
    repo.commit("schedule changes")
    return ["HEAD~1", "HEAD"]


def enrollments(repo: Repo) -> list[str]:
    repo.edit(FA9, "l-07\n    status: waitlisted", "l-07\n    status: enrolled")
    repo.edit(FW10, "l-08\n    status: enrolled", "l-08\n    status: withdrawn")
    repo.edit("programs/first-aid/program.yaml", "min_share: 1.0", "min_share: 0.5")
    repo.commit("enrollments and rules")
    return ["HEAD~1", "HEAD"]


def enrollments_private(repo: Repo) -> list[str]:
    return [*enrollments(repo), "--private"]


def rename(repo: Repo) -> list[str]:
    repo.git("mv", FA9, "programs/fire-warden/cohorts/fw-2026-09.yaml")
    repo.git("mv", FW10, "programs/fire-warden/cohorts/fw-2026-autumn.yaml")
    repo.commit("rename and move")
    return ["HEAD~1", "HEAD"]


def invalid_base(repo: Repo) -> list[str]:
    # A schema error, not a syntax error: syntax messages come from the YAML
    # library (libyaml and pure PyYAML word them differently).
    good = (repo.root / FA3).read_text()
    repo.edit(FA3, "status: closed", "status: finished")
    repo.commit("broken")
    (repo.root / FA3).write_text(good)
    repo.commit("fixed")
    return ["HEAD~1", "HEAD"]


GOLDEN: dict[str, Callable[[Repo], list[str]]] = {
    "schedule": schedule,
    "enrollments": enrollments,
    "enrollments-private": enrollments_private,
    "rename": rename,
    "invalid-base": invalid_base,
}


def check(name: str, actual: str) -> None:
    expected = CASES / f"diff-{name}" / "expected.md"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"no {expected}; run with TRAINKIT_UPDATE_GOLDEN=1 to create it"
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_markdown_matches_golden(name: str, tmp_path: Path, capsys) -> None:
    repo = Repo(tmp_path / "academy")
    args = GOLDEN[name](repo)
    _, out = run_diff(repo, "--format", "markdown", *args, capsys=capsys)
    check(name, out)


def test_new_repository_markdown(tmp_path: Path, capsys) -> None:
    repo = Repo(tmp_path / "academy", commit=False)
    code, out = run_diff(repo, "--format", "markdown", capsys=capsys)
    assert code == 0
    check("new-repository", out)
