"""Item analysis: how hard each question of a quiz is and how well it separates learners.

Read from ``records/answers/`` (the points each learner scored on each
question), over each learner's **first** attempt at the quiz: later attempts
come after feedback, and would make every question look easier than it was.
A question without a row in an attempt that has rows counts as 0 points
(not answered).

* **Difficulty** is the mean share of the question's points learners scored:
  for a question scored right (full points) or wrong (0) it is the proportion
  who answered correctly. 1.0 means everyone, 0.0 nobody.
* **Discrimination** is the corrected point-biserial correlation: Pearson's r
  between the item score (its share of points) and the learner's score on the
  *rest* of the quiz. It uses every learner, not only the top and bottom 27%
  (an upper-lower index throws away half of a small cohort, and is coarse:
  with 8 learners it moves in steps of 0.5), and leaving the question out of
  the total stops a short quiz from correlating the question with itself.
  It runs from -1 to 1; 0.2 or more is usually taken as useful, below 0 means
  learners who did well on the rest got this question wrong more often.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import sqrt

import numpy

from trainkit.model import Answer, Quiz

MIN_LEARNERS = 5  # below this, discrimination is shown but not flagged
WEAK = 0.2  # discrimination below this separates strong and weak learners barely


@dataclass(frozen=True, slots=True)
class ItemStats:
    question: str  # the question's id
    prompt: str
    points: float
    learners: int  # learners whose first attempt is counted
    difficulty: float | None  # 0..1: mean share of points (proportion correct)
    discrimination: float | None  # -1..1; None when item or rest scores do not vary
    flags: tuple[str, ...]  # in words, for people


@dataclass(frozen=True, slots=True)
class QuizItems:
    quiz: str
    learners: int
    items: tuple[ItemStats, ...]


Sheets = dict[str, dict[str, dict[str, float]]]  # quiz -> learner -> question -> points


def first_attempts(answers: Sequence[Answer], learners: Container[str] | None = None) -> Sheets:
    """Each learner's points per question on their first attempt at each quiz.

    Reads columns when the rows are a :class:`~trainkit.model.Records` table (one
    pass over four of its columns, without making a tuple per row).
    """
    column = getattr(answers, "column", None)
    if column is not None:
        cells: Iterable[tuple[tuple[str, str], int, str, float]] = zip(
            zip(column("quiz"), column("learner"), strict=True), column("attempt"),
            column("question"),
            column("score"), strict=True)
    else:
        cells = (((r.quiz, r.learner), r.attempt, r.question, r.score) for r in answers)
    first: dict[tuple[str, str], tuple[int, dict[str, float]]] = {}
    for key, attempt, question, score in cells:
        found = first.get(key)
        if found is None or attempt < found[0]:
            first[key] = (attempt, {question: score})
        elif attempt == found[0]:
            found[1][question] = score
    out: Sheets = {}
    for (quiz, learner), (_, marks) in first.items():
        if learners is None or learner in learners:
            out.setdefault(quiz, {})[learner] = marks
    return out


def analyse(quiz: Quiz, sheets: Mapping[str, Mapping[str, float]]) -> QuizItems:
    """Difficulty, discrimination and flags for every question of ``quiz``.

    The points are laid out as a learners x questions matrix, so that each
    question's figures are a few array operations, not a loop over learners.
    """
    ids = [q.id for q in quiz.questions]
    marks = [sheets[learner] for learner in sorted(sheets)]
    scores = numpy.array([[m.get(i, 0.0) for i in ids] for m in marks],
                         dtype=float).reshape(len(marks), len(ids))
    points = numpy.array([q.points for q in quiz.questions], dtype=float)
    shares = numpy.divide(scores, points, out=numpy.zeros_like(scores), where=points > 0)
    rest = scores.sum(axis=1, keepdims=True) - scores
    items = []
    for j, q in enumerate(quiz.questions):
        difficulty = float(shares[:, j].mean()) if len(marks) else None
        r = correlation(shares[:, j], rest[:, j])
        items.append(ItemStats(q.id, q.prompt, q.points, len(marks), difficulty, r,
                               flags(q.id, len(marks), difficulty, r)))
    return QuizItems(quiz.id, len(marks), tuple(items))


def analyse_all(quizzes: Mapping[str, Quiz], answers: Sequence[Answer],
                learners: Container[str] | None = None) -> dict[str, QuizItems]:
    """Item analysis of every quiz that has answers (of ``learners``, if given)."""
    sheets = first_attempts(answers, learners)
    return {qid: analyse(quizzes[qid], sheets[qid]) for qid in sorted(sheets) if qid in quizzes}


def correlation(xs: numpy.ndarray, ys: numpy.ndarray) -> float | None:
    """Pearson's r from deviations from the means; None when either side does not vary."""
    if len(xs) < 2:
        return None
    dx, dy = xs - xs.mean(), ys - ys.mean()
    vx, vy = float(dx @ dx), float(dy @ dy)
    if vx <= 1e-12 * len(xs) or vy <= 1e-12 * len(ys):
        return None
    return max(-1.0, min(1.0, float(dx @ dy) / sqrt(vx * vy)))


def flags(question: str, learners: int, difficulty: float | None,
          discrimination: float | None) -> tuple[str, ...]:
    """What a question's figures say, in words."""
    if difficulty is None:
        return ()
    if difficulty >= 1.0 - 1e-9:
        return (f"question {question}: everyone answered correctly — it does not "
                "discriminate",)
    if difficulty <= 1e-9:
        return (f"question {question}: nobody answered correctly — check the answer key, "
                "the wording and the teaching",)
    if discrimination is None or learners < MIN_LEARNERS:
        return ()
    if discrimination < 0:
        return (f"question {question}: learners who did well on the rest of the quiz got it "
                f"wrong more often than the others (discrimination {discrimination:.2f}) — "
                "check the answer key and the wording",)
    if discrimination < WEAK:
        return (f"question {question}: it barely separates strong from weak learners "
                f"(discrimination {discrimination:.2f})",)
    return ()
