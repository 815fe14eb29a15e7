"""no-sessions, enrolled-in-cancelled: cohorts whose status and contents disagree.

* **no-sessions** (warning): a cohort that is not cancelled but has no
  session at all (no ``sessions:`` and no ``recurrence:``; a recurrence
  that makes none is reported as ``recurrence-short``). It would be listed
  in the catalog with no dates. Add its sessions, or set ``status:
  cancelled`` with the reason in ``notes``.
* **enrolled-in-cancelled** (warning): a cancelled cohort that still has
  learners with ``status: enrolled``. They will not be taught; move them to
  another cohort or mark them ``withdrawn``, so that reports and personal
  calendars stay right.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.rules._util import warn

CODES = {"no-sessions": "warning", "enrolled-in-cancelled": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            enrolled = cohort.active_enrollments()
            if enrolled:
                yield warn(enrolled[0].loc, "enrolled-in-cancelled",
                           f"cohort {cohort.id!r} is cancelled but {len(enrolled)} learner(s) "
                           "are still enrolled; move them to another cohort or set their "
                           "status to withdrawn")
        elif not cohort.sessions and cohort.recurrence is None:  # else: recurrence-short
            yield warn(cohort.loc, "no-sessions",
                       f"cohort {cohort.id!r} has no sessions; add 'sessions:' or a "
                       "'recurrence:', or set 'status: cancelled'")
