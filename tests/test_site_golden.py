"""Golden files: the Markdown and mkdocs.yml generated for a small academy.

The expected files under tests/cases/site-small/expected/ are reviewed like
code. After an intended change, refresh them with one command:

    TRAINKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_site_golden.py
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from trainkit.pipeline import check_dir
from trainkit.writers.site.project import ASSETS, generate, write_project

CASE = Path(__file__).parent / "cases" / "site-small"
EPOCH = datetime(2026, 4, 1, tzinfo=UTC)
UPDATE = os.environ.get("TRAINKIT_UPDATE_GOLDEN") == "1"


def _generated(project: Path) -> dict[str, bytes]:
    """The files trainkit writes itself (copied schemas and script assets left out)."""
    out = {"mkdocs.yml": (project / "mkdocs.yml").read_bytes()}
    for path in sorted((project / "docs").rglob("*")):
        rel = path.relative_to(project / "docs").as_posix()
        if path.is_file() and not rel.startswith(("schemas/", ASSETS + "/")):
            out[f"docs/{rel}"] = path.read_bytes()
    return out


def test_generated_project_matches_golden_files(tmp_path: Path) -> None:
    result = check_dir(CASE / "input")
    assert result.academy is not None and not result.errors, result.errors
    write_project(generate(result.academy, EPOCH), tmp_path)
    files = _generated(tmp_path)
    expected_dir = CASE / "expected"
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in files.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    assert expected_dir.is_dir(), "no expected files; run with TRAINKIT_UPDATE_GOLDEN=1"
    expected = {p.relative_to(expected_dir).as_posix(): p.read_bytes()
                for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(expected)
    for rel, data in files.items():
        assert data.decode() == expected[rel].decode(), rel
