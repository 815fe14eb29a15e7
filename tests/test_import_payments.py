"""trainkit import payments --from bank-csv: bank statements to records/payments/*.csv."""

from __future__ import annotations

import argparse
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from finance_helpers import LEDGER, with_ledger
from trainkit.cli import main
from trainkit.commands import import_payments
from trainkit.importers import bank_csv
from trainkit.importers.common import ImportProblem
from trainkit.model import Academy
from trainkit.pipeline import check_dir

CASE = Path(__file__).parent / "cases" / "finance" / "input"
INVOICES = {d.number: d.currency for d in LEDGER if d.kind == "invoice"}

# A German-style export: account block above the table, semicolons, decimal commas,
# days first, a debit, a credit naming no invoice and one naming two.
GERMAN = """\
Konto;DE12 3456 7890 1234 5678 90
Zeitraum;01.02.2026 - 28.02.2026

Buchungstag;Auftraggeber;Verwendungszweck;Betrag;Währung
10.02.2026;ACME LOGISTICS LTD;Rechnung 2026-0001 Teilzahlung;1.231,20;GBP
11.02.2026;Stadtwerke;Strom Februar;-120,50;GBP
12.02.2026;Unknown Ltd;Thank you;50,00;GBP
13.02.2026;BOLT;2026-0002 and 2025-0001;456,00;GBP
14.02.2026;BOLT;INV2026-00021;9,00;GBP
"""

# A UK-style export: commas, decimal points, thousands separators, no currency column.
UK = """\
Date,Description,Money received,Counterparty
25/02/2026,"BOLT COURIERS REF 2026-0002",456.00,Bolt Couriers
01/03/2026,"ACME 2025-0001","1,080.00",Acme Logistics
"""


def test_semicolons_and_decimal_commas_are_recognised() -> None:
    found = bank_csv.read(GERMAN, "bank.csv", INVOICES)
    assert found.rows == [{"date": "2026-02-10", "invoice": "2026-0001", "amount": "1231.20",
                           "currency": "GBP", "reference": "Rechnung 2026-0001 Teilzahlung",
                           "payer": "ACME LOGISTICS LTD", "note": ""}]
    assert found.debits == 1
    assert [(line, why) for line, _, why in found.left_out] == [
        (7, "no invoice number of the ledger in the reference"),
        (8, "the reference names several invoices (2025-0001, 2026-0002); record it by hand"),
        (9, "no invoice number of the ledger in the reference"),  # 2026-00021 is another number
    ]


def test_commas_points_and_mapped_columns() -> None:
    with pytest.raises(ImportProblem, match="no header row with columns for date, amount, "
                                            "reference"):
        bank_csv.read(UK, "bank.csv", INVOICES)
    found = bank_csv.read(UK, "bank.csv", INVOICES, mapping=bank_csv.parse_map(
        ["amount=Money received"]))
    assert [(r["date"], r["invoice"], r["amount"], r["currency"], r["payer"])
            for r in found.rows] == [
        ("2026-02-25", "2026-0002", "456.00", "GBP", "Bolt Couriers"),
        ("2026-03-01", "2025-0001", "1080.00", "GBP", "Acme Logistics")]


@pytest.mark.parametrize(("text", "comma", "value"), [
    ("1.234,56", True, "1234.56"), ("1,234.56", False, "1234.56"), ("£1,080.00", False, "1080.00"),
    ("1 234,5", True, "1234.5"), ("1'234.50", False, "1234.50"), ("abc", False, None),
    ("-12,00", True, "-12.00")])
def test_amounts(text: str, comma: bool, value: str | None) -> None:
    got = bank_csv.amount(text, comma)
    assert got == (Decimal(value) if value else None)


def test_a_bad_map_item_is_refused() -> None:
    with pytest.raises(ImportProblem, match="is not FIELD=HEADER"):
        bank_csv.parse_map(["total=Paid in"])


@pytest.fixture()
def academy_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Academy]:
    root = tmp_path / "academy"
    shutil.copytree(CASE, root)
    (root / "records/payments/2026-q1.csv").unlink()
    with_ledger(monkeypatch)
    result = check_dir(root)
    assert result.academy is not None and not result.errors
    return root, result.academy


def _args(file: Path, **kw: object) -> argparse.Namespace:
    base: dict[str, object] = {"file": file, "map": [], "currency": "", "decimal": None,
                               "date_format": None, "output": None, "force": False}
    return argparse.Namespace(**{**base, **kw})


def test_import_writes_a_file_trainkit_check_accepts_and_never_overwrites(
        academy_root: tuple[Path, Academy], capsys: pytest.CaptureFixture[str]) -> None:
    root, academy = academy_root
    bank = root.parent / "february.csv"
    bank.write_text(GERMAN, encoding="utf-8")
    assert import_payments.run_payments(_args(bank), root, academy) == 0
    out = capsys.readouterr().out
    written = root / "records/payments/february.csv"
    assert written.read_text(encoding="utf-8") == (
        "date,invoice,amount,currency,reference,payer,note\n"
        "2026-02-10,2026-0001,1231.20,GBP,Rechnung 2026-0001 Teilzahlung,ACME LOGISTICS LTD,\n")
    assert "line 8: 13.02.2026 456,00 2026-0002 and 2025-0001: the reference names several" \
        in out and "skipped 1 debit(s)" in out
    result = check_dir(root)
    assert not result.errors and len(result.academy.payments) == 1  # type: ignore[union-attr]

    # an existing output file: refused without --force and untouched, replaced with it
    other = root.parent / "kept.csv"
    other.write_text("keep\n", encoding="utf-8")
    uk = root.parent / "uk.csv"
    uk.write_text(UK, encoding="utf-8")
    args = _args(uk, output=other, map=["amount=Money received"])
    assert import_payments.run_payments(args, root, result.academy) == 1
    assert "already exists; pass --force" in capsys.readouterr().err
    assert other.read_text(encoding="utf-8") == "keep\n"
    args.force = True
    assert import_payments.run_payments(args, root, result.academy) == 0
    assert other.read_text(encoding="utf-8").count("\n") == 3


def test_credits_already_recorded_are_skipped(
        academy_root: tuple[Path, Academy], capsys: pytest.CaptureFixture[str]) -> None:
    root, academy = academy_root
    bank = root.parent / "february.csv"
    bank.write_text(GERMAN, encoding="utf-8")
    assert import_payments.run_payments(_args(bank), root, academy) == 0
    academy = check_dir(root).academy  # type: ignore[assignment]
    out = root / "records/payments/again.csv"
    assert import_payments.run_payments(_args(bank, output=out), root, academy) == 1
    assert "already recorded: 2026-02-10 1231.20 GBP for invoice 2026-0001" in \
        capsys.readouterr().out
    assert not out.exists()


def test_the_command_line_with_an_empty_ledger_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "academy"
    shutil.copytree(CASE, root)
    (root / "records/payments/2026-q1.csv").unlink()
    bank = tmp_path / "uk.csv"
    bank.write_text(UK, encoding="utf-8")
    code = main(["import", "payments", "--from", "bank-csv", str(bank), "--map",
                 "amount=Money received", "--root", str(root)])
    assert code == 1
    out = capsys.readouterr().out
    assert "nothing written" in out and "line 2:" in out and "line 3:" in out
    assert not (root / "records/payments").exists() or \
        not any((root / "records/payments").iterdir())
