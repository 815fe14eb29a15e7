"""Practical assessments judged: which attempt passed, and why not in words.

An attempt passes when the assessor's ``overall`` is ``pass`` and every
critical criterion reached one of the assessment's ``pass_levels``. A learner
has passed an assessment once any attempt (dated by the moment asked about)
passed; otherwise the last attempt says why not, and whether a resit is left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from trainkit.model import Academy, Assessment, AssessmentResult


class Standing(NamedTuple):
    """One learner at one assessment: passed (and when), or why not and whether final."""

    passed: bool
    reason: str  # empty when passed
    final: bool  # no attempt left
    passed_on: date | None
    attempts: int  # attempts made


def attempt_passes(assessment: Assessment, result: AssessmentResult) -> bool:
    return result.overall == "pass" and not critical_shortfalls(assessment, result)


def critical_shortfalls(assessment: Assessment, result: AssessmentResult) -> list[str]:
    """The titles of critical criteria the attempt did not bring to a passing level."""
    levels = dict(result.results)
    return [c.title for c in assessment.criteria
            if c.critical and levels.get(c.id) not in assessment.passing]


def results_by_learner(academy: Academy, on: date | None = None
                       ) -> dict[tuple[str, str], list[AssessmentResult]]:
    """(learner, ``<program>/<id>``) -> attempts dated by ``on`` (all: None), by attempt."""
    out: dict[tuple[str, str], list[AssessmentResult]] = defaultdict(list)
    for r in academy.assessment_results:
        if on is None or r.on <= on:
            out[(r.learner, r.assessment)].append(r)
    for rows in out.values():
        rows.sort(key=lambda r: (r.attempt, r.on))
    return dict(out)


def standing(assessment: Assessment, attempts: Sequence[AssessmentResult]) -> Standing:
    """Where a learner stands at ``assessment`` after ``attempts`` (in attempt order)."""
    name = f"practical assessment {assessment.title!r}"
    passed = next((r for r in attempts if attempt_passes(assessment, r)), None)
    if passed is not None:
        return Standing(True, "", False, passed.on, len(attempts))
    if not attempts:
        return Standing(False, f"{name} not yet taken", False, None, 0)
    last = attempts[-1]
    short = critical_shortfalls(assessment, last)
    lowest = assessment.passing[0] if assessment.passing else "passed"
    why = ", ".join(f"critical criterion {t!r} not yet {lowest}" for t in short)
    if not why:
        why = "the assessor's overall verdict was fail"
    final = max(r.attempt for r in attempts) >= assessment.attempts
    left = "no attempts left" if final else "resit allowed"
    return Standing(False, f"{name} not yet passed: {why}, {left}", final, None, len(attempts))
