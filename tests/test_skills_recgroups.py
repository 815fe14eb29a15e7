"""Recommendations scored once per group of alike learners equal scoring every learner alone.

``recommend`` keys each learner and role by what its ranking reads (see
``outcomes.skills.recgroups``) and scores a key once; the plain way here
scores every candidate for every learner and role with a gap. On random
academies (learners with random roles, cities, time zones, evidence, seats in
cohorts, and random moments) both must give the same recommendations, field
by field.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from skills_helpers import SKILLS, academy_of
from trainkit.model import Academy, Evidence
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import PROGRAM, Holdings, gather
from trainkit.outcomes.skills.gaps import Gaps, Standing
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recommend import (
    TOP,
    Base,
    Recommendation,
    _closes,
    _score,
    _shortlist,
    candidates,
    peers,
    recommend,
)

BASE = academy_of(SKILLS)
MOMENTS = [datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 4, 10, tzinfo=UTC),
           datetime(2026, 6, 1, tzinfo=UTC)]
LEVELS = {"lifting": ("", "awareness", "practitioner"), "driving": ("", "supervised", "operator"),
          "first-aid": ("",)}


def _random_academy(rng: random.Random) -> Academy:
    learners = dict(BASE.learners)
    template = BASE.learners["l-01"]
    for i in range(rng.randint(5, 80)):
        lid = f"x-{i:02d}"
        learners[lid] = dataclasses.replace(
            template, id=lid, roles=tuple(rng.sample(["operative", "lead"], rng.randint(0, 2))),
            city=rng.choice([None, None, "Leeds", "LEEDS", "York"]),
            timezone=rng.choice([None, "Europe/London", "Asia/Tokyo"]))
    people = sorted(learners)
    rows = list(BASE.evidence)
    for n in range(rng.randint(0, 120)):
        comp = rng.choice(sorted(LEVELS))
        on = date(2026, 3, 1) + timedelta(days=rng.randint(-700, 120))
        ends = on + timedelta(days=rng.randint(1, 700)) if rng.random() < 0.5 else None
        rows.append(Evidence(rng.choice(people), comp, rng.choice(LEVELS[comp]), on, ends,
                             "s", "", "", "e.csv", n + 2))
    cohorts = {}
    for cid, cohort in BASE.cohorts.items():
        extra = [dataclasses.replace(cohort.enrollments[0], learner=lid,
                                     status=rng.choice(["enrolled", "enrolled", "withdrawn"]))
                 for lid in rng.sample(people, rng.randint(0, 4))]
        cohorts[cid] = dataclasses.replace(cohort, enrollments=(*cohort.enrollments, *extra),
                                           capacity=cohort.capacity + rng.randint(0, 6))
    programs, courses = dict(BASE.programs), dict(BASE.courses)
    if rng.random() < 0.5:  # only a seat in an earlier driving cohort meets its prerequisite
        drv, lift = programs["driving"], courses["lifting"]
        programs["driving"] = dataclasses.replace(drv, awards=(
            *drv.awards, dataclasses.replace(drv.awards[0], id="lifting", level="awareness")))
        courses["lifting"] = dataclasses.replace(lift, awards=(), quizzes=tuple(
            dataclasses.replace(q, awards=()) for q in lift.quizzes))
    return dataclasses.replace(BASE, learners=learners, evidence=tuple(rows), cohorts=cohorts,
                               programs=programs, courses=courses)


def _plain(a: Academy, holdings: Holdings, rows: list[Standing], as_of: datetime,
           top: int = TOP) -> list[Recommendation]:
    """Every candidate scored for every learner and role with a gap, one by one."""
    facts = PrerequisiteFacts(a, as_of)
    done, pairs = peers(holdings)
    for c in a.cohorts.values():
        if c.status != "cancelled" and c.end is not None and c.end > as_of:
            for e in c.active_enrollments():
                done.setdefault(e.learner, set()).add(f"{PROGRAM}:{c.program}")
    by_role: dict[tuple[str, str], list[Standing]] = defaultdict(list)
    for s in rows:
        by_role[(s.learner, s.role)].append(s)
    out: list[Recommendation] = []
    for (lid, rid), items in sorted(by_role.items()):
        gaps = [s for s in items if s.gap]
        total = sum(s.weight for s in items) or 1.0
        ranked = [r for c in candidates(a, as_of) if gaps and (found := _closes(a, c, gaps))
                  and (r := _score(a, facts, c, lid, rid, [gaps[i] for i in found], total,
                                   done, pairs)) is not None]
        ranked.sort(key=lambda r: (-r.score, r.item))
        out += [r._replace(rank=i + 1) for i, r in enumerate(ranked[:top])]
    return out


@pytest.mark.parametrize("seed", range(24))
def test_grouped_recommendations_equal_the_plain_ones(seed: int) -> None:
    rng = random.Random(seed)
    a = _random_academy(rng)
    as_of = rng.choice(MOMENTS)
    held = gather(a, evaluate(a, as_of), as_of)
    rows = Gaps(a, held, as_of.date()).rows()
    top = rng.choice([1, 2, TOP])  # few offerings here: a short list makes the pruning work
    expected = _plain(a, held, rows, as_of, top)
    assert recommend(a, held, rows, as_of, top) == expected


def test_alike_learners_share_a_list_and_differ_where_their_place_does() -> None:
    learners = dict(BASE.learners)
    for lid, city in (("y-1", "Leeds"), ("y-2", "Leeds"), ("y-3", None)):
        learners[lid] = dataclasses.replace(BASE.learners["l-02"], id=lid, city=city)
    a = dataclasses.replace(BASE, learners=learners, evidence=(), quiz_results=(),
                            attendance=())
    as_of = MOMENTS[1]
    held = gather(a, evaluate(a, as_of), as_of)
    found = {r.learner: r for r in recommend(a, held, Gaps(a, held, as_of.date()).rows(), as_of)
             if r.rank == 1}
    assert found["y-1"]._replace(learner="") == found["y-2"]._replace(learner="")
    assert found["y-1"].score == round(found["y-3"].score + 0.1, 4)
    assert "Leeds, your city" in found["y-1"].reason and "your city" not in found["y-3"].reason


def test_the_shortlist_keeps_every_candidate_peers_could_lift_into_the_top() -> None:
    cand = candidates(BASE, MOMENTS[0])[0]
    bases = [Base(score, f"course:{i}", cand._replace(item=str(i)), [0])
             for i, score in enumerate([0.6, 0.55, 0.5, 0.45, 0.4])]
    items = lambda found: [b.candidate.item for b in found]  # noqa: E731
    # the best without peers is 0.6: 0.5 + 0.1 (all peers) could still tie it, 0.45 cannot
    assert items(_shortlist(bases, set(), 1)) == ["0", "1", "2"]
    # what was completed is left out, and the bound is taken from the next one
    assert items(_shortlist(bases, {"course:0"}, 1)) == ["1", "2", "3"]
    assert items(_shortlist(bases, set(), 2)) == ["0", "1", "2", "3"]
    assert items(_shortlist(bases, set(), 5)) == ["0", "1", "2", "3", "4"]


def test_learners_seated_in_different_earlier_cohorts_are_told_which() -> None:
    # driving2 needs lifting: awareness, which only completing driving gives; y-1 and y-2
    # hold seats in two different driving cohorts that end before driving2 starts: the
    # same history (driving under way), told apart by their seats
    drv, lift = BASE.programs["driving"], BASE.courses["lifting"]
    lifting = dataclasses.replace(drv.awards[0], id="lifting", level="awareness")
    programs = {"driving": dataclasses.replace(drv, awards=(*drv.awards, lifting)),
                "driving2": dataclasses.replace(drv, id="driving2")}
    courses = {"lifting": dataclasses.replace(lift, awards=(), quizzes=tuple(
        dataclasses.replace(q, awards=()) for q in lift.quizzes))}
    mar, sep = BASE.cohorts["drv-mar"], BASE.cohorts["drv-sep"]
    seat = mar.enrollments[0]
    cohorts = {"drv-mar": dataclasses.replace(mar, enrollments=(
                   dataclasses.replace(seat, learner="y-1"),)),
               "drv-mar2": dataclasses.replace(mar, id="drv-mar2", enrollments=(
                   dataclasses.replace(seat, learner="y-2"),)),
               "d2-sep": dataclasses.replace(sep, id="d2-sep", program="driving2",
                                             enrollments=())}
    learners = {lid: dataclasses.replace(BASE.learners["l-02"], id=lid) for lid in ("y-1", "y-2")}
    a = dataclasses.replace(BASE, learners=learners, programs=programs, courses=courses,
                            cohorts=cohorts, evidence=(), quiz_results=(), attendance=())
    as_of = MOMENTS[0]
    held = gather(a, evaluate(a, as_of), as_of)
    rows = Gaps(a, held, as_of.date()).rows()
    found = recommend(a, held, rows, as_of)
    assert found == _plain(a, held, rows, as_of)
    reasons = {r.learner: r.reason for r in found if r.item == "d2-sep"}
    assert "enrolled in cohort 'drv-mar', which ends before" in reasons["y-1"]
    # y-2 is told of the first cohort that ends in time: drv-mar, with seats left
    assert "complete 'driving': cohort 'drv-mar' ends before and has 3 seat(s) left" \
        in reasons["y-2"]
