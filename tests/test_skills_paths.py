"""Learning paths: soonest steps, no overlapping sessions; team needs in seats and cohorts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from skills_helpers import SKILLS, academy_of, at, copy, edit
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills import pathsearch
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.paths import paths, team_needs

WHEN = "2026-04-10T00:00:00"


def _state(root: Path):  # type: ignore[no-untyped-def]
    a = academy_of(root)
    moment = at(WHEN)
    held = gather(a, evaluate(a, moment), moment)
    return a, Gaps(a, held, moment.date()).rows(), moment


def _cohort(root: Path, program: str, cid: str, day: str) -> None:
    (root / f"programs/{program}/cohorts/{cid}.yaml").write_text(
        f"version: 1\ntitle: {cid}\nvenue: hq\nroom: main\ninstructors: {{lead: [ann]}}\n"
        f"sessions:\n  - {{id: day, template: day, date: {day}, start: '09:00', end: '15:00'}}\n")


def test_the_soonest_cohort_closes_the_gaps() -> None:
    a, rows, moment = _state(SKILLS)
    (p,) = [p for p in paths(a, rows, moment) if p.learner == "l-02"]
    assert [(s.kind, s.item, s.done_on) for s in p.steps] == [
        ("cohort", "drv-sep", date(2026, 9, 15))]
    assert p.qualified_on == date(2026, 9, 15) and p.open_gaps == ()


def test_steps_do_not_overlap_and_the_qualified_date_is_the_last(tmp_path: Path) -> None:
    root = copy(tmp_path)
    _cohort(root, "driving", "drv-jun", "2026-06-10")
    edit(root, "roles/operative.yaml", "competencies:\n",
         "competencies:\n  - {competency: first-aid}\n")
    (root / "programs/aid/cohorts").mkdir(parents=True)
    (root / "programs/aid/program.yaml").write_text(
        "version: 1\ntitle: Aid\nsummary: x\ncapacity: 4\ninstructor_qualification: driving\n"
        "session_plan:\n  - {id: day, title: Day, duration: 6h}\n"
        "awards: [{competency: first-aid}]\n")
    _cohort(root, "aid", "aid-jun", "2026-06-10")  # the same hours as drv-jun
    _cohort(root, "aid", "aid-jul", "2026-07-01")
    a, rows, moment = _state(root)
    (p,) = [p for p in paths(a, rows, moment) if p.learner == "l-02"]
    assert [(s.item, s.closes) for s in p.steps] == [
        ("drv-jun", ("driving: operator", "lifting: practitioner")), ("aid-jul", ("first-aid",))]
    assert p.qualified_on == date(2026, 7, 1)


def test_a_gap_nothing_closes_stays_open(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "roles/operative.yaml", "competencies:\n",
         "competencies:\n  - {competency: first-aid}\n")
    a, rows, moment = _state(root)
    (p,) = [p for p in paths(a, rows, moment) if p.learner == "l-02"]
    assert p.open_gaps == ("first-aid",) and p.qualified_on is None
    assert [s.item for s in p.steps] == ["drv-sep"]


def test_team_needs_count_seats_and_cohorts_to_plan(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "programs/driving/cohorts/drv-sep.yaml", "title: September 2026",
         "title: September 2026\ncapacity: 2")
    a, rows, moment = _state(root)
    needs = {(n.role, n.competency): n for n in team_needs(a, rows, moment)}
    drive = needs[("operative", "driving: operator")]
    assert (drive.lacking, drive.seats, drive.program, drive.more_cohorts) == (
        1, 0, "driving", 1)
    assert drive.sentence == ("1 with role Operative lacks driving: operator (0 already "
                              "booked); coming cohorts have 0 seat(s) left: 1 more cohort(s) "
                              "of driving needed")



def _aid_case(root: Path):  # type: ignore[no-untyped-def]
    """First aid on 1 June (aid-jun) or 1 July; driving on 1-2 June (drv-jun, whose first day
    overlaps aid-jun) or 15 September."""
    edit(root, "roles/operative.yaml", "competencies:\n",
         "competencies:\n  - {competency: first-aid}\n")
    (root / "programs/aid/cohorts").mkdir(parents=True)
    (root / "programs/aid/program.yaml").write_text(
        "version: 1\ntitle: Aid\nsummary: x\ncapacity: 4\ninstructor_qualification: driving\n"
        "session_plan:\n  - {id: day, title: Day, duration: 6h}\n"
        "awards: [{competency: first-aid}]\n")
    _cohort(root, "aid", "aid-jun", "2026-06-01")
    _cohort(root, "aid", "aid-jul", "2026-07-01")
    (root / "programs/driving/cohorts/drv-jun.yaml").write_text(
        "version: 1\ntitle: drv-jun\nvenue: hq\nroom: main\ninstructors: {lead: [ann]}\n"
        "sessions:\n  - {id: day, template: day, date: 2026-06-01, start: '09:00', end: '15:00'}\n"
        "  - {id: extra, title: Practice, date: 2026-06-02, start: '09:00', end: '15:00'}\n")
    a, rows, moment = _state(root)
    (p,) = [p for p in paths(a, rows, moment) if p.learner == "l-02"]
    return p


def test_the_path_is_the_soonest_even_when_the_first_step_to_finish_is_not(
        tmp_path: Path) -> None:
    # step by step takes aid-jun (done first), which leaves driving to September
    p = _aid_case(copy(tmp_path))
    assert [(s.item, s.closes, s.done_on) for s in p.steps] == [
        ("drv-jun", ("driving: operator", "lifting: practitioner"), date(2026, 6, 2)),
        ("aid-jul", ("first-aid",), date(2026, 7, 1))]
    assert p.qualified_on == date(2026, 7, 1) and p.open_gaps == ()


def test_above_the_search_limit_the_step_by_step_path_stands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pathsearch, "SEARCH_LIMIT", 1)
    p = _aid_case(copy(tmp_path))
    assert [(s.item, s.done_on) for s in p.steps] == [
        ("aid-jun", date(2026, 6, 1)), ("drv-sep", date(2026, 9, 15))]
    assert p.qualified_on == date(2026, 9, 15)
