"""answer-*: per-question answer rows that cannot be right.

``records/answers/*.csv`` holds what each learner scored on each question of
a quiz attempt (see records.md). Each problem points at the row and the
column of the CSV file:

* ``answer-reference`` (error): a learner who is not in the learner
  directory, a quiz that is not defined, or a question id that the quiz does
  not have. Use the question ids of the quiz file (``id:`` of each question).
* ``answer-duplicate`` (error): the same learner, quiz, attempt and question
  twice; keep one row.
* ``answer-score`` (error): more points than the question is worth.
* ``answer-total-mismatch`` (warning): the points of an attempt's answers do
  not add up to the score in ``records/quiz-results/`` for the same learner,
  quiz and attempt (one of the two files was edited or imported from another
  export). Only attempts with a row for every question of the quiz are
  compared, so answers recorded for part of a quiz are fine.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress

from trainkit.diagnostics import Diagnostic
from trainkit.model import ANSWER_COLUMNS, Academy, Answer, Loc, Quiz
from trainkit.rules._util import err, warn

CODES = {
    "answer-reference": "error",
    "answer-duplicate": "error",
    "answer-score": "error",
    "answer-total-mismatch": "warning",
}
_TOLERANCE = 0.011  # scores are written with two decimals at most


def _at(row: Answer, column: str) -> Loc:
    return Loc(row.path, row.line, ANSWER_COLUMNS.index(column) + 1)


def check(academy: Academy) -> Iterator[Diagnostic]:
    if not academy.answers:
        return
    quizzes = academy.quizzes()
    yield from _references(academy, quizzes)
    yield from _rows(academy, quizzes)


def _references(a: Academy, quizzes: dict[str, Quiz]) -> Iterator[Diagnostic]:
    """Unknown learners and quizzes, found per distinct value (files are large)."""
    learners = [r.learner for r in a.answers]
    unknown = {v for v in set(learners) if v not in a.learners
               and f"learner:{v}" not in a.unusable and "learner:*" not in a.unusable}
    quiz_cells = [r.quiz for r in a.answers]
    missing = {v for v in set(quiz_cells) if v not in quizzes and f"quiz:{v}" not in a.unusable}
    for r in compress(a.answers, (v in unknown for v in learners)):
        yield err(_at(r, "learner"), "answer-reference",
                  f"learner {r.learner!r} is not defined; add them to people/learners/ or "
                  "correct the id")
    for r in compress(a.answers, (v in missing for v in quiz_cells)):
        yield err(_at(r, "quiz"), "answer-reference", _unknown_quiz(a, r.quiz))


def _unknown_quiz(a: Academy, quiz: str) -> str:
    course = a.courses.get(quiz.partition("/")[0])
    if course is None:
        return f"quiz {quiz!r} is not defined: there is no course {quiz.partition('/')[0]!r}"
    return (f"quiz {quiz!r} is not defined; the quizzes of course {course.id!r} are: "
            + ", ".join(sorted(q.id for q in course.quizzes)))


def _rows(a: Academy, quizzes: dict[str, Quiz]) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str, int, str], Answer] = {}
    totals: dict[tuple[str, str, int], list[Answer]] = {}
    for r in a.answers:
        quiz = quizzes.get(r.quiz)
        if quiz is None:
            continue
        question = quiz.question(r.question)
        if question is None:
            ids = ", ".join(q.id for q in quiz.questions)
            yield err(_at(r, "question"), "answer-reference",
                      f"quiz {r.quiz!r} has no question {r.question!r}; its questions are: "
                      f"{ids}")
            continue
        key = (r.learner, r.quiz, r.attempt, r.question)
        first = seen.setdefault(key, r)
        if first is not r:
            yield err(_at(r, "question"), "answer-duplicate",
                      f"learner {r.learner!r} already has an answer to {r.question!r} of "
                      f"{r.quiz!r} attempt {r.attempt} at {first.path}:{first.line}; keep one")
            continue
        if r.score > question.points + 1e-9:
            yield err(_at(r, "score"), "answer-score",
                      f"score {r.score:g} is more than question {r.question!r} is worth "
                      f"({question.points:g} point(s))")
        totals.setdefault((r.learner, r.quiz, r.attempt), []).append(r)
    yield from _mismatches(a, quizzes, totals)


def _mismatches(a: Academy, quizzes: dict[str, Quiz],
                totals: dict[tuple[str, str, int], list[Answer]]) -> Iterator[Diagnostic]:
    for result in a.quiz_results:
        rows = totals.get((result.learner, result.quiz, result.attempt))
        quiz = quizzes.get(result.quiz)
        if not rows or quiz is None or len(rows) != len(quiz.questions):
            continue
        points = sum(r.score for r in rows)
        # The result may be on another scale (max differs from the quiz's points).
        expected = result.score * quiz.max_score / result.maximum if result.maximum else 0.0
        if abs(points - expected) > _TOLERANCE:
            first = min(rows, key=lambda r: (r.path, r.line))
            yield warn(_at(first, "score"), "answer-total-mismatch",
                       f"the answers of {result.learner!r} to {result.quiz!r} attempt "
                       f"{result.attempt} add up to {points:g} point(s), but "
                       f"{result.path}:{result.line} records {result.score:g} of "
                       f"{result.maximum:g}; correct one of the two files")
