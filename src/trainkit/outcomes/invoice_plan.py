"""What ``trainkit invoice`` would issue on a day: invoices due and credit notes owed.

An order's seats are invoiced once their program's policy says so (on
booking, N days before the cohort starts, after delivery), in one invoice per
order per run. A seat whose learner withdrew after it was invoiced is owed a
credit note against the invoice that bills it. Numbers continue the ledger's
gapless series of the issue date's year.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from trainkit.model import Academy
from trainkit.model.orders import Order
from trainkit.outcomes.invoicing import (
    Draft,
    Seat,
    billed,
    credit_owed,
    credit_rates,
    due_days,
    invoice_day,
    next_number,
    order_lines,
    parties_now,
    rate_totals,
    seat_status,
)


def due_invoice(academy: Academy, order: Order, as_of: date,
                number: str = "") -> Draft | None:
    """The invoice ``order`` is owed on ``as_of`` (seats due, enrolled, not yet billed)."""
    done = billed(academy, order.id)
    seats: list[Seat] = []
    for seat in order.seats():
        day = invoice_day(academy, order, seat[0])
        if seat in done or day is None or day > as_of:
            continue
        if seat_status(academy, seat) == "enrolled":
            seats.append(seat)
    lines = order_lines(academy, order, seats)
    if not lines:
        return None
    due = as_of + timedelta(days=due_days(academy, order))
    return Draft(number, "invoice", as_of, due, order, lines,
                 rate_totals(lines, order.currency), None, "", parties_now(academy, order))


def credit_note(academy: Academy, invoice: str, seats: list[Seat], issued: date,
                reason: str, number: str = "") -> Draft | None:
    """A credit note for ``seats`` of ``invoice`` (all it still bills when empty)."""
    head = next((d for d in academy.ledger if d.number == invoice and d.kind == "invoice"),
                None)
    order = academy.orders.get(head.order) if head else None
    if head is None or order is None:
        return None
    open_seats = {s for s, n in billed(academy, order.id).items() if n == invoice}
    # credited at the price the invoice billed, whatever the order says now
    lines = tuple(x for x in academy.ledger_seats[invoice].lines
                  if (x.cohort, x.learner) in open_seats
                  and (not seats or (x.cohort, x.learner) in seats))
    if not lines:
        return None
    rates = credit_rates(academy, invoice, lines, order.currency)
    return Draft(number, "credit-note", issued, issued, order, lines, rates, invoice, reason,
                 parties_now(academy, order))


def owed_credits(academy: Academy, order: Order, as_of: date) -> list[Draft]:
    """Credit notes for seats of ``order`` invoiced but since withdrawn."""
    by_invoice: dict[str, list[Seat]] = {}
    for seat, number in billed(academy, order.id).items():
        if credit_owed(academy, order, seat):
            by_invoice.setdefault(number, []).append(seat)
    out = []
    for number, seats in sorted(by_invoice.items()):
        note = credit_note(academy, number, seats, as_of, "seat withdrawn")
        if note is not None:
            out.append(note)
    return out


def plan(academy: Academy, as_of: date, order_id: str | None = None) -> list[Draft]:
    """Every document to issue on ``as_of``, numbered; credit notes first."""
    orders = [o for o in academy.orders.values() if order_id in (None, o.id)]
    drafts: list[Draft] = []
    for order in orders:
        drafts += owed_credits(academy, order, as_of)
    for order in orders:
        draft = due_invoice(academy, order, as_of)
        if draft is not None:
            drafts.append(draft)
    return number_all(academy, drafts)


def number_all(academy: Academy, drafts: list[Draft]) -> list[Draft]:
    """``drafts`` with the next numbers of the series."""
    numbers = [d.number for d in academy.ledger]
    out = []
    for draft in drafts:
        number = next_number(numbers, draft.issued.year)
        numbers.append(number)
        out.append(replace(draft, number=number))
    return out
