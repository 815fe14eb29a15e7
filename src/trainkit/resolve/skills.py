"""Skills: role profiles (``roles/<id>.yaml``) and external evidence (``records/evidence/*.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from trainkit.load.yamlio import Document
from trainkit.model import Evidence, Loc, Role, RoleRequirement
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


def resolve_evidence(docs: list[Document]) -> tuple[Evidence, ...]:
    """Every good row of the evidence files, in file and row order."""
    return tuple(row for doc in docs for row in _rows(doc))


def _rows(doc: Document) -> Iterable[Evidence]:
    c = doc.data.columns
    expires = c["expires"]
    for i, line in enumerate(doc.data.lines):
        yield Evidence(
            learner=c["learner"][i], competency=c["competency"][i], level=c["level"][i],
            on=date.fromisoformat(c["date"][i]),
            expires=date.fromisoformat(expires[i]) if expires[i] else None,
            source=c["source"][i], assessor=c["assessor"][i], note=c["note"][i],
            path=doc.path, line=line,
        )
