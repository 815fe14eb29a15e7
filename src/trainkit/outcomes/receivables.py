"""What clients owe: each invoice's balance, its age, and each client's statement.

An invoice's balance is its total (tax included) less the totals of the
credit notes that correct it and the payments made against it. Its age is
counted from its due date to the day of the build: not yet due is
``current``, then 1-30, 31-60, 61-90 and 90+ days overdue. The ledger and
the payments are inputs; this module does not care how they were read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainkit.model import IssuedDocument, Payment
from trainkit.outcomes.pricing import round_money

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
PRIVATE_BUYER = ""  # the organisation of an invoice to a person, in every table


@dataclass(frozen=True, slots=True)
class Balance:
    invoice: IssuedDocument
    credited: Decimal
    paid: Decimal
    bucket: str  # one of BUCKETS

    @property
    def open(self) -> Decimal:
        return self.invoice.total - self.credited - self.paid


def bucket(due: date, today: date) -> str:
    """The ageing bucket of an amount due on ``due``, seen on ``today``."""
    late = (today - due).days
    if late <= 0:
        return "current"
    return "1-30" if late <= 30 else "31-60" if late <= 60 else "61-90" if late <= 90 else "90+"


def balances(ledger: Sequence[IssuedDocument], payments: Sequence[Payment],
             today: date) -> list[Balance]:
    """Every invoice of the ledger with what is left to pay, in ledger order.

    Payments dated after ``today`` are not counted yet (a statement as of a
    day shows what was known on that day).
    """
    credited: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for doc in ledger:
        if doc.kind == "credit-note" and doc.credits:
            credited[doc.credits] += doc.total
    invoices = {d.number: d for d in ledger if d.kind == "invoice"}
    for p in payments:
        inv = invoices.get(p.invoice)
        if inv is not None and p.currency == inv.currency and p.date <= today:
            paid[p.invoice] += p.amount
    return [Balance(d, round_money(credited[d.number], d.currency),
                    round_money(paid[d.number], d.currency), bucket(d.due, today))
            for d in ledger if d.kind == "invoice"]


def ageing(rows: Sequence[Balance]) -> list[list[object]]:
    """Per organisation and currency: what is open in each bucket, and in all."""
    sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(BUCKETS, Decimal(0)))
    for b in rows:
        if b.open:
            key = (b.invoice.organisation or PRIVATE_BUYER, b.invoice.currency)
            sums[key][b.bucket] += b.open
    return [[org, cur, *(round_money(v[k], cur) for k in BUCKETS),
             round_money(sum(v.values(), Decimal(0)), cur)]
            for (org, cur), v in sorted(sums.items())]


@dataclass(frozen=True, slots=True)
class StatementLine:
    day: date
    kind: str  # invoice | credit-note | payment
    number: str  # the document's number; a payment: the invoice it pays
    reference: str
    currency: str
    debit: Decimal  # what the client owes more
    credit: Decimal  # what the client owes less
    balance: Decimal  # running, per currency


def statement(ledger: Sequence[IssuedDocument], payments: Sequence[Payment],
              organisation: str, today: date) -> list[StatementLine]:
    """The client's invoices, credit notes and payments up to ``today``, oldest first."""
    mine = [d for d in ledger if d.organisation == organisation and d.issued <= today]
    numbers = {d.number: d.currency for d in mine if d.kind == "invoice"}
    events: list[tuple[date, int, str, str, str, str, Decimal, Decimal]] = []
    for d in mine:
        debit = d.total if d.kind == "invoice" else Decimal(0)
        credit = d.total if d.kind == "credit-note" else Decimal(0)
        events.append((d.issued, 0, d.kind, d.number, d.credits or "", d.currency, debit,
                       credit))
    for p in payments:
        if numbers.get(p.invoice) == p.currency and p.date <= today:
            events.append((p.date, 1, "payment", p.invoice, p.reference, p.currency,
                           Decimal(0), p.amount))
    running: dict[str, Decimal] = defaultdict(Decimal)
    out = []
    for day, _, kind, number, ref, cur, debit, credit in sorted(events, key=lambda e: e[:4]):
        running[cur] += debit - credit
        out.append(StatementLine(day, kind, number, ref, cur, round_money(debit, cur),
                                 round_money(credit, cur), round_money(running[cur], cur)))
    return out
