"""Records and sessions arranged once for :mod:`trainkit.outcomes.completion`.

Evaluation asks, for each learner, their status at each session of their
cohort and their attempts at each quiz. Answering that by a search per
learner would cost a pass over the records per learner; instead the records
are arranged once, as of one moment, mostly with operations that run in C
over whole columns of the record tuples (``map``, ``zip``, ``dict``).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from itertools import accumulate, compress, groupby
from operator import attrgetter, itemgetter, not_, or_
from typing import Any, NamedTuple

from trainkit.model import (
    Academy,
    Cohort,
    Quiz,
    QuizRequirement,
    QuizResult,
    Records,
    Session,
)

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

    academy: Academy
    attendance: Attendance  # the statuses at a session
    visitors: dict[str, Statuses]  # learners with rows in more than their own cohort
    results: dict[tuple[str, str], list[QuizResult]]  # (learner, quiz) -> attempts in order
    attempted: set[str]  # learners with an attempt at a quiz or an assessment by as_of
    quizzes: dict[str, Quiz]
    graded: dict[str, tuple[QuizRequirement, ...]]  # course -> its graded quizzes, as required
    as_of: datetime
    held: _HeldTest
    required: dict[str, frozenset[str]]  # program -> templates its rules make mandatory
    memo: dict[Any, Any] = field(default_factory=dict)  # judgements shared between cohorts
    _slots: dict[str, list[Slot]] = field(default_factory=dict)
    _ends: dict[str, tuple[bool, date] | None] = field(default_factory=dict)

    def slots(self, cohort: Cohort) -> list[Slot]:
        """The cohort's non-cancelled sessions, judged held or not (made once, when asked)."""
        known = self._slots.get(cohort.id)
        if known is None:
            known = self._slots[cohort.id] = _slots(self, cohort)
        return known

    def slot(self, key: str) -> Slot | None:
        """The non-cancelled session ``<cohort>/<session>``, if there is one."""
        cohort = self.academy.cohorts.get(key.partition("/")[0])
        if cohort is None:
            return None
        return next((x for x in self.slots(cohort) if x.key == key), None)

    def end(self, cohort: Cohort) -> tuple[bool, date] | None:
        """(every session held?, the last session's local date); None without sessions."""
        if cohort.id not in self._ends:
            xs = self.slots(cohort)
            self._ends[cohort.id] = ((all(x.held for x in xs), max(x.day for x in xs))
                                     if xs else None)
        return self._ends[cohort.id]

    def unstarted(self, cohort: Cohort) -> tuple[int, int] | None:
        """(sessions, mandatory ones) of a cohort with no session ended by ``as_of``, else None.

        Most cohorts of a published schedule lie ahead. Their learners' rows
        cannot count yet, so nobody needs their sessions one by one: the
        earliest end says so, and the verdict needs only the two counts.
        """
        sessions = cohort.sessions
        if sessions:
            first = min(map(_END, sessions))
            if self.held.before(first.tzinfo)(first):
                return None
        required = self.required.get(cohort.program, frozenset())
        live: Sequence[Session] = sessions
        if "cancelled" in map(_STATUS, sessions):
            live = [s for s in sessions if s.status != "cancelled"]
        if cohort.id not in self._ends:
            self._ends[cohort.id] = (False, max(map(_END, live)).date()) if live else None
        mandatory = map(or_, map(_MANDATORY, live), map(required.__contains__,
                                                         map(_TEMPLATE, live)))
        return len(live), sum(mandatory)


_END, _STATUS, _MANDATORY, _TEMPLATE = (attrgetter("end"), attrgetter("status"),
                                        attrgetter("mandatory"), attrgetter("template"))


def columns(records: Sequence[Any], *names: str) -> list[Sequence[Any]]:
    """Some fields of a table of records, column by column (any sequence of rows works)."""
    if isinstance(records, Records):
        return [records.column(n) for n in names]
    return [list(map(attrgetter(n), records)) for n in names]


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
    sessions, learners, statuses = columns(academy.attendance, "session", "learner", "status")
    attendance = Attendance(sessions, learners, statuses)
    results = _attempts(academy, as_of)
    # Make-ups are the only reason to look beyond a learner's own cohort.
    makeups = any(p.completion.makeups for p in academy.programs.values())
    visitors = {}
    if makeups:
        pairs = zip(sessions, learners, strict=True)
        by_pair = dict(zip(pairs, statuses, strict=True))  # a later row wins
        visitors = _visitors(academy, sessions, learners, by_pair)
    graded = {c.id: tuple(QuizRequirement(q.id, q.pass_mark, "best", q.loc)
                          for q in c.quizzes if q.mode == "graded")
              for c in academy.courses.values()}
    required = {p.id: frozenset(p.completion.mandatory_sessions)
                for p in academy.programs.values()}
    attempted = set(map(itemgetter(0), results))
    attempted.update(r.learner for r in academy.assessment_results if r.on <= as_of.date())
    return Index(academy, attendance, visitors, results, attempted,
                 academy.quizzes(), graded, as_of, _HeldTest(as_of), required)


def _attempts(academy: Academy, as_of: datetime) -> dict[tuple[str, str], list[QuizResult]]:
    """(learner, quiz) -> attempts submitted by ``as_of``, by attempt number then time.

    Only the rows of learners whose verdict reads quizzes are gathered (and
    their numbers and times converted), and only those submitted by ``as_of``
    (judged once per distinct time); selections and rows are made in C.
    """
    needed = _quiz_takers(academy)
    out: dict[tuple[str, str], list[QuizResult]] = {}
    records = academy.quiz_results
    if not needed or not records:
        return out
    (learners,) = columns(records, "learner")
    picked = list(compress(range(len(learners)), map(needed.__contains__, learners)))
    if isinstance(records, Records):  # converts the cells of the picked rows alone
        cells = [records.cells(name, picked) for name in QuizResult._fields]
    else:
        cells = [list(map(c.__getitem__, picked))
                 for c in columns(records, *QuizResult._fields)]
    times = cells[4]
    late = {t for t in set(times) if t > as_of}  # a later attempt does not exist yet
    if late:
        keep = list(map(not_, map(late.__contains__, times)))
        cells = [list(compress(c, keep)) for c in cells]
    rows = map(partial(tuple.__new__, QuizResult), zip(*cells, strict=True))
    known = out.get
    for key, row in zip(zip(cells[0], cells[1], strict=True), rows, strict=True):
        attempts = known(key)
        if attempts is None:
            out[key] = [row]
        else:
            attempts.append(row)
    for attempts in out.values():
        if len(attempts) > 1:
            attempts.sort(key=_ATTEMPT_ORDER)
    return out


def _quiz_takers(academy: Academy) -> set[str]:
    """Learners enrolled where the program's completion reads quizzes or courses."""
    graded = {pid for pid, p in academy.programs.items() if p.completion.graded}
    return {e.learner for c in academy.cohorts.values() if c.program in graded
            for e in c.enrollments if e.status == "enrolled"}


def _slots(idx: Index, c: Cohort) -> list[Slot]:
    required = idx.required.get(c.program, frozenset())
    new, cid, pid = tuple.__new__, c.id, c.program  # tuple.__new__: no Python-level __new__
    ended = idx.held.before(c.sessions[0].end.tzinfo if c.sessions else None)
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
        self.tests: dict[tzinfo | None, Callable[[datetime], bool]] = {}

    def before(self, zone: tzinfo | None) -> Callable[[datetime], bool]:
        """``end <= as_of`` for any aware ``end``; fastest for ends in ``zone``."""
        test = self.tests.get(zone)
        if test is None:
            test = self.tests[zone] = self._test(zone)
        return test

    def _test(self, zone: tzinfo | None) -> Callable[[datetime], bool]:
        as_of = self.as_of
        bounds = self._bounds(zone)
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


class Attendance:
    """The attendance rows, read one session at a time for a cohort's learners.

    Rows come in runs of one session (a file per session, as ``trainkit
    import`` writes them, or per cohort, or sorted). The runs are found by
    ``groupby`` in C; when no session has two runs, a session's column is a
    slice of the status column when its run lists exactly the learners asked
    for, in that order (an imported file lists the enrolled learners by id),
    and otherwise a dictionary of the run. Rows in any other order are grouped
    by session first; a later row always wins.
    """

    def __init__(self, sessions: Sequence[str], learners: Sequence[str],
                 statuses: Sequence[str]) -> None:
        self.learners = learners if isinstance(learners, list) else list(learners)
        self.statuses = statuses if isinstance(statuses, list) else list(statuses)
        self.runs: dict[str, tuple[int, int]] = {}
        self.mixed: dict[str, dict[str, str]] | None = None
        if not sessions:
            return
        groups = [(key, len(list(run))) for key, run in groupby(sessions)]  # grouped in C
        ends = list(accumulate(map(itemgetter(1), groups)))
        runs = dict(zip(map(itemgetter(0), groups), zip([0, *ends[:-1]], ends, strict=True),
                        strict=True))
        if len(runs) == len(groups):  # no session has two runs
            self.runs = runs
        else:
            self.mixed = _by_session(sessions, learners, statuses)

    def column(self, session: str, learners: list[str]) -> Sequence[str | None]:
        """The status of each of ``learners`` at ``session`` (None: no row)."""
        if self.mixed is not None:
            return list(map(self.mixed.get(session, _NO_ROWS).get, learners))
        run = self.runs.get(session)
        if run is None:
            return [None] * len(learners)
        a, b = run
        who = self.learners[a:b]
        if who == learners:
            return self.statuses[a:b]
        return list(map(dict(zip(who, self.statuses[a:b], strict=True)).get, learners))


_NO_ROWS: dict[str, str] = {}  # the statuses at a session without rows (never written to)


def _by_session(sessions: Sequence[str], learners: Sequence[str],
                statuses: Sequence[str]) -> dict[str, dict[str, str]]:
    """Session -> learner -> status, a later row winning: one ``dict.update`` per run."""
    out: dict[str, dict[str, str]] = {}
    rows = zip(sessions, zip(learners, statuses, strict=True), strict=True)
    for session, run in groupby(rows, key=itemgetter(0)):
        known = out.get(session)
        if known is None:
            known = out[session] = {}
        known.update(map(itemgetter(1), run))
    return out


def _visitors(academy: Academy, sessions: Sequence[str], learners: Sequence[str],
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
