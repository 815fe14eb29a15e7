"""``trainkit init``: a new academy that checks and builds at once, with editor, hook and CI."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from trainkit import __version__
from trainkit.cli import main
from trainkit.commands.init_cmd import default_install_spec, first_session_day, template_values

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def academy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "harbour-training"
    assert main(["init", str(target), "--url", "https://harbour.example.net/training/"]) == 0
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


def _tree_env() -> dict[str, str]:
    # The 'trainkit' command of this interpreter, running this tree's code.
    return {**os.environ, "PYTHONPATH": str(REPO / "src"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def test_pre_commit_runs_the_installed_trainkit(academy: Path, tmp_path: Path) -> None:
    config = yaml.safe_load((academy / ".pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"  # no URL to guess: the trainkit requirements.txt installs
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "trainkit-check", "trainkit check", "system", False)
    # The same hook id and file filter as the one this repository publishes.
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    assert (published["id"], published["entry"], published["files"]) == (
        hook["id"], hook["entry"], hook["files"])
    for name in ("programs/a/program.yaml", "records/attendance/x.csv", "courses/c/modules/m.md"):
        assert re.search(hook["files"], name)
    assert not re.search(hook["files"], "site-extra/assets/logo.svg")
    # A real pre-commit run: passes on the new academy, fails on a broken file.
    copy = tmp_path / "copy"
    shutil.copytree(academy, copy, ignore=shutil.ignore_patterns("site", "reports"))
    env = {**_tree_env(), "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def pre_commit() -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                              cwd=copy, env=env, capture_output=True, text=True)

    for what, path in (("validate-config", copy / ".pre-commit-config.yaml"),
                       ("validate-manifest", REPO / ".pre-commit-hooks.yaml")):
        checked = subprocess.run([sys.executable, "-m", "pre_commit", what, str(path)],
                                 env=env, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert pre_commit().returncode == 0
    (copy / "trainkit.yaml").write_text((copy / "trainkit.yaml").read_text() + "bad: [\n")
    failed = pre_commit()
    assert failed.returncode == 1 and "trainkit.yaml:" in failed.stdout, failed.stdout


def test_requirements_name_the_install_spec(academy: Path, tmp_path: Path, capsys) -> None:
    lines = (academy / "requirements.txt").read_text().splitlines()
    assert lines[-1] == default_install_spec()  # where the trainkit running the tests came from
    assert all(line.startswith("#") for line in lines[:-1])
    spec = "trainkit-academy @ git+https://git.example.org/ops/trainkit.git@v1.2.0"
    assert main(["init", str(tmp_path / "a"), "--no-git", "--install-spec", spec]) == 0
    assert (tmp_path / "a/requirements.txt").read_text().splitlines()[-1] == spec
    assert main(["init", str(tmp_path / "b"), "--no-git", "--install-spec", " "]) == 64
    assert "one requirements.txt line" in capsys.readouterr().err


@pytest.mark.parametrize(("direct_url", "expected"), [
    ({"url": "https://git.example.org/ops/trainkit.git",
      "vcs_info": {"vcs": "git", "requested_revision": "v1.2.0", "commit_id": "ab" * 20}},
     "trainkit-academy @ git+https://git.example.org/ops/trainkit.git@v1.2.0"),
    ({"url": "https://files.example.org/trainkit-1.2.0-py3-none-any.whl",
      "archive_info": {}},
     "trainkit-academy @ https://files.example.org/trainkit-1.2.0-py3-none-any.whl"),
    ({"url": "file:///nowhere/trainkit", "dir_info": {"editable": True}},
     f"trainkit-academy=={__version__}"),
    (None, f"trainkit-academy=={__version__}"),
])
def test_default_install_spec_reuses_a_recorded_url(monkeypatch, direct_url, expected) -> None:
    class Dist:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return None if direct_url is None else json.dumps(direct_url)

    monkeypatch.setattr(metadata, "distribution", lambda name: Dist())
    assert default_install_spec() == expected


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


def _describe_step(academy: Path) -> str:
    flow = yaml.safe_load((academy / ".github/workflows/trainkit.yml").read_text())
    step = next(s for s in flow["jobs"]["check"]["steps"] if s.get("name") == "Describe the change")
    return str(step["run"]).replace("${{ github.base_ref }}", "main")


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_the_workflows_diff_step_writes_a_comment(academy: Path, tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    shutil.copytree(academy, origin, ignore=shutil.ignore_patterns("site", "reports"))
    _git(origin, "add", "-A")
    _git(origin, "commit", "-qm", "new academy")
    cohort = origin / "programs/first-aid-basics/cohorts/fab-first.yaml"
    _git(origin, "checkout", "-qb", "change")
    cohort.write_text(cohort.read_text().replace('start: "09:30"', 'start: "10:30"'))
    _git(origin, "commit", "-qam", "later start")
    env = _tree_env()
    for depth, expected in ((None, "rescheduled from"), ("1", "shallow clone")):
        clone = tmp_path / f"clone-{depth}"
        # A shallow single-branch clone, as actions/checkout makes by default.
        extra = ["--depth", depth] if depth else []
        _git(tmp_path, "clone", "-q", *extra, "-b", "change", origin.as_uri(), clone.name)
        summary = tmp_path / f"summary-{depth}"
        subprocess.run(["bash", "-e", "-c", _describe_step(academy)], cwd=clone, check=True,
                       env={**env, "GITHUB_STEP_SUMMARY": str(summary)})
        comment = (clone / "trainkit-diff.md").read_text()
        assert comment.startswith("### trainkit diff\n") and expected in comment, comment
        assert summary.read_text() == comment


def test_docs_show_the_generated_pre_commit_config(academy: Path) -> None:
    doc = (REPO / "docs/workflow.md").read_text()
    assert "(docs/workflow.md)" in (REPO / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    shown = next(yaml.safe_load(b) for b in blocks if "repo: local" in b)
    assert shown == yaml.safe_load((academy / ".pre-commit-config.yaml").read_text())
