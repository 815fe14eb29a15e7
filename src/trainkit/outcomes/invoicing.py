"""What an invoice or a credit note holds: its lines and totals, and what is due.

Pure functions of the model and a day. A document is rebuilt from its ledger
entry alone (number, kind, dates, order, seats at the prices billed with their
line texts, the invoice a credit note corrects, and the parties as issued:
seller, buyer, purchase order), so the same ledger always gives the same
document whatever changed in the records since: :mod:`trainkit.outcomes.cii` turns it
into the EN 16931 XML whose hash the ledger keeps.

Amounts follow :mod:`trainkit.outcomes.pricing`: every seat's net price is
exact, tax is computed per rate on the rate's net and rounded half-up to the
currency's minor unit. A credit note never credits more than what is left of
its invoice, rate by rate; crediting the last seats of an invoice credits
exactly what is left, so rounding leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from trainkit.model import Academy
from trainkit.model.invoicing import IssuedDocument
from trainkit.model.orders import BilledSeat, InvoicePolicy, Order, OrderLine, Parties, Party
from trainkit.outcomes.pricing import percent_of, round_money

PRIVATE_TERMS_DAYS = 14  # a private buyer's payment terms (organisations set their own)
Seat = tuple[str, str]  # (cohort, learner)
Line = BilledSeat  # one seat on a document


@dataclass(frozen=True, slots=True)
class RateTotal:
    rate: Decimal
    label: str
    basis: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class Draft:
    """A document as issued (or about to be): everything its XML and PDF show."""

    number: str
    kind: str  # invoice | credit-note
    issued: date
    due: date
    order: Order
    lines: tuple[Line, ...]
    rates: tuple[RateTotal, ...]
    credits: str | None
    reason: str
    parties: Parties | None  # None only when the academy has no 'invoicing'

    @property
    def net(self) -> Decimal:
        return sum((r.basis for r in self.rates), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((r.tax for r in self.rates), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.net + self.tax

    @property
    def seats(self) -> tuple[Seat, ...]:
        return tuple((x.cohort, x.learner) for x in self.lines)


def has_documents(academy: Academy) -> bool:
    """Whether the academy has issued documents to rebuild (a ledger, and invoicing set up)."""
    return bool(academy.ledger) and academy.invoicing is not None


def line_text(academy: Academy, cohort_id: str, learner_id: str) -> str:
    """What a seat's line says: the program, the cohort, its start, maybe the learner."""
    cohort = academy.cohorts.get(cohort_id)
    program = academy.programs.get(cohort.program) if cohort else None
    starts = min((s.start.date() for s in cohort.sessions), default=None) if cohort else None
    text = f"{program.title if program else cohort_id}, {cohort.title if cohort else cohort_id}"
    if starts is not None:
        text += f", from {starts.isoformat()}"
    if academy.invoicing is None or academy.invoicing.learner_names:
        learner = academy.learners.get(learner_id)
        text += f": {learner.name if learner else learner_id}"
    return text


IN_FEE = "in the closed-cohort fee"


def order_lines(academy: Academy, order: Order, seats: Iterable[Seat]
                ) -> tuple[Line, ...] | None:
    """The lines of ``seats`` at the order's prices; ``None`` if one is not in it.

    A closed cohort's flat fee (an order line with basis "cohort") is billed
    once: on the first of its seats invoiced while no invoice bills the fee;
    its other seats are lines at zero, "in the closed-cohort fee".
    """
    by_seat: dict[Seat, OrderLine] = {(ln.cohort, lr): ln for ln in order.lines
                                      for lr in ln.learners}
    fee_billed = _fees_billed(academy, order)
    out = []
    for seat in seats:
        ln = by_seat.get(seat)
        if ln is None:
            return None
        if ln.flat and ln.cohort in fee_billed:
            zero = round_money(Decimal(0), order.currency)
            out.append(Line(seat[0], seat[1], zero, zero, ln.tax_rate, ln.tax_label, IN_FEE,
                            line_text(academy, *seat)))
            continue
        if ln.flat:
            fee_billed.add(ln.cohort)
        out.append(Line(seat[0], seat[1], ln.list_price, ln.unit_price, ln.tax_rate,
                        ln.tax_label, ln.discount, line_text(academy, *seat)))
    return tuple(out)


def _fees_billed(academy: Academy, order: Order) -> set[str]:
    """Cohorts whose flat fee in ``order`` an invoice bills now (not credited since)."""
    flat = {ln.cohort for ln in order.lines if ln.flat}
    if not flat:
        return set()
    out = set()
    for (cohort, learner), number in billed(academy, order.id).items():
        covers = academy.ledger_seats.get(number)
        if cohort in flat and covers is not None and any(
                x.cohort == cohort and x.learner == learner and x.unit_price > 0
                for x in covers.lines):
            out.add(cohort)
    return out


def seat_status(academy: Academy, seat: Seat) -> str | None:
    """The enrollment status of ``seat``'s learner in its cohort (None: not enrolled)."""
    cohort = academy.cohorts.get(seat[0])
    if cohort is None:
        return None
    return next((e.status for e in cohort.enrollments if e.learner == seat[1]), None)


def credit_owed(academy: Academy, order: Order, seat: Seat) -> bool:
    """Whether an invoiced ``seat`` of ``order`` is owed a credit note: its learner withdrew.

    A closed cohort's flat fee is owed while any of its learners is still
    enrolled: a withdrawal from it credits nothing until all have withdrawn.
    """
    if seat_status(academy, seat) != "withdrawn":
        return False
    line = next((ln for ln in order.lines if ln.cohort == seat[0] and seat[1] in ln.learners),
                None)
    return line is None or not line.flat or all(
        seat_status(academy, (line.cohort, lr)) != "enrolled" for lr in line.learners)


def rate_totals(lines: Iterable[Line], currency: str) -> tuple[RateTotal, ...]:
    """Net and tax per tax rate, ascending by rate."""
    basis: dict[tuple[Decimal, str], Decimal] = {}
    for x in lines:
        key = (x.tax_rate, x.tax_label)
        basis[key] = basis.get(key, Decimal(0)) + x.unit_price
    return tuple(RateTotal(rate, label, net, round_money(percent_of(net, rate), currency))
                 for (rate, label), net in sorted(basis.items()))


def parties_now(academy: Academy, order: Order) -> Parties | None:
    """Seller, buyer and purchase order of ``order`` as the records say today."""
    seller = academy.invoicing
    if seller is None:
        return None
    me = Party(seller.legal_name, seller.address_lines, seller.country, seller.email,
               seller.tax_id, iban=seller.iban, bic=seller.bic)
    org = academy.organisations.get(order.organisation or "")
    buyer: Party | None = None
    if org is not None:
        buyer = Party(org.legal_name, org.address_lines, org.country, org.billing_email,
                      org.tax_id, contact=org.billing_name)
    elif order.buyer is not None:
        b = order.buyer
        buyer = Party(b.name, b.address_lines, b.country, b.email)
    return Parties(me, buyer, order.purchase_order, seller.logo)


def due_days(academy: Academy, order: Order) -> int:
    org = academy.organisations.get(order.organisation or "")
    return org.payment_terms_days if org else PRIVATE_TERMS_DAYS


@dataclass(frozen=True, slots=True)
class LedgerIndex:
    """Where things are in the ledger: found once, used by every document."""

    at: dict[str, int]  # number -> place of the (first) entry with that number
    invoices_of: dict[str, list[str]]  # order -> its invoices' numbers
    credits_of: dict[str, list[int]]  # invoice number -> places of its credit notes


_INDEX: list[tuple[tuple[IssuedDocument, ...], LedgerIndex]] = []  # the last ledger asked


def ledger_index(academy: Academy) -> LedgerIndex:
    """The index of ``academy.ledger`` (kept for the last ledger: it is immutable)."""
    if _INDEX and _INDEX[0][0] is academy.ledger:
        return _INDEX[0][1]
    index = LedgerIndex({}, {}, {})
    for i, doc in enumerate(academy.ledger):
        index.at.setdefault(doc.number, i)
        if doc.kind == "invoice":
            index.invoices_of.setdefault(doc.order, []).append(doc.number)
        elif doc.credits:
            index.credits_of.setdefault(doc.credits, []).append(i)
    _INDEX[:] = [(academy.ledger, index)]
    return index


def remaining(academy: Academy, invoice: str, upto: int | None = None
              ) -> tuple[set[Seat], dict[tuple[Decimal, str], RateTotal]]:
    """Seats an invoice still bills and its amounts left per rate.

    Only ledger entries before index ``upto`` count (all when ``None``).
    """
    index = ledger_index(academy)
    where = index.at.get(invoice)
    end = len(academy.ledger) if upto is None else upto
    if where is None or where >= end or academy.ledger[where].kind != "invoice":
        return set(), {}
    first = draft_of(academy, academy.ledger[where], where)
    seats = set(first.seats) if first else set()
    left = {(r.rate, r.label): r for r in first.rates} if first else {}
    for i in index.credits_of.get(invoice, []):
        credit = draft_of(academy, academy.ledger[i], i) if i < end else None
        if credit is None:
            continue
        seats -= set(credit.seats)
        for r in credit.rates:
            was = left.get((r.rate, r.label))
            if was is not None:
                left[(r.rate, r.label)] = RateTotal(r.rate, r.label, was.basis - r.basis,
                                                    was.tax - r.tax)
    return seats, left


def credit_rates(academy: Academy, invoice: str, lines: tuple[Line, ...], currency: str,
                 upto: int | None = None) -> tuple[RateTotal, ...]:
    """A credit note's totals: its own, capped at what is left of the invoice."""
    seats, left = remaining(academy, invoice, upto)
    own = rate_totals(lines, currency)
    if {(x.cohort, x.learner) for x in lines} == seats:
        return tuple(left.get((r.rate, r.label), r) for r in own)
    out = []
    for r in own:
        cap = left.get((r.rate, r.label))
        out.append(RateTotal(r.rate, r.label, r.basis, min(r.tax, cap.tax) if cap else r.tax))
    return tuple(out)


def draft_of(academy: Academy, doc: IssuedDocument, index: int | None = None) -> Draft | None:
    """The document a ledger entry stands for; ``None`` when its order or seats are gone.

    The parties are the entry's own; an entry written without them (before
    the ledger kept them) takes today's from the records.

    ``index`` is the entry's place in the ledger (found when not given): a
    credit note's amounts depend on the credit notes before it.
    """
    order = academy.orders.get(doc.order)
    covers = academy.ledger_seats.get(doc.number)
    if order is None or covers is None:
        return None
    lines = covers.lines
    if doc.kind == "credit-note" and doc.credits:
        upto = index if index is not None else _index(academy, doc)
        rates = credit_rates(academy, doc.credits, lines, order.currency, upto)
    else:
        rates = rate_totals(lines, order.currency)
    return Draft(doc.number, doc.kind, doc.issued, doc.due, order, lines, rates, doc.credits,
                 covers.reason, covers.parties or parties_now(academy, order))


def snapshot_sha256(draft: Draft) -> str:
    """SHA-256 of what a ledger entry keeps for its printed document.

    The XML's hash covers what the XML carries; the PDF also prints the
    buyer's contact ("Attn.") and the logo (the file the entry names, while
    it has the entry's hash), and each line's tax label. This hash covers
    the whole snapshot (parties, seats, reason, credited invoice) as
    canonical JSON, so a hand edit of any of it is found.
    """
    parties = asdict(draft.parties) if draft.parties else None
    lines = [asdict(x) for x in draft.lines]
    text = json.dumps({"number": draft.number, "kind": draft.kind, "parties": parties,
                       "lines": lines, "reason": draft.reason, "credits": draft.credits},
                      sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_differs(academy: Academy, doc: IssuedDocument, draft: Draft) -> str | None:
    """The snapshot hash of ``draft`` when it is not the one ``doc`` keeps, else None.

    Only an entry that keeps its parties and its ``snapshot_sha256`` is
    checked (an older entry's parties are today's, from the records).
    """
    covers = academy.ledger_seats.get(doc.number)
    if doc.snapshot_sha256 is None or covers is None or covers.parties is None:
        return None
    actual = snapshot_sha256(draft)
    return None if actual == doc.snapshot_sha256 else actual


def _index(academy: Academy, doc: IssuedDocument) -> int:
    where = ledger_index(academy).at.get(doc.number)
    if where is not None and academy.ledger[where] is doc:
        return where
    return next(i for i, d in enumerate(academy.ledger) if d is doc)


def invoice_day(academy: Academy, order: Order, cohort_id: str) -> date | None:
    """The first day a seat of ``cohort_id`` in ``order`` may be invoiced."""
    cohort = academy.cohorts.get(cohort_id)
    if cohort is None:
        return None
    settings = academy.invoicing
    rule = InvoicePolicy("booking") if settings is None else settings.program_policies.get(
        cohort.program, settings.policy)
    if rule.when == "booking":
        return order.booked
    sessions = sorted(s.start.date() for s in cohort.sessions if s.status != "cancelled")
    if not sessions:
        return None
    if rule.when == "before-start":
        return max(order.booked, sessions[0] - timedelta(days=rule.days))
    last = max(s.end.date() for s in cohort.sessions if s.status != "cancelled")
    return last + timedelta(days=1)


def next_number(numbers: Iterable[str], year: int) -> str:
    """The next number of ``year``'s series after ``numbers``."""
    used = [int(n.split("-")[1]) for n in numbers if n.startswith(f"{year}-")]
    return f"{year}-{max(used, default=0) + 1:04d}"


def billed(academy: Academy, order_id: str) -> dict[Seat, str]:
    """Seats of an order an invoice bills now (not credited since), with its number."""
    out: dict[Seat, str] = {}
    for number in ledger_index(academy).invoices_of.get(order_id, []):
        seats, _ = remaining(academy, number)
        out.update(dict.fromkeys(sorted(seats), number))
    return out
