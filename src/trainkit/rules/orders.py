"""order-*, invoice-credit-due: orders that can be invoiced, and credit notes owed.

An order (``records/orders/<id>.yaml``) must name a known ``organisation``
or a private ``buyer`` (exactly one) and, for each seat, a known cohort and a learner enrolled in it
(``order-reference``, with the closest known names). When the organisation
sets ``purchase_order_required``, the order needs its ``purchase_order``
(``order-purchase-order``). The order's ``currency`` must be the
organisation's and the price's of every cohort it buys (``order-currency``):
an invoice has one currency.

A seat whose learner withdrew before it was ever invoiced is an error
(``order-withdrawn-seat``): take the learner out of the order. A seat that
was invoiced and then withdrawn is owed a credit note (``invoice-credit-due``,
a warning): ``trainkit invoice`` issues it. A closed cohort's flat fee (a
line with ``basis: cohort``) is owed while any of its learners is enrolled,
so a withdrawal from it is owed a credit only once all have withdrawn; the
line may list at most the ``seats`` of the cohort's price, and its cohort
must have such a price (``order-seat-limit``). One seat in two orders is
``order-duplicate-seat``: it would be invoiced twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy
from trainkit.model.commerce import Price
from trainkit.model.orders import Order, OrderLine
from trainkit.outcomes.invoicing import billed, credit_owed, ledger_index
from trainkit.rules._util import err, warn

CODES = {"order-reference": "error", "order-purchase-order": "error",
         "order-currency": "error", "order-withdrawn-seat": "error",
         "order-duplicate-seat": "error", "order-seat-limit": "error",
         "invoice-credit-due": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str], str] = {}
    for order in academy.orders.values():
        yield from _buyer(academy, order)
        yield from _seats(academy, order, seen)


def _buyer(academy: Academy, order: Order) -> Iterator[Diagnostic]:
    where = order.organisation_loc or order.loc
    if (order.organisation is None) == (order.buyer is None):
        yield err(where, "order-reference",
                  "an order is paid by one 'organisation' (an id in organisations/) or one "
                  "private 'buyer' (name, email, address); give exactly one of them")
    if order.organisation is None:
        return
    org = academy.organisations.get(order.organisation)
    if org is None:
        if f"organisation:{order.organisation}" not in academy.unusable:
            hint = did_you_mean(order.organisation, academy.organisations)
            yield err(where, "order-reference",
                      f"organisation {order.organisation!r} has no file in organisations/; "
                      f"{hint}")
        return
    if org.purchase_order_required and not order.purchase_order:
        yield err(where, "order-purchase-order",
                  f"{org.name} requires a purchase-order number on every invoice; add "
                  "'purchase_order: <their PO number>' to the order")
    if org.currency and org.currency != order.currency:
        yield err(order.currency_loc or order.loc, "order-currency",
                  f"the order is in {order.currency} but {org.name} is invoiced in "
                  f"{org.currency}; write 'currency: {org.currency}' and its prices in it")


def _seats(academy: Academy, order: Order,
           seen: dict[tuple[str, str], str]) -> Iterator[Diagnostic]:
    invoiced = {s for n in ledger_index(academy).invoices_of.get(order.id, [])
                for s in _covered(academy, n)}
    owed = billed(academy, order.id)
    for line in order.lines:
        cohort = academy.cohorts.get(line.cohort)
        if cohort is None:
            if f"cohort:{line.cohort}" not in academy.unusable:
                yield err(line.loc, "order-reference",
                          f"cohort {line.cohort!r} does not exist; "
                          f"{did_you_mean(line.cohort, academy.cohorts)}")
            continue
        if cohort.price is not None and cohort.price.currency != order.currency:
            yield err(line.loc, "order-currency",
                      f"cohort {line.cohort!r} is priced in {cohort.price.currency} but the "
                      f"order is in {order.currency}; one order, one currency")
        yield from _seat_limit(order, line, cohort.price)
        status = {e.learner: e.status for e in cohort.enrollments}
        for learner, where in zip(line.learners, line.learner_locs, strict=False):
            seat = (line.cohort, learner)
            if seat in seen:
                yield err(where, "order-duplicate-seat",
                          f"{learner} in {line.cohort} is already bought by order "
                          f"{seen[seat]!r}; a seat belongs to one order")
            seen.setdefault(seat, order.id)
            if learner not in status:
                known = learner in academy.learners
                yield err(where, "order-reference",
                          f"learner {learner!r} is not enrolled in {line.cohort}; " + (
                              "enroll them first ('trainkit enroll')" if known else
                              did_you_mean(learner, [e.learner for e in cohort.enrollments])))
            elif status[learner] == "withdrawn" and seat not in invoiced:
                yield err(where, "order-withdrawn-seat",
                          f"{learner} withdrew from {line.cohort} and the seat was never "
                          "invoiced; take them out of the order")
            elif seat in owed and credit_owed(academy, order, seat):
                yield warn(where, "invoice-credit-due",
                           f"{learner} withdrew from {line.cohort} after invoice "
                           f"{owed[seat]}; run 'trainkit invoice' to issue the credit note")


def _seat_limit(order: Order, line: OrderLine, price: Price | None) -> Iterator[Diagnostic]:
    if not line.flat:
        return
    if price is None or price.basis != "cohort" or price.seats is None:
        yield err(line.loc, "order-seat-limit",
                  f"order {order.id!r} buys {line.cohort} as a closed cohort's flat fee "
                  "(basis: cohort), but the cohort's price is not one; give the cohort a "
                  "'price' with 'basis: cohort' and 'seats', or drop 'basis' from the line")
    elif len(line.learners) > price.seats:
        where = line.learner_locs[price.seats] if len(line.learner_locs) > price.seats \
            else line.loc
        yield err(where, "order-seat-limit",
                  f"the flat fee of closed cohort {line.cohort} covers {price.seats} seats but "
                  f"order {order.id!r} lists {len(line.learners)} learners; take the extra "
                  "learners out of the order (another order or cohort), or raise the "
                  "price's 'seats' and the fee")


def _covered(academy: Academy, number: str) -> tuple[tuple[str, str], ...]:
    covers = academy.ledger_seats.get(number)
    return covers.seats if covers else ()
