"""The evidence behind each competency level a learner holds.

Evidence comes from five places, each dated and valid until an expiry (or
for good):

* **a completed program** with ``awards``: dated at completion; valid until
  the certificate's expiry when the program issues one, and not at all once
  that certificate is revoked;
* **a passed graded quiz** with ``awards``: dated at the first attempt that
  reached the pass mark;
* **a passed course** with ``awards``: every graded quiz of it passed, dated
  at the last of those passes;
* **a passed practical assessment** with ``awards``: dated at the attempt
  that passed;
* **a row of ``records/evidence/*.csv``**: prior learning, an external
  certificate, a manager's sign-off, with its own date and expiry.

Levels are ordered per competency (``levels:`` in ``competencies.yaml``,
lowest first): evidence at a higher level satisfies a lower requirement. A
competency without levels has the one level ``""``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from trainkit.load.records import collector_paused
from trainkit.model import Academy, Competency, CompetencyRef
from trainkit.outcomes.assessments import results_by_learner, standing
from trainkit.outcomes.certificates import certificate_id, expiry
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.completion_index import columns
from trainkit.outcomes.requirements import COMPLETED, EPS

PROGRAM, COURSE, QUIZ, EXTERNAL = "program", "course", "quiz", "external"
ASSESSMENT = "assessment"


class Held(NamedTuple):
    """One piece of evidence: a learner holds a competency at a level from a date."""

    learner: str
    competency: str
    level: str  # "" for a competency without levels
    rank: int  # position of ``level`` in the competency's levels (0 without levels)
    on: date
    expires: date | None  # first day it no longer counts; None: never
    kind: str  # program | course | quiz | assessment | external
    source: str  # program, course or quiz id; for external evidence its ``source`` text
    ref: str  # certificate number, cohort, or ``path:line`` of the evidence row

    def valid_on(self, day: date) -> bool:
        return self.on <= day and (self.expires is None or day < self.expires)


def rank_of(competency: Competency | None, level: str | None) -> int | None:
    """The level's position (0 for a competency without levels); None: not one of its levels."""
    if competency is None:
        return None
    if not competency.levels:
        return 0 if not level else None
    if not level:
        return 0  # any level will do
    try:
        return competency.levels.index(level)
    except ValueError:
        return None


class Holdings:
    """Every learner's evidence, by learner then competency, in date order."""

    def __init__(self, items: Iterable[Held]) -> None:
        by: dict[str, dict[str, list[Held]]] = {}
        several: list[list[Held]] = []
        for h in items:
            lid, cid = h[0], h[1]  # learner, competency (by position: the hottest loop)
            comps = by.get(lid)
            if comps is None:
                by[lid] = {cid: [h]}
                continue
            held = comps.get(cid)
            if held is None:
                comps[cid] = [h]
            else:
                if len(held) == 1:
                    several.append(held)
                held.append(h)
        for held in several:
            held.sort(key=_order)
        self.by_learner = by

    def of(self, learner: str, competency: str) -> Sequence[Held]:
        return self.by_learner.get(learner, {}).get(competency, ())

    def best(self, learner: str, competency: str, rank: int, day: date) -> Held | None:
        """Valid evidence at ``rank`` or above on ``day``: the one that lasts longest."""
        fits = [h for h in self.of(learner, competency) if h.rank >= rank and h.valid_on(day)]
        if not fits:
            return None
        return max(fits, key=lambda h: (h.expires or date.max, h.on, h.rank))


def _order(h: Held) -> tuple[date, int, str, str]:
    return h.on, h.rank, h.kind, h.ref


def gather(academy: Academy, outcomes: Iterable[Outcome], as_of: datetime) -> Holdings:
    """All evidence that exists as of ``as_of`` (completions come from ``outcomes``)."""
    with collector_paused():
        items = list(from_programs(academy, outcomes))
        passes = quiz_passes(academy, as_of, _awarding_quizzes(academy))
        items += from_quizzes(academy, passes)
        items += from_courses(academy, passes)
        items += from_records(academy, as_of.date())
        items += from_assessments(academy, as_of.date())
        return Holdings(items)


def from_programs(a: Academy, outcomes: Iterable[Outcome]) -> Iterable[Held]:
    revoked = {r.certificate for r in a.revocations}
    ends_on = cache(expiry)
    awarded = {pid: _ranked(a, p.awards) for pid, p in a.programs.items() if p.awards}
    for o in outcomes:
        awards = awarded.get(o.program)
        if not awards or o.status != COMPLETED or o.completed_on is None:
            continue
        program = a.programs[o.program]
        ref, ends = f"cohort {o.cohort}", None
        if program.certificate is not None:
            ref = certificate_id(a.settings.id, o.program, o.learner, o.completed_on)
            if ref in revoked:
                continue
            ends = ends_on(o.completed_on, program.certificate.validity_months)
        for cid, level, rank in awards:
            yield Held(o.learner, cid, level, rank, o.completed_on, ends, PROGRAM, program.id,
                       ref)


def _ranked(a: Academy, awards: Iterable[CompetencyRef]) -> list[tuple[str, str, int]]:
    """(competency, level, rank) of each award whose competency and level are known."""
    out = []
    for ref in awards:
        rank = rank_of(a.competencies.get(ref.id), ref.level)
        if rank is not None:
            out.append((ref.id, ref.level or "", rank))
    return out


def _awarding_quizzes(a: Academy) -> set[str]:
    out = {q.id for c in a.courses.values() for q in c.quizzes if q.awards}
    out |= {q.id for c in a.courses.values() if c.awards for q in c.quizzes}
    return out


def quiz_passes(a: Academy, as_of: datetime, quizzes: set[str]) -> dict[tuple[str, str], date]:
    """(learner, quiz) -> day (academy time) of the first passing attempt of a graded quiz."""
    graded = {q.id: q for q in a.quizzes().values() if q.mode == "graded" and q.id in quizzes}
    out: dict[tuple[str, str], date] = {}
    if not graded or not a.quiz_results:
        return out
    zone = ZoneInfo(a.settings.timezone)
    learners, quiz_ids, scores, maxima, times = columns(
        a.quiz_results, "learner", "quiz", "score", "maximum", "submitted_at")
    for i, qid in enumerate(quiz_ids):
        quiz = graded.get(qid)
        if quiz is None or times[i] > as_of:
            continue
        top = maxima[i]
        if not top or scores[i] / top * 100 + EPS < quiz.pass_mark:
            continue
        key, day = (learners[i], qid), times[i].astimezone(zone).date()
        if key not in out or day < out[key]:
            out[key] = day
    return out


def from_quizzes(a: Academy, passes: dict[tuple[str, str], date]) -> Iterable[Held]:
    awarding = {q.id: q for c in a.courses.values() for q in c.quizzes if q.awards}
    ranked = {qid: _ranked(a, q.awards) for qid, q in awarding.items()}
    for (learner, qid), day in sorted(passes.items()):
        for comp, level, rank in ranked.get(qid, ()):
            yield Held(learner, comp, level, rank, day, None, QUIZ, qid, qid)


def course_passes(a: Academy, passes: dict[tuple[str, str], date],
                  courses: Iterable[str]) -> dict[tuple[str, str], date]:
    """(learner, course) -> the day its last graded quiz was passed (all of them passed)."""
    needed: dict[str, int] = {}  # course -> how many distinct graded quizzes it has
    of_quiz: dict[str, list[str]] = defaultdict(list)  # graded quiz -> courses counting it
    for cid in dict.fromkeys(courses):
        course = a.courses.get(cid)
        graded = {q.id for q in course.quizzes if q.mode == "graded"} if course else set()
        if graded:
            needed[cid] = len(graded)
            for qid in graded:
                of_quiz[qid].append(cid)
    count: dict[tuple[str, str], int] = defaultdict(int)
    last: dict[tuple[str, str], date] = {}
    for (learner, qid), day in passes.items():  # one entry per learner and quiz
        for cid in of_quiz.get(qid, ()):
            key = (learner, cid)
            count[key] += 1
            if key not in last or day > last[key]:
                last[key] = day
    return {key: last[key] for key, n in count.items() if n == needed[key[1]]}


def from_courses(a: Academy, passes: dict[tuple[str, str], date]) -> Iterable[Held]:
    awarding = [c for c in a.courses.values() if c.awards]
    done = course_passes(a, passes, [c.id for c in awarding])
    ranked = {c.id: _ranked(a, c.awards) for c in awarding}
    for (learner, cid), day in sorted(done.items()):
        for comp, level, rank in ranked[cid]:
            yield Held(learner, comp, level, rank, day, None, COURSE, cid, cid)


def from_records(a: Academy, today: date) -> Iterable[Held]:
    ranks = {(c, lvl): rank_of(comp, lvl) for c, comp in a.competencies.items()
             for lvl in ("", *comp.levels)}
    for e in a.evidence:
        rank = ranks.get((e.competency, e.level))
        if e.on > today or rank is None:
            continue  # not yet; or an unknown competency or level (the skills rule says so)
        yield Held(e.learner, e.competency, e.level, rank, e.on, e.expires, EXTERNAL,
                   e.source or "external", f"{e.path}:{e.line}")


def from_assessments(a: Academy, today: date) -> Iterable[Held]:
    """The awards of practical assessments passed by ``today``, dated at the passing attempt."""
    if not any(x.awards for p in a.programs.values() for x in p.assessments):
        return
    for (learner, key), attempts in sorted(results_by_learner(a, today).items()):
        assessment = a.assessment(key)
        if assessment is None or not assessment.awards:
            continue
        held = standing(assessment, attempts)
        if held.passed and held.passed_on is not None:
            for comp, level, rank in _ranked(a, assessment.awards):
                yield Held(learner, comp, level, rank, held.passed_on, None, ASSESSMENT, key,
                           key)
