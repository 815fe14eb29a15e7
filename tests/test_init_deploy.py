"""Deploying a new academy: its address, the trainkit CI installs, private reports, daily builds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from trainkit import __version__
from trainkit.cli import main
from trainkit.commands import install_spec
from trainkit.commands.install_spec import DIST, default_spec

REPO = Path(__file__).resolve().parents[1]
GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}


@pytest.fixture(autouse=True)
def _not_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def _workflow(academy: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((academy / ".github/workflows/trainkit.yml").read_text())


# ---------------------------------------------------------------- the site's address


def test_url_sets_base_url_and_build_is_quiet_about_it(tmp_path: Path, capsys) -> None:
    target = tmp_path / "ops"
    assert main(["init", str(target), "--no-git", "--url", "https://ops.github.io/academy"]) == 0
    assert "placeholder" not in capsys.readouterr().err
    settings = yaml.safe_load((target / "trainkit.yaml").read_text())
    assert settings["base_url"] == "https://ops.github.io/academy/"
    assert main(["build", "--root", str(target), "-q"]) == 0
    err = capsys.readouterr().err
    assert "base-url-placeholder" not in err
    # the calendar buttons point at the real address
    home = (target / "site/index.html").read_text()
    assert "webcal://ops.github.io/academy/calendars/" in home and "example.org" not in home


def test_a_bad_url_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "a"), "--no-git", "--url", "ops.github.io"]) == 64
    assert "is not a web address" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


@pytest.fixture(scope="module")
def placeholder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("placeholder") / "academy"
    assert main(["init", str(target), "--no-git"]) == 0
    return target


def test_build_warns_about_the_placeholder_url(placeholder: Path, tmp_path: Path,
                                               capsys) -> None:
    capsys.readouterr()
    site = tmp_path / "site"
    assert main(["build", "--root", str(placeholder), "-q", "--site-dir", str(site),
                 "--reports-dir", str(tmp_path / "reports")]) == 0
    out, err = capsys.readouterr()
    assert ("trainkit.yaml:6:11: warning[base-url-placeholder]: base_url is still the "
            "placeholder https://example.org/") in out
    assert (site / "index.html").is_file()
    assert "python -m http.server -d" in err and "never upload it" in err


@pytest.mark.parametrize(("how", "code", "said"), [
    ("strict", 2, "not built (--strict)"),
    ("ci", 1, "not built (on CI (CI=true))"),
])
def test_build_refuses_the_placeholder_on_ci_or_strict(
    placeholder: Path, tmp_path: Path, capsys, monkeypatch, how: str, code: int, said: str,
) -> None:
    args = ["build", "--root", str(placeholder), "-q", "--site-dir", str(tmp_path / "site"),
            "--reports-dir", str(tmp_path / "reports")]
    if how == "ci":
        monkeypatch.setenv("CI", "true")
    else:
        args.append("--strict")
    capsys.readouterr()
    assert main(args) == code
    out, err = capsys.readouterr()
    severity = "error" if how == "ci" else "warning"
    assert f"trainkit.yaml:6:11: {severity}[base-url-placeholder]" in out
    assert said in err
    assert not (tmp_path / "site").exists()  # nothing was written


# ---------------------------------------------------------------- which trainkit CI installs


def test_the_distribution_is_ours() -> None:
    meta = (REPO / "pyproject.toml").read_text()
    assert f'name = "{DIST}"' in meta and 'trainkit = "trainkit.cli:main"' in meta


def test_a_wheel_on_this_machine_is_vendored(tmp_path: Path) -> None:
    wheel = tmp_path / f"trainkit_academy-{__version__}-py3-none-any.whl"
    wheel.write_bytes(b"PK")
    spec = default_spec({"url": wheel.as_uri(), "archive_info": {}})
    assert spec.line == f"./vendor/{wheel.name}" and spec.wheel == wheel
    install_spec.vendor(spec, tmp_path / "academy")
    assert (tmp_path / "academy/vendor" / wheel.name).read_bytes() == b"PK"


def test_a_git_checkout_is_named_by_its_remote_and_commit(tmp_path: Path) -> None:
    checkout = tmp_path / "trainkit"
    (checkout / "src").mkdir(parents=True)
    (checkout / "src/x.py").write_text("x = 1\n")
    _git(tmp_path, "init", "-q", "-b", "main", str(checkout))
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-qm", "x")
    origin = {"url": checkout.as_uri(), "dir_info": {"editable": True}}
    assert default_spec(origin).line == f"{DIST}=={__version__}"  # no remote CI can reach
    _git(checkout, "remote", "add", "origin", "https://git.example.org/ops/trainkit.git")
    commit = _git(checkout, "rev-parse", "HEAD")
    assert default_spec(origin).line == (
        f"{DIST} @ git+https://git.example.org/ops/trainkit.git@{commit}")
    _git(checkout, "tag", "v1.2.0")
    spec = default_spec(origin)
    assert spec.line.endswith("@v1.2.0") and not spec.note
    (checkout / "src/x.py").write_text("x = 2\n")
    assert "uncommitted changes" in default_spec(origin).note


def _env_without_this_tree() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_REQUIRE_VIRTUALENV")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _venv(path: Path) -> Path:
    # The dependencies come from this interpreter's site-packages; only trainkit
    # itself is installed into the venv, from what it is given.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(path)], check=True)
    return path / "bin"


def _pip(venv: Path, *args: str, cwd: Path | None = None) -> None:
    done = subprocess.run([str(venv / "python"), "-m", "pip", "install", "-q", "--no-deps",
                           "--ignore-installed", *args], cwd=cwd, env=_env_without_this_tree(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_requirement_init_writes_installs_this_project(tmp_path: Path) -> None:
    """Install trainkit from a wheel, init an academy with it, install from its requirements."""
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                            str(wheels), str(REPO)], env=_env_without_this_tree(),
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("trainkit_academy-*.whl")
    first = _venv(tmp_path / "first")
    _pip(first, str(wheel))
    academy = tmp_path / "academy"
    made = subprocess.run([str(first / "trainkit"), "init", str(academy), "--no-git", "--url",
                           "https://ops.github.io/academy/"], env=_env_without_this_tree(),
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    line = (academy / "requirements.txt").read_text().splitlines()[-1]
    assert line == f"./vendor/{wheel.name}"
    assert (academy / "vendor" / wheel.name).read_bytes() == wheel.read_bytes()
    # CI: a fresh environment, in the academy, 'pip install -r requirements.txt'.
    fresh = _venv(tmp_path / "fresh")
    _pip(fresh, "--no-index", "-r", "requirements.txt", cwd=academy)
    probe = subprocess.run(
        [str(fresh / "python"), "-c", "import importlib.metadata as m, trainkit.cli; "
         f"print(m.version('{DIST}')); print(trainkit.cli.__file__)"],
        env=_env_without_this_tree(), capture_output=True, text=True, cwd=tmp_path)
    version, where = probe.stdout.split()
    assert version == __version__ and where.startswith(str(tmp_path / "fresh")), probe.stderr
    checked = subprocess.run([str(fresh / "trainkit"), "check"], cwd=academy,
                             env=_env_without_this_tree(), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# ---------------------------------------------------------------- the workflow


def test_workflow_keeps_reports_private_and_rebuilds_daily(placeholder: Path,
                                                           tmp_path: Path) -> None:
    flow = _workflow(placeholder)
    triggers = flow.get("on", flow.get(True))
    [cron] = [c["cron"] for c in triggers["schedule"]]
    minute, hour, *rest = cron.split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()  # once a day
    steps = flow["jobs"]["build"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "${{ runner.temp }}/reports/"
    assert 1 <= upload["with"]["retention-days"] <= 14
    assert upload["if"] == "steps.visibility.outputs.private == 'true'"
    assert any("gh api" in s.get("run", "") and s.get("id") == "visibility" for s in steps)
    day = next(s for s in steps if "SOURCE_DATE_EPOCH" in s.get("run", ""))
    assert day["if"] == "github.event_name == 'schedule'"
    env_file = tmp_path / "github_env"
    before = time.time()
    subprocess.run(["bash", "-e", "-c", day["run"]], check=True,
                   env={**os.environ, "GITHUB_ENV": str(env_file)})
    name, value = env_file.read_text().strip().split("=")
    start = datetime.fromtimestamp(int(value), tz=UTC)
    assert name == "SOURCE_DATE_EPOCH" and (start.hour, start.minute, start.second) == (0, 0, 0)
    assert int(value) <= before < int(value) + 86400 + 5  # today (UTC), the start of it
