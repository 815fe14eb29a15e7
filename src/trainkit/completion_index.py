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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from itertools import compress, groupby
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from trainkit.model import Academy, Cohort, Quiz, QuizRequirement, QuizResult

_ATTEMPT_ORDER = attrgetter("attempt", "submitted_at")  # a key made in C


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

    status: dict[str, dict[str, str]]  # session key -> learner -> status
    visitors: dict[str, Statuses]  # learners with rows in more than their own cohort
    results: dict[tuple[str, str], list[QuizResult]]  # (learner, quiz) -> attempts in order
    slots: dict[str, list[Slot]]  # cohort -> its non-cancelled sessions
    by_key: dict[str, Slot]
    quizzes: dict[str, Quiz]
    graded: dict[str, tuple[QuizRequirement, ...]]  # course -> its graded quizzes, as required
    as_of: datetime
    ends: dict[str, tuple[bool, date] | None]  # cohort -> (all held?, last day); None: no sessions
    attempted: set[str]  # learners with an attempt at some quiz by as_of
    memo: dict[Any, Any] = field(default_factory=dict)  # judgements shared between cohorts


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
    status = _by_session(sessions, learners, list(map(itemgetter(2), att)))
    results: dict[tuple[str, str], list[QuizResult]] = {}
    for res in academy.quiz_results:
        if res.submitted_at <= as_of:  # a later attempt does not exist yet
            results.setdefault((res.learner, res.quiz), []).append(res)
    for attempts in results.values():
        if len(attempts) > 1:
            attempts.sort(key=_ATTEMPT_ORDER)
    held = _HeldTest(as_of)
    slots = {c.id: _slots(academy, c, held) for c in academy.cohorts.values()}
    by_key = {x.key: x for xs in slots.values() for x in xs}
    ends = {cid: (all(x.held for x in xs), max(x.day for x in xs)) if xs else None
            for cid, xs in slots.items()}
    # Make-ups are the only reason to look beyond a learner's own cohort.
    makeups = any(p.completion.makeups for p in academy.programs.values())
    visitors = {}
    if makeups:
        pairs = zip(sessions, learners, strict=True)
        by_pair = dict(zip(pairs, map(itemgetter(2), att), strict=True))  # a later row wins
        visitors = _visitors(academy, sessions, learners, by_pair)
    graded = {c.id: tuple(QuizRequirement(q.id, q.pass_mark, "best", q.loc)
                          for q in c.quizzes if q.mode == "graded")
              for c in academy.courses.values()}
    return Index(status, visitors, results, slots, by_key, academy.quizzes(), graded, as_of,
                 ends, set(map(itemgetter(0), results)))


def _slots(academy: Academy, c: Cohort, held: _HeldTest) -> list[Slot]:
    program = academy.programs.get(c.program)
    required = set(program.completion.mandatory_sessions) if program else set()
    new, cid, pid = tuple.__new__, c.id, c.program  # tuple.__new__: no Python-level __new__
    ended = held.before(c.sessions[0].end.tzinfo if c.sessions else None)
    return [new(Slot, (f"{cid}/{s.id}", pid, cid, s.template, s.title,
                       s.mandatory or (s.template in required), ended(s.end), s.end.date()))
            for s in c.sessions if s.status != "cancelled"]


class _HeldTest:
    """Whether a session has ended by ``as_of``, mostly without converting between zones.

    Comparing aware datetimes of two zones asks both for their UTC offset;
    comparing two of the same zone object compares the wall times alone. So
    ``as_of`` is moved once per zone to the wall time of that zone, and an end
    more than two days before (after) it is surely before (after) ``as_of``:
    two offsets differ by less than two days. Only ends within that margin are
    compared exactly.
    """

    MARGIN = timedelta(days=2)

    def __init__(self, as_of: datetime) -> None:
        self.as_of = as_of
        self.bounds: dict[tzinfo | None, tuple[datetime, datetime] | None] = {}

    def before(self, zone: tzinfo | None) -> Callable[[datetime], bool]:
        """``end <= as_of`` for any aware ``end``; fastest for ends in ``zone``."""
        as_of = self.as_of
        if zone not in self.bounds:
            self.bounds[zone] = self._bounds(zone)
        bounds = self.bounds[zone]
        if bounds is None:
            return lambda end: end <= as_of
        lo, hi = bounds
        return lambda end: end <= lo or (end <= hi and end <= as_of)

    def _bounds(self, zone: tzinfo | None) -> tuple[datetime, datetime] | None:
        if zone is None or self.as_of.tzinfo is None:
            return None
        try:
            wall = self.as_of.astimezone(zone).replace(tzinfo=None)
            return ((wall - self.MARGIN).replace(tzinfo=zone),
                    (wall + self.MARGIN).replace(tzinfo=zone))
        except OverflowError:  # as_of within two days of the calendar's ends
            return None


def _by_session(sessions: list[str], learners: list[str],
                statuses: list[str]) -> dict[str, dict[str, str]]:
    """Session -> learner -> status, a later row winning.

    Rows come in runs of one session (a file per session or per cohort), so
    each run is added with one ``dict.update`` running in C; rows in any
    order give the same result, only more slowly.
    """
    out: dict[str, dict[str, str]] = {}
    rows = zip(sessions, zip(learners, statuses, strict=True), strict=True)
    for session, run in groupby(rows, key=itemgetter(0)):
        known = out.get(session)
        if known is None:
            known = out[session] = {}
        known.update(map(itemgetter(1), run))
    return out


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
