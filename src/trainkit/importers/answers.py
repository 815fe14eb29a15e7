"""Per-question answers from the same quiz export as the results (``--answers``).

Each question of the quiz is found in the export's columns:

* Google Forms heads a question's column with its title: it must be the
  question's ``prompt`` (compared without case and surrounding spaces). A
  ``<title> [Score]`` column (``1 / 1``), when the export has one, gives the
  points; otherwise the answer is marked against the quiz's own key.
* Moodle numbers them in the quiz's order: ``Q. 3 /1.00`` (the Grades
  report) gives the marks, rescaled to the question's ``points``;
  ``Response 3`` (the Responses report) the answer, marked against the key.

Marking against the key: a single choice scores when its text is the
correct choice's; a multiple choice when exactly the correct choices are
checked (all or nothing, as Google Forms marks checkboxes); true-false
accepts ``true``/``false`` (and ``yes``/``no``); a number within the
question's tolerance; a text one of the accepted answers, case aside. An
empty answer scores 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from trainkit.importers.common import ImportProblem, Submission
from trainkit.importers.identity import Matcher
from trainkit.importers.quizzes import number
from trainkit.model import ANSWER_COLUMNS, Question, Quiz

COLUMNS = ANSWER_COLUMNS
_FRACTION = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*")
_MARKS = re.compile(r"Q\. ?(\d+) ?/\s*(\d+(?:[.,]\d+)?)", re.I)
_RESPONSE = re.compile(r"Response (\d+)", re.I)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def mark(question: Question, given: str) -> float:
    """The points ``given`` scores on ``question``, by the quiz's key."""
    text = _plain(given)
    if not text or text == "-":
        return 0.0
    right = False
    if question.type == "single":
        right = any(c.correct and _plain(c.text) == text for c in question.choices)
    elif question.type == "multiple":
        chosen = {c.text for c in question.choices if _checked(c.text, text)}
        right = chosen == {c.text for c in question.choices if c.correct}
    elif question.type == "true-false":
        said = {"true": True, "yes": True, "false": False, "no": False}.get(text)
        right = said is not None and said == question.answer_bool
    elif question.type == "numeric":
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            value = None
        right = (value is not None and question.answer_number is not None
                 and abs(value - question.answer_number) <= question.tolerance + 1e-9)
    elif question.type == "text":
        right = text in {_plain(a) for a in question.answers_text}
    return question.points if right else 0.0


def _checked(choice: str, text: str) -> bool:
    """Whether a checkbox answer (``A, B`` or ``A; B``) holds this choice."""
    pattern = r"(?:^|[;,]\s*)" + re.escape(_plain(choice)) + r"\s*(?:$|[;,])"
    return re.search(pattern, text) is not None


def _scale(cell: str, out_of: float, points: float) -> float | None:
    """A mark on the export's scale as points of the question; None for no mark."""
    value = cell.strip().replace(",", ".")
    fraction = _FRACTION.fullmatch(value)
    if fraction:
        got, out_of = float(fraction.group(1).replace(",", ".")), float(
            fraction.group(2).replace(",", "."))
    elif re.fullmatch(r"\d+(?:\.\d+)?", value):
        got = float(value)
    else:
        return None
    return got * points / out_of if out_of else 0.0


def locate(quiz: Quiz, headers: Sequence[str], path: str) -> dict[str, list[tuple[int, str]]]:
    """Question id -> (column index, kind) with kind ``answer``, ``score`` or ``marks:<max>``."""
    by_prompt = {_plain(q.prompt): q.id for q in quiz.questions}
    found: dict[str, list[tuple[int, str]]] = {}
    for j, header in enumerate(headers):
        h = header.strip()
        kind, ident = "answer", by_prompt.get(_plain(h))
        if ident is None and h.endswith("[Score]"):
            kind, ident = "score", by_prompt.get(_plain(h[:-7]))
        if ident is None and (m := _MARKS.match(h) or _RESPONSE.fullmatch(h)):
            slot = int(m.group(1))
            if 1 <= slot <= len(quiz.questions):
                ident = quiz.questions[slot - 1].id
                kind = f"marks:{m.group(2)}" if m.re is _MARKS else "answer"
        if ident is not None:
            found.setdefault(ident, []).append((j, kind))
    if not found:
        raise ImportProblem(path, 1, f"no column of the export is a question of {quiz.id}; "
                            "Google Forms columns are headed by the questions' titles, which "
                            "must be the quiz's prompts; Moodle's are 'Q. 1 /1.00' (Grades "
                            "report) or 'Response 1' (Responses report)")
    return found


def _rows_of(quiz: Quiz, s: Submission, where: dict[str, list[tuple[int, str]]],
             learner: str, attempt: int) -> Iterable[dict[str, str]]:
    cells = [c for _, c in s.cells]
    for q in (q for q in quiz.questions if q.id in where):
        given, score = "", None
        for j, kind in where.get(q.id, []):
            if kind == "answer":
                given = cells[j]
            elif kind == "score" or kind.startswith("marks:"):
                out_of = float(kind[6:].replace(",", ".")) if kind != "score" else q.points
                score = _scale(cells[j], out_of, q.points)
        if score is None:
            score = mark(q, given)
        yield {"learner": learner, "quiz": quiz.id, "attempt": str(attempt),
               "question": q.id, "score": number(min(score, q.points)),
               "answer": "" if given.strip() == "-" else given.strip()}


def build(quiz: Quiz, submissions: list[Submission], matcher: Matcher,
          results: list[dict[str, str]], path: str) -> tuple[list[dict[str, str]], list[str]]:
    """Answer rows for the attempts ``results`` holds (the rows the same import writes),
    and the questions no column of the export holds.

    An attempt is found by its learner and submission time, so its answers get
    the same attempt number as its result.
    """
    graded = [s for s in submissions if s.graded]
    if not graded:
        return [], []
    where = locate(quiz, [h for h, _ in graded[0].cells], path)
    by_time = {(matcher.match(s.name, s.email), s.submitted_at.isoformat(timespec="seconds")): s
               for s in graded}
    out: list[dict[str, str]] = []
    for r in results:
        s = by_time.get((r["learner"], r["submitted_at"]))
        if s is not None:
            out += _rows_of(quiz, s, where, r["learner"], int(r["attempt"]))
    return out, [q.id for q in quiz.questions if q.id not in where]
