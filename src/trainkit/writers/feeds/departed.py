"""What the feeds keep of sessions and cohort files that are gone, so calendars learn of it.

A calendar app that subscribed to a feed keeps what it last read when the
feed disappears (a 404), and a session that simply vanishes from a feed
vanishes from people's calendars without a word. So, from the git history
(:mod:`trainkit.history`):

* **A removed session** (deleted from its cohort file, or its whole file
  deleted) stays in the feeds it was in as a cancelled event for
  :data:`KEEP_REMOVED` after the commit that removed it: same UID, SEQUENCE
  one higher than its last, ``STATUS:CANCELLED``, "Cancelled: " in its title
  and "removed from the schedule" as the reason (or the cancellation reason
  it already had). A deleted cohort file's feed stays published for that
  time too, holding those cancellations.
* **A renamed cohort file** (``git mv``, or any rename git detects) gets a
  new id, so a new feed address and new UIDs. The feed at the old address
  keeps being written, for as long as the cohort exists, with the cohort's
  current events and a description that gives the new address: subscribers
  of the old address lose nothing and can move when they like.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from trainkit.history.sequence import KEEP_REMOVED, Change, Gone, History
from trainkit.model import Academy, Cohort, Session

REMOVED_REASON = "removed from the schedule"


@dataclass(frozen=True, slots=True)
class Ghost:
    """A removed session as the feeds write it: cancelled, with its history."""

    session: Session
    cohort: Cohort
    change: Change


def ghosts(history: History, academy: Academy, now: datetime) -> list[Ghost]:
    """The removed sessions still within :data:`KEEP_REMOVED` of their removal."""
    current = {s.key for c in academy.cohorts.values() for s in c.sessions}
    out = []
    for gone in history.gone:
        if now - gone.removed >= KEEP_REMOVED or gone.session.key in current:
            continue
        out.append(_ghost(gone))
    out.sort(key=lambda g: (g.session.start, g.session.key))
    return out


def _ghost(gone: Gone) -> Ghost:
    s = gone.session
    was_cancelled = s.cancelled or gone.cohort.status == "cancelled"
    session = s if was_cancelled else replace(s, status="cancelled", reason=REMOVED_REASON)
    # Removing a live session is one more change: its cancellation must supersede the copy held.
    sequence = gone.sequence if was_cancelled else gone.sequence + 1
    return Ghost(session, gone.cohort, Change(sequence, gone.removed))


def gone_cohorts(found: list[Ghost], academy: Academy,
                 moved: dict[str, str]) -> dict[str, Cohort]:
    """Cohorts whose file is gone (not renamed) but whose removed sessions are kept, by id."""
    return {g.cohort.id: g.cohort for g in found
            if g.cohort.id not in academy.cohorts and g.cohort.id not in moved}


def aliases(history: History, academy: Academy) -> dict[str, str]:
    """Old cohort id -> current id, for renamed cohort files (the current id wins a clash)."""
    return {old: new for old, new in sorted(history.moved.items())
            if old not in academy.cohorts and new in academy.cohorts}


def moved_description(name: str, new_url: str) -> str:
    return (f"Sessions of the cohort {name}. This calendar has moved to {new_url}: subscribe "
            "there. This address keeps showing the same sessions as long as the cohort exists.")
