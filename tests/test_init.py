"""``trainkit init``: a new academy that checks and builds at once, with editor, hook and CI."""

from __future__ import annotations

import fnmatch
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from trainkit.cli import main
from trainkit.commands.init_cmd import first_session_day, template_values

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def academy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "harbour-training"
    assert main(["init", str(target)]) == 0
    return target


def test_new_academy_checks_and_builds(academy: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    capsys.readouterr()
    assert main(["check", "--root", str(academy)]) == 0
    assert capsys.readouterr().out == ""  # not even a warning
    assert main(["build", "--root", str(academy), "-q"]) == 0
    site = academy / "site"
    assert (site / "index.html").is_file()
    assert (academy / "reports").is_dir()
    public = "".join(p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file())
    assert "First Aid Basics" in public
    assert "Sam Patel" not in public and "sam.patel@example.org" not in public
    assert (academy / ".git").is_dir()


def test_the_example_cohort_is_upcoming(academy: Path) -> None:
    text = (academy / "programs/first-aid-basics/cohorts/fab-first.yaml").read_text()
    days = {date.fromisoformat(d) for d in re.findall(r"date: (\d{4}-\d\d-\d\d)", text)}
    session_day = max(days)
    assert session_day >= min(days)  # enrollment dates come before the sessions
    assert session_day == first_session_day(min(days))  # min(days) is the day init ran


def test_first_session_day_skips_weekends_and_holidays() -> None:
    assert first_session_day(date(2026, 12, 20)) == date(2027, 1, 25)  # +35 is a Sunday
    # +35 is Christmas Day; Monday 28 is the Boxing Day substitute holiday.
    assert first_session_day(date(2026, 11, 20)) == date(2026, 12, 29)
    values = template_values("my_team", None, date(2026, 1, 1))
    assert (values["academy_id"], values["academy_name"]) == ("my-team", "My Team Academy")


def test_workflow_checks_comments_and_deploys(academy: Path) -> None:
    flow = yaml.safe_load((academy / ".github/workflows/trainkit.yml").read_text())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare 'on' as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check = flow["jobs"]["check"]
    runs = [s.get("run", "") for s in check["steps"]]
    assert check["steps"][0]["with"]["fetch-depth"] == 0
    assert any("trainkit check --format github" in r for r in runs)
    assert any("trainkit diff" in r and "--format markdown" in r for r in runs)
    assert any(s.get("uses", "").startswith("actions/github-script@") for s in check["steps"])
    assert check["permissions"]["pull-requests"] == "write"
    build = flow["jobs"]["build"]
    step = next(s for s in build["steps"] if "trainkit build" in s.get("run", ""))
    assert step["env"]["TRAINKIT_FEED_SECRET"] == "${{ secrets.TRAINKIT_FEED_SECRET }}"
    assert "--reports-dir" in step["run"]  # reports/ stays out of the workspace
    upload = next(s for s in build["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_pre_commit_uses_this_repositorys_hook(academy: Path) -> None:
    config = yaml.safe_load((academy / ".pre-commit-config.yaml").read_text())
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in config["repos"][0]["hooks"]] == [hooks[0]["id"]] == ["trainkit-check"]
    hook = hooks[0]
    assert (hook["language"], hook["pass_filenames"], hook["entry"]) == (
        "python", False, "trainkit check")
    for name in ("programs/a/program.yaml", "records/attendance/x.csv", "courses/c/modules/m.md"):
        assert re.search(hook["files"], name)
    assert not re.search(hook["files"], "site-extra/assets/logo.svg")


def test_editor_schemas_cover_every_yaml_file(academy: Path) -> None:
    settings = json.loads((academy / ".vscode/settings.json").read_text())["yaml.schemas"]
    for schema in settings:
        assert (academy / schema).is_file(), schema
    for path in academy.rglob("*.yaml"):
        rel = path.relative_to(academy).as_posix()
        if rel.startswith("."):
            continue
        matching = [s for s, globs in settings.items()
                    if any(fnmatch.fnmatch(rel, g.replace("**/", "")) for g in globs)]
        assert len(matching) == 1, rel
        first = path.read_text().splitlines()[0]
        modeline = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert modeline, rel
        assert (path.parent / modeline.group(1)).resolve() == (academy / matching[0]).resolve()
    gitignore = (academy / ".gitignore").read_text().split()
    assert "site/" in gitignore and "reports/" in gitignore


def test_refuses_a_non_empty_folder_and_force_keeps_other_files(tmp_path: Path, capsys) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert main(["init", str(target), "--no-git"]) == 1
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert main(["init", str(target), "--no-git", "--force"]) == 0
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "trainkit.yaml").is_file()
    assert not (target / ".git").exists()


def test_a_name_with_yaml_characters_is_quoted(tmp_path: Path, capsys) -> None:
    target = tmp_path / "x"
    assert main(["init", str(target), "--no-git", "--name", 'Ops: "Safety" #1']) == 0
    assert main(["check", "--root", str(target)]) == 0
    settings = yaml.safe_load((target / "trainkit.yaml").read_text())
    assert settings["name"] == 'Ops: "Safety" #1'
    assert (target / "README.md").read_text().startswith('# Ops: "Safety" #1\n')
