"""quiz-stage: pre and post knowledge checks that cannot be paired.

A quiz marked ``stage: post`` is compared with the quiz marked
``stage: pre`` of the same course: each learner's gain is the difference
between their first attempts (see the effectiveness report in records.md).

* ``quiz-stage`` (error): a ``post`` quiz in a course without a ``pre`` quiz
  (mark the knowledge check taken before the training ``stage: pre``), or a
  course with more than one ``pre`` or more than one ``post`` quiz (the pair
  would be ambiguous: keep one of each).
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.rules._util import err

CODES = {"quiz-stage": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for course in academy.courses.values():
        pre = [q for q in course.quizzes if q.stage == "pre"]
        post = [q for q in course.quizzes if q.stage == "post"]
        for stage, quizzes in (("pre", pre), ("post", post)):
            for extra in quizzes[1:]:
                yield err(extra.loc, "quiz-stage",
                          f"course {course.id!r} already has a {stage} quiz "
                          f"({quizzes[0].id}); a course has one pre and one post quiz")
        if post and not pre:
            yield err(post[0].loc, "quiz-stage",
                      f"quiz {post[0].id!r} is marked 'stage: post' but course {course.id!r} "
                      "has no quiz marked 'stage: pre' to compare it with; add one")

