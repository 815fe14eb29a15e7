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
from trainkit.model import Academy
from trainkit.rules._util import err, group_by, live_sessions, sweep, when

CODES = {"room-double-booked": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    by_room = group_by(
        (s for s in live_sessions(academy) if s.venue and s.room and not s.online),
        lambda s: [f"{s.venue}\0{s.room}"],
    )
    for key in sorted(by_room):
        venue, _, room = key.partition("\0")
        sessions = by_room[key]
        for earlier, later in sweep([(s.start, s.end, s) for s in sessions]):
            yield err(later.loc, "room-double-booked",
                      f"room {room!r} of venue {venue!r} is double-booked: {later.key} "
                      f"{when(later)} overlaps {earlier.key} ({when(earlier)}); move one session "
                      "or give it another room")
