"""The early-bird line of a price: visible up to its last day at the build, then hidden."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trainkit.model import Loc
from trainkit.model.commerce import EarlyBird, Price
from trainkit.writers.site.prices import price_block

PRICE = Price("seat", Decimal("650.00"), "GBP", Decimal(20), "VAT", None,
              EarlyBird(date(2026, 8, 31), Decimal(10), None), (), Loc("p"))


def test_the_early_bird_line_carries_its_day_and_the_builds_state() -> None:
    before = price_block(PRICE, "en-GB", date(2026, 8, 31))
    after = price_block(PRICE, "en-GB", date(2026, 9, 1))
    assert before[1] == ('- <span class="tk-until" data-tk-until="2026-08-31">Early bird: '
                         '£585 per person + VAT when booked by 31 August 2026</span>')
    assert after[1] == before[1].replace('"tk-until"', '"tk-until tk-off"')
    assert before[0] == after[0] == "- **Price:** £650 per person + VAT"
    # the same inputs give the same page
    assert price_block(PRICE, "en-GB", date(2026, 9, 1)) == after
