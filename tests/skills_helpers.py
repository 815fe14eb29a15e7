"""The small skills academy of tests/cases/skills, copied and changed per test."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from trainkit.model import Academy
from trainkit.pipeline import check_dir

SKILLS = Path(__file__).parent / "cases" / "skills" / "input"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "academy"
    shutil.copytree(SKILLS, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def academy_of(root: Path) -> Academy:
    result = check_dir(root)
    assert result.academy is not None, result.diagnostics
    return result.academy
