"""payment-unknown-invoice, payment-currency, payment-overpaid, cost-currency,
organisation-currency: payments match the ledger; costs and clients match prices.

Each row of ``records/payments/*.csv`` must name an invoice of the invoice
ledger (``payment-unknown-invoice``: copy the number from the invoice; a
payment for something not invoiced yet waits until it is) in the invoice's
currency (``payment-currency``: record the amount the bank credited in the
invoice's currency). Payments that add up to more than the invoice's total
less its credit notes are reported at the payment that goes over
(``payment-overpaid``, a warning: refund the difference or record it
against another invoice).

A cost of a cohort (an instructor's ``rates``, a room's ``hire``,
``materials_per_learner`` or one of ``costs``) in another currency than the
cohort's price is reported where the cost is written (``cost-currency``, a
warning): margins are computed per currency and trainkit does not convert,
so give the cost in the price's currency or accept a margin that shows it
apart. A materials line or a cost without a currency, in a cohort without a
price, is reported the same way: give it a ``currency``.

An organisation whose ``currency`` differs from the price currency of a
cohort its learners are enrolled on is reported at the enrollment
(``organisation-currency``, a warning): invoice that cohort in the price's
currency, or give the cohort a ``price`` in the organisation's currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort, Cost, Loc, Rate
from trainkit.outcomes.clients import organisation_of
from trainkit.rules._util import err, warn

CODES = {"payment-unknown-invoice": "error", "payment-currency": "error",
         "payment-overpaid": "warning", "cost-currency": "warning",
         "organisation-currency": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    yield from _payments(academy)
    yield from _costs(academy)
    yield from _organisations(academy)


def _payments(academy: Academy) -> Iterator[Diagnostic]:
    invoices = {d.number: d for d in academy.ledger if d.kind == "invoice"}
    owed = {n: d.total for n, d in invoices.items()}
    for d in academy.ledger:
        if d.kind == "credit-note" and d.credits in owed:
            owed[d.credits] -= d.total
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for p in sorted(academy.payments, key=lambda p: (p.date, p.loc.path, p.loc.line)):
        inv = invoices.get(p.invoice)
        if inv is None:
            yield err(p.loc, "payment-unknown-invoice",
                      f"invoice {p.invoice!r} is not in the invoice ledger; copy the number "
                      "from the invoice the payment is for")
        elif p.currency != inv.currency:
            yield err(p.loc, "payment-currency",
                      f"the payment is in {p.currency} but invoice {p.invoice} is in "
                      f"{inv.currency}; record the amount credited in {inv.currency}")
        else:
            before = paid[p.invoice]
            paid[p.invoice] += p.amount
            if paid[p.invoice] > owed[p.invoice] >= before:
                yield warn(p.loc, "payment-overpaid",
                           f"payments for invoice {p.invoice} now add up to "
                           f"{paid[p.invoice]} {p.currency}, more than the "
                           f"{owed[p.invoice]} it is owed; refund the difference or "
                           "record it against another invoice")


def _costs(academy: Academy) -> Iterator[Diagnostic]:
    seen: set[tuple[Loc, str]] = set()
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        price = cohort.price.currency if cohort.price else ""
        for what, where, currency in _cost_currencies(academy, cohort):
            if (where, price) in seen or (price and currency == price) or \
                    (not price and currency):
                continue
            seen.add((where, price))
            if not currency:
                yield warn(where, "cost-currency",
                           f"{what} has no currency and cohort {cohort.id} has no price to "
                           "take it from; give it a 'currency'")
            else:
                yield warn(where, "cost-currency",
                           f"{what} is in {currency} but cohort {cohort.id} is priced in "
                           f"{price}; its margin shows {currency} apart (no conversion): "
                           f"give the cost in {price} if it was paid in {price}")


def _cost_currencies(academy: Academy, cohort: Cohort) -> Iterator[tuple[str, Loc, str]]:
    rates: dict[str, Rate] = {}
    held = [s for s in cohort.sessions if not s.cancelled]
    for ident in dict.fromkeys(i for s in held for i in s.instructors):
        instructor = academy.instructors.get(ident)
        if instructor is not None and instructor.rates is not None:
            rates[f"the rates of {ident}"] = instructor.rates
    for venue_id, room_id in dict.fromkeys((s.venue, s.room) for s in held if s.venue):
        venue = academy.venues.get(venue_id or "")
        room = venue.room(room_id) if venue and room_id else None
        hire = (room.hire if room and room.hire else None) or (venue.hire if venue else None)
        if hire is not None:
            rates[f"the hire of {venue_id}/{room_id}"] = hire
    for what, rate in rates.items():
        yield what, rate.loc, rate.currency
    costs: list[Cost] = [*([cohort.materials] if cohort.materials else []), *cohort.costs]
    for cost in costs:
        yield f"the cost {cost.label!r}", cost.loc, cost.currency


def _organisations(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        if cohort.price is None or cohort.status == "cancelled":
            continue
        for e in cohort.enrollments:
            org = organisation_of(academy, academy.learners.get(e.learner))
            if e.status != "enrolled" or org is None or not org.currency or \
                    org.currency == cohort.price.currency:
                continue
            yield warn(e.loc, "organisation-currency",
                       f"{e.learner} belongs to {org.id}, billed in {org.currency}, but cohort "
                       f"{cohort.id} is priced in {cohort.price.currency}; invoice it in "
                       f"{cohort.price.currency} or give the cohort a price in {org.currency}")
