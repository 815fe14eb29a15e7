"""What a booking costs: exact money from a :class:`~trainkit.model.commerce.Price`.

Everything is :class:`~decimal.Decimal`. Each line is rounded half-up to the
currency's minor unit (Babel's ISO 4217 data: 2 decimals for GBP, 0 for JPY,
3 for BHD), as invoice standards expect: the unit price after discounts is
rounded, the net is unit x seats, and the tax is computed on the rounded net.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision

from trainkit.model.commerce import Price

HUNDRED = Decimal(100)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``0.01`` for GBP, ``1`` for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def round_money(value: Decimal, currency: str) -> Decimal:
    """``value`` rounded half-up to the minor unit of ``currency``."""
    return value.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def percent_of(value: Decimal, percent: Decimal) -> Decimal:
    return value * percent / HUNDRED


@dataclass(frozen=True, slots=True)
class Quote:
    """The cost of one booking, every amount rounded to the minor unit."""

    currency: str
    seats: int
    unit: Decimal  # per seat (or the flat fee) after discounts
    discount: Decimal  # total off the list price
    net: Decimal
    tax: Decimal
    total: Decimal


def early_bird_applies(price: Price, booked_on: date) -> bool:
    return price.early_bird is not None and booked_on <= price.early_bird.until


def quote(price: Price, seats: int, booked_on: date) -> Quote:
    """What ``seats`` places booked together on ``booked_on`` cost.

    Per seat, the early-bird discount (if booked by its date) and the largest
    group discount reached both apply, one after the other; a closed cohort is
    one flat fee for any number of seats up to its limit (group discounts do
    not apply to it).
    """
    cur = price.currency
    unit = price.amount
    if early_bird_applies(price, booked_on):
        bird = price.early_bird
        assert bird is not None
        unit = unit - bird.amount if bird.amount is not None else \
            unit - percent_of(unit, bird.percent or Decimal(0))
    count = 1 if price.basis == "cohort" else seats
    if price.basis == "seat":
        reached = [g for g in price.group if seats >= g.min_seats]
        if reached:
            unit = unit - percent_of(unit, reached[-1].percent)
    unit = round_money(max(unit, Decimal(0)), cur)
    net = unit * count
    tax = round_money(percent_of(net, price.tax_rate), cur)
    return Quote(cur, seats, unit, round_money(price.amount * count, cur) - net, net, tax,
                 net + tax)
