"""What every part of the resolver shares: positions, usable documents, declared ids,
competency references and prerequisites.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from trainkit.load.yamlio import Document
from trainkit.model import (
    CompetencyRef,
    Loc,
    Prerequisites,
)


def stem(path: str) -> str:
    return PurePosixPath(path).stem


def loc(doc: Document, *pointer: str | int) -> Loc:
    line, col = doc.locate(pointer)
    return Loc(doc.path, line, col)


def good(docs: Iterable[Document]) -> list[Document]:
    """Documents that parsed and passed their schema."""
    blocking = ("schema", "csv-header")
    return [d for d in docs
            if d.data is not None and not any(x.code in blocking for x in d.diagnostics)]


class Declared:
    """Collects ids as they are declared and the duplicates among them."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Loc] = {}
        self.duplicates: list[tuple[str, str, Loc, Loc]] = []

    def add(self, kind: str, ident: str, where: Loc) -> bool:
        key = (kind, ident)
        if key in self.first:
            self.duplicates.append((kind, ident, self.first[key], where))
            return False
        self.first[key] = where
        return True


def competency_refs(doc: Document, items: list[Any],
                    *pointer: str | int) -> tuple[CompetencyRef, ...]:
    return tuple(
        CompetencyRef(c["id"], c.get("level"), loc(doc, *pointer, i)) if isinstance(c, dict)
        else CompetencyRef(c, None, loc(doc, *pointer, i))
        for i, c in enumerate(items)
    )


def prerequisites(d: dict[str, Any], doc: Document | None = None) -> Prerequisites:
    """The ``prerequisites:`` block; with ``doc``, competency levels keep their positions."""
    items = d.get("competencies", ())
    levels = (competency_refs(doc, list(items), "prerequisites", "competencies")
              if doc is not None else ())
    return Prerequisites(
        programs=tuple(d.get("programs", ())),
        courses=tuple(d.get("courses", ())),
        competencies=tuple(c["id"] if isinstance(c, dict) else c for c in items),
        text=d.get("text", ""),
        levels=levels,
        loc=loc(doc, "prerequisites") if doc is not None else Loc(""),
    )


def awards(doc: Document, items: list[Any], *pointer: str | int) -> tuple[CompetencyRef, ...]:
    """``awards: [{competency, level}]`` as competency references with their positions."""
    return tuple(CompetencyRef(a["competency"], a.get("level"), loc(doc, *pointer, i))
                 for i, a in enumerate(items))
