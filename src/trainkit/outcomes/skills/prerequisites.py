"""Whether a learner meets prerequisites on a day, and how what is missing could still be met.

Prerequisites are programs completed, courses passed (every graded quiz)
and competency levels held (see :mod:`.evidence`), all judged on the day of
a cohort's first session with the records as of now.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from trainkit.model import Academy, CompetencyRef, Loc, Prerequisites
from trainkit.outcomes.completion import Outcome, evaluate
from trainkit.outcomes.requirements import COMPLETED
from trainkit.outcomes.skills.evidence import (
    Holdings,
    course_pass_days,
    gather,
    rank_of,
)

_NOWHERE = Loc("", 0, 0)  # a prerequisite given as a plain id keeps no position


class Missing(NamedTuple):
    text: str  # what is missing, in words
    how: str  # how it can still be met before the first session; "" when it cannot


class PrerequisiteFacts:
    """Completions, course passes and evidence as of ``as_of``, worked out once when first asked."""

    def __init__(self, academy: Academy, as_of: datetime) -> None:
        self.academy, self.as_of = academy, as_of

    @cached_property
    def outcomes(self) -> list[Outcome]:
        return evaluate(self.academy, self.as_of)

    @cached_property
    def holdings(self) -> Holdings:
        return gather(self.academy, self.outcomes, self.as_of)

    @cached_property
    def completed(self) -> dict[tuple[str, str], date]:
        out: dict[tuple[str, str], date] = {}
        for o in self.outcomes:
            if o.status == COMPLETED and o.completed_on is not None:
                key = (o.learner, o.program)
                out[key] = min(o.completed_on, out.get(key, o.completed_on))
        return out

    @cached_property
    def passed(self) -> dict[tuple[str, str], date]:
        a = self.academy
        pres = [p.prerequisites for p in a.programs.values()]
        pres += [c.prerequisites for c in a.courses.values()]
        return course_pass_days(a, self.as_of, sorted({c for pre in pres for c in pre.courses}))

    def missing(self, pre: Prerequisites, learner: str, start: datetime) -> list[Missing]:
        """What ``learner`` lacks on the day of ``start`` (the first session), in order."""
        day = start.date()
        out: list[Missing] = []
        for pid in pre.programs:
            done = self.completed.get((learner, pid))
            if done is None or done > day:
                out.append(Missing(f"program {pid!r} not completed",
                                   self._program_in_time(pid, learner, start)))
        for cid in pre.courses:
            done = self.passed.get((learner, cid))
            if done is None or done > day:
                out.append(Missing(f"course {cid!r} not passed", self._course_how(cid)))
        refs = pre.levels or tuple(CompetencyRef(c, None, _NOWHERE) for c in pre.competencies)
        for ref in refs:
            text = self._competency_gap(ref, learner, day)
            if text:
                out.append(Missing(text, self._competency_how(ref, learner, start)))
        return out

    def _competency_gap(self, ref: CompetencyRef, learner: str, day: date) -> str:
        comp = self.academy.competencies.get(ref.id)
        rank = rank_of(comp, ref.level)
        if rank is None:
            return ""  # unknown competency or level: the skills rule reports it
        if self.holdings.best(learner, ref.id, rank, day) is not None:
            return ""
        name = f"{ref.id}: {ref.level}" if ref.level else ref.id
        lapsed = [h for h in self.holdings.of(learner, ref.id) if h.rank >= rank and h.on <= day]
        if lapsed:
            return f"competency {name} expired on {max(h.expires or day for h in lapsed)}"
        return f"competency {name} not held"

    def _course_how(self, cid: str) -> str:
        course = self.academy.courses.get(cid)
        if course is not None and any(q.mode == "graded" for q in course.quizzes):
            return f"pass the self-paced course {cid!r}"
        return ""

    def _program_in_time(self, pid: str, learner: str, start: datetime) -> str:
        for c in sorted(self.academy.cohorts.values(), key=lambda c: (c.start or start, c.id)):
            if c.program != pid or c.status == "cancelled" or c.end is None or c.start is None:
                continue
            if c.end > start or c.end <= self.as_of:
                continue  # ends too late, or is over (a completion would count already)
            seated = any(e.learner == learner and e.status == "enrolled" for e in c.enrollments)
            if seated:
                return f"enrolled in cohort {c.id!r}, which ends before"
            open_seats = c.capacity - len(c.active_enrollments())
            if c.status == "open" and c.start > self.as_of and open_seats > 0:
                return f"cohort {c.id!r} ends before and has {open_seats} seat(s) left"
        return ""

    def _competency_how(self, ref: CompetencyRef, learner: str, start: datetime) -> str:
        a = self.academy
        comp = a.competencies.get(ref.id)
        need = rank_of(comp, ref.level) or 0

        def gives(awards: tuple[CompetencyRef, ...]) -> bool:
            return any(w.id == ref.id and (rank_of(comp, w.level) or 0) >= need for w in awards)
        for course in a.courses.values():
            if (gives(course.awards) or any(gives(q.awards) for q in course.quizzes)) \
                    and self._course_how(course.id):
                return f"pass the self-paced course {course.id!r}"
        for program in a.programs.values():
            if gives(program.awards):
                how = self._program_in_time(program.id, learner, start)
                if how:
                    return f"complete {program.id!r}: {how}"
        return ""

