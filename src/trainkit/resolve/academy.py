"""Turn validated documents into the one immutable :class:`~trainkit.model.Academy`.

Only documents that passed their schema are resolved, so values here have the
right shape; what can still be wrong (unknown ids, bad zone names, times that
end before they start) stays in the model for the rules to report.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

from trainkit.diagnostics import Diagnostic
from trainkit.load.loader import Loaded
from trainkit.load.records import collector_paused
from trainkit.load.yamlio import Document
from trainkit.model import (
    Academy,
)
from trainkit.resolve.assessments import resolve_assessment_results
from trainkit.resolve.commerce import price_cohorts, price_programs, resolve_organisations
from trainkit.resolve.common import Declared, good
from trainkit.resolve.costs import (
    cost_cohorts,
    cost_instructors,
    cost_programs,
    cost_venues,
    resolve_payments,
)
from trainkit.resolve.courses import resolve_courses
from trainkit.resolve.orders import resolve_invoicing, resolve_ledger, resolve_order
from trainkit.resolve.people import resolve_instructor, resolve_learners, resolve_venue
from trainkit.resolve.programs import resolve_cohorts, resolve_programs
from trainkit.resolve.records import (
    resolve_answers,
    resolve_attendance,
    resolve_quiz_results,
    resolve_revocations,
)
from trainkit.resolve.reuse import Reuse, step
from trainkit.resolve.settings import resolve_competencies, resolve_settings
from trainkit.resolve.skills import resolve_evidence, resolve_roles
from trainkit.resolve.surveys import resolve_responses, resolve_surveys


def resolve(loaded: Loaded, root: str,
            reuse: Reuse | None = None) -> tuple[Academy | None, list[Diagnostic]]:
    """Build the model; ``None`` when there is no usable ``trainkit.yaml``.

    With ``reuse`` (a live preview's), the learners and cohorts of files whose
    documents are those of the last resolve are taken from it
    (:mod:`trainkit.resolve.reuse`)."""
    t0 = _time.perf_counter()
    academies = good(loaded.of("academy"))
    if not academies:
        return None, []
    settings = resolve_settings(academies[0])
    declared = Declared()
    venues = {v.id: v for v in _each(declared, "venue",
                                     (resolve_venue(d) for d in good(loaded.of("venue"))))}
    problems: list[Diagnostic] = []
    instructors = {
        i.id: i
        for i in _each(declared, "instructor",
                       (resolve_instructor(d, settings, problems)
                        for d in good(loaded.of("instructor"))))
    }
    learners = resolve_learners(good(loaded.of("learners")), declared,
                                step(reuse, "learners"))
    competencies = resolve_competencies(good(loaded.of("competencies")), declared)
    courses = {c.id: c for c in _each(declared, "course", resolve_courses(loaded, good))}
    pass_marks = {q.id: q.pass_mark for c in courses.values() for q in c.quizzes}
    programs = {
        p.id: p
        for p in _each(declared, "program",
                       resolve_programs(good(loaded.of("program")), pass_marks,
                                        settings.registration))
    }
    cohorts = {
        c.id: c
        for c in _each(declared, "cohort",
                       resolve_cohorts(good(loaded.of("cohort")), settings, programs, venues,
                                       problems, step(reuse, "cohorts", [
                                           # what the settings, programs and venues are made of
                                           *academies, *good(loaded.of("venue")),
                                           *good(loaded.of("quiz")), *good(loaded.of("course")),
                                           *good(loaded.of("program"))])))
    }
    programs = price_programs(programs, good(loaded.of("program")), problems)
    cohorts = price_cohorts(cohorts, programs, good(loaded.of("cohort")), problems)
    organisations = resolve_organisations(good(loaded.of("organisation")), declared, problems)
    instructors = cost_instructors(instructors, good(loaded.of("instructor")), problems)
    venues = cost_venues(venues, good(loaded.of("venue")), problems)
    programs = cost_programs(programs, good(loaded.of("program")), problems)
    cohorts = cost_cohorts(cohorts, programs, good(loaded.of("cohort")), problems)
    with collector_paused():  # records: many small objects, no cycles
        attendance = resolve_attendance(good(loaded.of("attendance")))
        results = resolve_quiz_results(good(loaded.of("quiz-results")), settings)
        answers = resolve_answers(good(loaded.of("answers")))
    revocations = tuple(resolve_revocations(good(loaded.of("revocations"))))
    roles = resolve_roles(good(loaded.of("role")), declared)
    evidence = resolve_evidence(good(loaded.of("evidence")))
    assessment_results = resolve_assessment_results(good(loaded.of("assessments")))
    orders = dict(sorted((o.id, o) for o in _each(declared, "order", (
        resolve_order(d) for d in good(loaded.of("order"))))))
    ledger, ledger_seats = resolve_ledger(good(loaded.of("invoice-ledger")), orders)
    academy = Academy(
        root=root,
        settings=settings,
        competencies=dict(sorted(competencies.items())),
        programs=dict(sorted(programs.items())),
        cohorts=dict(sorted(cohorts.items())),
        instructors=dict(sorted(instructors.items())),
        learners=learners,
        venues=dict(sorted(venues.items())),
        courses=dict(sorted(courses.items())),
        attendance=attendance,
        quiz_results=results,
        revocations=revocations,
        duplicates=tuple(declared.duplicates),
        unusable=unusable(loaded),
        roles=roles,
        evidence=evidence,
        assessment_results=assessment_results,
        organisations=organisations,
        payments=resolve_payments(good(loaded.of("payments"))),
        answers=answers,
        surveys=resolve_surveys(good(loaded.of("survey"))),
        survey_responses=resolve_responses(good(loaded.of("surveys"))),
        orders=orders,
        ledger=ledger,
        ledger_seats=ledger_seats,
        invoicing=resolve_invoicing(academies[0], good(loaded.of("program")), settings),
    )
    academy.learner_positions  # noqa: B018  (made with the model, once)
    loaded.timings["resolve"] = _time.perf_counter() - t0
    return academy, problems


_ID_OF: dict[str, tuple[str, Callable[[str], str]]] = {  # kind -> (reference kind, path -> id)
    "cohort": ("cohort", lambda p: PurePosixPath(p).stem),
    "instructor": ("instructor", lambda p: PurePosixPath(p).stem),
    "venue": ("venue", lambda p: PurePosixPath(p).stem),
    "program": ("program", lambda p: PurePosixPath(p).parent.name),
    "course": ("course", lambda p: PurePosixPath(p).parent.name),
    "quiz": ("quiz", lambda p: f"{PurePosixPath(p).parents[1].name}/{PurePosixPath(p).stem}"),
    "role": ("role", lambda p: PurePosixPath(p).stem),
    "organisation": ("organisation", lambda p: PurePosixPath(p).stem),
    "survey": ("survey", lambda p: PurePosixPath(p).stem),
    "order": ("order", lambda p: PurePosixPath(p).stem),
}


def unusable(loaded: Loaded) -> frozenset[str]:
    """``kind:id`` of every file that exists but did not load (see :class:`Academy`).

    Its own error is reported in that file; a reference elsewhere to the same
    id would only repeat it, many times over for a popular venue or cohort.
    """
    usable = {id(d) for docs in loaded.documents.values() for d in good(docs)}
    out: set[str] = set()
    for kind, docs in loaded.documents.items():
        for doc in docs:
            if id(doc) in usable:
                continue
            if kind in _ID_OF:
                ref, ident = _ID_OF[kind]
                out.add(f"{ref}:{ident(doc.path)}")
            elif kind == "learners":
                out.update(_learner_ids(doc))
    # A course that did not load takes its (valid) quizzes with it.
    broken_courses = {o.partition(":")[2] for o in out if o.startswith("course:")}
    for doc in loaded.of("quiz"):
        course = PurePosixPath(doc.path).parents[1].name
        if course in broken_courses:
            out.add(f"quiz:{course}/{PurePosixPath(doc.path).stem}")
    return frozenset(out)


def _learner_ids(doc: Document) -> set[str]:
    rows = doc.data.get("learners") if isinstance(doc.data, dict) else None
    if not isinstance(rows, list):
        return {"learner:*"}  # nothing readable: any learner may be in it
    return {f"learner:{r['id']}" for r in rows
            if isinstance(r, dict) and isinstance(r.get("id"), str)}


def _each(declared: Declared, kind: str, items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if declared.add(kind, item.id, item.loc):
            yield item
