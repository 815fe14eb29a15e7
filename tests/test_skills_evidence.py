"""Competency evidence and each learner's standing against their roles."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from skills_helpers import SKILLS, academy_of, at, copy, edit
from trainkit.model import Loc
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import COURSE, EXTERNAL, PROGRAM, gather, rank_of
from trainkit.outcomes.skills.gaps import requirements, standings, weighted_gap


def _standings(root: Path, when: str, window: int = 90) -> dict[tuple[str, str, str], str]:
    a = academy_of(root)
    moment = at(when)
    held = gather(a, evaluate(a, moment), moment)
    return {(s.learner, s.role, s.competency): s.status
            for s in standings(a, held, moment.date(), timedelta(days=window))}


def test_the_format_is_resolved_with_positions() -> None:
    a = academy_of(SKILLS)
    assert sorted(a.roles) == ["lead", "operative"]
    assert a.roles["lead"].extends == ("operative",)
    assert a.roles["operative"].requirements[1].by == date(2026, 12, 31)
    assert a.roles["operative"].requirements[0].weight == 2.0
    assert a.learners["l-01"].roles == ("operative",) and a.learners["l-01"].manager == "Mo Boss"
    assert a.learners["l-04"].organisation == "Other Co"
    assert [e.learner for e in a.evidence] == ["l-03", "l-03", "l-04"]
    assert a.evidence[2].expires == date(2026, 7, 1) and a.evidence[1].expires is None
    assert a.evidence[0].loc == Loc("records/evidence/prior.csv", 2, 1)
    sep = a.cohorts["drv-sep"].enrollments
    assert sep[0].override is None
    assert sep[1].override is not None and sep[1].override.reason == "Lifting assessed at Other Co"
    assert [w.id for w in a.programs["driving"].awards] == ["driving", "lifting"]
    assert a.courses["lifting"].awards[0].level == "awareness"
    assert a.programs["driving"].prerequisites.levels[0].level == "awareness"


def test_evidence_from_completions_courses_and_records() -> None:
    a = academy_of(SKILLS)
    moment = at("2026-04-01T00:00:00")
    held = gather(a, evaluate(a, moment), moment)
    l01 = {(h.competency, h.kind): h for c in held.by_learner["l-01"].values() for h in c}
    program = l01[("driving", PROGRAM)]
    assert program.on == date(2026, 3, 10) and program.expires == date(2027, 3, 10)
    assert program.ref.startswith("TK-")  # the certificate number
    assert l01[("lifting", PROGRAM)].level == "practitioner"
    assert l01[("lifting", COURSE)].on == date(2026, 2, 1)
    # The first attempt that reached the pass mark dates the pass.
    (l02,) = held.of("l-02", "lifting")
    assert (l02.kind, l02.on, l02.level) == (COURSE, date(2026, 2, 20), "awareness")
    assert held.of("l-02", "driving") == ()  # absent: not completed
    ext = held.of("l-04", "driving")[0]
    assert (ext.kind, ext.ref, ext.expires) == (EXTERNAL, "records/evidence/prior.csv:4",
                                                date(2026, 7, 1))


def test_evidence_after_the_moment_does_not_exist_yet() -> None:
    a = academy_of(SKILLS)
    moment = at("2026-02-10T00:00:00")
    held = gather(a, evaluate(a, moment), moment)
    assert held.of("l-02", "lifting") == ()
    assert [h.kind for h in held.of("l-01", "lifting")] == [COURSE]


def test_revoked_certificates_are_no_evidence(tmp_path: Path) -> None:
    root = copy(tmp_path)
    a = academy_of(root)
    moment = at("2026-04-01T00:00:00")
    cert = next(h.ref for h in gather(a, evaluate(a, moment), moment).of("l-01", "driving"))
    (root / "records" / "revocations.yaml").write_text(
        f"version: 1\nrevocations:\n  - {{certificate: {cert}, date: 2026-03-20, reason: x}}\n")
    a = academy_of(root)
    assert gather(a, evaluate(a, moment), moment).of("l-01", "driving") == ()


def test_standing_per_learner_role_and_competency() -> None:
    got = _standings(SKILLS, "2026-04-10T00:00:00")
    assert got == {
        ("l-01", "operative", "driving"): "met",
        ("l-01", "operative", "lifting"): "met",
        ("l-02", "operative", "driving"): "missing",
        ("l-02", "operative", "lifting"): "below",  # awareness only
        # lead extends operative; its own lifting entry (awareness) wins
        ("l-03", "lead", "driving"): "missing",
        ("l-03", "lead", "first-aid"): "met",
        ("l-03", "lead", "lifting"): "expiring",  # until 2026-05-01
        ("l-04", "operative", "driving"): "expiring",  # until 2026-07-01, within 90 days
        ("l-04", "operative", "lifting"): "missing",
    }


def test_expired_evidence_stops_counting_and_the_window_is_configurable() -> None:
    later = _standings(SKILLS, "2026-08-01T00:00:00")
    assert later[("l-03", "lead", "lifting")] == "expired"
    assert later[("l-04", "operative", "driving")] == "expired"
    narrow = _standings(SKILLS, "2026-04-10T00:00:00", window=20)
    assert narrow[("l-03", "lead", "lifting")] == "met"
    assert narrow[("l-04", "operative", "driving")] == "met"


def test_a_higher_level_satisfies_a_lower_requirement(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "roles/operative.yaml", "{competency: lifting, level: practitioner, weight: 2}",
         "{competency: lifting, level: awareness, weight: 2}")
    edit(root, "records/evidence/prior.csv", "l-04,driving,operator",
         "l-04,lifting,practitioner")
    got = _standings(root, "2026-04-10T00:00:00")
    assert got[("l-02", "operative", "lifting")] == "met"
    assert got[("l-04", "operative", "lifting")] == "expiring"


def test_roles_extend_transitively_and_cycles_end() -> None:
    a = academy_of(SKILLS)
    assert [r.competency for r in requirements(a, "lead")] == ["driving", "first-aid", "lifting"]
    assert requirements(a, "nobody") == []


def test_weighted_gap_and_ranks() -> None:
    a = academy_of(SKILLS)
    moment = at("2026-04-01T00:00:00")
    held = gather(a, evaluate(a, moment), moment)
    rows = [s for s in standings(a, held, moment.date()) if s.learner == "l-02"]
    assert weighted_gap(rows) == 1.0
    rows = [s for s in standings(a, held, moment.date()) if s.learner == "l-04"]
    assert weighted_gap(rows) == 2 / 5
    assert rank_of(a.competencies["driving"], "operator") == 1
    assert rank_of(a.competencies["driving"], "expert") is None
    assert rank_of(a.competencies["first-aid"], None) == 0
