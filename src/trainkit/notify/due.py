"""Notices that time brings: reminders, certificate expiry, at-risk learners, waitlist places.

Everything is judged at one moment (``--as-of``, by default now), so the
same run gives the same notices, and each has a reason the ledger keeps: a
daily run sends each notice once, and a missed day is caught up the next.

* **Session reminders**: for each window (``reminders`` of the program, else
  of ``notifications`` in ``trainkit.yaml``; default 2 days), once the
  moment is within that window before the start and the session has not
  started. When several windows are open only the nearest is sent. Enrolled
  learners and the session's instructors; a rescheduled session is reminded
  again.
* **Certificates**: once when fewer days than a window are left before
  expiry (``certificate_windows``, default 90 and 30; only the nearest open
  window), and once in the 30 days after expiry. Revoked ones are skipped.
* **At risk**: once per learner and cohort, when the completion rules say
  ``at-risk`` (:mod:`~trainkit.outcomes.completion`).
* **Feedback**: once per learner and survey of the program that has a
  ``form_url`` (per session for ``when: session``), in the 14 days after the
  survey opens (see :func:`~trainkit.outcomes.feedback.asked_at`), with the
  form's address pre-filled with the cohort.
* **Waitlist**: when a cohort that is open and has not started has free
  places, the first waitlisted learners (file order), as many as there are
  places, are told once.

Learners with ``reminders: false`` get neither reminders, certificate nor
at-risk notices; waitlist places are offered to them all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from trainkit.model import Academy, Cohort, Session
from trainkit.notify.notice import OPTIONAL, Notice, recipient_of
from trainkit.outcomes.certificates import EXPIRED, REVOKED, issue
from trainkit.outcomes.completion import Outcome, evaluate
from trainkit.outcomes.feedback import asked_at
from trainkit.outcomes.requirements import AT_RISK
from trainkit.writers.feedlinks import cohort_page_path
from trainkit.writers.site.registration import prefilled_url

EXPIRED_FOR = timedelta(days=30)  # how long after expiry an "expired" notice may still go
FEEDBACK_FOR = timedelta(days=14)  # how long after a survey opens its request may still go


def due(academy: Academy, as_of: datetime) -> list[Notice]:
    found = [*_reminders(academy, as_of), *_waitlist(academy, as_of),
             *_feedback(academy, as_of)]
    if any(c.active_enrollments() for c in academy.cohorts.values()):
        outcomes = evaluate(academy, as_of)
        found += _at_risk(academy, outcomes)
        found += _certificates(academy, outcomes, as_of)
    return [n for n in found if n.kind not in OPTIONAL or n.recipient.reminders]


def label(window: timedelta) -> str:
    days, rest = window.days, window.seconds
    hours, minutes = rest // 3600, rest % 3600 // 60
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + \
        (f"{minutes}m" if minutes else "")
    return text or "0m"


def _reminders(academy: Academy, as_of: datetime) -> Iterator[Notice]:
    default = academy.settings.notifications.reminders
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        program = academy.programs.get(cohort.program)
        windows = program.reminders if program and program.reminders is not None else default
        if not windows:
            continue
        widest = max(windows)
        for s in cohort.sessions:
            if s.cancelled or not as_of < s.start <= as_of + widest:
                continue
            window = min(w for w in windows if s.start - w <= as_of)
            yield from _remind(academy, cohort, s, window)


def _remind(academy: Academy, cohort: Cohort, s: Session, window: timedelta) -> Iterator[Notice]:
    people = [("learner", e.learner) for e in cohort.active_enrollments()]
    people += [("instructor", i) for i in s.instructors]
    for role, pid in people:
        who = recipient_of(academy, role, pid)
        if who is not None:
            reason = f"reminder {s.key} {pid} {label(window)} {s.start.isoformat()}"
            yield Notice("reminder", who, reason, s, None, 0, {"window": label(window)})


def _first_session(cohort: Cohort) -> Session | None:
    return next((s for s in cohort.sessions if not s.cancelled), None)


def _cohort_extra(academy: Academy, cohort: Cohort) -> dict[str, object]:
    return {"cohort": cohort, "program": academy.programs.get(cohort.program),
            "cohort_url": academy.settings.base_url + cohort_page_path(cohort.id)}


def _waitlist(academy: Academy, as_of: datetime) -> Iterator[Notice]:
    for cohort in academy.cohorts.values():
        first = _first_session(cohort)
        waiting = cohort.waitlist()
        if not waiting or cohort.status != "open" or first is None or first.start <= as_of:
            continue
        free = cohort.capacity - len(cohort.active_enrollments())
        for e in waiting[:max(free, 0)]:
            who = recipient_of(academy, "learner", e.learner)
            if who is not None:
                yield Notice("waitlist-offer", who, f"waitlist-offer {cohort.id} {e.learner}",
                             first, None, 0, _cohort_extra(academy, cohort))


def _feedback(academy: Academy, as_of: datetime) -> Iterator[Notice]:
    """A learner is asked once per survey (per session for a per-session one) that has a
    form, in the days after it opens, with the form's address pre-filled with the cohort."""
    for cohort in academy.cohorts.values():
        program = academy.programs.get(cohort.program)
        surveys = [academy.surveys[s] for s in (program.surveys if program else ())
                   if s in academy.surveys and academy.surveys[s].form_url]
        if cohort.status == "cancelled" or not surveys:
            continue
        for survey in surveys:
            for opened, session in asked_at(survey, cohort):
                if not opened <= as_of < opened + FEEDBACK_FOR:
                    continue
                about = f"{cohort.id}/{session.id}" if session else cohort.id
                extra = {**_cohort_extra(academy, cohort), "survey": survey,
                         "form_url": prefilled_url(survey.form_url or "", cohort.id)}
                for e in cohort.active_enrollments():
                    who = recipient_of(academy, "learner", e.learner)
                    if who is not None:
                        yield Notice("feedback-request", who,
                                     f"feedback-request {survey.id} {about} {e.learner}",
                                     session, None, 0, extra)


def _at_risk(academy: Academy, outcomes: list[Outcome]) -> Iterator[Notice]:
    for o in outcomes:
        if o.status != AT_RISK:
            continue
        who = recipient_of(academy, "learner", o.learner)
        cohort = academy.cohorts.get(o.cohort)
        if who is not None and cohort is not None:
            yield Notice("at-risk", who, f"at-risk {o.cohort} {o.learner}", None, None, 0,
                         {**_cohort_extra(academy, cohort), "why": o.reason})


def _certificates(academy: Academy, outcomes: list[Outcome],
                  as_of: datetime) -> Iterator[Notice]:
    today = as_of.astimezone(ZoneInfo(academy.settings.timezone)).date()
    windows = academy.settings.notifications.certificate_windows
    for cert in issue(academy, outcomes, None):
        status = cert.status(today)
        if cert.expires_on is None or status == REVOKED:
            continue
        who = recipient_of(academy, "learner", cert.learner)
        if who is None:
            continue
        left = (cert.expires_on - today).days
        extra = {"certificate": cert, "days": left}
        if status == EXPIRED:
            if today - cert.expires_on < EXPIRED_FOR:
                yield Notice("certificate-expired", who, f"certificate-expired {cert.id}",
                             None, None, 0, extra)
            continue
        open_windows = [w for w in windows if left <= w]
        if open_windows:
            w = min(open_windows)
            yield Notice("certificate-expiring", who, f"certificate-expiring {cert.id} {w}d",
                         None, None, 0, extra)


