"""Evidence gathered column by column: per source, which learners earned which level when.

An academy has far more pieces of evidence than anything else the skills
reports are made of, and most of them are never looked at one by one: the
standings, roll-ups and coverage only count them. So each source (completed
programs, quiz passes, course passes, evidence rows, assessments) becomes one
:class:`Block` of numpy columns (learner, competency, rank, first and last
day as ordinals), made with operations over whole columns; a piece becomes a
:class:`~trainkit.outcomes.skills.evidence.Held` only when a report or a
learner page asks for that learner (``Block.describe``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate, compress, repeat
from operator import itemgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from trainkit.model import Academy, CompetencyRef, Records
from trainkit.outcomes.certificates import certificate_id, expiry
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.completion_index import columns
from trainkit.outcomes.requirements import COMPLETED, EPS

Ints = npt.NDArray[np.int64]
NEVER = date.max.toordinal() + 1  # the last day of evidence that never expires
DENSE_PASSES = 1 << 22  # learner x quiz cells held whole to find first passes (else a sort)
# level, source and reference of row i of a block (made only when asked)
Describe = Callable[[int], tuple[str, str, str]]


class Block(NamedTuple):
    """Evidence of one kind, as columns of the same length."""

    kind: str  # program | course | quiz | assessment | external
    who: Ints  # learner index (see :class:`Index`)
    comp: Ints  # competency index
    rank: Ints
    on: Ints  # ordinal of the first day it counts
    ends: Ints  # ordinal of the first day it no longer counts; NEVER: never
    describe: Describe
    source: Ints | None = None  # programs and courses: which one (a position in ``names``)
    names: tuple[str, ...] = ()


class Index:
    """Learners and competencies by position; learners only met in evidence come last."""

    def __init__(self, academy: Academy) -> None:
        self.learners: list[str] = list(academy.learners)
        # the model's index, shared until someone only met in evidence must be added
        self.of_learner: dict[str, int] = academy.learner_positions
        self._shared = True
        self.competencies: list[str] = list(academy.competencies)
        self.of_competency = {c: i for i, c in enumerate(self.competencies)}

    def learner_codes(self, ids: Iterable[str]) -> Ints:
        ids = ids if isinstance(ids, list) else list(ids)
        codes = np.fromiter(map(self.of_learner.get, ids, repeat(-1)), dtype=np.int64,
                            count=len(ids))
        for i in np.flatnonzero(codes < 0).tolist():  # someone the learner files do not list
            if self._shared:
                self.of_learner, self._shared = dict(self.of_learner), False
            codes[i] = self.of_learner.setdefault(ids[i], len(self.learners))
            if codes[i] == len(self.learners):
                self.learners.append(ids[i])
        return codes


def ints(values: Iterable[int]) -> Ints:
    return np.fromiter(values, dtype=np.int64)


def ranked(a: Academy, awards: Iterable[CompetencyRef],
           table: dict[tuple[str, str | None], int] | None = None) -> list[tuple[str, str, int]]:
    """(competency, level, rank) of each award whose competency and level are known
    (``table``: :func:`rank_table` of ``a``, when made already)."""
    from_levels = rank_table(a) if table is None else table
    out = []
    for ref in awards:
        rank = from_levels.get((ref.id, ref.level))
        if rank is not None:
            out.append((ref.id, ref.level or "", rank))
    return out


def rank_table(a: Academy) -> dict[tuple[str, str | None], int]:
    """(competency, level) -> rank, for every level a competency can be named at."""
    out: dict[tuple[str, str | None], int] = {}
    for cid, comp in a.competencies.items():
        out[(cid, None)] = out[(cid, "")] = 0  # no level: any level will do
        for rank, level in enumerate(comp.levels):
            out[(cid, level)] = rank
    return out


def _block(kind: str, index: Index, parts: list[tuple[Ints, str, int, Ints, Ints]],
           describe: Describe, sources: Sequence[str] | None = None) -> Block:
    """One block from (who, competency, rank, on, ends) parts, one part per award;
    ``sources``: the program or course of each part."""
    names = tuple(dict.fromkeys(sources or ()))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Block(kind, empty, empty, empty, empty, empty, describe,
                     None if sources is None else empty, names)
    comp = index.of_competency

    def each(values: Iterable[int]) -> Ints:
        return np.concatenate([np.full(len(p[0]), v, dtype=np.int64)
                               for p, v in zip(parts, values, strict=True)])
    at = {name: i for i, name in enumerate(names)}
    return Block(kind, np.concatenate([p[0] for p in parts]), each(comp[p[1]] for p in parts),
                 each(p[2] for p in parts), np.concatenate([p[3] for p in parts]),
                 np.concatenate([p[4] for p in parts]), describe,
                 None if sources is None else each(map(at.__getitem__, sources)), names)


def programs(a: Academy, index: Index, outcomes: Iterable[Outcome]) -> Block:
    """Completed programs with awards: dated at completion, until the certificate expires."""
    table = rank_table(a)
    awarded = {pid: ranked(a, p.awards, table) for pid, p in a.programs.items() if p.awards}
    revoked = {r.certificate for r in a.revocations}
    ends_on = cache(expiry)
    done: dict[str, list[Outcome]] = {pid: [] for pid, awards in awarded.items() if awards}
    for o in outcomes:
        mine = done.get(o.program)
        if mine is None or o.status != COMPLETED or o.completed_on is None:
            continue
        if revoked and a.programs[o.program].certificate is not None and certificate_id(
                a.settings.id, o.program, o.learner, o.completed_on) in revoked:
            continue
        mine.append(o)
    parts, sizes, found, sources = [], [], [], []
    everyone = index.learner_codes([o.learner for mine in done.values() for o in mine])
    at = 0
    for pid, mine in done.items():
        if not mine:
            continue
        cert = a.programs[pid].certificate
        who, at = everyone[at:at + len(mine)], at + len(mine)
        days = [o.completed_on for o in mine if o.completed_on is not None]
        on = ints(map(date.toordinal, days))
        if cert is None:
            ends = np.full(len(mine), NEVER)
        else:
            last = {d: ends_on(d, cert.validity_months) for d in set(days)}
            ends = ints(NEVER if e is None else e.toordinal() for e in map(last.__getitem__, days))
        for comp, level, rank in awarded[pid]:
            parts.append((who, comp, rank, on, ends))
            sizes.append(len(mine))
            found.append((mine, level))
            sources.append(pid)
    starts = list(accumulate(sizes, initial=0))

    def describe(i: int) -> tuple[str, str, str]:
        part = bisect_right(starts, i) - 1
        mine, level = found[part]
        o = mine[i - starts[part]]
        if a.programs[o.program].certificate is None or o.completed_on is None:
            return level, o.program, f"cohort {o.cohort}"
        return level, o.program, certificate_id(a.settings.id, o.program, o.learner,
                                                o.completed_on)
    return _block("program", index, parts, describe, sources)


class Passes(NamedTuple):
    """The first passing attempt of each learner at each graded quiz (columns)."""

    quizzes: list[str]  # quiz id by position
    who: Ints
    quiz: Ints
    day: Ints  # ordinal of the day (academy time) of the first passing attempt


def passes(a: Academy, index: Index, as_of: datetime, quizzes: Iterable[str]) -> Passes:
    """First passes of the given graded quizzes by ``as_of`` (a pass reaches the pass mark)."""
    graded = [q for q in a.quizzes().values() if q.mode == "graded" and q.id in set(quizzes)]
    ids = [q.id for q in graded]
    none = np.zeros(0, dtype=np.int64)
    if not graded or not a.quiz_results:
        return Passes(ids, none, none, none)
    learners, quiz_ids, scores, maxima, times = fields(
        a.quiz_results, "learner", "quiz", "score", "maximum", "submitted_at")
    code = ints(map({q: i for i, q in enumerate(ids)}.get, quiz_ids, repeat(-1)))
    top = np.asarray(maxima, dtype=float)
    mark = np.array([*(q.pass_mark for q in graded), np.inf], dtype=float)[code]
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (top != 0) & ~(np.asarray(scores, dtype=float) / top * 100 + EPS < mark)
    stamp = _timestamps(list(compress(times, ok.tolist())))
    rows = np.flatnonzero(ok)
    kept = (stamp <= as_of.timestamp()).tolist()
    rows, stamp = rows[kept], stamp[kept]
    who = index.learner_codes(compress(compress(learners, ok.tolist()), kept))
    day = local_days(stamp, ZoneInfo(a.settings.timezone))
    key = who * len(ids) + code[rows]
    cells = len(index.learners) * len(ids)
    if cells <= DENSE_PASSES:  # learner x quiz: the earliest day, held whole
        earliest = np.full(cells, NEVER, dtype=np.int64)
        np.minimum.at(earliest, key, day)
        found = np.flatnonzero(earliest != NEVER)
        return Passes(ids, found // len(ids), found % len(ids), earliest[found])
    order = np.lexsort((day, key))
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(order) else order
    return Passes(ids, who[first], code[rows][first], day[first])


def _timestamps(times: list[datetime]) -> npt.NDArray[np.float64]:
    """POSIX times; each distinct object converted once (equal times often are one object)."""
    ids = np.fromiter(map(id, times), dtype=np.uint64, count=len(times))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    once = np.fromiter(map(datetime.timestamp, map(times.__getitem__, first.tolist())),
                       dtype=float, count=len(first))
    return once[inverse.reshape(-1)]


def local_days(stamps: npt.NDArray[np.float64], zone: ZoneInfo) -> Ints:
    """Day ordinals, in ``zone``, of POSIX times (the zone's offset looked up per quarter hour)."""
    if not len(stamps):
        return np.zeros(0, dtype=np.int64)
    quarter = np.floor(stamps / 900).astype(np.int64)
    distinct, where = np.unique(quarter, return_inverse=True)
    epoch = datetime(1970, 1, 1, tzinfo=zone)
    offsets = np.array([_offset(epoch, int(q) * 900, zone) for q in distinct], dtype=float)
    local = stamps + offsets[where]
    days: Ints = np.floor(local / 86400).astype(np.int64)
    return days + date(1970, 1, 1).toordinal()


def _offset(epoch: datetime, seconds: int, zone: ZoneInfo) -> float:
    moment = (epoch + timedelta(seconds=seconds)).astimezone(zone)
    off = moment.utcoffset()
    return off.total_seconds() if off is not None else 0.0


def quizzes(a: Academy, index: Index, found: Passes) -> Block:
    """Passed graded quizzes with awards, dated at the first pass; they never expire."""
    awarding = {q.id: q for c in a.courses.values() for q in c.quizzes if q.awards}
    parts, labels = [], []
    for i, qid in enumerate(found.quizzes):
        if qid not in awarding:
            continue
        mine = np.flatnonzero(found.quiz == i)
        for comp, level, rank in ranked(a, awarding[qid].awards):
            parts.append((found.who[mine], comp, rank, found.day[mine],
                          np.full(len(mine), NEVER)))
            labels += [(level, qid, qid)] * len(mine)
    return _block("quiz", index, parts, labels.__getitem__)


def course_passes(a: Academy, found: Passes, courses: Iterable[str]
                  ) -> dict[str, tuple[Ints, Ints]]:
    """Course -> (learners, day of the last pass) of those who passed all its graded quizzes."""
    position = {q: i for i, q in enumerate(found.quizzes)}
    out = {}
    for cid in dict.fromkeys(courses):
        course = a.courses.get(cid)
        graded = {q.id for q in course.quizzes if q.mode == "graded"} if course else set()
        if not graded:
            continue
        if not graded <= position.keys():
            out[cid] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
            continue
        mine = np.isin(found.quiz, [position[q] for q in graded])
        who, day = found.who[mine], found.day[mine]
        order = np.argsort(who, kind="stable")
        learners, starts, counts = np.unique(who[order], return_index=True, return_counts=True)
        last = np.maximum.reduceat(day[order], starts) if len(starts) else starts
        full = counts == len(graded)
        out[cid] = (learners[full], last[full])
    return out


def courses(a: Academy, index: Index, found: Passes) -> Block:
    """Passed courses with awards: every graded quiz passed, dated at the last of those."""
    awarding = [c for c in a.courses.values() if c.awards]
    done = course_passes(a, found, [c.id for c in awarding])
    parts, labels, sources = [], [], []
    for course in awarding:
        who, day = done.get(course.id, (np.zeros(0, dtype=np.int64),) * 2)
        for comp, level, rank in ranked(a, course.awards):
            parts.append((who, comp, rank, day, np.full(len(who), NEVER)))
            labels += [(level, course.id, course.id)] * len(who)
            sources.append(course.id)
    return _block("course", index, parts, labels.__getitem__, sources)


def records(a: Academy, index: Index, today: date) -> Block:
    """Rows of ``records/evidence/*.csv`` dated by ``today`` of a known competency and level."""
    if not a.evidence:
        return _block("external", index, [], lambda i: ("", "", ""))
    learners, comps, levels, ons, expires = fields(
        a.evidence, "learner", "competency", "level", "on", "expires")
    comp, rank = _ranks(a, index, comps, levels)
    on = ints(map(date.toordinal, ons))
    mask = (rank >= 0) & (on <= today.toordinal())
    rows, kept = np.flatnonzero(mask), mask.tolist()
    last = {e: NEVER if e is None else e.toordinal() for e in set(expires)}
    ends = ints(map(last.__getitem__, compress(expires, kept)))
    evidence = a.evidence

    def describe(i: int) -> tuple[str, str, str]:
        e = evidence[int(rows[i])]
        return e.level, e.source or "external", f"{e.path}:{e.line}"
    return Block("external", index.learner_codes(compress(learners, kept)), comp[rows],
                 rank[rows], on[rows], ends, describe)


def _ranks(a: Academy, index: Index, comps: Sequence[str], levels: Sequence[str]
           ) -> tuple[Ints, Ints]:
    """Competency index and rank of each (competency, level) cell; rank -1: not known."""
    names = {name: i for i, name in enumerate(dict.fromkeys(
        lvl for _, lvl in rank_table(a) if lvl is not None))}
    table = np.full((len(index.competencies) + 1, len(names) + 1), -1, dtype=np.int64)
    for (cid, level), rank in rank_table(a).items():
        if level is not None:
            table[index.of_competency[cid], names[level]] = rank
    comp = ints(map(index.of_competency.get, comps, repeat(-1)))
    return comp, table[comp, ints(map(names.get, levels, repeat(-1)))]


def fields(records: Sequence[Any], *names: str) -> list[Sequence[Any]]:
    """Some fields of a table of records (named tuples), column by column."""
    if isinstance(records, Records) or not records:
        return columns(records, *names)
    kind = type(records[0])
    return [list(map(itemgetter(kind._fields.index(n)), records)) for n in names]
