"""Skills references: unknown competencies, levels and roles, role cycles, unknown learners."""

from __future__ import annotations

from pathlib import Path

from skills_helpers import SKILLS, academy_of, copy, edit
from trainkit.rules import skills


def _found(root: Path) -> list[str]:
    return sorted(d.text() for d in skills.check(academy_of(root)))


def test_the_fixture_is_clean() -> None:
    assert _found(SKILLS) == []


def test_unknown_competency_and_level_in_a_role(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "roles/operative.yaml", "{competency: lifting, level: practitioner",
         "{competency: liftin, level: practitioner")
    edit(root, "roles/operative.yaml", "{competency: driving, level: operator",
         "{competency: driving, level: operater")
    assert _found(root) == [
        "roles/operative.yaml:4:5: error[unknown-competency]: role 'operative': competency "
        "'liftin' is not in competencies.yaml (did you mean 'lifting'?)",
        "roles/operative.yaml:5:5: error[unknown-level]: role 'operative': level 'operater' is "
        "not a level of 'driving' (did you mean 'operator'?)",
    ]


def test_awards_need_a_known_level(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "programs/driving/program.yaml", "{competency: driving, level: operator}",
         "{competency: driving}")
    edit(root, "courses/lifting/course.yaml", "level: awareness", "level: aware")
    assert _found(root) == [
        "courses/lifting/course.yaml:4:10: error[unknown-level]: awarded level 'aware' is not a "
        "level of 'lifting' (did you mean 'awareness'?)",
        "programs/driving/program.yaml:10:5: error[unknown-level]: awarded competency 'driving' "
        "has levels (supervised, operator); say which one",
    ]


def test_role_cycles_and_unknown_roles(tmp_path: Path) -> None:
    root = copy(tmp_path)
    (root / "roles/operative.yaml").write_text(
        (root / "roles/operative.yaml").read_text() + "extends: [lead, leed]\n")
    edit(root, "people/learners/staff.yaml", "roles: [lead]", "roles: [lede]")
    found = _found(root)
    assert ("roles/lead.yaml:3:11: error[role-cycle]: role 'lead' extends itself: lead -> "
            "operative -> lead; remove one 'extends' entry of the cycle") in found
    assert ("roles/operative.yaml:6:17: error[unknown-role]: role 'operative' extends 'leed', "
            "which is not defined in roles/ (did you mean 'lead'?)") in found
    assert any(f.startswith("people/learners/staff.yaml:6:") and "[unknown-role]" in f
               and "'lede'" in f and "did you mean 'lead'?" in f for f in found)


def test_evidence_for_unknown_learners_and_competencies(tmp_path: Path) -> None:
    root = copy(tmp_path)
    with (root / "records/evidence/prior.csv").open("a", encoding="utf-8") as fh:
        fh.write("l-99,lifting,awareness,2026-01-01,,,,\n")
        fh.write("l-01,first-aid,expert,2026-01-01,,,,\n")
        fh.write("l-01,drivng,operator,2026-01-01,,,,\n")
    found = _found(root)
    assert found == [
        "records/evidence/prior.csv:5:1: error[unknown-learner]: evidence for learner 'l-99', "
        "who is not in the learner directory (known: l-01, l-02, l-03, l-04, l-05)",
        "records/evidence/prior.csv:6:6: error[unknown-level]: evidence: competency 'first-aid' "
        "has no levels; leave the level out",
        "records/evidence/prior.csv:7:6: error[unknown-competency]: evidence: competency 'drivng' "
        "is not in competencies.yaml (did you mean 'driving'?)",
    ]
