"""Role standings against a plain reading of the rules, on random evidence and roles.

The plain way takes one learner at a time, walks the roles it extends by
hand and looks at every piece of evidence of every requirement; the real
computation (``outcomes.skills``) groups evidence once. Both must agree on
every learner, role and competency.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_helpers import SKILLS, academy_of
from trainkit.model import Academy, Evidence, Loc, Role, RoleRequirement
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import standings

COMPS = {"lifting": ("awareness", "practitioner"), "driving": ("supervised", "operator"),
         "first-aid": ()}
DAY = date(2026, 6, 1)
WINDOW = timedelta(days=90)


def _random_academy(rng: random.Random) -> Academy:
    base = academy_of(SKILLS)
    role_ids = [f"r{i}" for i in range(5)]
    roles = {}
    for rid in role_ids:
        reqs = []
        for comp in rng.sample(sorted(COMPS), rng.randint(0, 3)):
            levels = COMPS[comp]
            level = rng.choice(levels) if levels else None
            weight = float(rng.randint(1, 3))
            reqs.append(RoleRequirement(comp, level, weight, None, Loc("r", 1, 1)))
        extends = tuple(rng.sample(role_ids, rng.randint(0, 2)))  # cycles allowed
        roles[rid] = Role(rid, rid, "", extends, tuple(reqs), Loc("r", 1, 1))
    learners = {}
    for i in range(40):
        lid = f"x-{i:02d}"
        learners[lid] = dataclasses.replace(base.learners["l-01"], id=lid,
                                            roles=tuple(rng.sample(role_ids, rng.randint(0, 2))))
    rows = []
    for n in range(300):
        comp = rng.choice(sorted(COMPS))
        level = rng.choice(COMPS[comp]) if COMPS[comp] else ""
        on = DAY + timedelta(days=rng.randint(-800, 60))
        expires = on + timedelta(days=rng.randint(1, 900)) if rng.random() < 0.6 else None
        rows.append(Evidence(rng.choice(sorted(learners)), comp, level, on, expires, "s", "", "",
                             "e.csv", n + 2))
    return dataclasses.replace(base, roles=roles, learners=learners, evidence=tuple(rows),
                               quiz_results=(), attendance=())


def _plain_requirements(a: Academy, rid: str, seen: frozenset[str] = frozenset()
                        ) -> dict[str, RoleRequirement]:
    if rid in seen or rid not in a.roles:
        return {}
    out: dict[str, RoleRequirement] = {}
    for parent in a.roles[rid].extends:
        out.update(_plain_requirements(a, parent, seen | {rid}))
    for r in a.roles[rid].requirements:
        out[r.competency] = r
    return out


def _rank(comp: str, level: str | None) -> int:
    return COMPS[comp].index(level) if level else 0


def _plain_status(a: Academy, learner: str, req: RoleRequirement) -> str:
    need = _rank(req.competency, req.level)
    mine = [e for e in a.evidence if e.learner == learner and e.competency == req.competency
            and e.on <= DAY]

    def valid(e: Evidence) -> bool:
        return e.expires is None or e.expires > DAY
    good = [e for e in mine if valid(e) and _rank(e.competency, e.level) >= need]
    if good:
        lasting = any(e.expires is None or e.expires > DAY + WINDOW for e in good)
        return "met" if lasting else "expiring"
    if any(valid(e) for e in mine):
        return "below"
    if any(_rank(e.competency, e.level) >= need for e in mine):
        return "expired"
    return "missing"


@pytest.mark.parametrize("seed", range(12))
def test_standings_agree_with_the_plain_reading(seed: int) -> None:
    a = _random_academy(random.Random(seed))
    moment_held = gather(a, [], datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC))
    real = {(s.learner, s.role, s.competency): s.status
            for s in standings(a, moment_held, DAY, WINDOW)}
    plain = {}
    for lid in sorted(a.learners):
        for rid in a.learners[lid].roles:
            for comp, req in _plain_requirements(a, rid).items():
                plain[(lid, rid, comp)] = _plain_status(a, lid, req)
    assert real == plain
    assert len(set(real.values())) >= 3  # the random data exercises several outcomes
