"""Payments against the ledger, costs and clients against prices: located problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import lines
from finance_helpers import with_ledger
from trainkit.pipeline import Result, check_dir

CASE = Path(__file__).parent / "cases" / "finance" / "input"
CODES = ("payment-unknown-invoice", "payment-currency", "payment-overpaid", "cost-currency",
         "organisation-currency", "currency", "money-precision", "schema")


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
           ledger: bool = True) -> Result:
    root = tmp_path / "academy"
    shutil.copytree(CASE, root)
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    if ledger:
        with_ledger(monkeypatch)
    return check_dir(root)


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_the_fixture_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lines(_check(tmp_path, monkeypatch, {}), *CODES) == []


def test_payments_unknown_invoice_wrong_currency_and_overpaid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payments = ("date,invoice,amount,currency,reference,payer,note\n"
                "2026-02-10,2026-0001,500.00,GBP,,,\n"
                "2026-02-11,2026-0099,10.00,GBP,,,\n"
                "2026-02-12,2026-0001,10.00,EUR,,,\n"
                "2026-02-13,2026-0001,731.20,GBP,,,\n"
                "2026-02-14,2026-0001,5.00,GBP,,,\n"
                "2026-02-15,2026-0003,24.00,GBP,,,\n")
    result = _check(tmp_path, monkeypatch, {"records/payments/2026-q1.csv": payments})
    p = "records/payments/2026-q1.csv"
    assert lines(result, *CODES) == [
        f"{p}:3:1: error[payment-unknown-invoice]: invoice '2026-0099' is not in the invoice "
        "ledger; copy the number from the invoice the payment is for",
        f"{p}:4:1: error[payment-currency]: the payment is in EUR but invoice 2026-0001 is in "
        "GBP; record the amount credited in GBP",
        f"{p}:6:1: warning[payment-overpaid]: payments for invoice 2026-0001 now add up to "
        "1236.20 GBP, more than the 1231.20 it is owed; refund the difference or record it "
        "against another invoice",
        # a credit note is not an invoice to pay
        f"{p}:7:1: error[payment-unknown-invoice]: invoice '2026-0003' is not in the invoice "
        "ledger; copy the number from the invoice the payment is for",
    ]


def test_a_payment_row_with_a_decimal_comma_is_a_located_schema_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payments = ("date,invoice,amount,currency,reference,payer,note\n"
                "2026-02-10,2026-0001,\"500,00\",GBP,,,\n")
    result = _check(tmp_path, monkeypatch, {"records/payments/2026-q1.csv": payments})
    assert lines(result, "csv-row") == [
        "records/payments/2026-q1.csv:2:3: error[csv-row]: column 'amount': '500,00' is not "
        "valid here; expected: The amount received, a decimal with a point, e.g. 780.00."]


def test_costs_in_another_currency_than_the_price(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saf_a = CASE / "programs/safety/cohorts/saf-a.yaml"
    ann = CASE / "people/instructors/ann.yaml"
    result = _check(tmp_path, monkeypatch, {
        "programs/safety/cohorts/saf-a.yaml": _edit(
            saf_a, '{label: Certificate printing, amount: "31.70"}',
            '{label: Certificate printing, amount: "31.70", currency: EUR}'),
        "people/instructors/ann.yaml": _edit(ann, "currency: GBP", "currency: USD"),
    })
    found = lines(result, "cost-currency")
    assert "people/instructors/ann.yaml:9:8: warning[cost-currency]: the rates of ann is in " \
           "USD but cohort intro-oct is priced in GBP; its margin shows USD apart (no " \
           "conversion): give the cost in GBP if it was paid in GBP" in found
    assert len([f for f in found if f.startswith("people/instructors/ann.yaml")]) == 1
    assert any(f.startswith("programs/safety/cohorts/saf-a.yaml:15:5: warning[cost-currency]: "
                            "the cost 'Certificate printing' is in EUR") for f in found)


def test_an_unknown_currency_and_too_many_decimals_in_a_rate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ann = CASE / "people/instructors/ann.yaml"
    result = _check(tmp_path, monkeypatch, {
        "people/instructors/ann.yaml": _edit(
            ann, 'rates: {day: "317.45", hour: "61.35", currency: GBP}',
            'rates: {day: "300.005", hour: "61.35", currency: GBP}\n'),
        "venues/hq.yaml": _edit(CASE / "venues/hq.yaml", "currency: GBP", "currency: XYZ"),
    })
    assert lines(result, "currency", "money-precision") == [
        "people/instructors/ann.yaml:9:14: error[money-precision]: '300.005' has more decimals "
        "than GBP's 2; round it to 300.01",
        "venues/hq.yaml:14:37: error[currency]: 'XYZ' is not an ISO 4217 currency code; write "
        "one such as GBP, EUR or USD",
    ]


def test_organisation_billed_in_another_currency(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bolt = CASE / "organisations/bolt.yaml"
    result = _check(tmp_path, monkeypatch, {
        "organisations/bolt.yaml": _edit(bolt, "currency: GBP", "currency: EUR")})
    assert lines(result, "organisation-currency") == [
        "programs/safety/cohorts/saf-a.yaml:10:5: warning[organisation-currency]: l-03 belongs "
        "to bolt, billed in EUR, but cohort saf-a is priced in GBP; invoice it in GBP or give "
        "the cohort a price in EUR",
    ]


def test_without_a_ledger_every_payment_is_unknown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _check(tmp_path, monkeypatch, {}, ledger=False)
    assert [d.code for d in result.errors] == ["payment-unknown-invoice"] * 2
