"""no-instructor: scheduled sessions that nobody teaches.

A cohort's ``instructors.lead`` (and ``assistants``) teach every session
unless a session lists its own ``instructors``. A scheduled session that ends
up with no instructor at all would appear in the catalog and in learners'
calendars with nobody to run it. Reported once per cohort, at the first such
session, as a warning (staffing is often settled late); add
``instructors: {lead: [...]}`` to the cohort, or ``instructors:`` to the
session. A cohort whose lead is left to the planner (``lead: auto``) is
reported by ``assignment-open`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.rules._util import warn, when

CODES = {"no-instructor": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled" or cohort.open_lead is not None:
            continue  # an open lead is the planning rule's to report
        bare = [s for s in cohort.sessions if not s.cancelled and not s.instructors]
        if bare:
            first = bare[0]
            yield warn(first.loc, "no-instructor",
                       f"cohort {cohort.id!r} has {len(bare)} scheduled session(s) with no "
                       f"instructor, the first {first.key} ({when(first)}); add "
                       "'instructors: {lead: [...]}' to the cohort or 'instructors:' to the "
                       "session")
