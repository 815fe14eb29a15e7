"""Orders and the invoice ledger: every bad input is a located error that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from invoice_support import LEDGER, check, codes, demo_copy, edit, entry_line
from trainkit.model import IssuedDocument

ACME = "records/orders/acme-fa-2026-10.yaml"
HARBOUR = "records/orders/harbourline-fa-2026-03.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return demo_copy(tmp_path)


def _messages(root: Path, code: str) -> list[str]:
    return [d.text() for d in check(root).diagnostics if d.code == code]


def test_the_demo_ledger_and_orders_are_clean() -> None:
    from test_site_support import DEMO
    result = check(DEMO)
    assert codes(result, "order") == [] and codes(result, "ledger") == []
    ledger = result.academy.ledger
    assert [(d.number, d.kind, d.credits) for d in ledger] == [
        ("2026-0001", "invoice", None), ("2026-0002", "credit-note", "2026-0001"),
        ("2026-0003", "invoice", None)]
    assert all(isinstance(d, IssuedDocument) for d in ledger)
    assert ledger[0].organisation == "harbourline-hotels"
    assert ledger[1].total == ledger[1].net + ledger[1].tax


def test_an_edited_total_in_the_ledger(root: Path) -> None:
    edit(root, LEDGER, "total: '3159.00'", "total: '3150.00'")
    line = entry_line(root, "2026-0003")
    found = _messages(root, "ledger-hash")
    assert found == [f"{LEDGER}:{line}:5: error[ledger-hash]: 2026-0003 says 2632.50 + 526.50 = "
                     "3150.00 GBP but its seats give 2632.50 + 526.50 = 3159.00 GBP; the ledger "
                     "was edited after it was issued: restore it and correct with a credit note"]


def test_a_seat_price_and_totals_edited_together_in_the_ledger(root: Path) -> None:
    edit(root, LEDGER, "seat: fa-lon-2026-10/l-0106, unit_price: '526.50'",
         "seat: fa-lon-2026-10/l-0106, unit_price: '526.40'")
    edit(root, LEDGER, "net: '2632.50'\n    tax: '526.50'\n    total: '3159.00'",
         "net: '2632.40'\n    tax: '526.48'\n    total: '3158.88'")
    found = _messages(root, "ledger-hash")
    assert len(found) == 1 and found[0].startswith(f"{LEDGER}:{entry_line(root, '2026-0003')}:5:")
    assert "no longer matches what was issued" in found[0]


def test_an_order_price_changed_after_the_invoice_leaves_it_as_issued(root: Path) -> None:
    edit(root, ACME, 'unit_price: "526.50"', 'unit_price: "520.00"')
    assert _messages(root, "ledger-hash") == []


def test_a_purchase_order_changed_after_the_invoice_leaves_it_as_issued(root: Path) -> None:
    edit(root, ACME, "purchase_order: PO-4471", "purchase_order: PO-4472")
    assert _messages(root, "ledger-hash") == []


def test_renames_after_the_invoice_leave_it_as_issued(root: Path) -> None:
    edit(root, "people/learners/acme-logistics.yaml", "Dariusz Kowalczyk", "Dariusz Kowalski")
    edit(root, "programs/first-aid/program.yaml", "title: First Aid at Work",
         "title: First Aid at Work (HSE)")
    assert _messages(root, "ledger-hash") == []


def test_a_line_text_edited_in_the_ledger(root: Path) -> None:
    edit(root, LEDGER, "October 2026, from 2026-10-22: Dariusz Kowalczyk",
         "October 2026, from 2026-10-22: D. Kowalczyk")
    found = _messages(root, "ledger-hash")
    assert len(found) == 1 and found[0].startswith(f"{LEDGER}:{entry_line(root, '2026-0003')}:5:")


def test_a_hash_edited_by_hand(root: Path) -> None:
    text = (root / LEDGER).read_text(encoding="utf-8")
    start = text.index("\n    sha256: ") + len("\n    sha256: ")
    (root / LEDGER).write_text(text[:start] + "0" * 64 + text[start + 64:], encoding="utf-8")
    found = _messages(root, "ledger-hash")
    assert len(found) == 1 and found[0].startswith(f"{LEDGER}:{entry_line(root, '2026-0001')}:5:")


def test_a_gap_and_a_duplicate_in_the_numbering(root: Path) -> None:
    edit(root, LEDGER, "number: 2026-0003", "number: 2026-0004")
    assert _messages(root, "ledger-numbering") == [
        f"{LEDGER}:{entry_line(root, '2026-0004')}:5: error[ledger-numbering]: 2026-0004 "
        "follows 2026-0002: the series has a gap or is out of order (the next number is "
        "2026-0003)"]
    edit(root, LEDGER, "number: 2026-0004", "number: 2026-0002")
    lines = (root / LEDGER).read_text(encoding="utf-8").splitlines()
    second = [i for i, x in enumerate(lines, 1) if x.endswith("number: 2026-0002")][1]
    assert _messages(root, "ledger-numbering") == [
        f"{LEDGER}:{second}:5: error[ledger-numbering]: number 2026-0002 is issued twice; a "
        "number is used once"]


def test_a_number_of_the_wrong_year_and_a_date_that_goes_back(root: Path) -> None:
    edit(root, LEDGER, "issued: '2026-08-20'", "issued: '2026-03-01'")
    found = _messages(root, "ledger-numbering")
    assert len(found) == 1 and "before the entry above it (2026-03-20)" in found[0]
    edit(root, LEDGER, "issued: '2026-03-01'", "issued: '2027-01-05'")
    found = _messages(root, "ledger-numbering")
    assert len(found) == 1 and "numbered in 2026's series" in found[0]


def test_a_credit_note_for_an_unknown_invoice(root: Path) -> None:
    edit(root, LEDGER, "credits: 2026-0001", "credits: 2026-0011")
    found = _messages(root, "ledger-reference")
    assert found == [
        f"{LEDGER}:{entry_line(root, '2026-0002')}:5: error[ledger-reference]: credit note "
        "2026-0002 corrects '2026-0011', which is not an invoice of this ledger; did you "
        "mean '2026-0001' or '2026-0003'?"]


def test_a_credit_note_for_a_seat_already_credited(root: Path) -> None:
    text = (root / LEDGER).read_text(encoding="utf-8")
    start, end = text.index("  - number: 2026-0002"), text.index("  - number: 2026-0003")
    copy = text[start:end].replace("2026-0002", "2026-0004").replace("2026-03-20", "2026-08-21")
    (root / LEDGER).write_text(text + copy, encoding="utf-8")
    found = _messages(root, "ledger-credit")
    assert found == [
        f"{LEDGER}:{entry_line(root, '2026-0004')}:5: error[ledger-credit]: credit note "
        "2026-0004 credits fa-lon-2026-03/l-0206, which invoice 2026-0001 no longer bills "
        "(never billed, or credited before)"]


def test_an_unknown_organisation_in_an_order(root: Path) -> None:
    edit(root, ACME, "organisation: acme-logistics", "organisation: acme-logistic")
    assert _messages(root, "order-reference") == [
        f"{ACME}:3:15: error[order-reference]: organisation 'acme-logistic' has no file in "
        "organisations/; did you mean 'acme-logistics'?"]


def test_a_missing_purchase_order(root: Path) -> None:
    edit(root, ACME, "purchase_order: PO-4471         # Acme requires a purchase order on "
                     "every invoice\n", "")
    found = _messages(root, "order-purchase-order")
    assert found == [f"{ACME}:3:15: error[order-purchase-order]: Acme Logistics requires a "
                     "purchase-order number on every invoice; add 'purchase_order: <their PO "
                     "number>' to the order"]


def test_a_currency_that_differs_from_the_organisation_and_the_price(root: Path) -> None:
    edit(root, ACME, "currency: GBP", "currency: EUR")
    found = _messages(root, "order-currency")
    assert found == [
        f"{ACME}:6:11: error[order-currency]: the order is in EUR but Acme Logistics is "
        "invoiced in GBP; write 'currency: GBP' and its prices in it",
        f"{ACME}:8:13: error[order-currency]: cohort 'fa-lon-2026-10' is priced in GBP but the "
        "order is in EUR; one order, one currency"]


def test_an_order_for_a_withdrawn_seat_never_invoiced(root: Path) -> None:
    edit(root, "programs/first-aid/cohorts/fa-lon-2026-10.yaml",
         "learner: l-0110\n    status: enrolled", "learner: l-0110\n    status: withdrawn")
    assert _messages(root, "order-withdrawn-seat") == []  # invoiced: a credit note is owed
    assert any("2026-0003" in m for m in _messages(root, "invoice-credit-due"))
    path = "records/orders/northcote-lt-2026-10.yaml"
    edit(root, "programs/leading-teams/cohorts/lt-2026-10.yaml",
         "learner: l-0303\n    status: enrolled", "learner: l-0303\n    status: withdrawn")
    assert _messages(root, "order-withdrawn-seat") == [
        f"{path}:14:16: error[order-withdrawn-seat]: l-0303 withdrew from lt-2026-10 and the "
        "seat was never invoiced; take them out of the order"]


def test_unknown_cohort_and_learner_not_enrolled(root: Path) -> None:
    edit(root, ACME, "cohort: fa-lon-2026-10", "cohort: fa-lon-2026-11")
    found = _messages(root, "order-reference")
    assert found == [f"{ACME}:8:13: error[order-reference]: cohort 'fa-lon-2026-11' does not "
                     "exist; did you mean 'fa-lon-2026-10' or 'fw-lon-2026-12' or "
                     "'fa-nyc-2026-11'?"]
    edit(root, ACME, "cohort: fa-lon-2026-11", "cohort: fa-lon-2026-10")
    edit(root, ACME, "l-0110]", "l-0110, l-0111]")
    found = _messages(root, "order-reference")
    assert found == [f"{ACME}:9:56: error[order-reference]: learner 'l-0111' is not enrolled "
                     "in fa-lon-2026-10; enroll them first ('trainkit enroll')"]


def test_organisation_and_buyer_together(root: Path) -> None:
    edit(root, ACME, "organisation: acme-logistics\n",
         "organisation: acme-logistics\nbuyer: {name: A B, email: a@b.example, "
         "address: {lines: [x], country: GB}}\n")
    assert any("give exactly one of them" in m for m in _messages(root, "order-reference"))


@pytest.mark.parametrize("change", [
    ("records/orders/acme-fa-2026-10.yaml", None, None),  # the order is deleted
    (LEDGER, "credits: 2026-0001", "credits: 2026-0002"),  # a credit note credits itself
    (LEDGER, "kind: credit-note", "kind: invoice"),  # an invoice that credits
    (LEDGER, "seat: fa-lon-2026-10/l-0106", "seat: fa-lon-2026-10/l-0199"),
    (ACME, "organisation: acme-logistics\n", ""),  # neither organisation nor buyer
    (ACME, "cohort: fa-lon-2026-10", "cohort: fl-man-2027-02"),
    (HARBOUR, "booked: 2026-02-10", "booked: 2026-02-30"),  # not a date: the order is unusable
])
def test_broken_orders_and_ledgers_are_reported_not_crashed(root: Path, change: tuple) -> None:
    path, old, new = change
    if old is None:
        (root / path).unlink()
    else:
        edit(root, path, old, new)
    result = check(root)
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors, change
    for d in errors:
        lines = (root / d.path).read_text(encoding="utf-8").count("\n") + 1
        assert 1 <= d.line <= lines, d.text()
