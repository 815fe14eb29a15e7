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

from trainkit.model import (
    Academy,
    Cohort,
    Program,
)
from trainkit.outcomes.completion_index import Index, Statuses, index
from trainkit.outcomes.requirements import (
    ATTENDED,
    STATUSES,
    Check,
    attendance_check,
    attendance_credit,
    graded_checks,
    makeups_of,
    mandatory_checks,
    missed_check,
    verdict_of,
)


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
            graded = graded_checks(academy, idx, rules, learner, tz)
            out.append(_tail(verdict_of(checks + graded, end, share), share))
            continue
        tail = shared.get(id(part))
        if tail is None:
            unattempted = _unattempted(academy, idx, program)
            tail = shared[id(part)] = _tail(verdict_of(checks + unattempted, end, share), share)
        out.append(tail)
    return out


def _unattempted(academy: Academy, idx: Index, program: Program) -> list[Check]:
    """The quiz and course checks of a learner with no attempt at all (the same for all)."""
    key = ("unattempted", program.id)
    checks: list[Check] | None = idx.memo.get(key)
    if checks is None:
        # No look-up finds an attempt, so neither the learner nor the zone matters.
        checks = idx.memo[key] = graded_checks(academy, idx, program.completion, "",
                                               ZoneInfo("UTC"))
    return checks


def _unattempted_tail(academy: Academy, idx: Index, program: Program, cohort: Cohort,
                      part: Part) -> Tail:
    """The verdict of an unstarted ``part`` with no quiz attempted (shared by cohorts)."""
    key = ("unattempted-tail", id(part))  # the part lives in the memo: its id is stable
    tail: Tail | None = idx.memo.get(key)
    if tail is None:
        checks, share, _ = part
        tail = _tail(verdict_of(checks + _unattempted(academy, idx, program), idx.end(cohort),
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
        self.compulsory = [(x.held, Check(True, met_on=x.day), missed_check(x)) for x in slots
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
        # Summed in session order, as attendance_credit adds them: the same float.
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
            known = self.attendance[credit] = attendance_check(
                self.rules, credit, self.total, self.remaining)
        attendance, share = known
        # As mandatory_checks says without make-ups; ``mandatory`` is in step with the held ones.
        attended = iter(mandatory)
        checks = [(met if next(attended) else missed) if held else missed
                  for held, met, missed in self.compulsory]
        checks.append(attendance)
        return checks, share, _tail(verdict_of(checks, self.end, share), share)


def _unstarted_part(idx: Index, program: Program, total: int, mandatory: int) -> Part:
    """The attendance part in a cohort none of whose sessions has ended (shared by cohorts).

    No credit yet and every session to come: it depends on the program and the
    two counts alone. The verdict reads the last day only once a cohort is over.
    """
    key = ("unstarted", program.id, total, mandatory)
    part: Part | None = idx.memo.get(key)
    if part is None:
        attendance, share = attendance_check(program.completion, 0.0, total, total)
        checks = [Check(False) for _ in range(mandatory)]  # still to come: no reason to list
        checks.append(attendance)
        end = (False, date.min) if total else None
        part = idx.memo[key] = (checks, share, _tail(verdict_of(checks, end, share), share))
    return part


def _attendance_part(idx: Index, program: Program, cohort: Cohort, statuses: Statuses,
                     visitor: bool) -> Part:
    """Attendance and mandatory-session checks, the share, and the verdict on them alone."""
    rules = program.completion
    slots = idx.slots(cohort)
    makeups = makeups_of(idx, program.id, cohort.id, statuses) if visitor else {}
    attendance, share = attendance_credit(rules, slots, statuses, makeups)
    checks = mandatory_checks(slots, statuses, makeups)
    checks.append(attendance)
    return checks, share, _tail(verdict_of(checks, idx.end(cohort), share), share)


def by_status(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many outcomes have each status (every status present, zero included)."""
    counts = dict.fromkeys(STATUSES, 0)
    for o in outcomes:
        counts[o.status] += 1
    return counts
