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
* **Groups**: each ``all_of`` entry needs every quiz and course it lists;
  ``any_of`` lists alternatives, and one alternative (with all of its items)
  is enough.

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

import gc
from collections.abc import Iterable
from datetime import date, datetime
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from trainkit.completion_index import Index, Slot, Statuses, index
from trainkit.model import (
    Academy,
    Cohort,
    CompletionRules,
    Course,
    Program,
    QuizRequirement,
    QuizResult,
    RequirementGroup,
)

COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED = (
    "completed", "in-progress", "at-risk", "not-completed")
STATUSES = (COMPLETED, IN_PROGRESS, AT_RISK, NOT_COMPLETED)
ATTENDED = frozenset({"present", "late"})
EPS = 1e-9


class Outcome(NamedTuple):
    """One learner's standing in one cohort, with the reason in words.

    A named tuple: one is made for every enrolled learner of the academy.
    Ordered by cohort, then learner (the field order).
    """

    cohort: str
    program: str
    learner: str
    status: str
    reason: str
    attendance_share: float | None  # credit / non-cancelled sessions; None without sessions
    completed_on: date | None


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


def evaluate(academy: Academy, as_of: datetime) -> list[Outcome]:
    """Every enrolled learner's outcome as of ``as_of`` (aware), sorted by cohort and learner."""
    idx = index(academy, as_of)
    out: list[Outcome] = []
    paused = gc.isenabled()
    gc.disable()  # see index(): many small acyclic objects
    try:
        for cid in sorted(academy.cohorts):
            cohort = academy.cohorts[cid]
            program = academy.programs.get(cohort.program)
            if program is None or cohort.status == "cancelled":
                continue
            learners = _enrolled(cohort)
            if learners:
                out += _evaluate_cohort(academy, idx, program, cohort, learners)
    finally:
        if paused:
            gc.enable()
    return out


_STATUS, _LEARNER = attrgetter("status"), attrgetter("learner")


def _enrolled(cohort: Cohort) -> list[str]:
    """The learners holding a seat, sorted (in C when everybody does)."""
    people = cohort.enrollments
    if list(map(_STATUS, people)).count("enrolled") == len(people):
        return sorted(map(_LEARNER, people))
    return sorted(e.learner for e in people if e.status == "enrolled")


def _evaluate_cohort(academy: Academy, idx: Index, program: Program, cohort: Cohort,
                     learners: list[str]) -> list[Outcome]:
    """The outcomes of one cohort's learners (sorted), in step with ``learners``.

    A learner's attendance is read as the statuses at the cohort's sessions
    held so far, gathered for all learners at once, one session at a time.
    Learners with the same credit and the same statuses at the mandatory
    sessions share the attendance checks, and, when they have attempted no
    quiz, the whole verdict. In a cohort none of whose sessions has ended,
    nobody has credit yet: the verdict is shared by every cohort of the program
    with as many sessions, and the outcomes are put together by ``map`` alone.
    """
    rules = program.completion
    visitors = idx.visitors if rules.makeups else {}
    mixed = bool(visitors) and not visitors.keys().isdisjoint(learners)
    graded = rules.graded
    counts = idx.unstarted(cohort)
    if counts is not None:  # no session has ended: the same attendance part for everybody
        part = _unstarted_part(idx, program, *counts)
        if not mixed and not (graded and not idx.attempted.isdisjoint(learners)):
            tail = _unattempted_tail(academy, idx, program, cohort, part) if graded else part[2]
            return _outcomes(cohort, learners, repeat(tail))
        parts = [part] * len(learners)
    else:
        parts = _Judged(idx, program, cohort).each(learners)
    if mixed:
        for i, learner in enumerate(learners):
            if learner in visitors:
                parts[i] = _attendance_part(idx, program, cohort, visitors[learner], True)
    if graded:
        return _outcomes(cohort, learners, _graded_tails(academy, idx, program, cohort, learners,
                                                         parts))
    return _outcomes(cohort, learners, map(itemgetter(2), parts))


def _outcomes(cohort: Cohort, learners: list[str], tails: Iterable[Tail]) -> list[Outcome]:
    heads = zip(repeat(cohort.id), repeat(cohort.program), learners)
    return list(map(tuple.__new__, repeat(Outcome), map(tuple.__add__, heads, tails)))


Tail = tuple[str, str, float | None, date | None]  # the Outcome fields after the learner
Part = tuple[list[Check], float | None, Tail]


def _graded_tails(academy: Academy, idx: Index, program: Program, cohort: Cohort,
                  learners: list[str], parts: list[Part]) -> list[Tail]:
    """The verdicts once quizzes and courses are added to the attendance ``parts``.

    Learners who have attempted no quiz at all get the same quiz and course
    checks (every look-up of their attempts finds nothing), so those are made
    once per program, and such learners who also share an attendance part
    share the verdict.
    """
    rules = program.completion
    tz, end = ZoneInfo(cohort.timezone), idx.end(cohort)
    attempted = idx.attempted
    shared: dict[int, Tail] = {}  # id of a part (alive in ``parts``) -> its verdict
    out = []
    for learner, part in zip(learners, parts, strict=True):
        checks, share, _ = part
        if learner in attempted:
            graded = _graded(academy, idx, rules, learner, tz)
            out.append(_tail(_verdict(checks + graded, end, share), share))
            continue
        tail = shared.get(id(part))
        if tail is None:
            unattempted = _unattempted(academy, idx, program)
            tail = shared[id(part)] = _tail(_verdict(checks + unattempted, end, share), share)
        out.append(tail)
    return out


def _unattempted(academy: Academy, idx: Index, program: Program) -> list[Check]:
    """The quiz and course checks of a learner with no attempt at all (the same for all)."""
    key = ("unattempted", program.id)
    checks: list[Check] | None = idx.memo.get(key)
    if checks is None:
        # No look-up finds an attempt, so neither the learner nor the zone matters.
        checks = idx.memo[key] = _graded(academy, idx, program.completion, "", ZoneInfo("UTC"))
    return checks


def _unattempted_tail(academy: Academy, idx: Index, program: Program, cohort: Cohort,
                      part: Part) -> Tail:
    """The verdict of an unstarted ``part`` with no quiz attempted (shared by cohorts)."""
    key = ("unattempted-tail", id(part))  # the part lives in the memo: its id is stable
    tail: Tail | None = idx.memo.get(key)
    if tail is None:
        checks, share, _ = part
        tail = _tail(_verdict(checks + _unattempted(academy, idx, program), idx.end(cohort),
                              share), share)
        idx.memo[key] = tail
    return tail


def _tail(verdict: tuple[str, str, date | None], share: float | None) -> Tail:
    status, reason, completed_on = verdict
    return status, reason, share, completed_on


class _Judged:
    """The attendance part of the verdict in one cohort, shared between learners.

    Without make-ups it depends only on the credit earned and on the statuses
    at the held mandatory sessions: both are computed for all learners at
    once, column by column, and each distinct pair is judged once.
    """

    def __init__(self, idx: Index, program: Program, cohort: Cohort) -> None:
        self.idx = idx
        self.rules = rules = program.completion
        slots = idx.slots(cohort)
        held = [x for x in slots if x.held]
        self.end = idx.end(cohort)
        self.total, self.remaining = len(slots), len(slots) - len(held)
        self.held = [x.key for x in held]
        # Per mandatory session, in order: held?, the check if attended, the check if not.
        self.compulsory = [(x.held, Check(True, met_on=x.day), _missed(x)) for x in slots
                           if x.mandatory]
        self.weights = {"present": 1.0, "late": rules.late_weight,
                        "excused": rules.excused_weight, "absent": 0.0, None: 0.0}
        self.mandatory = [i for i, x in enumerate(held) if x.mandatory]
        # The attendance check depends on the program and the counts alone: cohorts share it.
        self.attendance = idx.memo.setdefault(("attendance", program.id, self.total,
                                               self.remaining), {})

    def each(self, learners: list[str]) -> list[Part]:
        """The part of every learner, in step with ``learners``."""
        column = self.idx.attendance.column
        columns = [column(key, learners) for key in self.held]
        weight = self.weights.__getitem__
        # Summed in session order, as _attendance adds them: the same float.
        credits = (map(sum, zip(*[map(weight, c) for c in columns], strict=True)) if columns
                   else repeat(0.0, len(learners)))
        attended = ATTENDED.__contains__
        mandatory = (zip(*[map(attended, columns[i]) for i in self.mandatory], strict=True)
                     if self.mandatory else repeat((), len(learners)))
        keys = list(zip(credits, mandatory, strict=True))
        judged = {key: self.judge(*key) for key in set(keys)}
        return list(map(judged.__getitem__, keys))

    def judge(self, credit: float, mandatory: tuple[bool, ...]) -> Part:
        """What _attendance_part says for a learner without make-ups, from the key alone.

        ``mandatory``: whether the learner attended each held mandatory session.
        """
        known = self.attendance.get(credit)
        if known is None:
            known = self.attendance[credit] = _attendance_check(
                self.rules, credit, self.total, self.remaining)
        attendance, share = known
        # As _mandatory says without make-ups; ``mandatory`` is in step with the held ones.
        attended = iter(mandatory)
        checks = [(met if next(attended) else missed) if held else missed
                  for held, met, missed in self.compulsory]
        checks.append(attendance)
        return checks, share, _tail(_verdict(checks, self.end, share), share)


def _unstarted_part(idx: Index, program: Program, total: int, mandatory: int) -> Part:
    """The attendance part in a cohort none of whose sessions has ended (shared by cohorts).

    No credit yet and every session to come: it depends on the program and the
    two counts alone. The verdict reads the last day only once a cohort is over.
    """
    key = ("unstarted", program.id, total, mandatory)
    part: Part | None = idx.memo.get(key)
    if part is None:
        attendance, share = _attendance_check(program.completion, 0.0, total, total)
        checks = [Check(False) for _ in range(mandatory)]  # still to come: no reason to list
        checks.append(attendance)
        end = (False, date.min) if total else None
        part = idx.memo[key] = (checks, share, _tail(_verdict(checks, end, share), share))
    return part


def _attendance_part(idx: Index, program: Program, cohort: Cohort, statuses: Statuses,
                     visitor: bool) -> Part:
    """Attendance and mandatory-session checks, the share, and the verdict on them alone."""
    rules = program.completion
    slots = idx.slots(cohort)
    makeups = _makeups(idx, program.id, cohort.id, statuses) if visitor else {}
    attendance, share = _attendance(rules, slots, statuses, makeups)
    checks = _mandatory(slots, statuses, makeups)
    checks.append(attendance)
    return checks, share, _tail(_verdict(checks, idx.end(cohort), share), share)


def _graded(academy: Academy, idx: Index, rules: CompletionRules, learner: str,
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
    return checks


def _verdict(checks: list[Check], end: tuple[bool, date] | None,
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


def _makeups(idx: Index, program: str, cohort: str, statuses: Statuses) -> dict[str, date]:
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


def _attendance(rules: CompletionRules, slots: list[Slot], statuses: Statuses,
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
    return _attendance_check(rules, credit, total, remaining)


def _attendance_check(rules: CompletionRules, credit: float, total: int,
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


def _missed(x: Slot) -> Check:
    """A mandatory session not attended (nor made up): failed once held, else still to come."""
    if x.held:
        return Check(False, f"missed mandatory session {x.title!r}", failed=True)
    return Check(False)  # still to come: not a reason to list


def _mandatory(slots: list[Slot], statuses: Statuses, makeups: dict[str, date]) -> list[Check]:
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


def by_status(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many outcomes have each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for o in outcomes:
        counts[o.status] += 1
    return counts
