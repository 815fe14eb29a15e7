"""instructor-unqualified, instructor-qualification-expired: who may teach a program.

A program names the qualification its instructors must hold
(``instructor_qualification``, by default the program id). Every lead
instructor of a cohort, and anyone listed under a session's
``instructors``, must have it under ``qualifications`` in their instructor
file, valid on the day of each session they teach: ``expires`` is the last
day it is valid. Assistants (``instructors.assistants`` of the cohort) help
and need not hold it.

Each instructor is reported once per cohort, at the first session concerned,
with the number of sessions affected. Add or renew the qualification in the
instructor file, or assign a qualified instructor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort, Instructor, Program, Qualification, Session
from trainkit.rules._util import err

CODES = {"instructor-unqualified": "error", "instructor-qualification-expired": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        program = academy.programs.get(cohort.program)
        if program is None or cohort.status == "cancelled":
            continue
        helpers = set(cohort.assistant_instructors) - set(cohort.lead_instructors)
        teaching: dict[str, list[Session]] = {}
        for s in cohort.sessions:
            if s.cancelled:
                continue
            for ident in dict.fromkeys(s.instructors):
                if ident in academy.instructors and ident not in helpers:
                    teaching.setdefault(ident, []).append(s)
        for ident in sorted(teaching):
            yield from _instructor(academy.instructors[ident], program, cohort, teaching[ident])


def _best(inst: Instructor, qualification: str) -> Qualification | None:
    """The holding of ``qualification`` that lasts longest (one without expiry wins)."""
    held = [q for q in inst.qualifications if q.id == qualification]
    if not held:
        return None
    return max(held, key=lambda q: q.expires or date.max)


def _instructor(inst: Instructor, program: Program, cohort: Cohort,
                sessions: list[Session]) -> Iterator[Diagnostic]:
    first = sessions[0]
    more = f" (and {len(sessions) - 1} more session(s) of this cohort)" if len(sessions) > 1 else ""
    held = _best(inst, program.qualification)
    if held is None:
        yield err(first.loc, "instructor-unqualified",
                  f"instructor {inst.id!r} teaches {first.key} on {first.start:%Y-%m-%d}{more} but "
                  f"does not hold qualification {program.qualification!r}, which program "
                  f"{program.id!r} requires; add it under 'qualifications' in {inst.loc.path} "
                  "or assign a qualified instructor")
        return
    late = [s for s in sessions if held.expires is not None and s.start.date() > held.expires]
    if late:
        more = f" (and {len(late) - 1} later session(s) of this cohort)" if len(late) > 1 else ""
        yield err(late[0].loc, "instructor-qualification-expired",
                  f"instructor {inst.id!r} teaches {late[0].key} on {late[0].start:%Y-%m-%d}{more} "
                  f"but their qualification {program.qualification!r} expires on {held.expires} "
                  f"({held.loc.path}:{held.loc.line}); renew it (a later 'expires') "
                  "or assign a qualified instructor")
