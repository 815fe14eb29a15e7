"""ledger-numbering, ledger-reference, ledger-hash, ledger-credit: an invoice ledger no one edited.

``records/invoices.yaml`` is written by ``trainkit invoice`` and never by
hand. Numbers form one gapless series per year of issue (``2026-0001``,
``2026-0002`` …, invoices and credit notes together), in the order issued,
with issue dates that never go back: a gap, a repeat, a number of another
year or an earlier date is ``ledger-numbering``. An entry must bill a known
order and seats of it, and a credit note must correct a known invoice
(``ledger-reference``). A credit note may only credit seats its invoice still
bills (``ledger-credit``): credit never exceeds what is left of the invoice.

Each entry keeps the seats at the prices billed with their line texts, the
parties as issued (seller, buyer, purchase order) and the SHA-256 of its EN
16931 XML, rebuilt from the entry alone (renaming a program, a client moving
office or new bank details leave issued documents as they were; an entry
without parties takes today's from the records). The PDF also prints what the
XML does not carry (the buyer's contact, the logo, tax labels), so the entry
also keeps ``snapshot_sha256``, the SHA-256 of its whole snapshot (an entry
written before it was kept gets it on the next ``trainkit invoice``). When a
hash or the amounts differ (``ledger-hash``), the entry was edited after the
document was issued: put it back (``git log`` shows the change) and correct
the document with a credit note instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, IssuedDocument
from trainkit.outcomes.cii import cii_xml, sha256
from trainkit.outcomes.invoicing import draft_of, ledger_index, remaining, snapshot_differs
from trainkit.rules._util import err

CODES = {"ledger-numbering": "error", "ledger-reference": "error", "ledger-hash": "error",
         "ledger-credit": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    yield from _numbering(academy.ledger)
    for index, doc in enumerate(academy.ledger):
        problem = next(_reference(academy, doc), None)
        if problem is not None:
            yield problem
            continue
        yield from _credit(academy, doc, index)
        yield from _hash(academy, doc, index)


def _numbering(ledger: tuple[IssuedDocument, ...]) -> Iterator[Diagnostic]:
    last: dict[int, int] = {}
    seen: set[str] = set()
    previous = None
    for doc in ledger:
        year, _, count = doc.number.partition("-")
        if doc.number in seen:
            yield err(doc.loc, "ledger-numbering",
                      f"number {doc.number} is issued twice; a number is used once")
            continue
        seen.add(doc.number)
        expected = last.get(int(year), 0) + 1
        if int(year) != doc.issued.year:
            yield err(doc.loc, "ledger-numbering",
                      f"{doc.number} was issued on {doc.issued} but numbered in {year}'s series")
        elif int(count) != expected:
            yield err(doc.loc, "ledger-numbering",
                      f"{doc.number} follows {year}-{expected - 1:04d}: the series has a gap "
                      f"or is out of order (the next number is {year}-{expected:04d})")
        if previous is not None and doc.issued < previous:
            yield err(doc.loc, "ledger-numbering",
                      f"{doc.number} is dated {doc.issued}, before the entry above it "
                      f"({previous}); entries are in the order issued")
        last[int(year)] = max(last.get(int(year), 0), int(count))
        previous = doc.issued


def _reference(academy: Academy, doc: IssuedDocument) -> Iterator[Diagnostic]:
    if academy.invoicing is None:
        yield err(doc.loc, "ledger-reference",
                  "the ledger needs 'invoicing' in trainkit.yaml (who issued it)")
    order = academy.orders.get(doc.order)
    if order is None and f"order:{doc.order}" in academy.unusable:
        yield err(doc.loc, "ledger-reference", f"order {doc.order!r} has errors (reported "
                  "there); this entry is checked once they are fixed")
        return
    if order is None:
        yield err(doc.loc, "ledger-reference",
                  f"order {doc.order!r} has no file in records/orders/; "
                  f"{did_you_mean(doc.order, academy.orders)}")
        return
    covers = academy.ledger_seats[doc.number].seats
    bought = set(order.seats())
    missing = [f"{c}/{lr}" for c, lr in covers if (c, lr) not in bought]
    if missing:
        yield err(doc.loc, "ledger-reference",
                  f"seats {', '.join(missing)} are not in order {doc.order!r}")
    if doc.kind == "invoice" and doc.credits:
        yield err(doc.loc, "ledger-reference", "an invoice does not credit another; "
                  "remove 'credits' or make it a credit note")
    if doc.kind == "credit-note":
        index = ledger_index(academy)
        head = index.at.get(doc.credits or "")
        if head is None or academy.ledger[head].kind != "invoice":
            invoices = [n for numbers in index.invoices_of.values() for n in numbers]
            yield err(doc.loc, "ledger-reference",
                      f"credit note {doc.number} corrects {doc.credits!r}, which is not an "
                      f"invoice of this ledger; {did_you_mean(doc.credits or '', invoices)}")


def _credit(academy: Academy, doc: IssuedDocument, index: int) -> Iterator[Diagnostic]:
    if doc.kind != "credit-note" or doc.credits is None:
        return
    open_seats, _ = remaining(academy, doc.credits, index)
    extra = [f"{c}/{lr}" for c, lr in academy.ledger_seats[doc.number].seats
             if (c, lr) not in open_seats]
    if extra:
        yield err(doc.loc, "ledger-credit",
                  f"credit note {doc.number} credits {', '.join(extra)}, which invoice "
                  f"{doc.credits} no longer bills (never billed, or credited before)")


def _hash(academy: Academy, doc: IssuedDocument, index: int) -> Iterator[Diagnostic]:
    draft = draft_of(academy, doc, index)
    if draft is None or academy.invoicing is None:
        return
    actual = sha256(cii_xml(academy, draft))
    amounts = (draft.net, draft.tax, draft.total, draft.order.currency)
    if amounts != (doc.net, doc.tax, doc.total, doc.currency):
        yield err(doc.loc, "ledger-hash",
                  f"{doc.number} says {doc.net} + {doc.tax} = {doc.total} {doc.currency} "
                  f"but its seats give {draft.net} + {draft.tax} = {draft.total} "
                  f"{draft.order.currency}; the ledger was edited after it was issued: "
                  "restore it and correct with a credit note")
    elif actual != doc.sha256:
        yield err(doc.loc, "ledger-hash",
                  f"{doc.number} no longer matches what was issued (sha256 {actual[:12]}… "
                  f"instead of {doc.sha256[:12]}…): {_changed(academy, doc)} changed since; "
                  "restore them (git log shows the change) and correct with a credit note")
    elif (printed := snapshot_differs(academy, doc, draft)) is not None:
        yield err(doc.loc, "ledger-hash",
                  f"{doc.number}'s printed details (buyer contact, logo, tax labels or "
                  f"another part of the entry) no longer match what was issued "
                  f"(snapshot_sha256 {printed[:12]}… instead of "
                  f"{(doc.snapshot_sha256 or '')[:12]}…); "
                  "restore the entry (git log shows the change) and correct with a credit note")


def _changed(academy: Academy, doc: IssuedDocument) -> str:
    """What a hash difference can come from: the entry itself, once it keeps its parties."""
    covers = academy.ledger_seats.get(doc.number)
    if covers is not None and covers.parties is not None:
        return "its ledger entry"
    return ("the ledger, the order's buyer or purchase order, the client's details or "
            "'invoicing' in trainkit.yaml")
