"""Problems planted in a mid-sized synthetic academy are found, and nothing else is.

The generator (benchmarks/synth.py) makes an academy that is clean by
construction. One extra cohort is added that copies the time of an existing
session, with the same instructor and one of its enrolled learners: exactly
one instructor double-booking and one learner double-booking must appear,
reported at the new file, among hundreds of sessions that do not clash.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import lines
from trainkit.pipeline import check_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import generate  # noqa: E402

SIZE = {"programs": 6, "cohorts": 40, "sessions": 400, "instructors": 12, "learners": 800}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("planted") / "academy"
    generate(root, **SIZE)
    return root


def test_generated_academy_has_no_rule_findings(synthetic: Path) -> None:
    assert lines(check_dir(synthetic)) == []


def test_planted_clashes_are_found(synthetic: Path) -> None:
    academy = check_dir(synthetic).academy
    assert academy is not None
    cohort = next(c for c in academy.cohorts.values()
                  if c.sessions and c.active_enrollments() and c.lead_instructors)
    s = cohort.sessions[0]
    learner = cohort.active_enrollments()[0].learner
    lead = cohort.lead_instructors[0]
    planted = synthetic / "programs" / cohort.program / "cohorts" / "zz-planted.yaml"
    planted.write_text(
        "version: 1\ntitle: Planted\n"
        f"timezone: {s.timezone}\n"
        f"instructors:\n  lead: [{lead}]\n"
        f"enrollments:\n  - learner: {learner}\n"
        f"sessions:\n  - id: x1\n    date: {s.start:%Y-%m-%d}\n"
        f'    start: "{s.start:%H:%M}"\n    end: "{s.end:%H:%M}"\n',
        encoding="utf-8",
    )
    try:
        result = check_dir(synthetic)
    finally:
        planted.unlink()
    rel = planted.relative_to(synthetic).as_posix()
    assert [d.code for d in result.diagnostics] in (
        ["learner-double-booked", "instructor-double-booked"],
        ["instructor-double-booked", "learner-double-booked"],
    ), lines(result)
    assert [x.split(": ")[0] for x in lines(result, "instructor-double-booked")] == [f"{rel}:9:5"]
    assert [x.split(": ")[0] for x in lines(result, "learner-double-booked")] == [f"{rel}:7:5"]
    found = lines(result, "instructor-double-booked")[0]
    assert f"overlaps {s.key} (" in found and f"instructor '{lead}'" in found
