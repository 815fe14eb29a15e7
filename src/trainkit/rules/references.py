"""unknown-*: a reference to something that is not defined.

Every id that points elsewhere must name something that exists: a cohort's
program (its folder), venue, room and instructors; a session's instructors,
venue and room; an enrollment's learner; a program's competencies,
prerequisites, required quizzes and courses; a course's quizzes,
competencies and module files (``missing-module-file``: a module whose
``file`` is not a Markdown file in the course folder); a record's session,
learner and quiz. The message lists the closest known ids so a typo is easy
to spot.

An id whose own file exists but has a syntax or schema error is not reported
again at every reference: fix the error in that file first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, Cohort, Loc, Program
from trainkit.rules._util import err

CODES = {
    "unknown-program": "error",
    "unknown-instructor": "error",
    "unknown-venue": "error",
    "unknown-room": "error",
    "unknown-learner": "error",
    "unknown-course": "error",
    "unknown-quiz": "error",
    "unknown-competency": "error",
    "unknown-template": "error",
    "unknown-session": "error",
    "unknown-module": "error",
    "missing-module-file": "error",
}


def _unusable(a: Academy, kind: str, ident: str) -> bool:
    """Whether ``ident`` is defined in a file that failed to load (reported there)."""
    return f"{kind}:{ident}" in a.unusable or f"{kind}:*" in a.unusable


def _ref(kind: str, ident: str, known: Iterable[str], where: Loc, what: str = "") -> Diagnostic:
    # ``what`` names the kind of thing; a "{}" in it marks where the id goes.
    label = what.format(repr(ident)) if "{}" in what else f"{what or kind} {ident!r}"
    hint = did_you_mean(ident, known)
    return err(where, f"unknown-{kind}", f"{label} is not defined ({hint})")


def check(academy: Academy) -> Iterator[Diagnostic]:
    yield from _cohorts(academy)
    yield from _programs(academy)
    yield from _courses(academy)
    yield from _records(academy)


def _cohorts(a: Academy) -> Iterator[Diagnostic]:
    for c in a.cohorts.values():
        program = a.programs.get(c.program)
        if program is None and not _unusable(a, "program", c.program):
            yield _ref("program", c.program, a.programs, c.loc,
                       "the cohort's folder names program")
        venue = a.venues.get(c.venue) if c.venue else None
        if c.venue is not None and venue is None and not _unusable(a, "venue", c.venue):
            yield _ref("venue", c.venue, a.venues, c.ref_locs.get("venue", c.loc))
        if venue is not None and c.room and venue.room(c.room) is None:
            yield _ref("room", c.room, [r.id for r in venue.rooms],
                       c.ref_locs.get("room", c.loc), f"room {{}} of venue {venue.id!r}")
        for role, names in (("lead", c.lead_instructors), ("assistants", c.assistant_instructors)):
            for i, ident in enumerate(names):
                if ident not in a.instructors and not _unusable(a, "instructor", ident):
                    where = c.ref_locs.get(f"instructors.{role}[{i}]", c.loc)
                    yield _ref("instructor", ident, a.instructors, where)
        for e in c.enrollments:
            if e.learner not in a.learners and not _unusable(a, "learner", e.learner):
                yield _ref("learner", e.learner, a.learners, e.loc)
        yield from _sessions(a, c, program)


def _sessions(a: Academy, c: Cohort, program: Program | None) -> Iterator[Diagnostic]:
    """Session-level references; what a session inherits was reported at the cohort."""
    for s in c.sessions:
        for ident in s.instructors:
            if (ident not in a.instructors and ident not in c.instructors
                    and not _unusable(a, "instructor", ident)):
                yield _ref("instructor", ident, a.instructors, s.loc)
        venue = a.venues.get(s.venue) if s.venue else None
        if (s.venue and venue is None and s.venue != c.venue
                and not _unusable(a, "venue", s.venue)):
            yield _ref("venue", s.venue, a.venues, s.loc)
        inherited = s.venue == c.venue and s.room == c.room
        if venue is not None and s.room and venue.room(s.room) is None and not inherited:
            yield _ref("room", s.room, [r.id for r in venue.rooms], s.loc,
                       f"room {{}} of venue {venue.id!r}")
        if program is not None and s.template and program.template(s.template) is None:
            yield _ref("template", s.template, [t.id for t in program.plan], s.loc,
                       f"session-plan template {{}} of program {program.id!r}")


def _programs(a: Academy) -> Iterator[Diagnostic]:
    quizzes = a.quizzes()
    for p in a.programs.values():
        for ref in p.competencies:
            if a.competencies and ref.id not in a.competencies:
                yield _ref("competency", ref.id, a.competencies, ref.loc)
        for prog in p.prerequisites.programs:
            if prog not in a.programs and not _unusable(a, "program", prog):
                yield _ref("program", prog, a.programs, p.loc, "prerequisite program")
        for course in p.prerequisites.courses:
            if course not in a.courses and not _unusable(a, "course", course):
                yield _ref("course", course, a.courses, p.loc, "prerequisite course")
        rules = p.completion
        reqs = list(rules.quizzes) + [q for g in rules.groups for q in g.quizzes]
        for q in reqs:
            if q.quiz not in quizzes and not _unusable(a, "quiz", q.quiz):
                yield _ref("quiz", q.quiz, quizzes, q.loc)
        for course in list(rules.courses) + [c for g in rules.groups for c in g.courses]:
            if course not in a.courses and not _unusable(a, "course", course):
                yield _ref("course", course, a.courses, rules.loc, "required course")
        plan = {t.id for t in p.plan}
        for m in rules.mandatory_sessions:
            if m not in plan:
                yield _ref("template", m, plan, rules.loc, "mandatory session template")


def _courses(a: Academy) -> Iterator[Diagnostic]:
    for c in a.courses.values():
        for ref in c.competencies:
            if a.competencies and ref.id not in a.competencies:
                yield _ref("competency", ref.id, a.competencies, ref.loc)
        slugs = {q.slug for q in c.quizzes}
        for slug in c.declared_quizzes:
            if slug not in slugs and not _unusable(a, "quiz", f"{c.id}/{slug}"):
                yield _ref("quiz", slug, slugs, c.loc,
                           f"quiz {{}} (no file courses/{c.id}/quizzes/{slug}.yaml)")
        for m in c.modules:
            if not m.found:
                yield err(m.file_loc or m.loc, "missing-module-file",
                          f"module {m.id!r} of course {c.id!r}: there is no Markdown file "
                          f"{m.file}; create it or fix 'file:' (a path relative to the "
                          "course folder, ending in .md)")
        modules = {m.id for m in c.modules}
        for q in c.quizzes:
            if q.after_module and q.after_module not in modules:
                yield _ref("module", q.after_module, modules, q.loc)


def _records(a: Academy) -> Iterator[Diagnostic]:
    quizzes = a.quizzes()
    # One set of keys, not a search of the cohort for each of many attendance rows.
    sessions = {s.key for c in a.cohorts.values() for s in c.sessions} if a.attendance else set()
    for r in a.attendance:
        if r.learner not in a.learners and not _unusable(a, "learner", r.learner):
            yield err(r.loc, "unknown-learner",
                      f"learner {r.learner!r} is not in the learner directory; fix the id "
                      "or add the learner under people/learners/")
        cohort = r.session.partition("/")[0]
        if r.session not in sessions and not _unusable(a, "cohort", cohort):
            where = "" if cohort in a.cohorts else f" (no cohort {cohort!r})"
            yield err(r.loc, "unknown-session", f"session {r.session!r} is not defined{where}")
    for q in a.quiz_results:
        if q.learner not in a.learners and not _unusable(a, "learner", q.learner):
            yield err(q.loc, "unknown-learner",
                      f"learner {q.learner!r} is not in the learner directory; fix the id "
                      "or add the learner under people/learners/")
        if q.quiz not in quizzes and not _unusable(a, "quiz", q.quiz):
            yield _ref("quiz", q.quiz, quizzes, q.loc)
