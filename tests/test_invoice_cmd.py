"""``trainkit invoice``: what is due is issued once, numbered, hashed; credit notes chain."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from invoice_support import LEDGER, check, codes, demo_copy, edit, invoice
from trainkit.outcomes.invoicing import billed


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return demo_copy(tmp_path)


def _ledger(root: Path) -> str:
    return (root / LEDGER).read_text(encoding="utf-8")


def test_dry_run_shows_the_entry_and_writes_nothing(root: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = _ledger(root)
    assert invoice(root, "--as-of", "2026-09-30", "--dry-run") == 0
    out, err = capsys.readouterr()
    assert "+  - number: 2026-0004\n" in out and "+    order: northcote-lt-2026-10\n" in out
    assert "invoice 2026-0004: order northcote-lt-2026-10, 1 seat(s), 1300.00 + 260.00 = " \
           "1560.00 GBP, issued 2026-09-30, due 2026-10-14" in err
    assert _ledger(root) == before


def test_seats_are_invoiced_when_their_policy_says_and_only_once(root: Path) -> None:
    # leading-teams: 14 days before start (6 October 2026): due from 22 September
    assert invoice(root, "--as-of", "2026-09-21") == 0
    assert "2026-0004" not in _ledger(root)
    assert invoice(root, "--as-of", "2026-09-22") == 0
    text = _ledger(root)
    assert "number: 2026-0004" in text and "due: '2026-10-06'" in text
    assert invoice(root, "--as-of", "2026-09-23") == 0
    assert _ledger(root) == text  # nothing more is due
    result = check(root)
    assert codes(result, "ledger") == [] and codes(result, "order") == []
    last = result.academy.ledger[-1]
    assert (last.organisation, last.total) == (None, Decimal("1560.00"))


def test_credit_then_reinvoice_a_corrected_price(root: Path) -> None:
    assert invoice(root, "--credit", "2026-0003", "--reason", "wrong discount", "--seat",
                   "fa-lon-2026-10/l-0106", "--as-of", "2026-08-25") == 0
    edit(root, "records/orders/acme-fa-2026-10.yaml",
         "learners: [l-0106, l-0107, l-0108, l-0109, l-0110]",
         "learners: [l-0107, l-0108, l-0109, l-0110]")
    text = (root / "records/orders/acme-fa-2026-10.yaml").read_text(encoding="utf-8")
    (root / "records/orders/acme-fa-2026-10.yaml").write_text(
        text + '  - cohort: fa-lon-2026-10\n    learners: [l-0106]\n    list_price: "650.00"\n'
        '    unit_price: "585.00"\n    tax_rate: "20"\n    discount: early bird 10%\n',
        encoding="utf-8")
    # the seat moved to a line of its own at a new price: 2026-0003 (issued before) and the
    # credit note still rebuild the same, and the next run invoices the seat at 585.00
    assert codes(check(root)) == []
    assert invoice(root, "--as-of", "2026-08-26", "--order", "acme-fa-2026-10") == 0
    last = check(root).academy.ledger[-1]
    assert (last.number, last.net, last.tax) == ("2026-0005", Decimal("585.00"),
                                                 Decimal("117.00"))


def test_credit_chain_on_seats_still_enrolled(root: Path) -> None:
    assert invoice(root, "--credit", "2026-0003", "--reason", "invoiced to the wrong office",
                   "--seat", "fa-lon-2026-10/l-0106", "--as-of", "2026-08-25") == 0
    academy = check(root).academy
    assert ("fa-lon-2026-10", "l-0106") not in billed(academy, "acme-fa-2026-10")
    note = academy.ledger[-1]
    assert (note.number, note.kind, note.credits, note.total) == (
        "2026-0004", "credit-note", "2026-0003", Decimal("631.80"))
    # the seat is enrolled and no longer billed: the next run invoices it again
    assert invoice(root, "--as-of", "2026-08-26", "--order", "acme-fa-2026-10") == 0
    academy = check(root).academy
    again = academy.ledger[-1]
    assert (again.number, again.kind, again.total) == ("2026-0005", "invoice", Decimal("631.80"))
    assert billed(academy, "acme-fa-2026-10")[("fa-lon-2026-10", "l-0106")] == "2026-0005"
    assert codes(check(root)) == []


def test_crediting_everything_left_then_nothing_more(root: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert invoice(root, "--credit", "2026-0001", "--reason", "course cancelled",
                   "--as-of", "2026-03-21") == 1
    assert "issue on 2026-08-20 or later" in capsys.readouterr().err
    assert invoice(root, "--credit", "2026-0001", "--reason", "course cancelled",
                   "--as-of", "2026-08-21") == 0
    academy = check(root).academy
    head, first, rest = academy.ledger[0], academy.ledger[1], academy.ledger[-1]
    assert rest.credits == "2026-0001"
    assert first.total + rest.total == head.total  # exactly the invoice, not a penny more
    assert invoice(root, "--credit", "2026-0001", "--reason", "again",
                   "--as-of", "2026-08-22") == 1
    assert "bills none of those seats any more" in capsys.readouterr().err


def test_credit_notes_never_exceed_the_invoice_when_rounding(root: Path) -> None:
    # three seats at 10.03 with 20% tax: 30.09 net, 6.018 -> 6.02 tax; one seat's tax
    # is 2.006 -> 2.01, so three separate credits would come to 6.03 without the cap
    (root / "records/orders/harbourline-fa-2027-01.yaml").write_text(
        "version: 1\norganisation: harbourline-hotels\nbooked: 2026-11-01\ncurrency: GBP\n"
        "seats:\n  - cohort: fa-lon-2027-01\n    learners: [l-0209, l-0210, l-0211]\n"
        '    unit_price: "10.03"\n    tax_rate: "20"\n', encoding="utf-8")
    assert invoice(root, "--as-of", "2026-11-01", "--order", "harbourline-fa-2027-01") == 0
    for learner in ("l-0209", "l-0210", "l-0211"):
        assert invoice(root, "--credit", "2026-0004", "--reason", "x", "--seat",
                       f"fa-lon-2027-01/{learner}", "--as-of", "2026-11-02") == 0
    ledger = check(root).academy.ledger
    notes = [d for d in ledger if d.credits == "2026-0004"]
    assert [d.tax for d in notes] == [Decimal("2.01"), Decimal("2.01"), Decimal("2.00")]
    assert sum(d.total for d in notes) == ledger[3].total == Decimal("36.11")


def test_automatic_credit_note_for_a_withdrawn_seat(root: Path) -> None:
    edit(root, "programs/first-aid/cohorts/fa-lon-2026-10.yaml",
         "learner: l-0110\n    status: enrolled", "learner: l-0110\n    status: withdrawn")
    assert invoice(root, "--as-of", "2026-09-01", "--order", "acme-fa-2026-10") == 0
    note = check(root).academy.ledger[-1]
    assert (note.kind, note.credits, note.total) == ("credit-note", "2026-0003",
                                                     Decimal("631.80"))
    assert "reason: seat withdrawn" in _ledger(root)


def test_refusals_are_explained(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoice(root, "--credit", "2026-0009", "--reason", "x") == 1
    assert "invoice 2026-0009 is not in the ledger" in capsys.readouterr().err
    assert invoice(root, "--credit", "2026-0001") == 64
    assert invoice(root, "--order", "nope", "--as-of", "2026-09-30") == 1
    assert "order 'nope' has no file in records/orders/" in capsys.readouterr().err
    edit(root, "trainkit.yaml", "invoicing:", "x_invoicing:")
    (root / "trainkit.yaml").write_text(
        _strip_invoicing((root / "trainkit.yaml").read_text(encoding="utf-8")),
        encoding="utf-8")
    (root / LEDGER).unlink()
    assert invoice(root, "--as-of", "2026-09-30") == 1
    assert "no 'invoicing' settings" in capsys.readouterr().err


def _strip_invoicing(text: str) -> str:
    head, _, _ = text.partition("x_invoicing:")
    return head


def test_an_order_with_errors_blocks_issuing(root: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    edit(root, "records/orders/northcote-lt-2026-10.yaml", "currency: GBP", "currency: USD")
    before = _ledger(root)
    assert invoice(root, "--as-of", "2026-09-30") == 1
    assert "error[order-currency]" in capsys.readouterr().out
    assert _ledger(root) == before


def _enroll(root: Path, *argv: str) -> int:
    from trainkit.cli import main
    return main(["enroll", *argv, "--force", "--reason", "agreed", "--root", str(root)])


def test_enroll_creates_then_extends_an_order_that_invoice_bills(root: Path) -> None:
    order = root / "records/orders/acme-fw-2027-03.yaml"
    assert _enroll(root, "fw-man-2027-03", "l-0116", "--date", "2026-12-15", "--order",
                   "acme-fw-2027-03", "--bill", "acme-logistics", "--po", "PO-5000") == 0
    assert order.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/order.schema.json\nversion: 1\n"
        "organisation: acme-logistics\npurchase_order: PO-5000\nbooked: '2026-12-15'\n"
        "currency: GBP\nseats:\n  - cohort: fw-man-2027-03\n    learners:\n      - l-0116\n"
        "    list_price: '295.00'\n    unit_price: '295.00'\n    tax_rate: '20'\n")
    assert _enroll(root, "fw-man-2027-03", "l-0117", "--date", "2026-12-16", "--order",
                   "acme-fw-2027-03") == 0
    assert "      - l-0116\n      - l-0117\n" in order.read_text(encoding="utf-8")
    assert invoice(root, "--as-of", "2026-12-16", "--order", "acme-fw-2027-03") == 0
    last = check(root).academy.ledger[-1]
    assert (last.number, last.total, last.organisation) == ("2026-0004", Decimal("708.00"),
                                                            "acme-logistics")


def test_enroll_prices_a_new_line_as_of_the_booking_date(root: Path) -> None:
    # the order was booked on 9 September 2026, before the early-bird date (15 September)
    assert _enroll(root, "lt-2026-11-ist", "l-0303", "--date", "2026-10-20", "--order",
                   "northcote-lt-2026-10") == 0
    text = (root / "records/orders/northcote-lt-2026-10.yaml").read_text(encoding="utf-8")
    assert "cohort: lt-2026-11-ist" in text and "unit_price: '1300.00'" in text
    assert "discount: early bird, 150.00 off" in text


def test_a_new_order_needs_someone_to_bill(root: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    assert _enroll(root, "fw-man-2027-03", "l-0116", "--date", "2026-12-15", "--order",
                   "acme-fw-2027-03") == 1
    assert "say who pays with --bill ORGANISATION" in capsys.readouterr().err
    assert not (root / "records/orders/acme-fw-2027-03.yaml").exists()
