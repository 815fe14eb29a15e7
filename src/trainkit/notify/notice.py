"""One notification to one person, before it becomes an e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trainkit.model import Academy, Instructor, Learner, Session

# Message kinds, each with a template pair ``<kind>.txt`` / ``<kind>.html``.
KINDS = (
    "invitation",  # enrolled, a new session, a session restored: REQUEST
    "update",  # rescheduled, moved to another room or venue, a new link: REQUEST
    "cancellation",  # cancelled, removed, withdrawn, unassigned: CANCEL
    "assignment",  # an instructor newly assigned to a session: REQUEST
    "reminder",  # a session starts soon
    "certificate-expiring",  # a certificate expires within a window
    "certificate-expired",  # a certificate has expired
    "at-risk",  # the completion rules say a learner may not complete
    "waitlist-offer",  # a place is free for a waitlisted learner
    "feedback-request",  # a feedback survey of the learner's cohort has opened
)
# Kinds a learner may opt out of with ``reminders: false``.
OPTIONAL = frozenset({"reminder", "certificate-expiring", "certificate-expired", "at-risk",
                      "feedback-request"})


@dataclass(frozen=True, slots=True)
class Recipient:
    id: str  # learner or instructor id
    role: str  # learner | instructor
    name: str
    email: str
    timezone: str | None  # None: show times in the session's zone
    reminders: bool = True


def learner(person: Learner) -> Recipient:
    return Recipient(person.id, "learner", person.name, person.email, person.timezone,
                     person.reminders)


def instructor(person: Instructor) -> Recipient:
    return Recipient(person.id, "instructor", person.name, person.email, person.timezone)


@dataclass(frozen=True, slots=True)
class Notice:
    """What to tell whom, and why.

    ``reason`` is the message's identity in the ledger: the same reason is
    never sent twice. Session messages name the state of the event the
    person will hold (a digest of time, place, link and status), so a rerun,
    or a later range that covers the same change, finds it already sent.
    """

    kind: str
    recipient: Recipient
    reason: str
    session: Session | None = None  # the session the calendar part is about
    method: str | None = None  # REQUEST | CANCEL | None (no calendar part)
    feed_sequence: int = 0  # the SEQUENCE of the session's event in the feeds
    # Template context beyond academy, recipient and session (previous session,
    # certificate, outcome, window ...); not part of the notice's identity.
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


def recipient_of(academy: Academy, role: str, person_id: str) -> Recipient | None:
    """The learner or instructor with an e-mail address, or ``None``."""
    if role == "learner":
        who = academy.learners.get(person_id)
        return learner(who) if who is not None and who.email else None
    teacher = academy.instructors.get(person_id)
    return instructor(teacher) if teacher is not None and teacher.email else None
