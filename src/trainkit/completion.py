"""Who has completed a program: the completion rules applied to the records.

``evaluate(academy, as_of)`` gives one :class:`Outcome` per learner enrolled
(status ``enrolled``) in a cohort that is not cancelled. Everything is judged
*as of* a moment: sessions that end after it have not happened, quiz attempts
submitted after it do not exist yet. The build passes its fixed epoch, so the
result never depends on the wall clock.

How the rules read (``completion:`` in ``program.yaml``):

* **Attendance** is measured against all non-cancelled sessions of the
  cohort. Each session earns credit: present 1, late ``late_weight``,
  excused ``excused_weight``, absent or no record 0. ``min_share`` compares
  credit / sessions with the share; ``min_sessions`` compares credit with a
  count. With ``makeups: true``, attending a session of the same template in
  another cohort of the same program (present or late) earns full credit.
* **Mandatory sessions** (plan templates marked ``mandatory`` and
  ``mandatory_sessions``) must be attended (present or late), or made up.
* **Quizzes** pass when the attempt chosen by the policy scores at least the
  pass mark: ``best`` (highest percentage), ``last`` (highest attempt
  number), ``first`` (attempt 1).
* **Courses** pass when every graded quiz of the course is passed (best
  attempt, at the quiz's own ``pass_mark``).
* **Groups**: ``all_of`` needs every listed quiz and course, ``any_of`` one.

Statuses:

* ``completed``: every requirement is met and every session has happened;
  ``completed_on`` is the local date of the last session, or of the later
  pass or make-up that completed the last requirement.
* ``not-completed``: the cohort is over and a requirement can no longer be met
  (a missed mandatory session, attendance below the threshold, a quiz failed
  with no attempts left).
* ``at-risk``: sessions remain, but a requirement can no longer be met, or
  the learner has already lost attendance credit and one more absence would
  make the threshold unreachable.
* ``in-progress``: anything else (sessions to come, quizzes still to pass).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from trainkit.model import (
    Academy,
    AttendanceRecord,
    Cohort,
    CompletionRules,
    Course,
    Program,
    Quiz,
    QuizRequirement,
    QuizResult,
    RequirementGroup,
    Session,
)

COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED = (
    "completed", "in-progress", "at-risk", "not-completed")
STATUSES = (COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED)
ATTENDED = frozenset({"present", "late"})
EPS = 1e-9


@dataclass(frozen=True, slots=True, order=True)
class Outcome:
    """One learner's standing in one cohort, with the reason in words."""

    cohort: str
    program: str
    learner: str
    status: str
    reason: str
    attendance_share: float | None  # credit / non-cancelled sessions; None without sessions
    completed_on: date | None


@dataclass(frozen=True, slots=True)
class Check:
    """One requirement: met (and when), or why not and whether that is final."""

    met: bool
    text: str = ""  # why not met, in words
    failed: bool = False  # can no longer be met
    risky: bool = False  # one more absence away from failing
    met_on: date | None = None


@dataclass
class Index:
    """Records grouped for evaluation; build it once with :func:`index`."""

    attendance: dict[str, dict[str, AttendanceRecord]]  # learner -> session key -> record
    results: dict[tuple[str, str], list[QuizResult]]  # (learner, quiz) -> attempts
    sessions: dict[str, Session]  # session key -> session
    quizzes: dict[str, Quiz]


def index(academy: Academy) -> Index:
    attendance: dict[str, dict[str, AttendanceRecord]] = defaultdict(dict)
    for rec in academy.attendance:
        attendance[rec.learner][rec.session] = rec
    results: dict[tuple[str, str], list[QuizResult]] = defaultdict(list)
    for res in academy.quiz_results:
        results[(res.learner, res.quiz)].append(res)
    for attempts in results.values():
        attempts.sort(key=lambda r: (r.attempt, r.submitted_at))
    sessions = {s.key: s for c in academy.cohorts.values() for s in c.sessions}
    return Index(attendance, results, sessions, academy.quizzes())


def evaluate(academy: Academy, as_of: datetime) -> list[Outcome]:
    """Every enrolled learner's outcome as of ``as_of`` (aware), sorted by cohort and learner."""
    idx = index(academy)
    out: list[Outcome] = []
    for cohort in academy.cohorts.values():
        program = academy.programs.get(cohort.program)
        if program is None or cohort.status == "cancelled":
            continue
        for enrollment in cohort.active_enrollments():
            out.append(evaluate_learner(academy, idx, program, cohort, enrollment.learner, as_of))
    out.sort()
    return out


def evaluate_learner(academy: Academy, idx: Index, program: Program, cohort: Cohort,
                     learner: str, as_of: datetime) -> Outcome:
    rules = program.completion
    tz = ZoneInfo(cohort.timezone)
    sessions = [s for s in cohort.sessions if not s.cancelled]
    records = idx.attendance.get(learner, {})
    makeups = _makeups(idx, program.id, cohort.id, records, as_of, tz) if rules.makeups else {}
    attendance, share = _attendance(rules, sessions, records, makeups, as_of)
    checks = _mandatory(rules, sessions, records, makeups, as_of, tz)
    checks.append(attendance)
    checks += [_quiz(idx, learner, q, as_of, tz) for q in rules.quizzes]
    checks += [_course(academy.courses.get(c), c, idx, learner, as_of, tz) for c in rules.courses]
    checks += [_group(g, academy, idx, learner, as_of, tz) for g in rules.groups]
    over = bool(sessions) and all(s.end <= as_of for s in sessions)
    status, reason, completed_on = _verdict(checks, sessions, over, share, tz)
    return Outcome(cohort.id, program.id, learner, status, reason, share, completed_on)


def _verdict(checks: list[Check], sessions: list[Session], over: bool, share: float | None,
             tz: ZoneInfo) -> tuple[str, str, date | None]:
    unmet = [c.text for c in checks if not c.met and c.text]
    if not sessions:
        return IN_PROGRESS, "; ".join(["no sessions scheduled", *unmet]), None
    if all(c.met for c in checks) and over:
        last = max(s.end for s in sessions).astimezone(tz).date()
        on = max([last, *(c.met_on for c in checks if c.met_on)])
        attended = f"attendance {_pct(share)}" if share is not None else "no sessions"
        return COMPLETED, f"all requirements met on {on.isoformat()} ({attended})", on
    if any(c.failed for c in checks):
        return (NOT_COMPLETED if over else AT_RISK), "; ".join(unmet), None
    if any(c.risky for c in checks):
        return AT_RISK, "; ".join(unmet), None
    if not over:
        return IN_PROGRESS, "; ".join(unmet) or "on track; sessions to come", None
    return IN_PROGRESS, "; ".join(unmet), None


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f}%"


def _makeups(idx: Index, program: str, cohort: str, records: dict[str, AttendanceRecord],
             as_of: datetime, tz: ZoneInfo) -> dict[str, date]:
    """Templates this learner attended in *other* cohorts of the program, with the day."""
    out: dict[str, date] = {}
    for key, rec in records.items():
        if rec.status not in ATTENDED:
            continue
        s = idx.sessions.get(key)
        if s is None or s.program != program or s.cohort == cohort or not s.template:
            continue
        if s.cancelled or s.end > as_of:
            continue
        day = s.end.astimezone(tz).date()
        if s.template not in out or day < out[s.template]:
            out[s.template] = day
    return out


def _weight(rules: CompletionRules, status: str) -> float:
    if status == "present":
        return 1.0
    if status == "late":
        return rules.late_weight
    if status == "excused":
        return rules.excused_weight
    return 0.0


def _attendance(rules: CompletionRules, sessions: list[Session],
                records: dict[str, AttendanceRecord], makeups: dict[str, date],
                as_of: datetime) -> tuple[Check, float | None]:
    total = len(sessions)
    credit, remaining = 0.0, 0
    for s in sessions:
        if s.end > as_of:
            remaining += 1
            continue
        rec = records.get(s.key)
        weight = _weight(rules, rec.status) if rec is not None else 0.0
        if weight < 1.0 and s.template in makeups:
            weight = 1.0
        credit += weight
    share = credit / total if total else None
    if rules.min_attendance_share is not None:
        needed = rules.min_attendance_share * total
        want = f"needs {rules.min_attendance_share * 100:.0f}%"
        text = f"attendance {_pct(share)} ({want}"
    elif rules.min_attendance_sessions is not None:
        needed = float(rules.min_attendance_sessions)
        text = f"attended {credit:g} of {total} sessions (needs {rules.min_attendance_sessions}"
    else:
        return Check(True), share
    if credit + EPS >= needed:
        return Check(True), share
    failed = credit + remaining + EPS < needed
    to_go = f"; {remaining} session(s) to go" if remaining else ""
    to_go += ", cannot be reached any more)" if failed and remaining else ")"
    # "One more absence away" only once credit has been lost: with 100% required,
    # everybody would otherwise be at risk before the first session.
    lost = (total - remaining) - credit > EPS
    risky = not failed and lost and credit + remaining - 1 + EPS < needed
    return Check(False, text + to_go, failed=failed, risky=risky), share


def _mandatory(rules: CompletionRules, sessions: list[Session],
               records: dict[str, AttendanceRecord], makeups: dict[str, date],
               as_of: datetime, tz: ZoneInfo) -> list[Check]:
    out = []
    required = set(rules.mandatory_sessions)
    for s in sessions:
        if not (s.mandatory or (s.template and s.template in required)):
            continue
        rec = records.get(s.key)
        if rec is not None and rec.status in ATTENDED and s.end <= as_of:
            out.append(Check(True, met_on=s.end.astimezone(tz).date()))
        elif s.template in makeups:
            out.append(Check(True, met_on=makeups[s.template or ""]))
        elif s.end > as_of:
            out.append(Check(False))  # still to come: not a reason to list
        else:
            out.append(Check(False, f"missed mandatory session {s.title!r}", failed=True))
    return out


def _quiz(idx: Index, learner: str, req: QuizRequirement, as_of: datetime,
          tz: ZoneInfo) -> Check:
    quiz = idx.quizzes.get(req.quiz)
    title = quiz.title if quiz else req.quiz
    attempts = [r for r in idx.results.get((learner, req.quiz), ()) if r.submitted_at <= as_of]
    if not attempts:
        return Check(False, f"quiz {title!r} not attempted")
    chosen = _chosen(attempts, req.policy)
    pct = _percent(chosen)
    if pct + EPS >= req.pass_mark:
        when = chosen
        if req.policy == "best":  # the day it was first passed, not the day of the best score
            when = next(r for r in attempts if _percent(r) + EPS >= req.pass_mark)
        return Check(True, met_on=when.submitted_at.astimezone(tz).date())
    allowed = quiz.attempts if quiz else None
    exhausted = req.policy == "first" or (allowed is not None and len(attempts) >= allowed)
    left = "; no attempts left" if exhausted else ""
    text = f"quiz {title!r} {req.policy} {pct:.0f}% (needs {req.pass_mark:g}%{left})"
    return Check(False, text, failed=exhausted)


def _percent(r: QuizResult) -> float:
    return r.score / r.maximum * 100 if r.maximum else 0.0


def _chosen(attempts: list[QuizResult], policy: str) -> QuizResult:
    if policy == "first":
        return attempts[0]
    if policy == "last":
        return attempts[-1]
    return max(attempts, key=lambda r: (_percent(r), -r.attempt))


def _course(course: Course | None, course_id: str, idx: Index, learner: str, as_of: datetime,
            tz: ZoneInfo) -> Check:
    if course is None:
        return Check(False, f"course {course_id!r} is not defined", failed=True)
    graded = [q for q in course.quizzes if q.mode == "graded"]
    checks = [_quiz(idx, learner, QuizRequirement(q.id, q.pass_mark, "best", q.loc), as_of, tz)
              for q in graded]
    if all(c.met for c in checks):
        return Check(True, met_on=max((c.met_on for c in checks if c.met_on), default=None))
    parts = ", ".join(c.text for c in checks if not c.met)
    return Check(False, f"course {course.title!r} not passed ({parts})",
                 failed=any(c.failed for c in checks))


def _group(group: RequirementGroup, academy: Academy, idx: Index, learner: str,
           as_of: datetime, tz: ZoneInfo) -> Check:
    checks = [_quiz(idx, learner, q, as_of, tz) for q in group.quizzes]
    checks += [_course(academy.courses.get(c), c, idx, learner, as_of, tz) for c in group.courses]
    if not checks:
        return Check(True)
    texts = [c.text for c in checks if not c.met]
    if group.mode == "any":
        met = [c for c in checks if c.met]
        if met:
            return Check(True, met_on=min((c.met_on for c in met if c.met_on), default=None))
        text = texts[0] if len(texts) == 1 else "one of: " + " / ".join(texts)
        return Check(False, text, failed=all(c.failed for c in checks))
    if all(c.met for c in checks):
        return Check(True, met_on=max((c.met_on for c in checks if c.met_on), default=None))
    return Check(False, "; ".join(texts), failed=any(c.failed for c in checks))


def by_status(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many outcomes have each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for o in outcomes:
        counts[o.status] += 1
    return counts
