"""The workflow ``trainkit init`` writes sends notifications after a push and daily."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainkit.cli import main


@pytest.fixture(scope="module")
def academy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "academy"
    assert main(["init", str(root), "--name", "Test Academy"]) == 0
    return root


def test_notify_workflow_runs_after_a_push_and_daily(academy: Path) -> None:
    flow = yaml.safe_load((academy / ".github/workflows/notify.yml").read_text())
    triggers = flow[True]  # YAML 1.1 reads "on" as true
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"] == "0 6 * * *"
    job = flow["jobs"]["notify"]
    assert job["if"] == "vars.TRAINKIT_NOTIFICATIONS == 'on'"
    assert job["env"] == {
        "TRAINKIT_SMTP_USERNAME": "${{ secrets.TRAINKIT_SMTP_USERNAME }}",
        "TRAINKIT_SMTP_PASSWORD": "${{ secrets.TRAINKIT_SMTP_PASSWORD }}"}
    steps = {s.get("name", ""): s for s in job["steps"]}
    change = steps["Tell people what changed since the last complete run"]
    assert change["if"] == "github.event_name == 'push'"
    assert change["run"] == "trainkit notify --since-last-run HEAD --send"
    assert steps["Send what is due today"]["run"] == "trainkit notify --due --send"
    assert "git add -A records/notifications.csv" in steps["Commit the ledger"]["run"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert flow["concurrency"]["cancel-in-progress"] is False


def test_the_scaffold_names_the_same_secrets(academy: Path) -> None:
    text = (academy / "trainkit.yaml").read_text()
    assert "username_env: TRAINKIT_SMTP_USERNAME" in text
    assert "password_env: TRAINKIT_SMTP_PASSWORD" in text
