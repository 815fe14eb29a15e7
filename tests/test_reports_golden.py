"""Golden files for every private report and the public verification pages.

Each folder ``tests/cases/<name>/`` holds an academy in ``input/`` and the
expected output in ``expected/reports/`` and ``expected/site/``. The build
time is fixed by ``tests/cases/<name>/epoch`` (a SOURCE_DATE_EPOCH value)
and the secret by ``SECRET`` below. After an intended change, refresh the
expected files and review their diff like code::

    UPDATE_GOLDEN=1 python -m pytest tests/test_reports_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from trainkit.writers.build import BuildOptions, run_build

CASES = Path(__file__).parent / "cases"
SECRET = b"golden-secret"
WRITERS = ("reports", "certificates")


def build(case: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = out / "academy"
    shutil.copytree(case / "input", root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", (case / "epoch").read_text().strip())
    options = BuildOptions(site_dir=out / "site", reports_dir=out / "reports", secret=SECRET,
                           only=WRITERS)
    result, _ = run_build(root, options)
    assert not result.errors, [d.text() for d in result.errors]
    return out


def tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "epoch").exists()))
def test_golden(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = build(CASES / case, tmp_path, monkeypatch)
    expected = CASES / case / "expected"
    for part in ("reports", "site"):
        got = tree(out / part)
        if os.environ.get("UPDATE_GOLDEN") == "1":
            shutil.rmtree(expected / part, ignore_errors=True)
            for rel, data in got.items():
                (expected / part / rel).parent.mkdir(parents=True, exist_ok=True)
                (expected / part / rel).write_bytes(data)
        want = tree(expected / part)
        assert sorted(got) == sorted(want), f"{part}: files differ (UPDATE_GOLDEN=1 refreshes)"
        for rel in want:
            assert got[rel] == want[rel], f"{part}/{rel} differs (UPDATE_GOLDEN=1 refreshes)"


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(CASES / "small", tmp_path / "one", monkeypatch)
    second = build(CASES / "small", tmp_path / "two", monkeypatch)
    for part in ("reports", "site"):
        assert tree(first / part) == tree(second / part)
        assert tree(first / part)
