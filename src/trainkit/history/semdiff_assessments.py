"""Practical-assessment results in the semantic diff.

A result row is one attempt of one learner (``records/assessments/*.csv``);
it is listed under the cohort of the assessment's program the learner is
enrolled in, as rows added, changed or removed. Who and what (learner,
attempt, verdict, whether it counts) is kept for ``--private``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from trainkit.history.changes import Change
from trainkit.model import Academy, AssessmentResult
from trainkit.outcomes.assessments import attempt_passes

Key = tuple[str, str, int]  # learner, assessment, attempt


def _rows(academy: Academy | None) -> dict[Key, AssessmentResult]:
    if academy is None:
        return {}
    return {(r.learner, r.assessment, r.attempt): r for r in academy.assessment_results}


def _what(r: AssessmentResult) -> tuple[object, ...]:
    """What a row says, without where it is written (moving a row is not a change)."""
    return (r.on, r.assessor, r.results, r.overall, r.evidence, r.note)


def _cohort(academy: Academy, learner: str, program: str) -> str:
    """The learner's (active, else any) cohort of ``program``; "" when none."""
    found = [c for c in academy.cohorts.values() if c.program == program
             for e in c.enrollments if e.learner == learner]
    active = [c for c in found if any(e.learner == learner and e.status == "enrolled"
                                      for e in c.enrollments)]
    return (active or found)[0].id if found else ""


def _line(academy: Academy, r: AssessmentResult, what: str) -> str:
    a = academy.assessment(r.assessment)
    counts = a is not None and attempt_passes(a, r)
    verdict = f"{r.overall}{' (counts)' if counts else ''}"
    title = a.title if a else r.assessment
    return f"{title} attempt {r.attempt} {what}: {verdict} on {r.on.isoformat()}"


def assessment_results(old: Academy | None, new: Academy | None) -> Iterator[Change]:
    """Assessment-result rows added, changed or removed, per cohort."""
    a, b = _rows(old), _rows(new)
    if a.keys() == b.keys() and all(_what(a[k]) == _what(b[k]) for k in a):
        return
    ref = new or old
    assert ref is not None  # rows differ, so one revision exists
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    counts: dict[tuple[str, str], Counter[str]] = {}
    for key in sorted(a.keys() | b.keys()):
        before, after = a.get(key), b.get(key)
        if before is not None and after is not None and _what(before) == _what(after):
            continue
        what = "added" if before is None else "removed" if after is None else "changed"
        row = after or before
        assert row is not None
        program = row.assessment.partition("/")[0]
        where = (program, _cohort(ref, row.learner, program))
        counts.setdefault(where, Counter())[what] += 1
        groups.setdefault(where, []).append((row.learner, _line(ref, row, what)))
    for (program, cohort), lines in sorted(groups.items()):
        text = "assessment results: " + ", ".join(
            f"{n} {w}" for w, n in sorted(counts[(program, cohort)].items()))
        yield Change("assessment-results-changed", program, cohort, text,
                     frozenset(lid for lid, _ in lines), frozenset(), tuple(lines))
