"""Records and sessions arranged once for :mod:`trainkit.completion`.

Evaluation asks, for each learner, their status at each session of their
cohort and their attempts at each quiz. Answering that by a search per
learner would cost a pass over the records per learner; instead the records
are arranged once, as of one moment, mostly with operations that run in C
over whole columns of the record tuples (``map``, ``zip``, ``dict``).
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from trainkit.model import Academy, Cohort, Quiz, QuizRequirement, QuizResult


class Slot(NamedTuple):
    """A non-cancelled session as the rules see it, judged once per build, not per learner."""

    key: str
    program: str
    cohort: str
    template: str | None
    title: str
    mandatory: bool
    held: bool  # ended by ``as_of``
    day: date  # local date of its end


# Session key -> status: the attendance of one learner as the rules read it.
Statuses = dict[str, str]


@dataclass
class Index:
    """Records and sessions arranged for evaluation as of one moment; see :func:`index`."""

    status: dict[tuple[str, str], str]  # (session key, learner) -> status
    visitors: dict[str, Statuses]  # learners with rows in more than their own cohort
    results: dict[tuple[str, str], list[QuizResult]]  # (learner, quiz) -> attempts in order
    slots: dict[str, list[Slot]]  # cohort -> its non-cancelled sessions
    by_key: dict[str, Slot]
    quizzes: dict[str, Quiz]
    graded: dict[str, tuple[QuizRequirement, ...]]  # course -> its graded quizzes, as required
    as_of: datetime
    ends: dict[str, tuple[bool, date] | None]  # cohort -> (all held?, last day); None: no sessions


def index(academy: Academy, as_of: datetime) -> Index:
    """Arrange the records once, with operations that run in C over whole columns.

    The cyclic collector is paused: grouping makes many containers, none of
    which can form a cycle.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _index(academy, as_of)
    finally:
        if paused:
            gc.enable()


def _index(academy: Academy, as_of: datetime) -> Index:
    att = academy.attendance
    sessions, learners = list(map(itemgetter(0), att)), list(map(itemgetter(1), att))
    pairs = zip(sessions, learners, strict=True)
    status = dict(zip(pairs, map(itemgetter(2), att), strict=True))  # a later row wins
    results: dict[tuple[str, str], list[QuizResult]] = {}
    for res in academy.quiz_results:
        results.setdefault((res.learner, res.quiz), []).append(res)
    for attempts in results.values():
        if len(attempts) > 1:
            attempts.sort(key=_attempt_order)
    slots = {c.id: _slots(academy, c, as_of) for c in academy.cohorts.values()}
    by_key = {x.key: x for xs in slots.values() for x in xs}
    ends = {cid: (all(x.held for x in xs), max(x.day for x in xs)) if xs else None
            for cid, xs in slots.items()}
    # Make-ups are the only reason to look beyond a learner's own cohort.
    makeups = any(p.completion.makeups for p in academy.programs.values())
    visitors = _visitors(academy, sessions, learners, status) if makeups else {}
    graded = {c.id: tuple(QuizRequirement(q.id, q.pass_mark, "best", q.loc)
                          for q in c.quizzes if q.mode == "graded")
              for c in academy.courses.values()}
    return Index(status, visitors, results, slots, by_key, academy.quizzes(), graded, as_of,
                 ends)


def _slots(academy: Academy, c: Cohort, as_of: datetime) -> list[Slot]:
    program = academy.programs.get(c.program)
    required = set(program.completion.mandatory_sessions) if program else set()
    new, cid, pid = tuple.__new__, c.id, c.program  # tuple.__new__: no Python-level __new__
    return [new(Slot, (f"{cid}/{s.id}", pid, cid, s.template, s.title,
                       s.mandatory or (s.template in required), s.end <= as_of, s.end.date()))
            for s in c.sessions if s.status != "cancelled"]


def _attempt_order(r: QuizResult) -> tuple[int, datetime]:
    return (r.attempt, r.submitted_at)


def _visitors(academy: Academy, sessions: list[str], learners: list[str],
              status: dict[tuple[str, str], str]) -> dict[str, Statuses]:
    """Every row of the learners who have rows in another cohort than the one being judged.

    Only they can have make-ups; every other learner is judged from the rows
    of their own cohort alone, which lets learners with the same rows share
    one evaluation.
    """
    cohort_of = {s: s.partition("/")[0] for s in set(sessions)}
    seen = set(zip(map(cohort_of.__getitem__, sessions), learners, strict=True))
    enrolled = {(c.id, e.learner) for c in academy.cohorts.values() for e in c.enrollments
                if e.status == "enrolled"}
    # Rows in two cohorts, rows where not enrolled, or enrolled twice (rows in
    # one cohort are then make-ups for the other).
    counts = Counter(map(itemgetter(1), seen))
    twice = Counter(map(itemgetter(1), enrolled))
    who = {lid for lid, n in counts.items() if n > 1} | {lid for _, lid in seen - enrolled}
    who |= {lid for lid, n in twice.items() if n > 1}
    out: dict[str, Statuses] = {lid: {} for lid in who}
    if who:
        theirs = map(who.__contains__, map(itemgetter(1), status))
        for (session, lid), st in compress(status.items(), theirs):
            out[lid][session] = st
    return out
