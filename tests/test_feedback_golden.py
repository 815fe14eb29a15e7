"""Golden files for ``reports/feedback/``.

The fixture is the ``small`` case's academy with a per-session survey and its
responses laid over it (``tests/cases/feedback/overlay``): one cohort with six
responses (a full report), one with two (counts only). After an intended
change, refresh and review the diff like code::

    UPDATE_GOLDEN=1 python -m pytest tests/test_feedback_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from trainkit.writers.build import BuildOptions, run_build

CASES = Path(__file__).parent / "cases"
CASE = CASES / "feedback"


def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "academy"
    shutil.copytree(CASES / "small" / "input", root)
    shutil.copytree(CASE / "overlay", root, dirs_exist_ok=True)
    program = root / "programs" / "safety" / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "surveys: [pulse]\n",
                       encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", (CASES / "small" / "epoch").read_text().strip())
    options = BuildOptions(site_dir=tmp_path / "site", reports_dir=tmp_path / "reports",
                           only=("reports",))
    result, _ = run_build(root, options)
    assert not result.errors, [d.text() for d in result.errors]
    return tmp_path / "reports" / "feedback"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_feedback_reports_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = tree(build(tmp_path, monkeypatch))
    expected = CASE / "expected"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        for rel, data in got.items():
            (expected / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected / rel).write_bytes(data)
    want = tree(expected)
    assert sorted(got) == sorted(want), "files differ (UPDATE_GOLDEN=1 refreshes)"
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs (UPDATE_GOLDEN=1 refreshes)"


def test_small_group_report_has_counts_only(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = build(tmp_path, monkeypatch)
    small = (folder / "pulse" / "cohorts" / "saf-b.html").read_text(encoding="utf-8")
    assert "2 response(s)" in small and "Fewer than 5 responses" in small
    assert "Only me here" not in small and "<svg" not in small
    full = (folder / "pulse" / "cohorts" / "saf-a.html").read_text(encoding="utf-8")
    assert full.count("<svg") == 3 and "More of this" in full
    # counts and means only in the CSV: comments stay on the pages of large enough groups
    csv_text = (folder / "pulse.csv").read_text(encoding="utf-8")
    assert "saf-b,2,2,100%,yes,,,,,," in csv_text  # per-session: 1 learner x 2 sessions held
    assert "Only me here" not in csv_text
    # the instructor of both cohorts sees them together: 8 responses
    assert '"responses": 8' in (folder / "pulse" / "instructors" / "ann.json").read_text()
