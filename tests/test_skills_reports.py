"""reports/skills/: roll-ups in words, coverage, deterministic heatmap, only in reports/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from skills_helpers import SKILLS, academy_of, at
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.rollups import coverage, rollups
from trainkit.writers.build import BuildOptions, run_build
from trainkit.writers.reports.skills import write_skills


def _state(when: str):  # type: ignore[no-untyped-def]
    a = academy_of(SKILLS)
    moment = at(when)
    held = gather(a, evaluate(a, moment), moment)
    return a, held, Gaps(a, held, moment.date())


def test_rollups_count_each_learner_once_and_say_it_in_words() -> None:
    a, _, rows = _state("2026-04-10T00:00:00")
    by_role = {(r.group, r.competency): r for r in rollups(a, rows, "role")}
    driving = by_role[("Operative", "driving")]
    assert (driving.people, driving.met, driving.expiring, driving.gaps) == (3, 1, 1, 1)
    assert driving.sentence() == ("1 of 3 with role Operative lacks driving: operator; "
                                  "1 more expires within 90 days")
    by_manager = {(r.group, r.competency, r.level): r for r in rollups(a, rows, "manager")}
    assert by_manager[("Mo Boss", "lifting", "practitioner")].sentence() == (
        "1 of 2 reporting to Mo Boss lacks lifting: practitioner")
    orgs = {r.group for r in rollups(a, rows, "organisation")}
    assert orgs == {"Depot Ltd", "Other Co"}


def test_coverage_counts_holders_at_a_level_or_above() -> None:
    a, held, rows = _state("2026-08-01T00:00:00")
    day = at("2026-08-01T00:00:00").date()
    got = {(c.competency, c.level): c[2:] for c in coverage(a, held, rows, day)}
    # l-03's practitioner evidence and l-04's licence have expired by August
    assert got[("lifting", "practitioner")] == (1, 0, 1, 3)
    assert got[("lifting", "awareness")] == (2, 0, 1, 4)
    assert got[("driving", "operator")] == (1, 0, 1, 4)


def test_the_report_is_written_twice_the_same(tmp_path: Path) -> None:
    a, _, _ = _state("2026-04-10T00:00:00")
    moment = at("2026-04-10T00:00:00")
    write_skills(a, evaluate(a, moment), tmp_path / "one", moment)
    write_skills(a, evaluate(a, moment), tmp_path / "two", moment)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert [f.as_posix() for f in files] == [
        "skills", "skills/coverage.csv", "skills/coverage.html", "skills/gaps.csv",
        "skills/gaps.html", "skills/gaps.json", "skills/overrides.csv", "skills/paths.csv",
        "skills/recommendations.csv", "skills/recommendations.json", "skills/rollups.csv",
        "skills/rollups.html", "skills/team.csv"]
    for f in files:
        if (tmp_path / "one" / f).is_file():
            assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes()
    assert "<svg" in (tmp_path / "one/skills/gaps.html").read_text()


def test_a_formula_in_an_override_reason_is_neutralised(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    root = tmp_path / "academy"
    shutil.copytree(SKILLS, root)
    cohort = root / "programs/driving/cohorts/drv-sep.yaml"
    cohort.write_text(cohort.read_text().replace("reason: Lifting assessed at Other Co",
                                                 "reason: \"=HYPERLINK('x')\""))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775779200")
    result, _ = run_build(root, BuildOptions(site_dir=tmp_path / "site",
                                             reports_dir=tmp_path / "reports",
                                             only=("reports",)))
    assert not result.errors
    rows = list(csv.reader(io.StringIO((tmp_path / "reports/skills/overrides.csv").read_text())))
    assert rows[1][-1] == "'=HYPERLINK('x')"
    assert not (tmp_path / "site" / "skills").exists()
