"""A closed cohort (price ``basis: cohort``) is one flat fee on an order, whoever joins it:
``trainkit enroll --order`` puts the fee on the order once, later learners join at no
charge up to the fee's seats, one more is refused at the order's line; invoices bill the
fee once, and a withdrawal credits nothing while anyone is still in the cohort."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from invoice_support import (
    KNOWN_WARNINGS,
    LEDGER,
    check,
    codes,
    demo_copy,
    edit,
    invoice,
    schematron_failures,
)
from trainkit.cli import main
from trainkit.outcomes.cii import cii_xml
from trainkit.outcomes.invoicing import draft_of

COHORT = "programs/fire-warden/cohorts/fw-man-2027-03.yaml"
ORDER = "records/orders/acme-fw-2027-03.yaml"


def _enroll(root: Path, learner: str, day: str, *extra: str) -> int:
    return main(["enroll", "fw-man-2027-03", learner, "--date", day, "--order", "acme-fw-2027-03",
                 *extra, "--force", "--reason", "agreed", "--root", str(root)])


def _withdraw(root: Path, learner: str) -> int:
    return main(["withdraw", "fw-man-2027-03", learner, "--root", str(root)])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The demo with fw-man-2027-03 made a closed cohort of two, nobody enrolled yet."""
    root = demo_copy(tmp_path)
    text = (root / COHORT).read_text(encoding="utf-8")
    text = re.sub(r"enrollments:\n(  .*\n)+", "enrollments: []\n", text)
    text = text.replace("status: open\n", 'status: open\ncapacity: 2\nprice: {basis: cohort, '
                        'amount: "2400.00", seats: 2}\n')
    (root / COHORT).write_text(text, encoding="utf-8")
    assert codes(check(root)) == []
    return root


def _order(root: Path) -> dict:
    return yaml.safe_load((root / ORDER).read_text(encoding="utf-8"))


def test_the_flat_fee_goes_on_the_order_once(root: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert _order(root)["seats"] == [{
        "cohort": "fw-man-2027-03", "learners": ["l-0116"], "list_price": "2400.00",
        "unit_price": "2400.00", "tax_rate": "20", "basis": "cohort"}]
    capsys.readouterr()
    assert _enroll(root, "l-0117", "2026-12-16") == 0
    assert "no charge, its flat fee is already on the order" in capsys.readouterr().err
    seats = _order(root)["seats"]
    assert len(seats) == 1 and seats[0]["learners"] == ["l-0116", "l-0117"]
    assert seats[0]["unit_price"] == "2400.00"
    assert codes(check(root)) == []


def test_one_more_than_the_fee_covers_is_refused_at_the_order_line(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert _enroll(root, "l-0117", "2026-12-16") == 0
    assert invoice(root, "--as-of", "2026-12-16", "--order", "acme-fw-2027-03") == 0
    assert _withdraw(root, "l-0116") == 0  # a place in the cohort, not on the fee
    before = {p: (root / p).read_text(encoding="utf-8") for p in (ORDER, COHORT)}
    capsys.readouterr()
    assert _enroll(root, "l-0118", "2026-12-17") == 1
    err = capsys.readouterr().err
    lines = before[ORDER].splitlines()
    at = next(i for i, x in enumerate(lines, 1) if x.strip() == "learners:")
    assert f"trainkit: {ORDER}:{at}:5: the flat fee of closed cohort 'fw-man-2027-03' on " \
           "order 'acme-fw-2027-03' covers 2 seats and the order's line lists 2 learners" in err
    assert "raise the cohort's price 'seats'" in err and "another order" in err
    assert "nothing was written" in err
    assert {p: (root / p).read_text(encoding="utf-8") for p in (ORDER, COHORT)} == before


def test_the_invoice_bills_the_fee_once_and_later_learners_at_zero(root: Path) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert invoice(root, "--as-of", "2026-12-15", "--order", "acme-fw-2027-03") == 0
    assert _enroll(root, "l-0117", "2026-12-16") == 0
    assert invoice(root, "--as-of", "2026-12-16", "--order", "acme-fw-2027-03") == 0
    academy = check(root).academy
    first, second = academy.ledger[-2:]
    # computed a second way: the fee once, 20% VAT on it, nothing for the second learner
    assert (first.net, first.tax, first.total) == (Decimal("2400.00"), Decimal("480.00"),
                                                   Decimal("2880.00"))
    assert (second.net, second.tax, second.total) == (Decimal("0.00"), Decimal("0.00"),
                                                      Decimal("0.00"))
    line = academy.ledger_seats[second.number].lines[0]
    assert (line.learner, line.unit_price, line.discount) == ("l-0117", Decimal("0.00"),
                                                             "in the closed-cohort fee")
    assert codes(check(root)) == []
    for index in (len(academy.ledger) - 2, len(academy.ledger) - 1):  # EN 16931 rules
        xml = cii_xml(academy, draft_of(academy, academy.ledger[index], index))
        assert [f for f in schematron_failures(xml) if f[0] not in KNOWN_WARNINGS] == []


def test_a_withdrawal_credits_nothing_until_everyone_has_withdrawn(root: Path) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert _enroll(root, "l-0117", "2026-12-15") == 0
    assert invoice(root, "--as-of", "2026-12-15", "--order", "acme-fw-2027-03") == 0
    invoiced = check(root).academy.ledger[-1]
    assert invoiced.total == Decimal("2880.00")
    assert _withdraw(root, "l-0116") == 0  # the learner whose line carries the fee
    result = check(root)
    assert [d.code for d in result.diagnostics if d.code == "invoice-credit-due"] == []
    assert invoice(root, "--as-of", "2026-12-20", "--order", "acme-fw-2027-03") == 0
    assert check(root).academy.ledger[-1].number == invoiced.number  # nothing issued
    assert _withdraw(root, "l-0117") == 0
    assert invoice(root, "--as-of", "2026-12-21", "--order", "acme-fw-2027-03") == 0
    note = check(root).academy.ledger[-1]
    assert (note.kind, note.credits, note.total) == ("credit-note", invoiced.number,
                                                     Decimal("2880.00"))


def test_a_flat_line_with_more_learners_than_seats_is_an_error(root: Path) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert _enroll(root, "l-0117", "2026-12-16") == 0
    edit(root, COHORT, "capacity: 2", "capacity: 1")
    edit(root, COHORT, "seats: 2}", "seats: 1}")
    found = [d for d in check(root).diagnostics if d.code == "order-seat-limit"]
    assert [(d.path, d.line) for d in found] == [(ORDER, _line_of(root, "- l-0117"))]
    assert "covers 1 seats but order 'acme-fw-2027-03' lists 2 learners" in found[0].message


def test_a_flat_line_needs_a_closed_cohort_price(root: Path) -> None:
    assert _enroll(root, "l-0116", "2026-12-15", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    edit(root, COHORT, 'price: {basis: cohort, amount: "2400.00", seats: 2}\n', "")
    found = [d for d in check(root).diagnostics if d.code == "order-seat-limit"]
    assert [(d.path, d.line) for d in found] == [(ORDER, _line_of(root, "- cohort:"))]
    assert "drop 'basis' from the line" in found[0].message


def _line_of(root: Path, text: str) -> int:
    lines = (root / ORDER).read_text(encoding="utf-8").splitlines()
    return next(i for i, x in enumerate(lines, 1) if x.strip().startswith(text))


def test_the_ledger_is_untouched_by_the_fixture(root: Path) -> None:
    assert "fw-man-2027-03" not in (root / LEDGER).read_text(encoding="utf-8")
