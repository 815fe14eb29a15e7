"""Orders, the invoice ledger and the invoicing settings: documents to the model.

Amounts are quoted decimal strings (the schemas refuse numbers) and become
:class:`~decimal.Decimal` here. What can still be wrong (an unknown cohort, a
withdrawn seat, a ledger edited by hand) stays in the model for the rules in
:mod:`trainkit.rules.invoicing` to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from trainkit.load.yamlio import Document
from trainkit.model.invoicing import IssuedDocument
from trainkit.model.orders import (
    BilledSeat,
    Buyer,
    InvoicePolicy,
    InvoiceSettings,
    LedgerSeats,
    Order,
    OrderLine,
    Parties,
    Party,
)
from trainkit.model.settings import Settings
from trainkit.resolve.common import loc

_BEFORE = re.compile(r"^(\d+) days before start$")


def policy(text: str) -> InvoicePolicy:
    """``on booking``, ``N days before start`` or ``after delivery`` as a policy."""
    match = _BEFORE.match(text)
    if match:
        return InvoicePolicy("before-start", int(match.group(1)))
    return InvoicePolicy("after-delivery" if text == "after delivery" else "booking")


def resolve_invoicing(academy: Document, programs: Iterable[Document],
                      settings: Settings) -> InvoiceSettings | None:
    """``invoicing`` of ``trainkit.yaml`` with each program's ``invoice``."""
    raw = academy.data.get("invoicing")
    if raw is None:
        return None
    by_program = {PurePosixPath(d.path).parent.name: policy(d.data["invoice"])
                  for d in programs if "invoice" in d.data}
    return InvoiceSettings(
        legal_name=raw["legal_name"], address_lines=tuple(raw["address"]["lines"]),
        country=raw["address"]["country"], tax_id=raw.get("tax_id"), email=raw["email"],
        iban=raw.get("iban"), bic=raw.get("bic"),
        logo=raw.get("logo", settings.site.logo), learner_names=raw.get("learner_names", True),
        policy=policy(raw.get("when", "on booking")), program_policies=by_program,
        loc=loc(academy, "invoicing"),
    )


def resolve_order(doc: Document) -> Order:
    d = doc.data
    raw_buyer = d.get("buyer")
    buyer = None if raw_buyer is None else Buyer(
        raw_buyer["name"], raw_buyer["email"], raw_buyer["address"]["country"],
        tuple(raw_buyer["address"]["lines"]))
    return Order(
        id=PurePosixPath(doc.path).stem, organisation=d.get("organisation"), buyer=buyer,
        purchase_order=d.get("purchase_order"), booked=date.fromisoformat(d["booked"]),
        currency=d["currency"],
        lines=tuple(_line(doc, i, raw) for i, raw in enumerate(d["seats"])),
        loc=loc(doc), organisation_loc=loc(doc, "organisation") if "organisation" in d else None,
        currency_loc=loc(doc, "currency"),
    )


def _line(doc: Document, index: int, raw: dict[str, Any]) -> OrderLine:
    unit = Decimal(raw["unit_price"])
    return OrderLine(
        cohort=raw["cohort"], learners=tuple(raw["learners"]),
        list_price=Decimal(raw.get("list_price", raw["unit_price"])), unit_price=unit,
        tax_rate=Decimal(raw["tax_rate"]), tax_label=raw.get("tax_label", "VAT"),
        discount=raw.get("discount", ""), loc=loc(doc, "seats", index, "cohort"),
        learner_locs=tuple(loc(doc, "seats", index, "learners", j)
                           for j in range(len(raw["learners"]))),
        basis=raw.get("basis", "seat"),
    )


def resolve_ledger(docs: Iterable[Document], orders: dict[str, Order]
                   ) -> tuple[tuple[IssuedDocument, ...], dict[str, LedgerSeats]]:
    """The ledger's documents in the order written, and what each one covers."""
    issued: list[IssuedDocument] = []
    covers: dict[str, LedgerSeats] = {}
    for doc in docs:
        for i, raw in enumerate(doc.data["documents"]):
            order = orders.get(raw["order"])
            issued.append(IssuedDocument(
                number=raw["number"], kind=raw["kind"],
                issued=date.fromisoformat(raw["issued"]), due=date.fromisoformat(raw["due"]),
                order=raw["order"], organisation=order.organisation if order else None,
                currency=raw["currency"], net=Decimal(raw["net"]), tax=Decimal(raw["tax"]),
                total=Decimal(raw["total"]), credits=raw.get("credits"),
                sha256=raw["sha256"], loc=loc(doc, "documents", i),
                snapshot_sha256=raw.get("snapshot_sha256")))
            covers.setdefault(raw["number"], LedgerSeats(
                raw["number"], tuple(_billed(s) for s in raw["seats"]), raw.get("reason", ""),
                _parties(raw)))
    return tuple(issued), covers


def _billed(raw: dict[str, Any]) -> BilledSeat:
    cohort, _, learner = raw["seat"].partition("/")
    unit = Decimal(raw["unit_price"])
    return BilledSeat(cohort, learner, Decimal(raw.get("list_price", raw["unit_price"])), unit,
                      Decimal(raw["tax_rate"]), raw.get("tax_label", "VAT"),
                      raw.get("discount", ""), raw["text"])


def _parties(raw: dict[str, Any]) -> Parties | None:
    """The parties an entry kept when issued; ``None`` for an entry without them."""
    seller = raw.get("seller")
    if seller is None:
        return None
    buyer = raw.get("buyer")
    return Parties(_party(seller), _party(buyer) if buyer is not None else None,
                   raw.get("purchase_order"), seller.get("logo"), seller.get("logo_sha256"))


def _party(raw: dict[str, Any]) -> Party:
    return Party(raw["name"], tuple(raw.get("address", ())), raw["country"], raw["email"],
                 raw.get("tax_id"), raw.get("contact", ""), raw.get("iban"), raw.get("bic"))
