"""trainkit enroll refuses a learner without the program's prerequisites, or records --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import check_dir

COHORT = "programs/forklift-cert/cohorts/fl-man-2027-02.yaml"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo academy, with places free in the February forklift cohort."""
    root = copy_demo(tmp_path / "demo")
    path = root / COHORT
    path.write_text(path.read_text().replace("\nstatus: open\n", "\ncapacity: 8\nstatus: open\n"))
    assert check_dir(root).errors == []
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_learner_without_the_prerequisites_is_refused(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(demo)
    code = main(["enroll", "fl-man-2027-02", "--email", "new.person@example.org",
                 "--name", "New Person", "--root", str(demo)])
    assert code == 1
    err = capsys.readouterr().err
    assert "refused: learner" in err and "without the prerequisites of 'forklift-cert'" in err
    assert "manual-handling" in err and "--force --reason" in err
    assert snapshot(demo) == before


def test_force_records_the_reason_as_an_override(demo: Path) -> None:
    code = main(["enroll", "fl-man-2027-02", "--email", "new.person@example.org",
                 "--name", "New Person", "--force", "--reason", "ten years on forklifts",
                 "--root", str(demo)])
    assert code == 0
    entry = yaml.safe_load((demo / COHORT).read_text())["enrollments"][-1]
    assert entry["status"] == "enrolled"
    assert entry["override"] == {"reason": "ten years on forklifts"}
    assert [d for d in check_dir(demo).diagnostics if d.code == "prerequisite-not-met"] == []
