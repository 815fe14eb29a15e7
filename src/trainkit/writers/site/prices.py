"""Prices as the public site shows them: "£650 per person + VAT".

Amounts are formatted by Babel in the academy's ``locale`` (symbol, grouping,
decimal mark); whole amounts drop their ``.00``. Only the public price and its
public discounts are shown: never organisations, orders or costs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from trainkit.model.commerce import Price
from trainkit.outcomes.pricing import percent_of, round_money
from trainkit.writers.site import live, md


def _locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


def money(amount: Decimal, currency: str, locale: str) -> str:
    """``amount`` in ``currency`` as the locale writes it; ``£650``, ``£650.50``."""
    loc = _locale(locale)
    if amount == amount.to_integral_value():
        pattern = loc.currency_formats["standard"].pattern.split(";")[0]
        whole = pattern.replace("0.00", "0").replace("0,00", "0")
        return format_currency(amount, currency, format=whole, locale=loc, currency_digits=False)
    return format_currency(amount, currency, locale=loc)


def _tax(price: Price) -> str:
    return f" + {price.tax_label}" if price.tax_rate else ""


def _unit(price: Price) -> str:
    if price.basis == "cohort":
        return f"for a closed group of up to {price.seats} people"
    return "per person"


def price_words(price: Price, locale: str) -> str:
    """``£650 per person + VAT`` or ``£7,800 for a closed group of up to 12 people + VAT``."""
    return f"{money(price.amount, price.currency, locale)} {_unit(price)}{_tax(price)}"


def discount_lines(price: Price, locale: str) -> list[str]:
    """One sentence per public discount: the early bird, then each group threshold."""
    out: list[str] = []
    bird = price.early_bird
    if bird is not None:
        off = bird.amount if bird.amount is not None else \
            percent_of(price.amount, bird.percent or Decimal(0))
        early = round_money(price.amount - off, price.currency)
        day = format_date(bird.until, format="long", locale=_locale(locale))
        out.append(f"Early bird: {money(early, price.currency, locale)} {_unit(price)}"
                   f"{_tax(price)} when booked by {day}")
    for group in price.group if price.basis == "seat" else ():
        pct = format_decimal(group.percent, locale=_locale(locale))
        out.append(f"Groups of {group.min_seats} or more: {pct}% off each seat")
    return out


def price_block(price: Price | None, locale: str, today: date) -> list[str]:
    """Markdown list items for a page: the price, then its discounts.

    The early-bird line is hidden after its last day: as of the build's day
    ``today`` in the page, and as of the reader's day by ``live.js``.
    """
    if price is None:
        return []
    out = [f"- **Price:** {md.text(price_words(price, locale))}"]
    for n, line in enumerate(discount_lines(price, locale)):
        if n == 0 and price.early_bird is not None:
            out.append(f"- {live.until(price.early_bird.until, today, md.h(line))}")
        else:
            out.append(f"- {md.text(line)}")
    return out
