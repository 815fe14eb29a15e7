"""``trainkit diff`` says what a change does to skills, in counts, naming nobody."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from skills_helpers import SKILLS
from trainkit.cli import main


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": "2026-04-01T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-04-01T12:00:00+00:00", "GIT_CONFIG_GLOBAL": "/dev/null"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "academy"
    shutil.copytree(SKILLS, root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "skills academy")
    return root


def _diff(root: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    capsys.readouterr()
    main(["diff", "--root", str(root), "--as-of", "2026-04-10", "--format", fmt])
    return capsys.readouterr().out


def test_evidence_that_closes_gaps_and_a_role_that_opens_them(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (repo / "records/evidence/prior.csv").open("a", encoding="utf-8") as fh:
        fh.write("l-02,driving,operator,2026-01-05,2026-05-01,Licence,,\n")
        fh.write("l-04,lifting,practitioner,2026-01-05,,Old job,,\n")
    role = repo / "roles/operative.yaml"
    role.write_text(role.read_text() + "  - {competency: first-aid}\n")
    data = json.loads(_diff(repo, capsys, "json"))
    assert data["skills"] == [
        "closes 2 gap(s) and opens 3 gap(s) for role operative",
        "1 learner(s) of role operative hold driving: operator only until a date within 90 days",
    ]
    text = _diff(repo, capsys, "text")
    assert "skills:\n  closes 2 gap(s) and opens 3 gap(s) for role operative\n" in text
    assert "Ben Bold" not in text and "l-02" not in text


def test_no_skill_change_says_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_diff(repo, capsys, "json"))
    assert data["skills"] == []
    assert "skills:" not in _diff(repo, capsys, "text")
