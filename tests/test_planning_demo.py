"""trainkit plan and substitute on the demo academy (a copy of the repository's)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import check_dir


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = copy_demo(tmp_path / "demo")
    return root


def test_the_demo_leaves_a_cohort_to_the_planner_and_plan_fills_it(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = {d.code for d in check_dir(demo).diagnostics}
    assert "assignment-open" in codes
    path = demo / "programs/fire-warden/cohorts/fw-man-2027-03.yaml"
    assert main(["plan", "--root", str(demo)]) == 0
    data = yaml.safe_load(path.read_text())
    assert data["room"] in {"pennine", "yard"}
    lead = data["instructors"]["lead"]
    assert isinstance(lead, list) and len(lead) == 1
    instructor = yaml.safe_load((demo / f"people/instructors/{lead[0]}.yaml").read_text())
    assert "fire-warden" in {q["id"] for q in instructor["qualifications"]}
    result = check_dir(demo)
    assert [d for d in result.diagnostics if d.code == "assignment-open"] == []
    assert result.errors == []
    assert "# trainkit plan chooses a qualified, free instructor" in path.read_text()
    assert "plan optimal" in capsys.readouterr().err


def test_substitutes_are_ranked_with_reasons_and_applied(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["substitute", "tomasz-wisniewski", "--from", "2026-12-07", "--to", "2027-12-31",
            "--root", str(demo)]
    assert main(args) == 0
    listing = capsys.readouterr().out
    lines = listing.splitlines()
    first = lines[lines.index(next(x for x in lines if x.startswith("fa-lon-2027-01:"))) + 1]
    # the cohort's assistant steps up: qualified, at home, no new face for the learners
    assert first.startswith("  1. amara-okafor (cost 0): qualified for 'first-aid'")
    assert "free at those times" in first and "home venue" in first
    before = {p: p.read_bytes() for p in demo.rglob("*.yaml")}
    assert main([*args, "--apply"]) == 0
    out = capsys.readouterr().out
    assert "instructor 'tomasz-wisniewski' removed" in out
    changed = [p for p in demo.rglob("*.yaml") if p.read_bytes() != before[p]]
    assert changed and all("cohorts" in p.parts for p in changed)
    result = check_dir(demo)
    assert result.errors == []
    assert result.academy is not None
    taught = {i for c in result.academy.cohorts.values() for s in c.sessions
              if s.start.year == 2027 and not s.cancelled for i in s.instructors}
    assert "tomasz-wisniewski" not in taught


def test_an_unknown_instructor_is_refused(demo: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["substitute", "nobody", "--from", "2027-01-01", "--to", "2027-01-31",
                 "--root", str(demo)]) == 1
    assert "unknown instructor 'nobody'" in capsys.readouterr().err
