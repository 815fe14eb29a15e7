"""duplicate-id: the same id declared twice.

Ids name programs, cohorts, instructors, learners, venues, courses and
competencies across the whole academy (cohort ids too, although each cohort
file sits in its program's folder). A repeated id is reported at the second
declaration with the place of the first; rename one of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.rules._util import err

CODES = {"duplicate-id": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for kind, ident, first, again in academy.duplicates:
        yield err(again, "duplicate-id",
                  f"{kind} id {ident!r} is already used at {first.path}:{first.line}; ids must be unique")
    for cohort in academy.cohorts.values():
        seen: dict[str, int] = {}
        for s in cohort.sessions:
            if s.id in seen:
                yield err(s.loc, "duplicate-id", f"session id {s.id!r} appears twice in cohort {cohort.id!r}")
            seen[s.id] = 1
        enrolled: set[str] = set()
        for e in cohort.enrollments:
            if e.learner in enrolled:
                yield err(e.loc, "duplicate-id", f"learner {e.learner!r} is enrolled twice in this cohort")
            enrolled.add(e.learner)
    for course in academy.courses.values():
        ids = [m.id for m in course.modules]
        for m in course.modules:
            if ids.count(m.id) > 1:
                yield err(m.loc, "duplicate-id", f"module id {m.id!r} appears twice in course {course.id!r}")
        for quiz in course.quizzes:
            qids = [q.id for q in quiz.questions]
            for q in quiz.questions:
                if qids.count(q.id) > 1:
                    yield err(q.loc, "duplicate-id", f"question id {q.id!r} appears twice in quiz {quiz.id!r}")
