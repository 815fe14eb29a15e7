"""assessment-declaration, assessment-unknown, assessment-learner, assessment-criterion,
assessment-level, assessment-assessor, assessment-attempts, assessment-before-session:
practical assessments and their results.

In ``program.yaml``, an assessment's ``session`` must be a template of the
program's ``session_plan``, every ``pass_levels`` entry one of its
``levels``, and criterion ids unique (``assessment-declaration``);
``completion.assessments`` names assessments of the program
(``assessment-unknown``).

Each row of ``records/assessments/*.csv`` must name an assessment
``<program>/<id>`` that the program declares (``assessment-unknown``) and a
learner enrolled in a cohort of that program (``assessment-learner``).
Its ``results`` cell names only the assessment's criteria, each once and
each given (``assessment-criterion``), at one of its rubric ``levels``
(``assessment-level``). The ``assessor`` is an instructor holding the
assessment's ``qualification`` on the result's date, not expired
(``assessment-assessor``). The attempt is at most the assessment's
``attempts`` (``assessment-attempts``). The date is not before the
learner's cohort held the assessment's session (``assessment-before-session``):
a result recorded early was usually typed into the wrong row. Fix the row or
the declaration; a resit beyond the limit needs ``attempts`` raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Assessment, AssessmentResult, Program
from trainkit.rules._util import err

CODES = {c: "error" for c in (
    "assessment-declaration", "assessment-unknown", "assessment-learner",
    "assessment-criterion", "assessment-level", "assessment-assessor",
    "assessment-attempts", "assessment-before-session")}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for program in academy.programs.values():
        yield from _declared(program)
    for row in academy.assessment_results:
        yield from _row(academy, row)


def _declared(program: Program) -> Iterator[Diagnostic]:
    templates = {t.id for t in program.plan}
    for a in program.assessments:
        if a.session not in templates:
            yield err(a.loc, "assessment-declaration",
                      f"assessment {a.id!r} happens in session {a.session!r}, which is not in "
                      f"the session plan ({', '.join(sorted(templates)) or 'empty'}); "
                      "use one of its template ids")
        for level in a.passing:
            if level not in a.levels:
                yield err(a.loc, "assessment-declaration",
                          f"assessment {a.id!r}: pass level {level!r} is not one of its levels "
                          f"({', '.join(a.levels)})")
        seen: set[str] = set()
        for c in a.criteria:
            if c.id in seen:
                yield err(c.loc, "assessment-declaration",
                          f"assessment {a.id!r}: criterion {c.id!r} is declared twice")
            seen.add(c.id)
    for key in program.completion.assessments:
        if program.assessment(key.partition("/")[2]) is None:
            yield err(program.completion.loc, "assessment-unknown",
                      f"completion requires assessment {key.partition('/')[2]!r}, which "
                      f"program {program.id!r} does not declare under assessments")


def _row(academy: Academy, row: AssessmentResult) -> Iterator[Diagnostic]:
    a = academy.assessment(row.assessment)
    if a is None:
        if f"program:{row.assessment.partition('/')[0]}" in academy.unusable:
            return  # the program file has an error of its own, reported there
        known = sorted(x.key for p in academy.programs.values() for x in p.assessments)
        yield err(row.loc("assessment"), "assessment-unknown",
                  f"unknown assessment {row.assessment!r}; known: {', '.join(known) or 'none'}")
        return
    yield from _criteria(a, row)
    yield from _assessor(academy, a, row)
    if row.attempt > a.attempts:
        yield err(row.loc("attempt"), "assessment-attempts",
                  f"attempt {row.attempt} of {a.key!r}, which allows {a.attempts}; "
                  "raise attempts in program.yaml or correct the attempt number")
    yield from _timing(academy, a, row)


def _criteria(a: Assessment, row: AssessmentResult) -> Iterator[Diagnostic]:
    where = row.loc("results")
    given = [c for c, _ in row.results]
    seen: set[str] = set()
    for criterion, level in row.results:
        if a.criterion(criterion) is None:
            yield err(where, "assessment-criterion",
                      f"unknown criterion {criterion!r} of {a.key!r}; its criteria: "
                      f"{', '.join(c.id for c in a.criteria)}")
        elif criterion in seen:
            yield err(where, "assessment-criterion",
                      f"criterion {criterion!r} is given more than once")
        elif level not in a.levels:
            yield err(where, "assessment-level",
                      f"criterion {criterion!r}: unknown level {level!r}; use one of "
                      f"{', '.join(a.levels)}")
        seen.add(criterion)
    missing = [c.id for c in a.criteria if c.id not in given]
    if missing:
        yield err(where, "assessment-criterion",
                  f"no result for criterion(s) {', '.join(missing)} of {a.key!r}; write "
                  "criterion=level for each")


def _assessor(academy: Academy, a: Assessment, row: AssessmentResult) -> Iterator[Diagnostic]:
    where = row.loc("assessor")
    inst = academy.instructors.get(row.assessor)
    if inst is None:
        yield err(where, "assessment-assessor",
                  f"assessor {row.assessor!r} is not an instructor; give the id of an "
                  "instructor file under people/instructors/")
        return
    held = [q for q in inst.qualifications if q.id == a.qualification]
    if not held:
        yield err(where, "assessment-assessor",
                  f"assessor {row.assessor!r} does not hold {a.qualification!r}, which "
                  f"assessing {a.key!r} needs")
    elif not any(q.expires is None or q.expires >= row.on for q in held):
        last = max(q.expires or date.max for q in held)
        yield err(where, "assessment-assessor",
                  f"assessor {row.assessor!r} holds {a.qualification!r} only until "
                  f"{last.isoformat()}, before the assessment on {row.on.isoformat()}; renew "
                  "it in the instructor file or name another assessor")


def _timing(academy: Academy, a: Assessment, row: AssessmentResult) -> Iterator[Diagnostic]:
    cohorts = [c for c in academy.cohorts_of(a.program)
               if any(e.learner == row.learner for e in c.enrollments)]
    if not cohorts:
        if row.learner not in academy.learners:
            text = f"learner {row.learner!r} is not in the learner files"
        else:
            text = f"learner {row.learner!r} is not enrolled in a cohort of {a.program!r}"
        yield err(row.loc("learner"), "assessment-learner", text)
        return
    days = sorted(s.start.date() for c in cohorts for s in c.sessions
                  if s.template == a.session and not s.cancelled)
    if days and row.on < days[0]:
        yield err(row.loc("date"), "assessment-before-session",
                  f"result dated {row.on.isoformat()}, before session {a.session!r} of the "
                  f"learner's cohort on {days[0].isoformat()}; correct the date")
