"""Item analysis and gain, each figure computed a second way.

The implementation computes discrimination as Pearson's r on NumPy arrays
(a learners x questions matrix, deviations from the means). Here it is
recomputed with the textbook point-biserial formula for right/wrong items,
``r_pb = (M1 - M0) / s * sqrt(p * q)`` (means of the rest score of those
right and wrong, the population standard deviation of the rest score) in
plain Python, and with NumPy's ``corrcoef`` for items with partial credit.
Difficulty is recomputed as the plain proportion of learners with full points.
"""

from __future__ import annotations

import random
from math import sqrt

import numpy
import pytest

from trainkit.model import Answer, Loc, Question, Quiz, Records
from trainkit.outcomes.effectiveness import CohortGain, Gain, hake
from trainkit.outcomes.items import analyse, analyse_all, correlation, first_attempts, flags


def _question(ident: str, points: float = 1.0) -> Question:
    return Question(ident, "true-false", f"Prompt {ident}", (), True, None, 0.0, (), "", points,
                    Loc("q.yaml", 1, 1))


def _quiz(points: list[float]) -> Quiz:
    questions = tuple(_question(f"q{i + 1}", p) for i, p in enumerate(points))
    return Quiz("c/final", "c", "final", "Final", "graded", 70.0, None, None, questions,
                Loc("q.yaml", 1, 1))


def _answers(marks: dict[str, dict[str, float]], quiz: str = "c/final",
             attempt: int = 1) -> list[Answer]:
    return [Answer(learner, quiz, attempt, q, score, "", "a.csv", i + 2)
            for i, (learner, sheet) in enumerate(sorted(marks.items()))
            for q, score in sorted(sheet.items())]


def _random_marks(seed: int, learners: int, items: int) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    out = {}
    for n in range(learners):
        ability = rng.random()
        out[f"l-{n:03d}"] = {f"q{i + 1}": float(rng.random() < 0.25 + 0.6 * ability
                                                  - 0.05 * i)
                             for i in range(items)}
    return out


def _textbook_point_biserial(item: list[float], rest: list[float]) -> float:
    n = len(item)
    right = [r for x, r in zip(item, rest, strict=True) if x == 1.0]
    wrong = [r for x, r in zip(item, rest, strict=True) if x == 0.0]
    p = len(right) / n
    mean = sum(rest) / n
    s = sqrt(sum((r - mean) ** 2 for r in rest) / n)
    return (sum(right) / len(right) - sum(wrong) / len(wrong)) / s * sqrt(p * (1 - p))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_right_wrong_items_match_the_textbook_formulas(seed: int) -> None:
    marks = _random_marks(seed, learners=40, items=8)
    quiz = _quiz([1.0] * 8)
    got = analyse(quiz, marks)
    assert got.learners == 40
    for stats in got.items:
        item = [marks[k][stats.question] for k in sorted(marks)]
        rest = [sum(marks[k].values()) - marks[k][stats.question] for k in sorted(marks)]
        assert stats.difficulty == pytest.approx(item.count(1.0) / len(item))
        if 0 < item.count(1.0) < len(item):
            assert stats.discrimination == pytest.approx(_textbook_point_biserial(item, rest))


def test_partial_credit_matches_numpy() -> None:
    rng = random.Random(7)
    quiz = _quiz([2.0, 1.0, 3.0])
    marks = {f"l-{n}": {"q1": float(rng.choice([0, 1, 2])), "q2": float(rng.choice([0, 1])),
                        "q3": float(rng.choice([0, 1, 2, 3]))} for n in range(25)}
    got = {s.question: s for s in analyse(quiz, marks).items}
    for q, points in (("q1", 2.0), ("q2", 1.0), ("q3", 3.0)):
        share = [marks[k][q] / points for k in sorted(marks)]
        rest = [sum(marks[k].values()) - marks[k][q] for k in sorted(marks)]
        assert got[q].difficulty == pytest.approx(numpy.mean(share))
        assert got[q].discrimination == pytest.approx(numpy.corrcoef(share, rest)[0, 1])


def test_first_attempt_only_and_missing_rows_count_as_zero() -> None:
    quiz = _quiz([1.0, 1.0])
    rows = _answers({"l-1": {"q1": 0.0, "q2": 0.0}}, attempt=1)
    rows += _answers({"l-1": {"q1": 1.0, "q2": 1.0}}, attempt=2)
    rows += _answers({"l-2": {"q1": 1.0}})  # q2 not answered
    sheets = first_attempts(rows)
    assert sheets == {"c/final": {"l-1": {"q1": 0.0, "q2": 0.0}, "l-2": {"q1": 1.0}}}
    got = analyse(quiz, sheets["c/final"])
    assert [s.difficulty for s in got.items] == [0.5, 0.0]
    # the same from a column table, as the academy holds it
    table = Records.of(Answer, rows)
    assert analyse_all({"c/final": quiz}, table) == analyse_all({"c/final": quiz}, rows)
    assert analyse_all({"c/final": quiz}, rows, learners={"l-2"})["c/final"].learners == 1


def test_flags_in_words() -> None:
    marks = {f"l-{n}": {"q1": 1.0, "q2": 0.0, "q3": float(n < 3), "q4": float(n % 2)}
             for n in range(8)}
    # q3: the three who got it right did worst on the rest; q4 unrelated to ability
    for n in range(3):
        marks[f"l-{n}"]["q4"] = 0.0
    marks["l-7"]["q4"] = 1.0
    got = {s.question: s.flags for s in analyse(_quiz([1.0] * 4), marks).items}
    assert got["q1"] == ("question q1: everyone answered correctly — it does not discriminate",)
    assert got["q2"][0].startswith("question q2: nobody answered correctly")
    assert got["q3"][0].startswith("question q3: learners who did well on the rest of the quiz "
                                   "got it wrong more often than the others (discrimination -")
    assert flags("q9", 4, 0.5, -0.6) == ()  # too few learners to say
    assert flags("q9", 30, 0.5, 0.1) == (
        "question q9: it barely separates strong from weak learners (discrimination 0.10)",)
    assert flags("q9", 30, 0.5, 0.45) == ()


def test_correlation_is_undefined_without_variation() -> None:
    def r(xs: list[float], ys: list[float]) -> float | None:
        return correlation(numpy.array(xs), numpy.array(ys))
    assert r([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) is None
    assert r([1.0], [2.0]) is None
    assert r([0.0, 1.0], [1.0, 3.0]) == pytest.approx(1.0)
    assert r([0.0, 1.0, 1.0], [3.0, 1.0, 1.0]) == pytest.approx(-1.0)


def test_gain_raw_and_normalised() -> None:
    g = Gain("l-1", pre=40.0, post=85.0)
    assert g.raw == 45.0
    assert g.normalised == pytest.approx(45.0 / 60.0)
    assert Gain("l-2", 100.0, 90.0).normalised is None
    assert hake(80.0, 70.0) == pytest.approx(-0.5)
    cohort = CohortGain("c", "x/pre", "x/post", (g, Gain("l-2", 100.0, 90.0),
                                                 Gain("l-3", 10.0, 50.0)))
    assert cohort.mean_pre == pytest.approx(50.0)
    assert cohort.mean_post == pytest.approx(75.0)
    assert cohort.mean_raw == pytest.approx(25.0)
    # Hake's g of the means, not the mean of each learner's g
    assert cohort.normalised == pytest.approx(25.0 / 50.0)
    assert CohortGain("c", "a", "b", ()).normalised is None
