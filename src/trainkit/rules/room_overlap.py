"""room-double-booked: one room of a venue booked by two sessions at once.

Every scheduled in-person session with a room (its own ``room`` or its
cohort's) is compared with the other sessions in the same room of the same
venue, across all programs and cohorts. Times are compared as instants;
cancelled sessions and cancelled cohorts do not count, and back-to-back
sessions (one ends as the next starts) are fine.

The clash is reported at the later session, naming the earlier one. Move a
session, or put it in another room (``room:`` on the session).
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Session
from trainkit.rules._util import Recalled, err, group_by, live_sessions, sweep, when

CODES = {"room-double-booked": "error"}


_KEPT = Recalled()


def check(academy: Academy) -> Iterator[Diagnostic]:
    by_room = group_by(
        (s for s in live_sessions(academy) if s.venue and s.room and not s.online),
        lambda s: [f"{s.venue}\0{s.room}"],
    )
    with _KEPT.round() as recall:
        for key in sorted(by_room):
            sessions = by_room[key]
            yield from recall(key, tuple(sessions), _clashes, key, sessions)


def _clashes(key: str, sessions: list[Session]) -> list[Diagnostic]:
    venue, _, room = key.partition("\0")
    return [err(later.loc, "room-double-booked",
            f"room {room!r} of venue {venue!r} is double-booked: {later.key} "
            f"{when(later)} overlaps {earlier.key} ({when(earlier)}); move one session "
            "or give it another room")
            for earlier, later in sweep(sessions)]
