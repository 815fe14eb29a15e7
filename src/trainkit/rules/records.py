"""record-*: attendance and quiz-result rows that cannot be right.

Each problem points at the row (and the column) of the CSV file:

* ``record-not-enrolled`` (error): attendance for a learner who is not
  enrolled in the session's cohort. A learner enrolled in another cohort of
  the same program, whose program allows make-ups, may attend (a make-up).
  A learner who withdrew or is on the waiting list is a warning.
* ``record-duplicate`` (error): the same learner and session twice, or the
  same learner, quiz and attempt twice.
* ``score-above-max`` (error): a score higher than the row's maximum.
* ``quiz-max-mismatch`` (warning): a maximum that differs from the quiz's
  total points (the quiz changed, or the export used another scale).
* ``too-many-attempts`` (warning): an attempt number above the quiz's
  ``attempts``.
* ``record-in-future`` (warning): attendance for a session that has not
  started yet, or a result submitted later than now.

What "now" is: ``trainkit check`` runs before a commit as often as in CI, so
it uses the current time (UTC), or ``SOURCE_DATE_EPOCH`` when that is set
(which also makes the check reproducible). The build's completion reports
use the build epoch instead. Unknown learners, sessions and quizzes are
reported by the ``references`` rule, not here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Loc
from trainkit.rules._util import err, warn

CODES = {
    "record-not-enrolled": "error",
    "record-duplicate": "error",
    "score-above-max": "error",
    "quiz-max-mismatch": "warning",
    "too-many-attempts": "warning",
    "record-in-future": "warning",
}


def now() -> datetime:
    """The check's "now": ``SOURCE_DATE_EPOCH`` when set, else the current time."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return datetime.fromtimestamp(int(env), tz=UTC)
    return datetime.now(UTC)


def check(academy: Academy, at: datetime | None = None) -> Iterator[Diagnostic]:
    moment = at if at is not None else now()
    yield from _attendance(academy, moment)
    yield from _results(academy, moment)


def _col(where: Loc, col: int) -> Loc:
    return Loc(where.path, where.line, col)


def _attendance(a: Academy, moment: datetime) -> Iterator[Diagnostic]:
    enrolled: dict[tuple[str, str], str] = {}
    by_program: dict[tuple[str, str], str] = {}
    for c in a.cohorts.values():
        for e in c.enrollments:
            enrolled[(c.id, e.learner)] = e.status
            if e.status == "enrolled":
                by_program.setdefault((c.program, e.learner), c.id)
    seen: dict[tuple[str, str], Loc] = {}
    for r in a.attendance:
        key = (r.session, r.learner)
        if key in seen:
            first = seen[key]
            yield err(r.loc, "record-duplicate",
                      f"learner {r.learner!r} already has a row for {r.session!r} at "
                      f"{first.path}:{first.line}; keep one")
        else:
            seen[key] = r.loc
        session = a.session(r.session)
        if session is None or r.learner not in a.learners:
            continue  # the references rule reports these
        yield from _enrollment(a, r.learner, session.cohort, session.program, enrolled,
                               by_program, r.loc)
        if session.start > moment and r.status != "absent":
            yield warn(_col(r.loc, 3), "record-in-future",
                       f"session {r.session!r} starts {session.start:%Y-%m-%d %H:%M} "
                       f"{session.timezone}, after now; is the session id right?")


def _enrollment(a: Academy, learner: str, cohort: str, program: str,
                enrolled: dict[tuple[str, str], str], by_program: dict[tuple[str, str], str],
                where: Loc) -> Iterator[Diagnostic]:
    status = enrolled.get((cohort, learner))
    if status == "enrolled":
        return
    if status is not None:
        yield warn(_col(where, 2), "record-not-enrolled",
                   f"learner {learner!r} is {status} in cohort {cohort!r}, not enrolled")
        return
    home = by_program.get((program, learner))
    prog = a.programs.get(program)
    if home is not None and prog is not None and prog.completion.makeups:
        return  # a make-up session for a learner of another cohort of the program
    hint = (f"; they are enrolled in {home!r} but program {program!r} does not allow make-ups"
            if home else f"; add them to programs/{program}/cohorts/{cohort}.yaml")
    yield err(_col(where, 2), "record-not-enrolled",
              f"learner {learner!r} is not enrolled in cohort {cohort!r}{hint}")


def _results(a: Academy, moment: datetime) -> Iterator[Diagnostic]:
    quizzes = a.quizzes()
    seen: dict[tuple[str, str, int], Loc] = {}
    for r in a.quiz_results:
        key = (r.learner, r.quiz, r.attempt)
        if key in seen:
            first = seen[key]
            yield err(_col(r.loc, 6), "record-duplicate",
                      f"attempt {r.attempt} of {r.quiz!r} by {r.learner!r} is already at "
                      f"{first.path}:{first.line}; number attempts 1, 2, …")
        else:
            seen[key] = r.loc
        if r.score > r.maximum:
            yield err(_col(r.loc, 3), "score-above-max",
                      f"score {r.score:g} is above the maximum {r.maximum:g}")
        if r.submitted_at > moment:
            yield warn(_col(r.loc, 5), "record-in-future",
                       f"submitted_at {r.submitted_at.isoformat()} is later than now")
        quiz = quizzes.get(r.quiz)
        if quiz is None:
            continue
        if abs(r.maximum - quiz.max_score) > 1e-9:
            yield warn(_col(r.loc, 4), "quiz-max-mismatch",
                       f"max {r.maximum:g} differs from quiz {r.quiz!r}'s total points "
                       f"{quiz.max_score:g}; percentages use the row's max")
        if quiz.attempts is not None and r.attempt > quiz.attempts:
            yield warn(_col(r.loc, 6), "too-many-attempts",
                       f"attempt {r.attempt} but quiz {r.quiz!r} allows {quiz.attempts}")
