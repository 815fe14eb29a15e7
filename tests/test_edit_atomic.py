"""edit.atomic: input files are written whole, and never replaced without force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trainkit.edit import atomic


def test_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "records" / "attendance" / "new.csv"
    atomic.write_text(target, "a,b\n1,2\n")
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert [p.name for p in target.parent.iterdir()] == ["new.csv"]


def test_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("old\n")
    with pytest.raises(atomic.Exists, match="--force"):
        atomic.write_text(target, "new\n")
    assert target.read_text() == "old\n"
    atomic.write_text(target, "new\n", force=True)
    assert target.read_text() == "new\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("old\n")

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        atomic.write_text(target, "new\n", force=True)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.csv"]
