"""Feedback surveys: ``surveys/<id>.yaml``, ``surveys:`` of program.yaml, the
``feedback:`` settings and ``records/surveys/*.csv``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from trainkit.load.yamlio import Document
from trainkit.model import (
    NPS_SCALE,
    FeedbackSettings,
    Loc,
    ResponseFile,
    Survey,
    SurveyQuestion,
)
from trainkit.resolve.common import loc

_DEFAULT_SCALE = (1, 5)


def resolve_surveys(docs: list[Document]) -> dict[str, Survey]:
    """Every survey, keyed by id (the file name), sorted."""
    surveys = [_survey(doc) for doc in docs]
    return {s.id: s for s in sorted(surveys, key=lambda s: s.id)}


def _survey(doc: Document) -> Survey:
    d = doc.data
    return Survey(
        id=PurePosixPath(doc.path).stem, title=d["title"], when=d["when"],
        days_after=int(d.get("days_after", 0)), form_url=d.get("form_url"),
        anonymous=bool(d.get("anonymous", True)), description=d.get("description", ""),
        questions=tuple(_question(doc, i, q) for i, q in enumerate(d["questions"])),
        loc=Loc(doc.path, 1, 1),
    )


def _question(doc: Document, i: int, q: dict[str, Any]) -> SurveyQuestion:
    kind = q["type"]
    low, high = NPS_SCALE if kind == "nps" else _DEFAULT_SCALE
    return SurveyQuestion(
        id=q["id"], text=q["text"], type=kind,
        low=int(q.get("min", low)), high=int(q.get("max", high)),
        labels=tuple(q.get("labels", ())), choices=tuple(q.get("choices", ())),
        multiple=bool(q.get("multiple", False)), loc=loc(doc, "questions", i),
    )


def program_surveys(doc: Document) -> tuple[tuple[str, ...], tuple[Loc, ...]]:
    """The survey ids a program document lists, and where each is written."""
    ids = tuple(doc.data.get("surveys", ()))
    return ids, tuple(loc(doc, "surveys", i) for i in range(len(ids)))


def feedback_settings(data: dict[str, Any]) -> FeedbackSettings:
    f = data.get("feedback", {})
    default = FeedbackSettings()
    return FeedbackSettings(min_responses=int(f.get("min_responses", default.min_responses)),
                            publish_ratings=bool(f.get("publish_ratings", False)))


def resolve_responses(docs: list[Document]) -> tuple[ResponseFile, ...]:
    """The response files whose rows were read (bad rows are already left out), with the
    counts the loader made of them."""
    return tuple(ResponseFile(doc.path, doc.data.header, doc.data.columns, doc.data.lines,
                              doc.data.groups) for doc in docs)
