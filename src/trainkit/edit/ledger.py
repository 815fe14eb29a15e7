"""What ``trainkit invoice`` changes: entries appended to ``records/invoices.yaml``.

An entry records what was issued: the number, kind, dates, order, the
parties as the document prints them (seller with bank details and logo,
buyer, purchase order), seats, amounts and the SHA-256 of the document's EN
16931 XML. The document is rebuilt from the entry alone, so a client moving
office or a new bank account changes the next documents, never issued ones. Entries are only
ever appended; a correction is a new credit note.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from trainkit.edit.changes import Changes
from trainkit.model import Academy
from trainkit.model.orders import Parties, Party
from trainkit.outcomes.cii import cii_xml, sha256
from trainkit.outcomes.invoicing import Draft, Line, draft_of, snapshot_sha256
from trainkit.writers.invoices import logo_bytes

LEDGER = "records/invoices.yaml"
HEADER = """\
# yaml-language-server: $schema=../schemas/invoice-ledger.schema.json
# Every invoice and credit note issued, oldest first. Written by `trainkit
# invoice`; never edit it by hand: `trainkit check` compares each entry's
# sha256 with the document rebuilt from it. Private.
version: 1
documents: []
"""


def entry(academy: Academy, draft: Draft) -> dict[str, Any]:
    """The ledger entry of ``draft``, with the hash of its XML."""
    out: dict[str, Any] = {
        "number": draft.number, "kind": draft.kind,
        "issued": draft.issued.isoformat(), "due": draft.due.isoformat(),
        "order": draft.order.id, **_parties(academy, draft.parties),
        "seats": [_seat(x) for x in draft.lines],
        "currency": draft.order.currency, "net": str(draft.net), "tax": str(draft.tax),
        "total": str(draft.total),
    }
    if draft.credits:
        out["credits"] = draft.credits
    if draft.reason:
        out["reason"] = draft.reason
    out["sha256"] = sha256(cii_xml(academy, draft))
    out["snapshot_sha256"] = snapshot_sha256(replace(draft, parties=_as_kept(academy,
                                                                            draft.parties)))
    return out


def _as_kept(academy: Academy, parties: Parties | None) -> Parties | None:
    """``parties`` as the entry keeps them: the logo with its hash, or no logo."""
    if parties is None:
        return None
    data = logo_bytes(academy.root, parties.logo)
    if parties.logo and data is not None:
        return replace(parties, logo_sha256=hashlib.sha256(data).hexdigest())
    return replace(parties, logo=None, logo_sha256=None)


def seal(changes: Changes, academy: Academy) -> list[str]:
    """Give ``snapshot_sha256`` to entries written before it was kept.

    Only entries whose XML still matches their ``sha256`` (the command runs
    after a clean check) and that keep their parties: what they hold now is
    what was issued, as far as anything can tell.
    """
    if not any(d.snapshot_sha256 is None for d in academy.ledger):
        return []
    doc = changes.open(LEDGER)
    sealed = []
    for index, issued in enumerate(academy.ledger):
        covers = academy.ledger_seats.get(issued.number)
        draft = draft_of(academy, issued, index)
        if issued.snapshot_sha256 is not None or draft is None or covers is None \
                or covers.parties is None or sha256(cii_xml(academy, draft)) != issued.sha256:
            continue
        doc.set(["documents", index, "snapshot_sha256"], snapshot_sha256(draft),
                after=("sha256",))
        sealed.append(issued.number)
    return [f"kept the snapshot hash of {', '.join(sealed)} (written before it was kept)"
            ] if sealed else []


def _parties(academy: Academy, parties: Parties | None) -> dict[str, Any]:
    """Seller, buyer and purchase order as the document prints them."""
    if parties is None:
        return {}
    seller = _party(parties.seller)
    data = logo_bytes(academy.root, parties.logo)
    if parties.logo and data is not None:
        seller["logo"] = parties.logo
        seller["logo_sha256"] = hashlib.sha256(data).hexdigest()
    out: dict[str, Any] = {"seller": seller}
    if parties.buyer is not None:
        out["buyer"] = _party(parties.buyer)
    if parties.purchase_order:
        out["purchase_order"] = parties.purchase_order
    return out


def _party(party: Party) -> CommentedMap:
    out = CommentedMap(name=party.name)
    if party.address_lines:
        out["address"] = CommentedSeq(party.address_lines)
        out["address"].fa.set_flow_style()
    out["country"] = party.country
    out["email"] = party.email
    for key in ("tax_id", "contact", "iban", "bic"):
        if value := getattr(party, key):
            out[key] = value
    return out


def _seat(line: Line) -> CommentedMap:
    """One seat at its price, on one line of the ledger."""
    out = CommentedMap(seat=f"{line.cohort}/{line.learner}", unit_price=str(line.unit_price))
    if line.list_price != line.unit_price:
        out["list_price"] = str(line.list_price)
    out["tax_rate"] = format(line.tax_rate.normalize(), "f")
    if line.tax_label != "VAT":
        out["tax_label"] = line.tax_label
    if line.discount:
        out["discount"] = line.discount
    out["text"] = line.text
    out.fa.set_flow_style()
    return out


def issue(changes: Changes, academy: Academy, drafts: list[Draft]) -> list[str]:
    """Append ``drafts`` to the ledger; returns what was issued, one line each."""
    doc = changes.create(LEDGER, HEADER)
    lines = []
    for draft in drafts:
        doc.append(("documents",), entry(academy, draft))
        lines.append(describe(draft))
    return lines


def describe(draft: Draft) -> str:
    what = "credit note" if draft.kind == "credit-note" else "invoice"
    against = f" against {draft.credits}" if draft.credits else ""
    return (f"{what} {draft.number}{against}: order {draft.order.id}, {len(draft.lines)} "
            f"seat(s), {draft.net} + {draft.tax} = {draft.total} {draft.order.currency}, "
            f"issued {draft.issued}" + (f", due {draft.due}" if draft.kind == "invoice" else ""))
