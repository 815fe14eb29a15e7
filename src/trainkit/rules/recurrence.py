"""recurrence-short: a recurrence that makes fewer sessions than the program plans.

Generated sessions take the program's ``session_plan`` templates in order
(``s01`` gets the first template, ``s02`` the second ...). When a
recurrence makes fewer sessions than the plan has templates (its ``count``
is too low, ``until`` comes too early, or holidays and blackouts were
skipped inside a fixed ``until``) the last templates are never taught, so
learners cannot complete the program. A recurrence that makes no session at
all is reported too.

It is a warning, because an explicit ``sessions:`` entry may cover a missing
template; the message names the templates no session of the cohort uses.
Raise ``count``, move ``until`` later, or add the missing sessions.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.rules._util import warn

CODES = {"recurrence-short": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        rec = cohort.recurrence
        if rec is None or cohort.status == "cancelled":
            continue
        program = academy.programs.get(cohort.program)
        planned = len(program.plan) if program else 0
        made = sum(1 for s in cohort.sessions if s.generated)
        if made == 0:
            yield warn(rec.loc, "recurrence-short",
                       f"the recurrence of cohort {cohort.id!r} makes no session; check "
                       "start_date, days, count and until")
        elif program is not None and made < planned:
            used = {s.template for s in cohort.sessions}
            missing = [t.id for t in program.plan if t.id not in used]
            unused = f"; templates without a session: {', '.join(missing)}" if missing else ""
            yield warn(rec.loc, "recurrence-short",
                       f"the recurrence of cohort {cohort.id!r} makes {made} session(s) but "
                       f"program {program.id!r} plans {planned}{unused}; raise 'count', move "
                       "'until' later, or add the missing sessions")
