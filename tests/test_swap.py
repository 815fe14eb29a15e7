"""A killed build never loses or mixes the outputs; the next build finishes its swap.

Builds (feeds and reports: no MkDocs, to keep it quick) run in child
processes that kill themselves (SIGKILL, so no cleanup code runs) at chosen
points of the swap; the state they leave is checked, then
:func:`trainkit.writers.swap.recover` (which every build runs first) must
leave ``site/`` and ``reports/`` both from the same build, and no leftovers.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import write_academy
from test_site_support import source_date_epoch
from trainkit.cli import main
from trainkit.writers import swap

KILLER = """
import os, signal, sys
from trainkit.writers import build, swap
from trainkit.cli import main

where, at, mode, root, site, reports = sys.argv[1:]
if mode == "rename":
    swap._exchange = lambda a, b: False
real_rename, real_commit, real_write = os.rename, swap.commit, build._write_all
calls = 0

def rename(a, b):
    global calls
    calls += 1
    if calls == int(at):
        os.kill(os.getpid(), signal.SIGKILL)
    real_rename(a, b)

def commit(*args):
    os.rename = rename
    real_commit(*args)

def write_all(*args):
    real_write(*args)
    os.kill(os.getpid(), signal.SIGKILL)

if where == "swap":
    swap.commit = commit
else:
    build._write_all = write_all
main(["build", "--root", root, "--site-dir", site, "--reports-dir", reports, "-q",
      "--only", "feeds", "--only", "reports"])
"""
EPOCH = 1772323200


def _tree(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def _name(root: Path, name: str) -> None:
    path = root / "trainkit.yaml"
    path.write_text(re.sub(r"(?m)^name: .*$", f"name: {name}", path.read_text()))


def _build(root: Path, site: Path, reports: Path) -> None:
    with source_date_epoch(EPOCH):
        assert main(["build", "--root", str(root), "--site-dir", str(site), "--reports-dir",
                     str(reports), "-q", "--only", "feeds", "--only", "reports"]) == 0


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The academy, and the trees of its outputs named "Build One" and "Build Two"."""
    base = tmp_path_factory.mktemp("builds")
    root = write_academy(base / "academy", {})
    trees = {}
    for name in ("Build One", "Build Two"):
        _name(root, name)
        out = base / name.replace(" ", "-")
        _build(root, out / "site", out / "reports")
        trees[name] = (_tree(out / "site"), _tree(out / "reports"))
    return {"root": root, "trees": trees}


def _killed(builds: dict[str, object], out: Path, where: str, at: int, mode: str) -> int:
    """Build One into ``out``, then a child builds Build Two and is killed; its process id."""
    root = builds["root"]
    assert isinstance(root, Path)
    _name(root, "Build One")
    _build(root, out / "site", out / "reports")
    _name(root, "Build Two")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    child = subprocess.Popen([sys.executable, "-c", KILLER, where, str(at), mode, str(root),
                              str(out / "site"), str(out / "reports")], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = child.communicate(timeout=300)
    assert child.returncode == -signal.SIGKILL, err
    return child.pid


def _which(builds: dict[str, object], out: Path) -> tuple[str | None, str | None]:
    """Which build ``site/`` and ``reports/`` wholly come from (None: missing or mixed)."""
    trees = builds["trees"]
    assert isinstance(trees, dict)
    site = _tree(out / "site") if (out / "site").is_dir() else None
    reports = _tree(out / "reports") if (out / "reports").is_dir() else None
    return (next((n for n, t in trees.items() if t[0] == site), None),
            next((n for n, t in trees.items() if t[1] == reports), None))


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()
                  if p.name.startswith(".") and not p.name.endswith(".spare"))


@pytest.mark.parametrize(("at", "before"), [
    (1, ("Build One", "Build One")),   # journal written, nothing renamed yet
    (2, ("Build One", None)),          # reports moved away, new one not in yet
    (3, ("Build One", "Build Two")),   # reports swapped, site not yet
    (4, (None, "Build Two")),          # site moved away, new one not in yet
])
def test_a_kill_between_renames_is_finished_by_the_next_start(
        builds: dict[str, object], tmp_path: Path, at: int,
        before: tuple[str | None, str | None]) -> None:
    _killed(builds, tmp_path, "swap", at, "rename")
    assert _which(builds, tmp_path) == before
    assert any(".site.swap-" in name for name in _leftovers(tmp_path))
    notes = swap.recover([tmp_path / "site", tmp_path / "reports"])
    assert _which(builds, tmp_path) == ("Build Two", "Build Two")
    assert _leftovers(tmp_path) == []
    assert f"finished replacing {tmp_path / 'site'}, interrupted in an earlier build" in notes


@pytest.mark.parametrize(("at", "before"), [
    (1, ("Build One", "Build Two")),   # reports exchanged, site not yet
    (2, ("Build Two", "Build Two")),   # both exchanged, the old ones not yet removed
])
def test_with_an_atomic_exchange_the_site_exists_at_every_kill(
        builds: dict[str, object], tmp_path: Path, at: int,
        before: tuple[str | None, str | None]) -> None:
    assert swap._exchange(Path(tempfile.mkdtemp(dir=tmp_path)),
                          Path(tempfile.mkdtemp(dir=tmp_path))), "renameat2 is not available"
    for leftover in tmp_path.iterdir():
        leftover.rmdir()
    _killed(builds, tmp_path, "swap", at, "exchange")
    assert _which(builds, tmp_path) == before
    swap.recover([tmp_path / "site", tmp_path / "reports"])
    assert _which(builds, tmp_path) == ("Build Two", "Build Two")
    assert _leftovers(tmp_path) == []


def test_a_kill_while_writing_leaves_old_outputs_and_the_next_build_cleans_up(
        builds: dict[str, object], tmp_path: Path) -> None:
    pid = _killed(builds, tmp_path, "write", 0, "rename")
    assert _which(builds, tmp_path) == ("Build One", "Build One")
    left = _leftovers(tmp_path)
    assert any(n.startswith(f".site.new-{pid}-") for n in left)
    assert any(n.startswith(f".reports.new-{pid}-") for n in left)

    def work() -> list[str]:  # the killed build's scratch folder (other builds may run)
        prefix = f"{swap.WORK_PREFIX}{pid}-"
        return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(prefix)]

    assert len(work()) == 1
    root = builds["root"]
    assert isinstance(root, Path)
    _build(root, tmp_path / "site", tmp_path / "reports")
    assert _which(builds, tmp_path) == ("Build Two", "Build Two")
    assert _leftovers(tmp_path) == []
    assert work() == []


def test_staging_of_a_running_build_is_left_alone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "60"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        live = tmp_path / f".site.new-{sleeper.pid}-abc"
        gone = tmp_path / f".site.new-{dead.pid}-abc"
        gone_old = tmp_path / f".reports.old-{dead.pid}"
        other = tmp_path / f".other.new-{dead.pid}-abc"
        for folder in (live, gone, gone_old, other, tmp_path / "reports"):
            folder.mkdir()
        swap.recover([tmp_path / "site", tmp_path / "reports"])
        assert live.is_dir() and other.is_dir()
        assert not gone.exists() and not gone_old.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_an_old_site_left_by_a_kill_without_journal_is_restored(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    old = tmp_path / f".site.old-{dead.pid}"
    old.mkdir()
    (old / "index.html").write_text("the previous site")
    notes = swap.recover([tmp_path / "site", tmp_path / "reports"])
    assert (tmp_path / "site/index.html").read_text() == "the previous site"
    assert notes == [f"restored {tmp_path / 'site'} from an interrupted build"]


def test_a_failing_rename_puts_both_old_outputs_back(
        builds: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = builds["root"]
    assert isinstance(root, Path)
    _name(root, "Build One")
    _build(root, tmp_path / "site", tmp_path / "reports")
    _name(root, "Build Two")
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    real, calls = os.rename, []

    def rename(a: object, b: object) -> None:
        calls.append(a)
        if len(calls) == 4:  # the new site's rename into place
            raise OSError(13, "Permission denied", str(b))
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(swap.os, "rename", rename)
    with source_date_epoch(EPOCH):
        assert main(["build", "--root", str(root), "--site-dir", str(tmp_path / "site"),
                     "--reports-dir", str(tmp_path / "reports"), "-q",
                     "--only", "feeds", "--only", "reports"]) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "could not replace" in err and "Permission denied" in err
    assert _which(builds, tmp_path) == ("Build One", "Build One")
    assert _leftovers(tmp_path) == []
