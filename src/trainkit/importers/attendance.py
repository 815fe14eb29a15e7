"""Turn an attendance export into canonical rows for one session.

Minutes become a status by the program's rule:

* **present**: in the session for at least ``present_threshold`` (from the
  program's ``completion.attendance``, default 75%) of its scheduled length.
  Minutes are counted inside the scheduled start and end, with the
  intervals of rejoins merged so overlaps count once.
* **late**: as present, but first joined more than ``late_after`` minutes
  (default 10) after the start.
* **absent**: below the threshold (the minutes are kept in the row), or an
  enrolled learner who is not in the export at all.

A matched learner who is not enrolled in the session's cohort is written
only when they are enrolled in another cohort of the same program and the
program allows make-ups; otherwise they are listed and left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainkit.importers.common import Participant, merged_minutes
from trainkit.importers.identity import Matcher
from trainkit.model import Academy, Session

COLUMNS = ("session", "learner", "status", "minutes", "note")


@dataclass
class Outcome:
    """What an import did, for the command to report."""

    rows: list[dict[str, str]]
    matched: int = 0
    absent: int = 0
    staff: int = 0
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)  # line, name, email
    not_enrolled: list[tuple[str, str]] = field(default_factory=list)  # learner, why
    notes: list[str] = field(default_factory=list)  # anything else the user should know


def _minutes(people: list[Participant], s: Session) -> float:
    intervals = [iv for p in people for iv in p.intervals]
    if intervals:
        return merged_minutes(intervals, s.start, s.end)
    scheduled = s.duration.total_seconds() / 60
    return min(sum(p.minutes for p in people), scheduled)


def _status(minutes: float, people: list[Participant], s: Session, threshold: float,
            late_after: int) -> tuple[str, str]:
    scheduled = s.duration.total_seconds() / 60
    if minutes + 1e-9 < threshold * scheduled:
        return "absent", f"{minutes:.0f} of {scheduled:.0f} min"
    joins = [p.first_join for p in people if p.first_join is not None]
    first = min(joins) if joins else None
    if first is not None and (first - s.start).total_seconds() > late_after * 60:
        return "late", f"joined {first.astimezone(s.start.tzinfo):%H:%M}"
    return "present", ""


def build(academy: Academy, session: Session, participants: list[Participant],
          matcher: Matcher, late_after: int = 10) -> Outcome:
    program = academy.programs[session.program]
    cohort = academy.cohorts[session.cohort]
    enrolled = {e.learner for e in cohort.active_enrollments()}
    out = Outcome(rows=[])
    found: dict[str, list[Participant]] = {}
    for p in participants:
        learner = matcher.match(p.name, p.email)
        if learner is not None:
            found.setdefault(learner, []).append(p)
        elif matcher.is_staff(p.email):
            out.staff += 1
        else:
            out.unmatched.append((p.line, p.name, p.email))
    for learner in sorted(found):
        note = ""
        if learner not in enrolled:
            home = _makeup_home(academy, learner, session)
            if home is None or not program.completion.makeups:
                out.not_enrolled.append((learner, f"not enrolled in {cohort.id}"))
                continue
            note = f"make-up from {home}; "
        minutes = _minutes(found[learner], session)
        status, why = _status(minutes, found[learner], session,
                              program.completion.present_threshold, late_after)
        out.matched += 1
        out.rows.append({"session": session.key, "learner": learner, "status": status,
                         "minutes": f"{minutes:.0f}", "note": (note + why).strip("; ")})
    for learner in sorted(enrolled - set(found)):
        out.absent += 1
        out.rows.append({"session": session.key, "learner": learner, "status": "absent",
                         "minutes": "", "note": "not in the report"})
    out.rows.sort(key=lambda r: r["learner"])
    return out


def _makeup_home(academy: Academy, learner: str, session: Session) -> str | None:
    for c in academy.cohorts_of(session.program):
        if c.id != session.cohort and any(e.learner == learner for e in c.active_enrollments()):
            return c.id
    return None
