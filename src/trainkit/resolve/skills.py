"""Skills: role profiles (``roles/<id>.yaml``) and external evidence (``records/evidence/*.csv``).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from operator import mul

from trainkit.load.records import Columns
from trainkit.load.yamlio import Document
from trainkit.model import Column, Converted, Evidence, Loc, Records, Role, RoleRequirement
from trainkit.resolve.common import Declared, loc, stem


def resolve_roles(docs: list[Document], declared: Declared) -> dict[str, Role]:
    out: dict[str, Role] = {}
    for doc in docs:
        role = _role(doc)
        if declared.add("role", role.id, role.loc):
            out[role.id] = role
    return dict(sorted(out.items()))


def _role(doc: Document) -> Role:
    d = doc.data
    extends = tuple(d.get("extends", ()))
    return Role(
        id=stem(doc.path),
        name=d["name"],
        description=d.get("description", ""),
        extends=extends,
        requirements=tuple(
            RoleRequirement(
                competency=c["competency"], level=c.get("level"),
                weight=float(c.get("weight", 1)),
                by=date.fromisoformat(c["by"]) if c.get("by") else None,
                loc=loc(doc, "competencies", i),
            )
            for i, c in enumerate(d.get("competencies", []))
        ),
        loc=Loc(doc.path, 1, 1),
        extends_locs=tuple(loc(doc, "extends", i) for i in range(len(extends))),
    )


def resolve_evidence(docs: list[Document]) -> Records[Evidence]:
    """Every good row of the evidence files, in file and row order, held column by column
    (dates are read when a column is first used)."""
    return Records.joined(Evidence, [_columns(d.path, d.data) for d in docs])


def _columns(path: str, data: Columns) -> list[Column]:
    c, n = data.columns, len(data)
    return [c["learner"], c["competency"], c["level"], Converted(c["date"], date.fromisoformat),
            Converted(c["expires"], _day_or_none), c["source"], c["assessor"], c["note"],
            partial(mul, [path], n), data.lines]


def _day_or_none(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None
