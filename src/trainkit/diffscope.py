"""Where a change can move check results, so ``diff`` runs the rules only there.

``trainkit diff`` reports the problems a change introduces or resolves. Both
revisions are loaded and resolved in full (file and reference problems are
always complete), but the cross-file rules only need to look at the cohorts
whose problems can differ: the changed cohorts and every cohort that shares
an instructor, a learner or a room with one of them (double-bookings,
weekly hours and make-ups are decided among those). A changed program,
instructor, venue or learner brings in the cohorts that use it; changed
attendance rows bring in their cohorts. Problems outside that scope are the
same in both revisions and would cancel out anyway.

A change to the academy settings or the competency framework, or a scope
covering most cohorts, runs the rules on everything (``None``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from trainkit.model import Academy, Cohort
from trainkit.semdiff import plain

FULL_SHARE = 0.5  # past this share of cohorts, restricting saves too little to bother


def _differs(a: Any, b: Any) -> bool:
    # Plain equality first: unchanged files keep their locations, so it settles most.
    return a is None or b is None or (a != b and plain(a) != plain(b))


def _changed(olds: dict[str, Any], news: dict[str, Any]) -> set[str]:
    if olds == news:  # compared in C, item by item: the common case costs little
        return set()
    return {k for k in olds.keys() | news.keys() if _differs(olds.get(k), news.get(k))}


def _venues(c: Cohort) -> set[str]:
    return {v for v in (c.venue, *(s.venue for s in c.sessions)) if v}


def _rooms(c: Cohort) -> set[tuple[str, str]]:
    return {(s.venue, s.room) for s in c.sessions if s.venue and s.room}


def _teachers(c: Cohort) -> set[str]:
    return set(c.instructors).union(*(s.instructors for s in c.sessions))


def _learners(c: Cohort) -> set[str]:
    return {e.learner for e in c.enrollments}


def scope(old: Academy, new: Academy, limit: float = FULL_SHARE) -> set[str] | None:
    """The cohort ids whose rule results may differ; ``None``: all of them.

    ``None`` too when the scope holds more than ``limit`` of the cohorts.
    """
    if _differs(old.settings, new.settings) or _changed(old.competencies, new.competencies):
        return None
    cohorts = [*old.cohorts.values(), *new.cohorts.values()]
    seeds = _changed(old.cohorts, new.cohorts)
    programs = _changed(old.programs, new.programs)
    teachers = _changed(old.instructors, new.instructors)
    venues = _changed(old.venues, new.venues)
    learners = _changed(old.learners, new.learners)
    seeds |= {c.id for c in cohorts if c.program in programs or _teachers(c) & teachers
              or _venues(c) & venues or _learners(c) & learners}
    seeds |= _record_cohorts(old, new)
    picked = [c for c in cohorts if c.id in seeds]
    teachers = set().union(*(_teachers(c) for c in picked))
    rooms = set().union(*(_rooms(c) for c in picked))
    learners = set().union(*(_learners(c) for c in picked))
    found = seeds | {c.id for c in cohorts if _teachers(c) & teachers or _rooms(c) & rooms
                     or _learners(c) & learners}
    if len(found) > limit * max(len(old.cohorts), len(new.cohorts)):
        return None
    return found


def _record_cohorts(old: Academy, new: Academy) -> set[str]:
    if old.attendance == new.attendance:
        return set()
    a, b = set(map(plain, old.attendance)), set(map(plain, new.attendance))
    return {str(row[0]).partition("/")[0] for row in a ^ b}


def restrict(academy: Academy, cohorts: Iterable[str]) -> Academy:
    """``academy`` with only ``cohorts`` (and their attendance rows); the rest kept whole."""
    keep = set(cohorts)
    return replace(
        academy,
        cohorts={k: c for k, c in academy.cohorts.items() if k in keep},
        attendance=tuple(r for r in academy.attendance if r.session.partition("/")[0] in keep),
    )
