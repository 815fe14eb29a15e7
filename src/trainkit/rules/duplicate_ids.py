"""duplicate-id: the same id declared twice.

Ids name programs, cohorts, instructors, learners, venues, courses and
competencies across the whole academy (cohort ids too, although each cohort
file sits in its program's folder). Within a file, session ids of a cohort,
module ids of a course and question ids of a quiz must be unique too, and a
learner may be enrolled in a cohort only once. A repeated id is reported at
the second declaration with the place of the first; rename one of them. A
learner listed twice in one cohort is reported once, here, and nowhere else
(``learner-double-booked`` does not compare a cohort with itself): remove one
of the two entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Loc
from trainkit.rules._util import err

CODES = {"duplicate-id": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for kind, ident, first, again in academy.duplicates:
        yield err(again, "duplicate-id",
                  f"{kind} id {ident!r} is already used at {first.path}:{first.line}; "
                  "ids must be unique")
    for cohort in academy.cohorts.values():
        yield from _repeats(((s.id, s.loc) for s in cohort.sessions),
                            f"session id {{}} appears twice in cohort {cohort.id!r}")
        yield from _repeats(((e.learner, e.loc) for e in cohort.enrollments),
                            "learner {} is enrolled twice in this cohort",
                            "remove one of the two entries")
    for course in academy.courses.values():
        yield from _repeats(((m.id, m.loc) for m in course.modules),
                            f"module id {{}} appears twice in course {course.id!r}")
        for quiz in course.quizzes:
            yield from _repeats(((q.id, q.loc) for q in quiz.questions),
                                f"question id {{}} appears twice in quiz {quiz.id!r}")


def _repeats(items: Iterable[tuple[str, Loc]], message: str,
             advice: str = "keep one, or give it another id") -> Iterator[Diagnostic]:
    first: dict[str, Loc] = {}
    for ident, where in items:
        if ident in first:
            seen = first[ident]
            yield err(where, "duplicate-id",
                      message.format(repr(ident)) + f" (first at line {seen.line}); {advice}")
        else:
            first[ident] = where
