"""Enroll, withdraw, transfer and promote: the cohort file edits behind the commands.

Each operation reads the resolved academy to decide (capacity, registration
window, existing enrollments), edits the cohort files through
:class:`~trainkit.edit.changes.Changes`, and returns what it did in words.
A registration it cannot accept raises :class:`Refused`; the caller writes
nothing then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from trainkit.diagnostics import did_you_mean
from trainkit.edit.changes import Changes
from trainkit.model import Academy, Cohort, Enrollment
from trainkit.resolve import registration

ACTIVE = ("enrolled", "waitlisted")
_ENTRY_KEYS = ("learner", "status", "date", "reason")


class Refused(Exception):
    """A change the academy does not accept, with the reason in the user's terms."""


def cohort_of(academy: Academy, cohort_id: str, known: Iterable[str] = ()) -> Cohort:
    """The cohort, refused when unknown (``known``: every cohort id, for suggestions)."""
    cohort = academy.cohorts.get(cohort_id)
    if cohort is None:
        raise Refused(f"there is no cohort {cohort_id!r}; "
                      f"{did_you_mean(cohort_id, list(known) or list(academy.cohorts))}")
    if cohort.status == "cancelled":
        raise Refused(f"cohort {cohort_id!r} is cancelled and takes no enrollments")
    return cohort


def entry_of(cohort: Cohort, learner_id: str) -> tuple[int, Enrollment] | None:
    """The last enrollment entry of ``learner_id`` in the cohort, with its index."""
    found = [(i, e) for i, e in enumerate(cohort.enrollments) if e.learner == learner_id]
    return found[-1] if found else None


def waitlist(cohort: Cohort) -> list[Enrollment]:
    """Waitlisted learners in order of registration date (undated last, then file order)."""
    waiting = [(i, e) for i, e in enumerate(cohort.enrollments) if e.status == "waitlisted"]
    waiting.sort(key=lambda ie: (ie[1].enrolled_on or date.max, ie[0]))
    return [e for _, e in waiting]


def enroll(changes: Changes, academy: Academy, cohort_id: str, learner_id: str, day: date,
           *, force: bool = False, reason: str | None = None,
           new_learner: bool = False) -> tuple[str, str]:
    """Enroll (or waitlist, when full) ``learner_id`` in ``cohort_id``, registered on ``day``.

    ``new_learner``: the learner is being added to the directory by the same change.
    Returns the new status (``enrolled`` or ``waitlisted``) and what was done, in words.
    """
    cohort = cohort_of(academy, cohort_id, changes.cohort_ids)
    if learner_id not in academy.learners and not new_learner:
        raise Refused(f"there is no learner {learner_id!r} in the learner directory; add them "
                      "with --email and --name instead")
    found = entry_of(cohort, learner_id)
    if found is not None and found[1].status in ACTIVE:
        where = "on the waitlist of" if found[1].status == "waitlisted" else "enrolled in"
        raise Refused(f"learner {learner_id!r} is already {where} cohort {cohort_id!r} "
                      f"({found[1].loc.path}:{found[1].loc.line})")
    why = registration.refusal(cohort, day)
    if why is not None and not force:
        raise Refused(f"{why}; to enroll anyway, pass --force --reason TEXT (the reason is "
                      "recorded in the cohort file)")
    status = "waitlisted" if registration.is_full(cohort) else "enrolled"
    entry: dict[str, object] = {"learner": learner_id, "status": status, "date": day}
    if reason:
        entry["reason"] = reason
    _put_entry(changes, cohort, found[0] if found else None, entry)
    return status, _enrolled_words(cohort, learner_id, status)


def _put_entry(changes: Changes, cohort: Cohort, index: int | None,
               entry: dict[str, object]) -> None:
    doc = changes.open(cohort.loc.path)
    if index is None:
        doc.append(["enrollments"], entry, after=("status", "capacity", "instructors", "room",
                                                  "venue", "timezone", "title", "version"))
        return
    for key in _ENTRY_KEYS:  # a returning learner: the old entry is brought up to date
        if key in entry:
            doc.set(["enrollments", index, key], entry[key],
                    after=_ENTRY_KEYS[: _ENTRY_KEYS.index(key)])
        elif doc.get(["enrollments", index, key]) is not None:
            doc.remove(["enrollments", index, key])


def _enrolled_words(cohort: Cohort, learner_id: str, status: str) -> str:
    enrolled = len(cohort.active_enrollments())
    if status == "waitlisted":
        place = len(cohort.waitlist()) + 1
        return (f"cohort {cohort.id!r} is full ({enrolled} of {cohort.capacity} places taken): "
                f"learner {learner_id!r} is on its waitlist, position {place}")
    left = registration.free_places(cohort)
    seats = f" ({left - 1} of {cohort.capacity} places left)" if left is not None else ""
    return f"enrolled learner {learner_id!r} in cohort {cohort.id!r}{seats}"


def withdraw(changes: Changes, academy: Academy, cohort_id: str, learner_id: str,
             reason: str | None = None) -> str:
    cohort = cohort_of(academy, cohort_id, changes.cohort_ids)
    found = entry_of(cohort, learner_id)
    if found is None or found[1].status not in ACTIVE:
        state = f" (status: {found[1].status})" if found else ""
        raise Refused(f"learner {learner_id!r} is not enrolled or waitlisted in cohort "
                      f"{cohort_id!r}{state}")
    index, old = found
    doc = changes.open(cohort.loc.path)
    doc.set(["enrollments", index, "status"], "withdrawn", after=("learner",))
    if reason:
        doc.set(["enrollments", index, "reason"], reason, after=_ENTRY_KEYS[:3])
    words = f"withdrew learner {learner_id!r} from cohort {cohort_id!r}"
    if old.status == "enrolled" and cohort.waitlist():
        words += (f"; a place is free and {len(cohort.waitlist())} learner(s) wait: "
                  f"'trainkit promote {cohort_id}' enrolls the first")
    return words


def transfer(changes: Changes, academy: Academy, learner_id: str, source: str, target: str,
             day: date, *, force: bool = False, reason: str | None = None) -> list[str]:
    """Withdraw from ``source`` and enroll (or waitlist) in ``target``."""
    if source == target:
        raise Refused("the two cohorts of a transfer must differ")
    cohort_of(academy, target, changes.cohort_ids)  # refused before anything changes
    why = reason or f"transferred to {target}"
    out = [withdraw(changes, academy, source, learner_id, why).split(";")[0]]
    out.append(enroll(changes, academy, target, learner_id, day, force=force,
                      reason=reason or f"transferred from {source}")[1])
    return out


def promote(changes: Changes, academy: Academy, cohort_id: str) -> list[str]:
    """Enroll waitlisted learners, earliest registration first, while places are free."""
    cohort = cohort_of(academy, cohort_id, changes.cohort_ids)
    waiting = waitlist(cohort)
    if not waiting:
        return [f"cohort {cohort_id!r} has nobody on its waitlist"]
    free = registration.free_places(cohort)
    chosen = waiting if free is None else waiting[:free]
    if not chosen:
        return [f"cohort {cohort_id!r} is full ({cohort.capacity} places); "
                f"{len(waiting)} learner(s) stay on the waitlist"]
    doc = changes.open(cohort.loc.path)
    index = {id(e): i for i, e in enumerate(cohort.enrollments)}
    for e in chosen:
        doc.set(["enrollments", index[id(e)], "status"], "enrolled", after=("learner",))
    out = [f"enrolled learner {e.learner!r} from the waitlist of cohort {cohort_id!r}"
           for e in chosen]
    if len(waiting) > len(chosen):
        out.append(f"{len(waiting) - len(chosen)} learner(s) stay on the waitlist")
    return out
