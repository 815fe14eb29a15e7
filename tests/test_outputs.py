"""Output folders are checked before a build deletes anything.

``--site-dir .`` once deleted the academy and its ``.git``; ``--reports-dir
records`` deleted the records. Every refusal is exit 1 with a message, and
leaves every file as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import write_academy
from trainkit.cli import main
from trainkit.writers import build as build_module
from trainkit.writers.outputs import MARKER


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    root = write_academy(tmp_path / "academy", {"site-extra/about.md": "# About\n"})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with a digest of its content."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), folder)] = "dir"
        for name in filenames:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, folder)] = hashlib.sha256(
                Path(path).read_bytes()).hexdigest()
    return out


def _build(root: Path, *args: str) -> int:
    return main(["build", "--root", str(root), "-q", "--only", "reports", *args])


def _refused(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    before = _tree(root.parent)
    assert _build(root, *args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "nothing was written or deleted" in err
    assert _tree(root.parent) == before
    return err


def test_site_dir_dot_is_refused_and_the_academy_survives(
        academy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(academy)
    err = _refused(academy, capsys, "--site-dir", ".")
    assert f"the site folder {academy} is the academy folder or holds it" in err
    assert (academy / ".git/HEAD").is_file()


def test_reports_dir_records_is_refused(academy: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (academy / "records/attendance").mkdir(parents=True)
    (academy / "records/attendance/uncommitted.csv").write_text("learner,session\n")
    err = _refused(academy, capsys, "--reports-dir", str(academy / "records"))
    records = academy / "records"
    assert f"the reports folder {records} is records, one of the academy's inputs" in err


@pytest.mark.parametrize("where", ["programs/first-aid/out", ".git/out", "site-extra/out",
                                   "trainkit.yaml/out", ".."])
def test_outputs_inside_or_above_inputs_are_refused(
        academy: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    err = _refused(academy, capsys, "--reports-dir", str(academy / where))
    assert "the reports folder" in err


def test_the_same_folder_for_site_and_reports_is_refused(
        academy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    err = _refused(academy, capsys, "--site-dir", str(out), "--reports-dir", str(out))
    assert "the private reports must never land in the public site" in err
    err = _refused(academy, capsys, "--site-dir", str(out), "--reports-dir", str(out / "r"))
    assert "are inside one another" in err
    assert not out.exists()


def test_a_folder_trainkit_did_not_write_is_refused(
        academy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    err = _refused(academy, capsys, "--reports-dir", str(mine))
    assert f"no {MARKER} file" in err
    assert (mine / "thesis.tex").read_text() == "years of work"


def test_empty_marked_and_earlier_outputs_are_replaced(academy: Path, tmp_path: Path) -> None:
    empty, marked, earlier = tmp_path / "empty", tmp_path / "marked", tmp_path / "earlier"
    empty.mkdir()
    marked.mkdir()
    (marked / MARKER).write_text("")
    (marked / "stale.csv").write_text("old")
    (earlier / "assets/trainkit").mkdir(parents=True)  # a site from before the marker
    (earlier / "assets/trainkit/trainkit.js").write_text("")
    assert _build(academy, "--site-dir", str(empty), "--reports-dir", str(marked)) == 0
    assert (empty / MARKER).is_file() and (marked / MARKER).is_file()
    assert not (marked / "stale.csv").exists()
    assert (marked / "index.html").is_file()
    assert _build(academy, "--site-dir", str(earlier), "--reports-dir", str(marked)) == 0
    assert (earlier / MARKER).is_file()


def test_an_output_below_a_file_is_refused(academy: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x")
    err = _refused(academy, capsys, "--reports-dir", str(tmp_path / "a-file/reports"))
    assert "which is a file" in err


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot write in: read-only, or /proc for root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").write_text("")
    except OSError:
        return folder
    (folder / "probe").unlink()  # root ignores permissions; /proc refuses new folders
    return Path("/proc")


def test_a_read_only_parent_is_exit_1_without_staging(
        academy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    assert _build(academy, "--site-dir", str(site), "--reports-dir",
                  str(tmp_path / "reports")) == 0
    parent = _unwritable(tmp_path)
    before = _tree(tmp_path)
    reports = parent / "trainkit-test-reports"
    assert _build(academy, "--site-dir", str(site), "--reports-dir", str(reports)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "could not make a folder to build in" in err
    assert _tree(tmp_path) == before  # no staging left, the earlier site untouched
    assert not reports.exists()


def test_a_full_disk_is_exit_1_and_keeps_the_previous_outputs(
        academy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--site-dir", str(tmp_path / "site"), "--reports-dir", str(tmp_path / "reports"))
    assert _build(academy, *args) == 0
    before = _tree(tmp_path)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "reports/x.csv"))

    monkeypatch.setattr(build_module, "_write_all", full)
    assert _build(academy, *args, "--no-cache") == 1  # with the cache, nothing would be written
    err = capsys.readouterr().err
    assert "could not write the outputs: No space left on device" in err
    assert "Traceback" not in err
    assert _tree(tmp_path) == before
