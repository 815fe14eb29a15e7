"""The registration path ``trainkit init`` sets up, run as far as it runs offline.

The issue form's labels are what ``--from-issue`` reads, and the workflow's
own ``enroll`` and ``commit`` steps run in bash on a fresh academy: the
``issues`` event JSON goes through ``trainkit enroll --from-issue`` and ends
as a commit on a branch. (Checking out, pushing and opening the pull
request need GitHub.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from trainkit.cli import main
from trainkit.importers.registration_issue import LABELS
from trainkit.pipeline import check_dir

REPO = Path(__file__).resolve().parents[1]
EVENT = REPO / "tests/fixtures/registration/issue-event.json"


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    target = tmp_path / "harbour-training"
    assert main(["init", str(target)]) == 0
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "new academy")
    return target


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout


def test_the_issue_form_asks_for_what_enroll_reads(academy: Path) -> None:
    form = yaml.safe_load((academy / ".github/ISSUE_TEMPLATE/registration.yml").read_text())
    assert form["labels"] == ["registration"]
    fields = {f["id"]: f for f in form["body"] if "id" in f}
    for field_id, key in (("cohort", "cohort"), ("name", "name"), ("email", "email"),
                          ("organisation", "organisation")):
        assert LABELS[fields[field_id]["attributes"]["label"].casefold()] == key
    required = {i for i, f in fields.items() if f.get("validations", {}).get("required")}
    assert required == {"cohort", "name", "email"}
    [consent] = fields["privacy"]["attributes"]["options"]
    assert consent["required"] and "can be seen by everyone" in consent["label"]


def _steps(academy: Path) -> dict[str, dict[str, object]]:
    flow = yaml.safe_load((academy / ".github/workflows/registration.yml").read_text())
    assert flow[True] == {"issues": {"types": ["labeled"]}}  # YAML 1.1 reads 'on' as true
    job = flow["jobs"]["enroll"]
    assert job["if"] == "github.event.label.name == 'registration'"
    return {s["id"]: s for s in job["steps"] if "id" in s}


def _run_step(step: dict[str, object], cwd: Path, env: dict[str, str]) -> None:
    given = {k: env[k] for k in step.get("env", {})}  # type: ignore[union-attr]
    subprocess.run(["bash", "-e", "-c", str(step["run"])], cwd=cwd, check=True,
                   env={**env, **given}, capture_output=True, text=True)


def test_an_issue_event_becomes_a_commit_on_a_branch(academy: Path, tmp_path: Path) -> None:
    event = json.loads(EVENT.read_text())
    event["issue"]["body"] = event["issue"]["body"].replace("fa-sep", "fab-first")
    event["issue"]["created_at"] = f"{date.today().isoformat()}T09:00:00Z"
    (tmp_path / "event.json").write_text(json.dumps(event))
    outputs = tmp_path / "outputs"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_EVENT_PATH": str(tmp_path / "event.json"), "GITHUB_OUTPUT": str(outputs),
           "RUNNER_TEMP": str(tmp_path), "ISSUE_NUMBER": "42"}
    steps = _steps(academy)
    _run_step(steps["enroll"], academy, env)
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    # The example cohort is full (2 places, 2 enrolled): the learner joins the waitlist.
    assert (found["cohort"], found["status"]) == ("fab-first", "waitlisted")
    env.update(COHORT=found["cohort"], LEARNER=found["learner"], STATUS=found["status"])
    _run_step(steps["commit"], academy, env)
    assert _git(academy, "branch", "--show-current").strip() == "registration/issue-42"
    assert _git(academy, "log", "-1", "--format=%s") == (
        f"Registration #42: {found['learner']} waitlisted in fab-first\n")
    changed = _git(academy, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["people/learners/registrations.yaml",
                       "programs/first-aid-basics/cohorts/fab-first.yaml"]
    assert _git(academy, "status", "--porcelain") == ""
    assert check_dir(academy).diagnostics == []
