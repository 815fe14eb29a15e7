"""prerequisite-not-met: a learner enrolled without the program's prerequisites.

A program's ``prerequisites:`` (programs completed, courses passed,
competency levels held) must be met by each learner enrolled in one of its
cohorts **as of the cohort's first session**. Completions, passed courses
and competency evidence are read from the records, as the skills reports
read them (``completion``, ``awards``, ``records/evidence/``); evidence that
has expired by the first session does not count.

* **warning** while the first session is still ahead and every missing
  prerequisite can still be met before it (a self-paced course, a cohort of
  the required program that ends in time and has seats or already has the
  learner, a competency some such course or cohort awards);
* **error** once the cohort has started, or when something missing can no
  longer be met in time.

When the learner may take the cohort anyway (equivalent experience, a
manager's decision), say so on the enrollment, and the reason is listed in
the skills reports::

    - learner: l-0119
      override:
        reason: Manual handling assessed on site by the depot manager

"Now" is the check's now: the current time, or ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort, Enrollment, Program
from trainkit.outcomes.skills.prerequisites import Missing, PrerequisiteFacts
from trainkit.rules._util import err, warn
from trainkit.rules.records import now as check_now

CODES = {"prerequisite-not-met": "error"}


def check(academy: Academy, at: datetime | None = None) -> Iterator[Diagnostic]:
    moment = at if at is not None else check_now()
    todo = [(c, academy.programs[c.program]) for c in academy.cohorts.values()
            if c.status != "cancelled" and c.start is not None and c.program in academy.programs
            and _has_prerequisites(academy.programs[c.program])
            and any(e.status == "enrolled" and e.override is None for e in c.enrollments)]
    if not todo:
        return  # nothing to judge: the records are not read at all
    facts = PrerequisiteFacts(academy, moment)
    for cohort, program in todo:
        for e in cohort.enrollments:
            if e.status == "enrolled" and e.override is None:
                yield from _judge(facts, program, cohort, e)


def _has_prerequisites(p: Program) -> bool:
    pre = p.prerequisites
    return bool(pre.programs or pre.courses or pre.competencies)


def _judge(facts: PrerequisiteFacts, program: Program, cohort: Cohort,
           e: Enrollment) -> Iterator[Diagnostic]:
    start = cohort.start
    assert start is not None
    day = start.date()
    missing = facts.missing(program.prerequisites, e.learner, start)
    if not missing:
        return
    future = start > facts.as_of
    fixable = future and all(m.how for m in missing)
    what = "; ".join(_words(m, future) for m in missing)
    message = (f"learner {e.learner!r} is enrolled in {cohort.id!r} without the prerequisites "
               f"of {program.id!r} as of its first session on {day.isoformat()}: {what}; ")
    if fixable:
        yield warn(e.loc, "prerequisite-not-met", message + "or add 'override: {reason: ...}' "
                   "to the enrollment if they may take it anyway")
    else:
        yield err(e.loc, "prerequisite-not-met", message + "move the learner to a later cohort, "
                  "or add 'override: {reason: ...}' to the enrollment if they may take it anyway")


def _words(m: Missing, future: bool) -> str:
    text = m.text
    if future and m.how:
        text += f" (can still be met: {m.how})"
    elif future:
        text += " (cannot be met in time)"
    return text

