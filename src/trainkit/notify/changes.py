"""Notices from a change between two revisions of the academy.

For every cohort the semantic diff says changed, each person's sessions are
compared, one (session, person) at a time, as the calendar that took the
earlier invitation holds them:

* now attending a live session they did not have (enrolled, a new session,
  a session restored): ``invitation``, or ``assignment`` for an instructor;
* a live session whose time, room, venue, meeting link changed: ``update``;
* a session they had that is cancelled, removed, or that they left
  (withdrawn, unassigned, the cohort removed or cancelled): ``cancellation``.

Only *enrolled* learners hold sessions: a waitlisted learner gets no session
messages (``trainkit notify --due`` tells them when a place is free).
Sessions that have ended by the run's moment are left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime

from trainkit.history.changes import SemDiff
from trainkit.history.sequence import History, signature
from trainkit.model import Academy, Cohort, Session
from trainkit.notify.notice import Notice, recipient_of

Held = dict[tuple[str, str], dict[str, Session]]  # (role, person) -> session id -> session


def changed_cohorts(old: Academy | None, new: Academy, semdiff: SemDiff) -> list[str]:
    olds = old.cohorts if old else {}
    found = {c.cohort for c in semdiff.changes if c.cohort} | (olds.keys() ^ new.cohorts.keys())
    return sorted(found)


def notices(old: Academy | None, new: Academy, cohorts: list[str], history: History,
            moment: datetime) -> Iterator[Notice]:
    for cid in cohorts:
        a = old.cohorts.get(cid) if old else None
        b = new.cohorts.get(cid)
        yield from _cohort(old, new, a, b, history, moment)


def _held(c: Cohort | None) -> Held:
    """Who holds which live session of ``c`` (cancelled ones are not held)."""
    out: Held = {}
    if c is None or c.status == "cancelled":
        return out
    live = {s.id: s for s in c.sessions if not s.cancelled}
    for e in c.active_enrollments():
        out[("learner", e.learner)] = live
    for s in live.values():
        for i in s.instructors:
            out.setdefault(("instructor", i), {})[s.id] = s
    return out


def _cohort(old: Academy | None, new: Academy, a: Cohort | None, b: Cohort | None,
            history: History, moment: datetime) -> Iterator[Notice]:
    before, after = _held(a), _held(b)
    for role, pid in sorted(before.keys() | after.keys()):
        x, y = before.get((role, pid), {}), after.get((role, pid), {})
        who = recipient_of(new, role, pid) or (recipient_of(old, role, pid) if old else None)
        if who is None:
            continue
        for sid in sorted(x.keys() | y.keys()):
            was, now = x.get(sid), y.get(sid)
            if now is not None and now.end > moment:
                if was is None:
                    kind = "assignment" if role == "instructor" else "invitation"
                elif signature(was, b) != signature(now, b):  # type: ignore[arg-type]
                    kind = "update"
                else:
                    continue
                yield Notice(kind, who, _reason("REQUEST", now, b, who.id), now, "REQUEST",
                             history.of(now.key).sequence, {"previous": was})
            elif now is None and was is not None and was.end > moment:
                gone = b.sessions if b else ()
                current = next((s for s in gone if s.id == sid), None)
                extra: dict[str, object] = {"why": _why(role, b, current)}
                if b is None and a is not None:  # the cohort is gone: keep what it was
                    extra |= {"cohort": a, "program": (old.programs if old else {}).get(
                        a.program) or new.programs.get(a.program)}
                yield Notice("cancellation", who, _reason("CANCEL", was, a, who.id), was,
                             "CANCEL", history.of(was.key).sequence, extra)


def _why(role: str, cohort: Cohort | None, session: Session | None) -> str:
    """Why someone no longer holds a session, for the templates."""
    if cohort is None:
        return "cohort-removed"
    if cohort.status == "cancelled":
        return "cohort-cancelled"
    if session is None:
        return "session-removed"
    if session.cancelled:
        return "session-cancelled"
    return "unassigned" if role == "instructor" else "withdrawn"


def _reason(method: str, s: Session, c: Cohort | None, person: str) -> str:
    """The ledger identity: the method and the state of the event the person will hold."""
    state = repr(signature(s, c)) if c is not None else repr((s.start, s.end))
    digest = hashlib.sha256(state.encode()).hexdigest()[:12]
    return f"{method.lower()} {s.key} {person} {digest}"
