"""Practical assessments: ``assessments:`` of program.yaml and ``records/assessments/*.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from trainkit.load.yamlio import Document
from trainkit.model import Assessment, AssessmentResult, Criterion
from trainkit.resolve.common import awards, loc


def resolve_assessments(doc: Document, program: str,
                        default_qualification: str) -> tuple[Assessment, ...]:
    """The assessments a program document declares."""
    return tuple(_assessment(doc, program, default_qualification, i, a)
                 for i, a in enumerate(doc.data.get("assessments", [])))


def _assessment(doc: Document, program: str, qualification: str, i: int,
                a: dict[str, Any]) -> Assessment:
    return Assessment(
        program=program, id=a["id"], title=a["title"], session=a["session"],
        qualification=a.get("qualification", qualification),
        levels=tuple(a["levels"]), passing=tuple(a["pass_levels"]),
        criteria=tuple(Criterion(c["id"], c["title"], bool(c.get("critical", False)),
                                 loc(doc, "assessments", i, "criteria", j))
                       for j, c in enumerate(a["criteria"])),
        attempts=int(a.get("attempts", 1)), loc=loc(doc, "assessments", i),
        awards=awards(doc, a.get("awards", []), "assessments", i, "awards"),
    )


def resolve_assessment_results(docs: list[Document]) -> tuple[AssessmentResult, ...]:
    """Every good row of the assessment-result files, in file and row order."""
    return tuple(row for doc in docs for row in _rows(doc))


def _rows(doc: Document) -> Iterable[AssessmentResult]:
    c = doc.data.columns
    for i, line in enumerate(doc.data.lines):
        yield AssessmentResult(
            learner=c["learner"][i], assessment=c["assessment"][i],
            attempt=int(c["attempt"][i]), on=date.fromisoformat(c["date"][i]),
            assessor=c["assessor"][i], results=parse_results(c["results"][i]),
            overall=c["overall"][i], evidence=c["evidence"][i], note=c["note"][i],
            path=doc.path, line=line,
        )


def parse_results(cell: str) -> tuple[tuple[str, str], ...]:
    """``rate-depth=competent;airway=not-yet`` as (criterion, level) pairs."""
    pairs = []
    for part in cell.split(";"):
        if part.strip():
            name, _, level = part.partition("=")
            pairs.append((name.strip(), level.strip()))
    return tuple(pairs)
