"""The competency framework as 1EdTech CASE 1.1 (CFDocument, CFItem, CFAssociation).

Published on the public site at ``competencies/case.json`` (a CFPackage), so
that the ``alignment`` of an Open Badge credential resolves to the
competency, or the competency level, it evidences. Identifiers are UUIDs
derived from the academy's base URL and the competency id (and level), so
they stay the same from build to build.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from trainkit.model import Academy

CASE_PATH = "competencies/case.json"


def identifier(base_url: str, competency: str, level: str | None = None) -> str:
    name = f"{base_url}competency/{competency}" + (f"/{level}" if level else "")
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def item_uri(base_url: str, competency: str, level: str | None = None) -> str:
    """Where the CFItem is described: the package, with the item's identifier as fragment."""
    return f"{base_url}{CASE_PATH}#{identifier(base_url, competency, level)}"


def alignment(academy: Academy, competency: str, level: str | None) -> dict[str, object]:
    """An Open Badges 3.0 ``Alignment`` to the CFItem of a competency (level)."""
    base = academy.settings.base_url
    comp = academy.competencies.get(competency)
    name = (comp.name if comp else competency) + (f": {level}" if level else "")
    out: dict[str, object] = {
        "type": ["Alignment"], "targetName": name,
        "targetUrl": item_uri(base, competency, level if comp and comp.levels else None),
        "targetFramework": academy.settings.name, "targetType": "CFItem",
        "targetCode": f"{competency}/{level}" if level else competency,
    }
    if comp and comp.description:
        out["targetDescription"] = comp.description
    return out


def package(academy: Academy, changed: datetime) -> dict[str, Any]:
    """The whole framework as a CASE 1.1 CFPackage."""
    base = academy.settings.base_url
    stamp = changed.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}competencies"))
    document = {
        "identifier": doc_id, "uri": f"{base}{CASE_PATH}", "title": f"{academy.settings.name}: "
        "competency framework", "creator": academy.settings.certificates.issuer_name,
        "lastChangeDateTime": stamp, "language": academy.settings.locale,
        "CFPackageURI": {"title": "competencies", "identifier": doc_id,
                         "uri": f"{base}{CASE_PATH}"},
    }
    items: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for cid, comp in academy.competencies.items():
        items.append(_item(base, cid, None, comp.name, comp.description, "Competency", stamp))
        links.append(_link(base, cid, None, doc_id, stamp, document=True))
        for rank, level in enumerate(comp.levels):
            items.append(_item(base, cid, level, f"{comp.name}: {level}",
                               f"{comp.name} at level {rank + 1} of {len(comp.levels)} "
                               f"({level}).", "Competency level", stamp))
            links.append(_link(base, cid, level, identifier(base, cid), stamp))
    return {"CFDocument": document, "CFItems": items, "CFAssociations": links}


def _item(base: str, cid: str, level: str | None, name: str, text: str, kind: str,
          stamp: str) -> dict[str, Any]:
    ident = identifier(base, cid, level)
    return {"identifier": ident, "uri": f"{base}{CASE_PATH}#{ident}",
            "fullStatement": text or name, "abbreviatedStatement": name,
            "humanCodingScheme": f"{cid}/{level}" if level else cid, "CFItemType": kind,
            "lastChangeDateTime": stamp}


def _link(base: str, cid: str, level: str | None, parent: str, stamp: str,
          document: bool = False) -> dict[str, Any]:
    child = identifier(base, cid, level)
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}association/{child}"))
    return {"identifier": ident, "uri": f"{base}{CASE_PATH}#{ident}",
            "associationType": "isChildOf", "lastChangeDateTime": stamp,
            "originNodeURI": {"title": f"{cid}/{level}" if level else cid, "identifier": child,
                              "uri": f"{base}{CASE_PATH}#{child}"},
            "destinationNodeURI": {"title": "competencies" if document else cid,
                                   "identifier": parent,
                                   "uri": f"{base}{CASE_PATH}" + ("" if document
                                                                  else f"#{parent}")}}
