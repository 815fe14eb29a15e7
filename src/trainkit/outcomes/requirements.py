"""One learner's requirements, judged one by one: attendance credit, mandatory
sessions (with make-ups), quizzes, courses and groups of alternatives.

Each judge returns a :class:`Check`; :mod:`trainkit.outcomes.completion` turns
the checks of a learner into a verdict and an :class:`Outcome`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from trainkit.model import (
    Academy,
    CompletionRules,
    Course,
    QuizRequirement,
    QuizResult,
    RequirementGroup,
)
from trainkit.outcomes.assessments import results_by_learner, standing
from trainkit.outcomes.completion_index import Index, Slot, Statuses

COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED = (
    "completed", "in-progress", "at-risk", "not-completed")
STATUSES = (COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED)
ATTENDED = frozenset({"present", "late"})
EPS = 1e-9


class Check(NamedTuple):
    """One requirement: met (and when), or why not and whether that is final.

    A named tuple rather than a frozen dataclass: several are made per learner,
    and a tuple is built in C.
    """

    met: bool
    text: str = ""  # why not met, in words
    failed: bool = False  # can no longer be met
    risky: bool = False  # one more absence away from failing
    met_on: date | None = None


def graded_checks(academy: Academy, idx: Index, rules: CompletionRules, learner: str,
            tz: ZoneInfo) -> list[Check]:
    """The quiz, course and group checks of one learner (``tz``: the cohort's zone)."""
    as_of = idx.as_of
    checks = [_quiz(idx, learner, q, as_of, tz) for q in rules.quizzes]
    checks += [_course(academy.courses.get(c), c, idx, learner, as_of, tz) for c in rules.courses]
    if rules.groups:
        groups = [(g.mode, _group(g, academy, idx, learner, as_of, tz)) for g in rules.groups]
        checks += [c for mode, c in groups if mode != "any"]
        alternatives = [c for mode, c in groups if mode == "any"]
        if alternatives:
            checks.append(_any(alternatives))
    if rules.assessments:
        checks += [_assessment(academy, idx, key, learner) for key in rules.assessments]
    return checks


def _assessment(academy: Academy, idx: Index, key: str, learner: str) -> Check:
    """A required practical assessment, from the attempts dated by the day of ``as_of``."""
    assessment = academy.assessment(key)
    if assessment is None:
        return Check(False, f"practical assessment {key!r} is not defined", failed=True)
    memo_key = ("assessment-results",)
    results = idx.memo.get(memo_key)
    if results is None:
        results = idx.memo[memo_key] = results_by_learner(academy, idx.as_of.date())
    s = standing(assessment, results.get((learner, key), ()))
    if s.passed:
        return Check(True, met_on=s.passed_on)
    return Check(False, s.reason, failed=s.final)


def verdict_of(checks: list[Check], end: tuple[bool, date] | None,
             share: float | None) -> tuple[str, str, date | None]:
    """Status from the checks; ``end`` is (every session held?, last day) of the cohort."""
    unmet: list[str] = []
    failed = risky = False
    for c in checks:  # one pass: this runs for every distinct verdict of every cohort
        if not c.met:
            if c.text:
                unmet.append(c.text)
            failed = failed or c.failed
            risky = risky or c.risky
    if end is None:
        return IN_PROGRESS, "; ".join(["no sessions scheduled", *unmet]), None
    over, last = end
    if over and len(unmet) == 0 and all(c.met for c in checks):
        on = max([last, *(c.met_on for c in checks if c.met_on)])
        return COMPLETED, f"all requirements met on {on.isoformat()} (attendance {_pct(share)})", on
    if failed:
        return (NOT_COMPLETED if over else AT_RISK), "; ".join(unmet), None
    if risky:
        return AT_RISK, "; ".join(unmet), None
    if not over:
        return IN_PROGRESS, "; ".join(unmet) or "on track; sessions to come", None
    return IN_PROGRESS, "; ".join(unmet), None


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f}%"


def makeups_of(idx: Index, program: str, cohort: str, statuses: Statuses) -> dict[str, date]:
    """Templates this learner attended in *other* cohorts of the program, with the day."""
    out: dict[str, date] = {}
    for key, status in statuses.items():
        if status not in ATTENDED:
            continue
        x = idx.slot(key)
        if x is None or x.program != program or x.cohort == cohort or not x.template:
            continue
        if x.held and (x.template not in out or x.day < out[x.template]):
            out[x.template] = x.day
    return out


def _weight(rules: CompletionRules, status: str) -> float:
    if status == "present":
        return 1.0
    if status == "late":
        return rules.late_weight
    if status == "excused":
        return rules.excused_weight
    return 0.0


def attendance_credit(rules: CompletionRules, slots: list[Slot], statuses: Statuses,
                makeups: dict[str, date]) -> tuple[Check, float | None]:
    total = len(slots)
    credit, remaining = 0.0, 0
    for x in slots:
        if not x.held:
            remaining += 1
            continue
        status = statuses.get(x.key)
        weight = _weight(rules, status) if status is not None else 0.0
        if weight < 1.0 and x.template in makeups:
            weight = 1.0
        credit += weight
    return attendance_check(rules, credit, total, remaining)


def attendance_check(rules: CompletionRules, credit: float, total: int,
                      remaining: int) -> tuple[Check, float | None]:
    """The attendance requirement, from the credit earned and the sessions still to come."""
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


def missed_check(x: Slot) -> Check:
    """A mandatory session not attended (nor made up): failed once held, else still to come."""
    if x.held:
        return Check(False, f"missed mandatory session {x.title!r}", failed=True)
    return Check(False)  # still to come: not a reason to list


def mandatory_checks(slots: list[Slot], statuses: Statuses,
                     makeups: dict[str, date]) -> list[Check]:
    out = []
    for x in slots:
        if not x.mandatory:
            continue
        if statuses.get(x.key) in ATTENDED and x.held:
            out.append(Check(True, met_on=x.day))
        elif x.template in makeups:
            out.append(Check(True, met_on=makeups[x.template or ""]))
        elif not x.held:
            out.append(Check(False))  # still to come: not a reason to list
        else:
            out.append(Check(False, f"missed mandatory session {x.title!r}", failed=True))
    return out


def _quiz(idx: Index, learner: str, req: QuizRequirement, as_of: datetime,
          tz: ZoneInfo) -> Check:
    quiz = idx.quizzes.get(req.quiz)
    title = quiz.title if quiz else req.quiz
    attempts = idx.results.get((learner, req.quiz))  # those submitted by as_of, in order
    if not attempts:
        return Check(False, f"quiz {title!r} not attempted")
    chosen = attempts[0] if len(attempts) == 1 else _chosen(attempts, req.policy)
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
    checks = [_quiz(idx, learner, q, as_of, tz) for q in idx.graded[course.id]]
    if all(c.met for c in checks):
        return Check(True, met_on=max((c.met_on for c in checks if c.met_on), default=None))
    parts = ", ".join(c.text for c in checks if not c.met)
    return Check(False, f"course {course.title!r} not passed ({parts})",
                 failed=any(c.failed for c in checks))


def _group(group: RequirementGroup, academy: Academy, idx: Index, learner: str,
           as_of: datetime, tz: ZoneInfo) -> Check:
    """One group of an ``all_of`` or one alternative of an ``any_of``: all its items."""
    checks = [_quiz(idx, learner, q, as_of, tz) for q in group.quizzes]
    checks += [_course(academy.courses.get(c), c, idx, learner, as_of, tz) for c in group.courses]
    if all(c.met for c in checks):
        return Check(True, met_on=max((c.met_on for c in checks if c.met_on), default=None))
    texts = [c.text for c in checks if not c.met]
    return Check(False, "; ".join(texts), failed=any(c.failed for c in checks))


def _any(alternatives: list[Check]) -> Check:
    """``any_of``: the earliest alternative met is enough."""
    met = [c for c in alternatives if c.met]
    if met:
        return Check(True, met_on=min((c.met_on for c in met if c.met_on), default=None))
    texts = [c.text for c in alternatives]
    text = texts[0] if len(texts) == 1 else "one of: " + " / ".join(f"({t})" for t in texts)
    return Check(False, text, failed=all(c.failed for c in alternatives))
