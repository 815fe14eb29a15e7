"""Issued invoices and credit notes as the ledger records them, and payments received.

Both are private: nothing here ever reaches ``site/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainkit.model.common import Loc


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """One entry of the invoice ledger: an invoice or a credit note, as issued.

    Amounts are positive for both kinds; ``kind`` gives the sign (a credit
    note reduces what the buyer owes).
    """

    number: str  # unique in the academy's gapless series, e.g. "2027-0001"
    kind: str  # "invoice" | "credit-note"
    issued: date
    due: date
    order: str  # the id of the order it bills
    organisation: str | None  # the client organisation's id; None for a private buyer
    currency: str  # ISO 4217
    net: Decimal
    tax: Decimal
    total: Decimal  # net + tax
    credits: str | None  # a credit note: the number of the invoice it corrects
    sha256: str  # hash of the document's canonical content (its XML)
    loc: Loc
    snapshot_sha256: str | None = None  # hash of what it prints (None: written before)


@dataclass(frozen=True, slots=True)
class Payment:
    """One row of ``records/payments/*.csv``: money received against an invoice."""

    date: date
    invoice: str  # the number of the invoice it pays
    amount: Decimal
    currency: str
    reference: str  # the bank's reference
    payer: str
    note: str
    loc: Loc
