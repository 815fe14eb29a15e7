"""Recommendations ranked over arrays (``outcomes.skills.recmatrix``) against the plain ways.

``tests/test_skills_recgroups.py`` compares the ranking ``recommend`` gives
for ``Gaps.rows()`` with scoring every candidate for every learner. Here, on
the same random academies: the lookup of peers shares pair by pair (used when
the history-by-item table would be too large to hold) gives the same lists;
the ranking from plain standings (per learner, :mod:`.recgroups`) agrees;
histories and their co-occurrence counts equal the per-learner sets of
``peers``; rounding over arrays equals ``round(x, 4)``; and the lazy rows and
recommendations count what they hold without making it.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from test_skills_recgroups import MOMENTS, _plain, _random_academy
from trainkit.model import QuizResult, Records
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills import columns, rechistory
from trainkit.outcomes.skills.evidence import PROGRAM, gather
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.rechistory import Histories
from trainkit.outcomes.skills.recmatrix import _rounded
from trainkit.outcomes.skills.recommend import TOP, peers, recommend


@pytest.mark.parametrize("seed", range(12))
def test_peers_looked_up_pair_by_pair_give_the_same_lists(seed: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(1000 + seed)
    a = _random_academy(rng)
    as_of = rng.choice(MOMENTS)
    held = gather(a, evaluate(a, as_of), as_of)
    rows = Gaps(a, held, as_of.date()).rows()
    top = rng.choice([1, 2, TOP])
    dense = list(recommend(a, held, rows, as_of, top))
    monkeypatch.setattr(rechistory, "DENSE", 0)
    sparse = recommend(a, held, rows, as_of, top)
    assert sparse == dense
    assert sparse == _plain(a, held, list(rows), as_of, top)
    assert recommend(a, held, list(rows), as_of, top) == dense  # from plain standings


@pytest.mark.parametrize("seed", range(8))
def test_histories_and_co_occurrence_equal_the_per_learner_sets(seed: int) -> None:
    rng = random.Random(2000 + seed)
    a = _random_academy(rng)
    as_of = rng.choice(MOMENTS)
    held = gather(a, evaluate(a, as_of), as_of)
    done, pairs = peers(held)
    history = Histories(a, held, as_of)
    name = {code: item for item, code in history.items.items()}
    width = history.width
    counted = {(name[int(k) // width], name[int(k) % width]): int(n)
               for k, n in zip(history.counts_key, history.counts, strict=True)}
    assert counted == dict(pairs)
    for c in a.cohorts.values():  # a seat in a cohort still to finish: under way
        if c.status != "cancelled" and c.end is not None and c.end > as_of:
            for e in c.active_enrollments():
                done.setdefault(e.learner, set()).add(f"{PROGRAM}:{c.program}")
    people = held.index.learners
    sets = [frozenset(done.get(lid, ())) for lid in people]
    codes = history.code.tolist()
    assert len(set(sets)) == len(set(codes))
    first: dict[int, frozenset[str]] = {}
    for code, items in zip(codes, sets, strict=True):
        assert first.setdefault(code, items) == items
        assert (code == 0) == (not items)
    at, items = history.members(np.array(sorted(first)))
    found: dict[int, set[str]] = {}
    for i, x in zip(at.tolist(), items.tolist(), strict=True):
        found.setdefault(sorted(first)[i], set()).add(name[x])
    assert {c: frozenset(found.get(c, ())) for c in first} == first


def test_rounding_over_arrays_equals_round() -> None:
    rng = random.Random(7)
    values = [rng.random() for _ in range(20_000)]
    values += [k / 20_000 for k in range(20_001)]  # exact and inexact halves of 1e-4
    values += [(k + 0.5) / 10_000 for k in range(10_000)]
    values += [0.1 * 0.5 + 0.2 * 0.3 + 0.1 * 0.6, 0.00005, 0.00015, 0.12345, 1.00005]
    x = np.array(values)
    parts = lambda i: (2 * values[i], 0.0, 0.0, 0.0, 0.0, 0.0)  # noqa: E731 (0.5 x 2v = v)
    assert _rounded(x, parts).tolist() == [round(v, 4) for v in values]


def test_rows_and_recommendations_count_without_being_made() -> None:
    rng = random.Random(3)
    a = _random_academy(rng)
    as_of = MOMENTS[1]
    held = gather(a, evaluate(a, as_of), as_of)
    gaps = Gaps(a, held, as_of.date())
    rows = gaps.rows()
    recs = recommend(a, held, rows, as_of)
    size, count = len(rows), len(recs)
    assert rows._made is None and getattr(recs, "_list", "") is None
    made = list(rows)
    assert size == len(made) and count == len(list(recs))
    lacking = Counter(s.learner for s in made if s.gap)
    assert gaps.counts() == (len(made), sum(lacking.values()), len(lacking))


@pytest.mark.parametrize("seed", range(4))
def test_first_quiz_passes_found_whole_or_by_a_sort_agree(seed: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3000 + seed)
    a = _random_academy(rng)
    as_of = MOMENTS[-1]
    quizzes = [q.id for c in a.courses.values() for q in c.quizzes]
    people = sorted(a.learners) + ["ghost"]
    results = [QuizResult(rng.choice(people), rng.choice(quizzes), rng.randint(0, 10), 10,
                          datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 5000)),
                          1, "q.csv", n + 2) for n in range(rng.randint(50, 400))]
    a = dataclasses.replace(a, quiz_results=Records.of(QuizResult, results))
    whole = columns.passes(a, columns.Index(a), as_of, quizzes)
    monkeypatch.setattr(columns, "DENSE_PASSES", 0)
    sorted_ = columns.passes(a, columns.Index(a), as_of, quizzes)
    assert len(whole.who) and whole.quizzes == sorted_.quizzes
    for field in ("who", "quiz", "day"):
        assert getattr(whole, field).tolist() == getattr(sorted_, field).tolist()
