"""Turn a quiz export into canonical quiz-result rows for one quiz.

Each submission is matched to a learner like attendance participants are.
A learner's submissions are numbered 1, 2, … in time order. Scores are
rescaled to the quiz's own total points when the export uses another scale
(Moodle's ``Grade/10.00``), so percentages stay the same and the
``quiz-max-mismatch`` check stays quiet.
"""

from __future__ import annotations

from trainkit.importers.attendance import Outcome
from trainkit.importers.common import Submission
from trainkit.importers.identity import Matcher
from trainkit.model import Quiz

COLUMNS = ("learner", "quiz", "score", "max", "submitted_at", "attempt")


def number(value: float) -> str:
    """``7``, ``7.5``, ``6.67``: at most two decimals, no exponent."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def build(quiz: Quiz, submissions: list[Submission], matcher: Matcher) -> Outcome:
    out = Outcome(rows=[])
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
    total = quiz.max_score
    scales = sorted({number(s.maximum) for s in submissions if s.graded and s.maximum
                     and total and abs(s.maximum - total) > 1e-9})
    if scales:
        out.notes.append(f"scores out of {', '.join(scales)} rescaled to the quiz's "
                         f"{number(total)} points")
    for learner in sorted(mine):
        out.matched += 1
        for attempt, s in enumerate(sorted(mine[learner], key=lambda s: s.submitted_at), 1):
            score, maximum = s.score, s.maximum
            if total and maximum and abs(maximum - total) > 1e-9:
                score, maximum = score * total / maximum, total
            out.rows.append({
                "learner": learner, "quiz": quiz.id, "score": number(score),
                "max": number(maximum), "attempt": str(attempt),
                "submitted_at": s.submitted_at.isoformat(timespec="seconds"),
            })
    return out
