"""Turn a quiz export into canonical quiz-result rows for one quiz.

Each submission is matched to a learner like attendance participants are.
A learner's submissions are numbered in time order, after the attempts already
recorded for the quiz (1, 2, … for a first import). Scores are
rescaled to the quiz's own total points when the export uses another scale
(Moodle's ``Grade/10.00``), so percentages stay the same and the
``quiz-max-mismatch`` check stays quiet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from trainkit.importers.attendance import Outcome
from trainkit.importers.common import Submission
from trainkit.importers.identity import Matcher
from trainkit.model import Quiz, QuizResult

Recorded = Mapping[str, Sequence[tuple[datetime, int]]]

COLUMNS = ("learner", "quiz", "score", "max", "submitted_at", "attempt")


def number(value: float) -> str:
    """``7``, ``7.5``, ``6.67``: at most two decimals, no exponent."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def build(quiz: Quiz, submissions: list[Submission], matcher: Matcher,
          recorded: Recorded | None = None) -> Outcome:
    """Rows for the matched submissions; ``recorded`` holds the attempts already in records.

    A learner's new attempts are numbered after the highest attempt already
    recorded for the quiz, so importing a second export adds attempts instead
    of repeating numbers; an attempt recorded already (same learner, same
    submission time) is left out and counted in a note.
    """
    out = Outcome(rows=[])
    before = recorded or {}
    mine = _matched(submissions, matcher, out)
    total = quiz.max_score
    scales = sorted({number(s.maximum) for s in submissions if s.graded and s.maximum
                     and total and abs(s.maximum - total) > 1e-9})
    if scales:
        out.notes.append(f"scores out of {', '.join(scales)} rescaled to the quiz's "
                         f"{number(total)} points")
    again = 0
    for learner in sorted(mine):
        out.matched += 1
        known = before.get(learner, ())
        seen = {at for at, _ in known}
        last = max((n for _, n in known), default=0)
        for s in sorted(mine[learner], key=lambda s: s.submitted_at):
            if s.submitted_at in seen:
                again += 1
                continue
            last += 1
            out.rows.append(_row(quiz, learner, s, last, total))
    if again:
        out.notes.append(f"left out {again} attempt(s) already in the records (same learner "
                         "and submission time)")
    return out


def _matched(submissions: list[Submission], matcher: Matcher,
             out: Outcome) -> dict[str, list[Submission]]:
    mine: dict[str, list[Submission]] = {}
    ungraded = [s for s in submissions if not s.graded]
    if ungraded:
        out.notes.append(f"skipped {len(ungraded)} attempt(s) not finished or without a grade "
                         f"(line(s) {', '.join(str(s.line) for s in ungraded)})")
    for s in (s for s in submissions if s.graded):
        learner = matcher.match(s.name, s.email)
        if learner is None:
            out.unmatched.append((s.line, s.name, s.email))
        else:
            mine.setdefault(learner, []).append(s)
    return mine


def _row(quiz: Quiz, learner: str, s: Submission, attempt: int, total: float) -> dict[str, str]:
    score, maximum = s.score, s.maximum
    if total and maximum and abs(maximum - total) > 1e-9:
        score, maximum = score * total / maximum, total
    return {
        "learner": learner, "quiz": quiz.id, "score": number(score),
        "max": number(maximum), "attempt": str(attempt),
        "submitted_at": s.submitted_at.isoformat(timespec="seconds"),
    }


def recorded_attempts(results: Iterable[QuizResult], quiz: str,
                      leave_out: str = "") -> Recorded:
    """Learner -> (submission time, attempt) of every recorded result of ``quiz``.

    ``leave_out`` is the file the import is about to replace: its rows do not count.
    """
    out: dict[str, list[tuple[datetime, int]]] = {}
    for r in results:
        if r.quiz == quiz and r.path != leave_out:
            out.setdefault(r.learner, []).append((r.submitted_at, r.attempt))
    return out
