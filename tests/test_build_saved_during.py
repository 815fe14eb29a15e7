"""A file saved again while a check or a build reads the academy.

An editor that saves twice, or a save while the live preview rebuilds: the
check may have read a file's bytes before the save and the build's keys
after it. Neither the parse cache nor the build cache may then hold the old
bytes' results under the new bytes' key: the next check and build must see
the file as changed and make what a build from scratch makes of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_build_again import MOVED, _build
from test_build_incremental import COHORT, _replace, _tree
from test_site_support import copy_demo
from trainkit.load import sources
from trainkit.pipeline import check_tree
from trainkit.writers import fingerprint, incremental

TITLE = ('title: "London, January 2027"', 'title: "London, winter 2027"')


def _save_new_title(root: Path) -> None:
    _replace(root, COHORT, *TITLE)


def test_a_file_saved_after_it_was_read_is_parsed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    cache: dict[str, object] = {}
    real, reads = sources.DirSource.read, []

    def read_then_saved(self: sources.DirSource, path: str) -> bytes:
        data = real(self, path)
        if path == COHORT:
            reads.append(path)
            if len(reads) == 2:  # the read for the parse: saved right after it
                _save_new_title(root)
        return data

    monkeypatch.setattr(sources.DirSource, "read", read_then_saved)
    first = check_tree(root, cache)  # type: ignore[arg-type]
    monkeypatch.setattr(sources.DirSource, "read", real)
    assert first.academy is not None
    assert first.academy.cohorts["fa-lon-2027-01"].title == "London, January 2027"
    again = check_tree(root, cache)  # type: ignore[arg-type]
    assert again.academy is not None
    assert again.academy.cohorts["fa-lon-2027-01"].title == "London, winter 2027"


def test_a_file_saved_after_the_check_is_built_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    out = tmp_path / "out"
    _build(root, out, again=False, cache=True)
    real = fingerprint.inputs

    def saved_first(*args: object, **kwargs: object) -> dict[str, str]:
        _save_new_title(root)  # after the check read the academy, before the build's keys
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental.fingerprint, "inputs", saved_first)
    _replace(root, COHORT, *MOVED)  # the edit the save overtakes
    _build(root, out, again=False, cache=True)  # made of the cohort as the check read it
    monkeypatch.setattr(incremental.fingerprint, "inputs", real)
    _build(root, out, again=False, cache=True)
    _build(root, tmp_path / "scratch", again=False)
    assert "London, winter 2027" in (out / "site/cohorts/fa-lon-2027-01/index.html").read_text()
    assert _tree(out / "site") == _tree(tmp_path / "scratch/site")
