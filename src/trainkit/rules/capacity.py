"""over-capacity, room-capacity, waitlist-with-space: places, people and rooms.

* **over-capacity** (error): more learners with ``status: enrolled`` than
  the cohort's ``capacity`` (reported at the first enrollment past it), or
  more enrolled learners than seats in a room one of its sessions uses
  (reported at the first such session). Move learners to the waitlist
  (``status: waitlisted``), raise the capacity, or book a bigger room.
* **room-capacity** (warning): the cohort offers more places than a room it
  uses has seats, although the learners enrolled so far still fit. Lower the
  cohort's ``capacity`` or book a bigger room before it fills up.
* **waitlist-with-space** (warning): an open cohort has waitlisted learners
  while places are free; enroll them, or close the cohort.

A cohort without a capacity (none in the cohort or its program) has no
limit on places; its rooms still limit it. Cancelled cohorts and sessions
are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort
from trainkit.rules._util import err, warn

CODES = {"over-capacity": "error", "room-capacity": "warning", "waitlist-with-space": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        enrolled = cohort.active_enrollments()
        if cohort.capacity <= 0:  # no capacity set anywhere: places are not limited
            yield from _rooms(academy, cohort, len(enrolled))
            continue
        if len(enrolled) > cohort.capacity:
            yield err(enrolled[cohort.capacity].loc, "over-capacity",
                      f"cohort {cohort.id!r} has {len(enrolled)} enrolled learners but "
                      f"{cohort.capacity} places; this is enrollment {cohort.capacity + 1}. Move "
                      "learners to the waitlist (status: waitlisted) or raise 'capacity'")
        waiting = cohort.waitlist()
        if waiting and cohort.status == "open" and len(enrolled) < cohort.capacity:
            free = cohort.capacity - len(enrolled)
            yield warn(waiting[0].loc, "waitlist-with-space",
                       f"cohort {cohort.id!r} has {free} free place(s) but {len(waiting)} "
                       "waitlisted learner(s); enroll them (status: enrolled) or close the cohort")
        yield from _rooms(academy, cohort, len(enrolled))


def _rooms(academy: Academy, cohort: Cohort, enrolled: int) -> Iterator[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    for s in cohort.sessions:
        if s.cancelled or s.online or not s.venue or not s.room or (s.venue, s.room) in seen:
            continue
        seen.add((s.venue, s.room))
        venue = academy.venues.get(s.venue)
        room = venue.room(s.room) if venue else None
        if room is None:  # reported by the references rule
            continue
        where = f"room {room.id!r} of venue {s.venue!r} seats {room.capacity}"
        if enrolled > room.capacity:
            yield err(s.loc, "over-capacity",
                      f"{where} but cohort {cohort.id!r} has {enrolled} enrolled learners "
                      f"({s.key} is the first session there); book a bigger room or move learners")
        elif cohort.capacity > room.capacity:  # 0 (no capacity set) never is
            yield warn(s.loc, "room-capacity",
                       f"{where} but cohort {cohort.id!r} offers {cohort.capacity} places "
                       f"({s.key} is the first session there); lower the cohort's 'capacity' "
                       "or book a bigger room")
