"""Roll-ups and coverage against a plain count over every learner's standings, on random data.

The real computation (``outcomes.skills.rollups``) counts over matrices of
per-learner summaries, per group of learners with the same roles; the plain
way here takes the standings one learner at a time (``Gaps.rows()``, made
from each learner's own evidence) and the evidence piece by piece. Both must
agree on every count, with random roles (some sharing a name), organisations,
managers, evidence (some expired, some of people the learner files do not
list) and days.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from skills_helpers import SKILLS, academy_of
from trainkit.model import Academy, Evidence, Loc, Role, RoleRequirement
from trainkit.outcomes.skills.columns import local_days
from trainkit.outcomes.skills.evidence import Holdings, gather
from trainkit.outcomes.skills.gaps import EXPIRING, MET, WINDOW, Gaps
from trainkit.outcomes.skills.rollups import GROUPINGS, coverage, rollups

COMPS = {"lifting": ("awareness", "practitioner"), "driving": ("supervised", "operator"),
         "first-aid": ()}
DAY = date(2026, 6, 1)
_WORSE = {"met": 0, "expiring": 1, "below": 2, "expired": 3, "missing": 4}


def _random_academy(rng: random.Random) -> Academy:
    base = academy_of(SKILLS)
    role_ids = [f"r{i}" for i in range(6)]
    roles = {}
    for rid in role_ids:
        reqs = []
        for comp in rng.sample(sorted(COMPS), rng.randint(0, 3)):
            levels = COMPS[comp]
            level = rng.choice(levels) if levels and rng.random() < 0.8 else None
            reqs.append(RoleRequirement(comp, level, float(rng.randint(1, 3)), None,
                                        Loc("r", 1, 1)))
        name = rng.choice(["Operator", "Driver", rid])  # names may repeat across roles
        roles[rid] = Role(rid, name, "", tuple(rng.sample(role_ids, rng.randint(0, 2))),
                          tuple(reqs), Loc("r", 1, 1))
    learners = {}
    for i in range(rng.randint(1, 60)):
        lid = f"x-{i:02d}"
        learners[lid] = dataclasses.replace(
            base.learners["l-01"], id=lid, roles=tuple(rng.sample(role_ids, rng.randint(0, 3))),
            organisation=rng.choice([None, "Acme", "Bolt"]),
            manager=rng.choice([None, "m-1", "m-2", "m-3"]))
    people = [*sorted(learners), "ghost-1", "ghost-2"]  # evidence of unlisted people too
    rows = []
    for n in range(rng.randint(0, 400)):
        comp = rng.choice(sorted(COMPS))
        level = rng.choice(("", *COMPS[comp])) if COMPS[comp] else ""
        on = DAY + timedelta(days=rng.randint(-800, 60))
        expires = on + timedelta(days=rng.randint(1, 900)) if rng.random() < 0.6 else None
        rows.append(Evidence(rng.choice(people), comp, level, on, expires, "s", "", "",
                             "e.csv", n + 2))
    return dataclasses.replace(base, roles=roles, learners=learners, evidence=tuple(rows),
                               quiz_results=(), attendance=())


def _plain_rollups(a: Academy, gaps: Gaps, grouping: str) -> list[tuple[object, ...]]:
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    per_learner: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for s in gaps.rows():
        rid = s.role
        name = a.roles[rid].name if grouping == "role" else (
            getattr(a.learners[s.learner], grouping) or "(none)")
        per_learner[s.learner].append((name, s.competency, s.required, s.status))
    for items in per_learner.values():
        worst: dict[tuple[str, str, str], str] = {}
        for name, comp, level, status in items:
            key = (name, comp, level)
            if grouping == "role":
                counts[key][0] += 1  # a learner counts once per role that needs it
            if key not in worst or _WORSE[status] > _WORSE[worst[key]]:
                worst[key] = status
        for key, status in worst.items():
            c = counts[key]
            if grouping != "role":
                c[0] += 1
            c[1 if status == MET else 2 if status == EXPIRING else 3] += 1
    out = []
    for (g, comp, level), c in sorted(counts.items()):
        people, met, expiring = c[0], c[1], c[2]
        out.append((grouping, g, comp, level, people, met, expiring, people - met - expiring))
    return out


def _plain_coverage(a: Academy, held: Holdings, gaps: Gaps) -> list[tuple[object, ...]]:
    soon = DAY + WINDOW
    out = []
    for cid, comp in a.competencies.items():
        for rank, level in enumerate(comp.levels or ("",)):
            holders = expiring = lapsed = 0
            for comps in held.by_learner.values():
                mine = [h for h in comps.get(cid, ()) if h.rank >= rank and h.on <= DAY]
                valid = [h for h in mine if h.valid_on(DAY)]
                if valid:
                    holders += 1
                    expiring += all(h.expires is not None and h.expires <= soon for h in valid)
                elif mine:
                    lapsed += 1
            needed = sum(1 for p in a.learners.values()
                         if any(r.competency == cid and k >= rank
                                for rid in p.roles for r, k in gaps.needs.get(rid, ())))
            out.append((cid, level, holders, expiring, lapsed, needed))
    return out


@pytest.mark.parametrize("seed", range(16))
def test_rollups_and_coverage_agree_with_plain_counts(seed: int) -> None:
    a = _random_academy(random.Random(seed))
    held = gather(a, [], datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC))
    gaps = Gaps(a, held, DAY)
    for grouping in GROUPINGS:
        assert [tuple(r) for r in rollups(a, gaps, grouping)] == _plain_rollups(a, gaps, grouping)
    assert [tuple(c) for c in coverage(a, held, gaps, DAY)] == _plain_coverage(a, held, gaps)


def test_the_random_data_reaches_every_count() -> None:
    seen: set[str] = set()
    for seed in range(16):
        a = _random_academy(random.Random(seed))
        held = gather(a, [], datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC))
        gaps = Gaps(a, held, DAY)
        seen |= {s.status for s in gaps.rows()}
        for c in coverage(a, held, gaps, DAY):
            seen |= {f for f, n in zip(("holders", "soon", "lapsed"), c[2:5], strict=True)
                     if n}
    assert seen >= {"met", "expiring", "below", "expired", "missing", "holders", "soon",
                    "lapsed"}


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Asia/Kolkata",
                                  "Australia/Lord_Howe", "UTC"])
def test_local_days_match_the_zone(zone: str) -> None:
    """Quiz passes are dated in the academy's zone, for whole columns of times at once."""
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    start = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    # random moments over two years, and every quarter hour around each change of offset
    stamps = [start + rng.uniform(0, 2 * 365 * 86400) for _ in range(3000)]
    stamps += [start + q * 900 + s for q in range(0, 2 * 365 * 96, 37) for s in (-1, 0, 1)]
    got = local_days(np.array(stamps), tz).tolist()
    want = [datetime.fromtimestamp(s, UTC).astimezone(tz).date().toordinal() for s in stamps]
    assert got == want
