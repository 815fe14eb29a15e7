"""Skills: role profiles (``roles/<id>.yaml``) and external evidence (``records/evidence/*.csv``).
"""

from __future__ import annotations

from datetime import date

from trainkit.load.records import evidence_columns
from trainkit.load.yamlio import Document
from trainkit.model import Evidence, Loc, Records, Role, RoleRequirement
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
    """Every good row of the evidence files, in file and row order, held column by column."""
    return Records.joined(Evidence, [evidence_columns(d.path, d.data) for d in docs])
