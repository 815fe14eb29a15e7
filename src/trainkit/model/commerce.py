"""What the academy sells and to whom: prices and client organisations.

Money is :class:`~decimal.Decimal`, never ``float``: amounts are written as
strings in YAML (``"650.00"``) and resolved here exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainkit.model.common import Loc


@dataclass(frozen=True, slots=True)
class EarlyBird:
    """A discount for bookings made on or before ``until``."""

    until: date
    percent: Decimal | None  # exactly one of percent and amount is set
    amount: Decimal | None  # off each seat (or off the flat fee)


@dataclass(frozen=True, slots=True)
class GroupDiscount:
    """A percentage off every seat when one booking takes at least ``min_seats``."""

    min_seats: int
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Price:
    """The price of a program, or of one cohort when it overrides its program's."""

    basis: str  # "seat": per person | "cohort": a flat fee for a closed cohort
    amount: Decimal  # net of tax, in ``currency``
    currency: str  # ISO 4217, e.g. GBP
    tax_rate: Decimal  # percent, e.g. 20
    tax_label: str  # e.g. VAT; shown as "+ VAT"
    seats: int | None  # the seat limit of a closed cohort (basis "cohort")
    early_bird: EarlyBird | None
    group: tuple[GroupDiscount, ...]  # by ascending min_seats
    loc: Loc


@dataclass(frozen=True, slots=True)
class Organisation:
    """A client organisation (``organisations/<id>.yaml``); private."""

    id: str
    name: str  # the name learners' ``organisation`` uses
    legal_name: str
    country: str  # ISO 3166 alpha-2 of the billing address
    address_lines: tuple[str, ...]
    tax_id: str | None  # compact form, as the identifier library formats it
    billing_name: str
    billing_email: str
    purchase_order_required: bool
    payment_terms_days: int
    currency: str
    loc: Loc
