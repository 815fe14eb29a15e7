"""instructor-double-booked: an instructor in two sessions at the same time.

Every scheduled session an instructor teaches (as a lead or assistant of the
cohort, or listed under the session's ``instructors``) is compared with all
their other sessions anywhere in the academy. Times are compared as instants,
so a 09:00 Europe/London session clashes with a 10:00 Europe/Berlin one, and
daylight-saving changes are taken into account. Cancelled sessions, and the
sessions of cancelled cohorts, do not count; a session that ends when the next
one starts is not a clash.

The problem is reported at the later of the two sessions, naming the earlier
one. Move one of them, or give one a different instructor (``instructors:``
on the session overrides the cohort's).
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Session
from trainkit.rules._util import Recalled, err, group_by, live_sessions, sweep, when

CODES = {"instructor-double-booked": "error"}


_KEPT = Recalled()


def check(academy: Academy) -> Iterator[Diagnostic]:
    known = academy.instructors
    by_instructor = group_by(live_sessions(academy),
                             lambda s: [i for i in dict.fromkeys(s.instructors) if i in known])
    with _KEPT.round() as recall:
        for ident in sorted(by_instructor):
            sessions = by_instructor[ident]
            yield from recall(ident, tuple(sessions), _clashes, ident, sessions)


def _clashes(ident: str, sessions: list[Session]) -> list[Diagnostic]:
    return [err(later.loc, "instructor-double-booked",
            f"instructor {ident!r} is double-booked: {later.key} {when(later)} overlaps "
            f"{earlier.key} ({when(earlier)}); move one session or give it another "
            "instructor")
            for earlier, later in sweep(sessions)]
