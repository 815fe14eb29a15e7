"""What a booking costs: exact decimals, half-up rounding to the minor unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainkit.model.commerce import EarlyBird, GroupDiscount, Price
from trainkit.model.common import Loc
from trainkit.outcomes.pricing import minor_unit, quote, round_money
from trainkit.writers.site.prices import discount_lines, money, price_words

WHERE = Loc("programs/p/program.yaml", 4, 3)


def _price(amount: str = "650.00", currency: str = "GBP", tax: str = "20", *,
           basis: str = "seat", seats: int | None = None,
           bird: EarlyBird | None = None, group: tuple[GroupDiscount, ...] = ()) -> Price:
    return Price(basis, Decimal(amount), currency, Decimal(tax), "VAT", seats, bird, group,
                 WHERE)


def test_minor_units_come_from_the_currency() -> None:
    assert (minor_unit("GBP"), minor_unit("JPY"), minor_unit("BHD")) == (
        Decimal("0.01"), Decimal("1"), Decimal("0.001"))


@pytest.mark.parametrize(("value", "currency", "rounded"), [
    ("2.675", "GBP", "2.68"),   # a float would give 2.67 (2.675 is 2.67499… in binary)
    ("0.125", "GBP", "0.13"),   # half-up, not banker's rounding (0.12)
    ("-0.125", "GBP", "-0.13"),
    ("1234.5", "JPY", "1235"),
    ("1.0005", "BHD", "1.001"),
])
def test_round_half_up_to_the_minor_unit(value: str, currency: str, rounded: str) -> None:
    result = round_money(Decimal(value), currency)
    assert result == Decimal(rounded) and str(result) == rounded


def test_one_seat_with_vat() -> None:
    q = quote(_price(), 1, date(2026, 9, 1))
    assert (q.unit, q.net, q.tax, q.total, q.discount) == (
        Decimal("650.00"), Decimal("650.00"), Decimal("130.00"), Decimal("780.00"),
        Decimal("0.00"))


def test_early_bird_and_group_discounts_stack_then_round() -> None:
    price = _price(bird=EarlyBird(date(2026, 8, 31), Decimal("10"), None),
                   group=(GroupDiscount(5, Decimal("12.5")), GroupDiscount(10, Decimal("15"))))
    q = quote(price, 5, date(2026, 8, 31))  # the last early-bird day counts
    # 650 x 0.9 = 585; x 0.875 = 511.875 -> 511.88 (half-up); x 5 = 2559.40; VAT 511.88
    assert (q.unit, q.net, q.tax, q.total) == (
        Decimal("511.88"), Decimal("2559.40"), Decimal("511.88"), Decimal("3071.28"))
    assert q.discount == Decimal("3250.00") - Decimal("2559.40")
    late = quote(price, 12, date(2026, 9, 1))  # no early bird; the 10-seat threshold
    assert (late.unit, late.net) == (Decimal("552.50"), Decimal("6630.00"))


def test_a_closed_cohort_is_one_flat_fee() -> None:
    price = _price("4800.00", basis="cohort", seats=6,
                   bird=EarlyBird(date(2026, 8, 31), None, Decimal("300.00")),
                   group=(GroupDiscount(2, Decimal("50")),))
    q = quote(price, 6, date(2026, 8, 1))
    assert (q.net, q.tax, q.total) == (Decimal("4500.00"), Decimal("900.00"),
                                       Decimal("5400.00"))


@given(st.integers(1, 10_000_000), st.integers(1, 40), st.sampled_from(["0", "5", "20", "17.5"]),
       st.sampled_from(["0", "10", "12.5", "33.33"]))
def test_totals_agree_with_exact_fractions(cents: int, seats: int, tax: str,
                                           off: str) -> None:
    """The same quote computed a second way, with exact rational numbers."""
    amount = Decimal(cents) / 100
    price = _price(str(amount), tax=tax, group=(GroupDiscount(2, Decimal(off)),))
    q = quote(price, seats, date(2027, 1, 1))

    def half_up(x: Fraction) -> Fraction:  # to whole pence, halves away from zero
        return Fraction(int(x * 100 + Fraction(1, 2)), 100)
    unit = Fraction(cents, 100)
    if seats >= 2:
        unit = unit * (1 - Fraction(off) / 100)
    unit = half_up(unit)
    net = unit * seats
    vat = half_up(net * Fraction(tax) / 100)
    assert (Fraction(q.unit), Fraction(q.net), Fraction(q.tax), Fraction(q.total)) == (
        unit, net, vat, net + vat)
    assert q.total.as_tuple().exponent == -2  # always in pence


def test_site_words_in_the_academy_locale() -> None:
    assert price_words(_price(), "en-GB") == "£650 per person + VAT"
    assert price_words(_price("650.50"), "en-GB") == "£650.50 per person + VAT"
    assert price_words(_price("795.00", "USD", "0"), "en-US") == "$795 per person"
    assert money(Decimal("1200.50"), "EUR", "de-DE") == "1.200,50\xa0€"
    assert price_words(_price("4800.00", basis="cohort", seats=6), "en-GB") == (
        "£4,800 for a closed group of up to 6 people + VAT")
    price = _price(bird=EarlyBird(date(2026, 8, 31), Decimal("12.5"), None),
                   group=(GroupDiscount(5, Decimal("7.5")),))
    assert discount_lines(price, "en-GB") == [
        "Early bird: £568.75 per person + VAT when booked by 31 August 2026",
        "Groups of 5 or more: 7.5% off each seat",
    ]
    assert discount_lines(price, "de-DE")[1] == "Groups of 5 or more: 7,5% off each seat"
