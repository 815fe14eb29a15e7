"""Notices from a change between two revisions of the academy.

For every cohort the semantic diff says changed, each person's sessions are
compared, one (session, person) at a time, with what that person's calendar
holds:

* now attending a live session they do not hold (enrolled, a new session,
  a session restored): ``invitation``, or ``assignment`` for an instructor;
* a live session whose time, room, venue or meeting link changed: ``update``;
* a session they hold that is cancelled, removed, or that they left
  (withdrawn, unassigned, the cohort removed or cancelled): ``cancellation``.

What a calendar holds is what the ledger says this person was last sent
about the event (a request holds it, a cancellation does not), and, for
events never sent, what BASE had. So ranges that overlap, or a run that
failed before, still lead to the right messages: a request for the state
HEAD has, a cancellation for an event they hold, nothing twice.

Only *enrolled* learners hold sessions: a waitlisted learner gets no session
messages (``trainkit notify --due`` tells them when a place is free).
Sessions that have ended by the run's moment are left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from trainkit.history.changes import SemDiff
from trainkit.history.sequence import History, signature
from trainkit.model import Academy, Cohort, Session
from trainkit.notify.ledger import Ledger
from trainkit.notify.notice import Notice, Recipient, recipient_of
from trainkit.writers.feeds.ics import session_uid

Held = dict[tuple[str, str], dict[str, Session]]  # (role, person) -> session id -> session


def changed_cohorts(old: Academy | None, new: Academy, semdiff: SemDiff) -> list[str]:
    olds = old.cohorts if old else {}
    found = {c.cohort for c in semdiff.changes if c.cohort} | (olds.keys() ^ new.cohorts.keys())
    return sorted(found)


@dataclass
class _Scope:
    old: Academy | None
    new: Academy
    history: History
    ledger: Ledger
    moment: datetime
    uids: dict[str, str] = field(default_factory=dict)
    people: dict[str, set[tuple[str, str]]] | None = None  # e-mail -> (role, id), built once

    def by_email(self) -> dict[str, set[tuple[str, str]]]:
        if self.people is None:
            self.people = {}
            for academy in (self.new, self.old):
                for lid, person in (academy.learners if academy else {}).items():
                    self.people.setdefault(person.email.lower(), set()).add(("learner", lid))
                for iid, teacher in (academy.instructors if academy else {}).items():
                    self.people.setdefault(teacher.email.lower(), set()).add(("instructor", iid))
        return self.people

    def uid(self, key: str) -> str:
        found = self.uids.get(key)
        if found is None:
            found = self.uids[key] = session_uid(self.new.settings.id, key)
        return found


def notices(old: Academy | None, new: Academy, cohorts: list[str], history: History,
            moment: datetime, ledger: Ledger | None = None) -> Iterator[Notice]:
    scope = _Scope(old, new, history, ledger or Ledger(None), moment)
    for cid in cohorts:
        a = old.cohorts.get(cid) if old else None
        yield from _cohort(scope, a, new.cohorts.get(cid))


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


def _ledger_holders(scope: _Scope, a: Cohort | None, b: Cohort | None) -> set[tuple[str, str]]:
    """(role, person) the ledger says hold a session of this cohort."""
    emails: set[str] = set()
    if not scope.ledger.holders:
        return set()
    for c in (a, b):
        for s in c.sessions if c else ():
            emails |= scope.ledger.holders.get(scope.uid(s.key), set())
    index = scope.by_email() if emails else {}
    return set().union(*(index.get(e, set()) for e in emails))


def _cohort(scope: _Scope, a: Cohort | None, b: Cohort | None) -> Iterator[Notice]:
    before, after = _held(a), _held(b)
    known = _ledger_holders(scope, a, b)
    every = {s.id: s for c in (a, b) if c for s in c.sessions}
    for role, pid in sorted(before.keys() | after.keys() | known):
        who = recipient_of(scope.new, role, pid) or (
            recipient_of(scope.old, role, pid) if scope.old else None)
        if who is None:
            continue
        x, y = before.get((role, pid), {}), after.get((role, pid), {})
        sids = x.keys() | y.keys() | (every.keys() if (role, pid) in known else set())
        for sid in sorted(sids):
            notice = _one(scope, a, b, who, x.get(sid), y.get(sid), every[sid])
            if notice is not None:
                yield notice


def _one(scope: _Scope, a: Cohort | None, b: Cohort | None, who: Recipient,
         was: Session | None, now: Session | None, any_side: Session) -> Notice | None:
    holds = scope.ledger.holds(scope.uid(any_side.key), who.email) if scope.ledger.last \
        else None
    held = (was is not None) if holds is None else holds
    if now is not None and now.end > scope.moment:
        if not held:
            kind = "assignment" if who.role == "instructor" else "invitation"
        elif holds is None and was is not None and signature(was, b) == signature(now, b):  # type: ignore[arg-type]
            return None  # nothing changed for them (and nothing was sent before)
        else:
            kind = "update"  # the ledger drops it if they already have this state
        return Notice(kind, who, _reason("REQUEST", now, b, who), now, "REQUEST",
                      scope.history.of(now.key).sequence, {"previous": was})
    gone = was or any_side
    if now is None and held and gone.end > scope.moment:
        current = next((s for s in (b.sessions if b else ()) if s.id == gone.id), None)
        extra: dict[str, object] = {"why": _why(who.role, b, current)}
        if b is None and a is not None:  # the cohort is gone: keep what it was
            programs = scope.old.programs if scope.old else {}
            extra |= {"cohort": a,
                      "program": programs.get(a.program) or scope.new.programs.get(a.program)}
        return Notice("cancellation", who, _reason("CANCEL", gone, a or b, who), gone,
                      "CANCEL", scope.history.of(gone.key).sequence, extra)
    return None


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


def _reason(method: str, s: Session, c: Cohort | None, who: Recipient) -> str:
    """The ledger identity: the method and the state of the event the person will hold."""
    state = repr(signature(s, c)) if c is not None and method == "REQUEST" else "cancelled"
    digest = hashlib.sha256(state.encode()).hexdigest()[:12]
    return f"{method.lower()} {s.key} {who.role}:{who.id} {digest}"
