"""Revenue per cohort, recognised when the cohort is delivered, and the margin it leaves.

The rule, in order:

1. A cohort with seats on an invoice of the ledger earns what was invoiced
   for its seats, net of tax, less the seats credit notes took back
   (``source`` ``invoiced``); each ledger document lists its seats with the
   price billed, so an order that spans cohorts is split by seat.
2. Otherwise it earns what its enrolled learners were priced at
   (``source`` ``priced``): learners of one organisation (or one private
   learner) enrolled on the same day are one booking, quoted by
   :func:`trainkit.outcomes.pricing.quote` on that day (early bird and group
   discounts included); a closed cohort (``basis: cohort``) earns its flat
   fee once. A learner without ``enrolled_on`` is booked on the first day of
   the cohort.
3. Revenue is recognised in the month of the cohort's last session that is
   not cancelled (its delivery), once that session has ended; before, it is
   ``upcoming``. Cancelled cohorts earn nothing.

Amounts are net of tax. Margins are per currency: there is no conversion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from trainkit.model import Academy, Cohort
from trainkit.outcomes.costs import CohortCosts, cohort_costs
from trainkit.outcomes.pricing import quote, round_money


@dataclass(frozen=True, slots=True)
class CohortRevenue:
    cohort: str
    program: str
    currency: str
    amount: Decimal  # net of tax
    seats: int  # enrolled learners
    source: str  # "priced" | "invoiced"
    month: str  # YYYY-MM of delivery; "" when the cohort has no session held
    delivered: bool  # its last session has ended


@dataclass(frozen=True, slots=True)
class Margin:
    cohort: str
    program: str
    currency: str
    revenue: Decimal
    instructor: Decimal
    room: Decimal
    materials: Decimal
    other: Decimal
    missing: tuple[str, ...]

    @property
    def costs(self) -> Decimal:
        return self.instructor + self.room + self.materials + self.other

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.costs


def priced(academy: Academy, cohort: Cohort) -> Decimal:
    """What ``cohort``'s enrolled learners were priced at (rule 2), net of tax."""
    price = cohort.price
    enrolled = cohort.active_enrollments()
    if price is None or not enrolled:
        return Decimal(0)
    first = cohort.start.date() if cohort.start else date.min
    if price.basis == "cohort":
        booked = min((e.enrolled_on or first for e in enrolled), default=first)
        return quote(price, len(enrolled), booked).net
    bookings: dict[tuple[str, date], int] = defaultdict(int)
    for e in enrolled:
        learner = academy.learners.get(e.learner)
        buyer = (learner.organisation if learner else None) or f"learner:{e.learner}"
        bookings[(buyer, e.enrolled_on or first)] += 1
    return sum((quote(price, seats, day).net for (_, day), seats in bookings.items()),
               Decimal(0))


def delivery(cohort: Cohort) -> datetime | None:
    """The end of the cohort's last session that is not cancelled."""
    return max((s.end for s in cohort.sessions if not s.cancelled), default=None)


def invoiced_seats(academy: Academy) -> dict[str, dict[str, Decimal]]:
    """Per cohort with a seat on an invoice: per currency, seats invoiced less seats credited."""
    out: dict[str, dict[str, Decimal]] = {}
    credited: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for doc in academy.ledger:
        seats = academy.ledger_seats.get(doc.number)
        for line in seats.lines if seats else ():
            if doc.kind == "invoice":
                per = out.setdefault(line.cohort, defaultdict(Decimal))
                per[doc.currency] += line.unit_price
            else:
                credited[line.cohort][doc.currency] += line.unit_price
    for cohort, per in out.items():
        for cur, amount in credited.get(cohort, {}).items():
            per[cur] -= amount
    return {c: dict(per) for c, per in out.items()}


def revenue(academy: Academy, as_of: datetime) -> list[CohortRevenue]:
    """One row per cohort and currency, cohorts in id order (see the module's rule)."""
    by_seat = invoiced_seats(academy)
    rows: list[CohortRevenue] = []
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        end = delivery(cohort)
        month = f"{end:%Y-%m}" if end else ""
        done = end is not None and end <= as_of
        seats = len(cohort.active_enrollments())
        if cohort.id in by_seat:
            billed = sorted(by_seat[cohort.id].items())
            rows += [CohortRevenue(cohort.id, cohort.program, cur, amount, seats, "invoiced",
                                   month, done) for cur, amount in billed]
        elif cohort.price is not None:
            rows.append(CohortRevenue(cohort.id, cohort.program, cohort.price.currency,
                                      priced(academy, cohort), seats, "priced", month, done))
    return rows


def margins(academy: Academy, rows: Sequence[CohortRevenue]) -> list[Margin]:
    """Per cohort and currency: revenue less instructor, room, materials and other costs.

    A currency that only costs are in (a rate in another currency than the
    price) gets its own row with no revenue: nothing is converted.
    """
    out: list[Margin] = []
    by_cohort: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for r in rows:
        by_cohort[r.cohort][r.currency] = r.amount
    for cohort_id, earned in by_cohort.items():
        cohort = academy.cohorts[cohort_id]
        costs = cohort_costs(academy, cohort)
        currencies = sorted(set(earned) | {line.currency for line in costs.lines})
        out += [_margin(cohort, cur, earned.get(cur, Decimal(0)), costs) for cur in currencies]
    return out


def _margin(cohort: Cohort, currency: str, earned: Decimal, costs: CohortCosts) -> Margin:
    def kind(name: str) -> Decimal:
        return round_money(sum((line.amount for line in costs.lines
                                if line.kind == name and line.currency == currency),
                               Decimal(0)), currency)
    return Margin(cohort.id, cohort.program, currency, round_money(earned, currency),
                  kind("instructor"), kind("room"), kind("materials"), kind("other"),
                  costs.missing)
