"""assignment-open, plan-candidate-unknown, plan-candidate-unfit: assignments left for the planner.

A cohort may leave its lead instructor or its room to ``trainkit plan``:
``instructors: {lead: auto}`` (any qualified, free instructor) or
``{lead: {candidates: [ajones, bsmith]}}`` (one of those), and ``room: auto``
or ``room: {candidates: [thames, severn]}`` (a room of the cohort's venue).
Until the plan is made, ``assignment-open`` reminds you, as a warning, that
the cohort's sessions have nobody to teach them or no room: run ``trainkit
plan`` (``--dry-run`` shows the change first). A candidate that is not an
instructor file or not a room of the cohort's venue is an error
(``plan-candidate-unknown``), and so is ``room: auto`` on a cohort without a
venue, or a candidate instructor who lacks the program's qualification
(``plan-candidate-unfit``): the planner could never choose them. Program
``planning:`` preferences and instructors' ``home_venues`` must name known
instructors and venues as well.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, Cohort, Loc
from trainkit.rules._util import err, warn

CODES = {"assignment-open": "warning", "plan-candidate-unknown": "error",
         "plan-candidate-unfit": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        yield from _lead(academy, cohort)
        yield from _room(academy, cohort)
    for program in academy.programs.values():
        for ident in (*program.preferred_instructors, *program.avoided_instructors):
            if ident not in academy.instructors:
                yield _unknown(program.loc, "instructor", ident, academy.instructors,
                               f"program {program.id!r} names it under 'planning'")
    for inst in academy.instructors.values():
        for venue in inst.home_venues:
            if venue not in academy.venues:
                yield _unknown(inst.loc, "venue", venue, academy.venues,
                               f"instructor {inst.id!r} lists it under 'home_venues'")


def _lead(academy: Academy, cohort: Cohort) -> Iterator[Diagnostic]:
    slot = cohort.open_lead
    if slot is None:
        return
    program = academy.programs.get(cohort.program)
    for ident in slot.candidates:
        inst = academy.instructors.get(ident)
        if inst is None:
            if f"instructor:{ident}" not in academy.unusable:
                yield _unknown(slot.loc, "instructor", ident, academy.instructors,
                               f"cohort {cohort.id!r} lists it as a lead candidate")
        elif program is not None and all(q.id != program.qualification
                                         for q in inst.qualifications):
            yield err(slot.loc, "plan-candidate-unfit",
                      f"lead candidate {ident!r} of cohort {cohort.id!r} does not hold "
                      f"qualification {program.qualification!r}, which program "
                      f"{program.id!r} requires; remove the candidate or add the "
                      f"qualification in {inst.loc.path}")
    yield warn(slot.loc, "assignment-open",
               f"cohort {cohort.id!r} leaves its lead instructor to the planner; run "
               "'trainkit plan' to choose one (or name the lead under 'instructors')")


def _room(academy: Academy, cohort: Cohort) -> Iterator[Diagnostic]:
    slot = cohort.open_room
    if slot is None:
        return
    venue = academy.venues.get(cohort.venue or "")
    if venue is None:
        yield err(slot.loc, "plan-candidate-unknown",
                  f"cohort {cohort.id!r} leaves its room to the planner but has no venue; "
                  "add 'venue:' so the planner knows where to look")
        return
    rooms = {r.id: r for r in venue.rooms}
    for ident in slot.candidates:
        if ident not in rooms:
            yield _unknown(slot.loc, "room", ident, rooms,
                           f"cohort {cohort.id!r} lists it as a room candidate at venue "
                           f"{venue.id!r}")
    yield warn(slot.loc, "assignment-open",
               f"cohort {cohort.id!r} leaves its room to the planner; run 'trainkit plan' "
               "to choose one (or name the room under 'room')")


def _unknown(where: Loc, kind: str, ident: str, known: object, context: str) -> Diagnostic:
    hint = did_you_mean(ident, list(known))  # type: ignore[call-overload]
    return err(where, "plan-candidate-unknown",
               f"unknown {kind} {ident!r} ({context}): {hint}")
