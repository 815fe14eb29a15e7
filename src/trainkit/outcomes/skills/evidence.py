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

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from trainkit.load.records import collector_paused
from trainkit.model import Academy, Competency
from trainkit.outcomes.assessments import results_by_learner, standing
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.skills import columns

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
    """Every learner's evidence: columns per source, and per learner only when asked.

    ``blocks`` (see :mod:`.columns`) are what the standings, roll-ups and
    coverage count; ``by_learner`` (learner, then competency, in date order)
    is made the first time a report, page or prerequisite asks for one
    learner's evidence.
    """

    def __init__(self, index: columns.Index, blocks: Sequence[columns.Block]) -> None:
        self.index, self.blocks = index, list(blocks)

    @cached_property
    def by_learner(self) -> dict[str, dict[str, list[Held]]]:
        by: dict[str, dict[str, list[Held]]] = {}
        several: list[list[Held]] = []
        learners, comps = self.index.learners, self.index.competencies
        for b in self.blocks:
            describe, kind = b.describe, b.kind
            for i, (who, comp, rank, on, ends) in enumerate(zip(
                    b.who.tolist(), b.comp.tolist(), b.rank.tolist(), b.on.tolist(),
                    b.ends.tolist(), strict=True)):
                level, source, ref = describe(i)
                h = Held(learners[who], comps[comp], level, rank, date.fromordinal(on),
                         None if ends == columns.NEVER else date.fromordinal(ends), kind,
                         source, ref)
                mine = by.setdefault(h.learner, {})
                held = mine.get(h.competency)
                if held is None:
                    mine[h.competency] = [h]
                else:
                    if len(held) == 1:
                        several.append(held)
                    held.append(h)
        for held in several:
            held.sort(key=_order)
        return by

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
        index = columns.Index(academy)
        found = columns.passes(academy, index, as_of, _awarding_quizzes(academy))
        return Holdings(index, [
            columns.programs(academy, index, outcomes), columns.quizzes(academy, index, found),
            columns.courses(academy, index, found),
            columns.records(academy, index, as_of.date()),
            _assessments(academy, index, as_of.date())])


def _awarding_quizzes(a: Academy) -> set[str]:
    out = {q.id for c in a.courses.values() for q in c.quizzes if q.awards}
    out |= {q.id for c in a.courses.values() if c.awards for q in c.quizzes}
    return out


def course_pass_days(a: Academy, as_of: datetime, courses: Iterable[str]
                     ) -> dict[tuple[str, str], date]:
    """(learner, course) -> the day its last graded quiz was passed (all of them passed)."""
    courses = list(courses)
    quizzes = {q.id for c in courses if c in a.courses for q in a.courses[c].quizzes}
    index = columns.Index(a)
    done = columns.course_passes(a, columns.passes(a, index, as_of, quizzes), courses)
    return {(index.learners[w], cid): date.fromordinal(d)
            for cid, (who, days) in done.items()
            for w, d in zip(who.tolist(), days.tolist(), strict=True)}


def _assessments(a: Academy, index: columns.Index, today: date) -> columns.Block:
    """The awards of practical assessments passed by ``today``, dated at the passing attempt."""
    found: list[tuple[str, str, str, int, date, str]] = []
    if any(x.awards for p in a.programs.values() for x in p.assessments):
        for (learner, key), attempts in sorted(results_by_learner(a, today).items()):
            assessment = a.assessment(key)
            if assessment is None or not assessment.awards:
                continue
            held = standing(assessment, attempts)
            if held.passed and held.passed_on is not None:
                for comp, level, rank in columns.ranked(a, assessment.awards):
                    found.append((learner, comp, level, rank, held.passed_on, key))
    ints = columns.ints
    return columns.Block(
        ASSESSMENT, index.learner_codes(f[0] for f in found),
        ints(index.of_competency[f[1]] for f in found), ints(f[3] for f in found),
        ints(f[4].toordinal() for f in found), ints(columns.NEVER for _ in found),
        lambda i: (found[i][2], found[i][5], found[i][5]))
