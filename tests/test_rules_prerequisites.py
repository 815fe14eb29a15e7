"""prerequisite-not-met: met, not met, met in time, overridden, expired evidence."""

from __future__ import annotations

from pathlib import Path

from skills_helpers import SKILLS, academy_of, at, copy, edit
from trainkit.diagnostics import Severity
from trainkit.rules import prerequisites


def _found(root: Path, when: str) -> list[tuple[str, int, Severity, str]]:
    a = academy_of(root)
    return [(d.path, d.line, d.severity, d.message)
            for d in prerequisites.check(a, at=at(when))]


def test_met_before_the_first_session_is_silent() -> None:
    # l-01 and l-02 passed the lifting course (awareness) before 2026-03-10.
    found = _found(SKILLS, "2026-03-11T00:00:00")
    assert [f for f in found if "drv-mar" in f[0]] == []


def test_not_met_once_started_is_an_error(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "records/quiz-results/lifting.csv",
         "l-02,lifting/final,8,10,2026-02-20T10:00:00Z,2",
         "l-02,lifting/final,8,10,2026-03-20T10:00:00Z,2")
    found = _found(root, "2026-04-01T00:00:00")
    assert len(found) == 2  # l-02 in March, l-03 in September (see below)
    path, line, severity, message = found[0]
    assert (path, line, severity) == ("programs/driving/cohorts/drv-mar.yaml", 8, Severity.ERROR)
    assert "'l-02'" in message and "lifting: awareness not held" in message
    assert "on 2026-03-10" in message and "override" in message


def test_expired_evidence_is_a_warning_while_it_can_still_be_met() -> None:
    (found,) = _found(SKILLS, "2026-05-02T00:00:00")
    path, line, severity, message = found
    assert (path, line, severity) == ("programs/driving/cohorts/drv-sep.yaml", 7, Severity.WARNING)
    assert "'l-03'" in message and "lifting: awareness expired on 2026-05-01" in message
    assert "can still be met: pass the self-paced course 'lifting'" in message


def test_the_same_gap_is_an_error_once_the_cohort_has_started() -> None:
    (found,) = _found(SKILLS, "2026-09-16T00:00:00")
    assert found[2] is Severity.ERROR and "'l-03'" in found[3]


def test_met_in_time_by_a_later_record(tmp_path: Path) -> None:
    root = copy(tmp_path)
    with (root / "records/quiz-results/lifting.csv").open("a", encoding="utf-8") as fh:
        fh.write("l-03,lifting/final,9,10,2026-06-01T10:00:00Z,1\n")
    assert _found(root, "2026-05-02T00:00:00") != []  # not passed yet as of May
    assert _found(root, "2026-07-01T00:00:00") == []


def test_an_override_silences_it(tmp_path: Path) -> None:
    root = copy(tmp_path)
    assert not any("'l-04'" in f[3] for f in _found(root, "2026-09-16T00:00:00"))
    edit(root, "programs/driving/cohorts/drv-sep.yaml",
         "{learner: l-03, status: enrolled}",
         "{learner: l-03, status: enrolled, override: {reason: Assessed on site}}")
    assert _found(root, "2026-09-16T00:00:00") == []


def test_a_prerequisite_that_cannot_be_met_in_time_is_an_error(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "programs/driving/program.yaml", "competencies: [{id: lifting, level: awareness}]",
         "competencies: [{id: lifting, level: awareness}]\n  programs: [forklift]")
    (root / "programs/forklift/cohorts").mkdir(parents=True)
    (root / "programs/forklift/program.yaml").write_text(
        "version: 1\ntitle: Forklift\nsummary: x\ncapacity: 2\ninstructor_qualification: driving\n"
        "session_plan:\n  - {id: day, title: Day, duration: 2h}\n")
    found = [f for f in _found(root, "2026-05-02T00:00:00") if "drv-sep" in f[0]]
    assert [f[2] for f in found] == [Severity.ERROR]
    assert "program 'forklift' not completed (cannot be met in time)" in found[0][3]
    # what can still be met is said too, and the fix
    assert "(can still be met: pass the self-paced course 'lifting')" in found[0][3]
    assert "move the learner to a later cohort" in found[0][3]


def test_a_cohort_that_ends_in_time_with_seats_makes_it_a_warning(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "programs/driving/program.yaml", "competencies: [{id: lifting, level: awareness}]",
         "competencies: []\n  programs: [forklift]")
    (root / "programs/forklift/cohorts").mkdir(parents=True)
    (root / "programs/forklift/program.yaml").write_text(
        "version: 1\ntitle: Forklift\nsummary: x\ncapacity: 2\ninstructor_qualification: driving\n"
        "session_plan:\n  - {id: day, title: Day, duration: 2h}\n")
    (root / "programs/forklift/cohorts/fk-jun.yaml").write_text(
        "version: 1\ntitle: June\nvenue: hq\nroom: main\ninstructors: {lead: [ann]}\n"
        "sessions:\n  - {id: day, template: day, date: 2026-06-02, start: '09:00', end: '11:00'}\n")
    found = _found(root, "2026-05-02T00:00:00")
    sep = [f for f in found if "drv-sep" in f[0]]
    assert [f[2] for f in sep] == [Severity.WARNING]
    assert "cohort 'fk-jun' ends before and has 2 seat(s) left" in sep[0][3]


def test_check_reports_it_with_the_check_clock(monkeypatch) -> None:
    from trainkit.pipeline import check_dir
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777680000")  # 2026-05-02
    codes = [(d.code, d.severity) for d in check_dir(SKILLS).diagnostics]
    assert codes == [("prerequisite-not-met", Severity.WARNING)]
