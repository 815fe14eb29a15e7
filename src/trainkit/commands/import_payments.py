"""``trainkit import payments --from bank-csv FILE``: bank credits to records/payments/."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from trainkit.commands.common import EXIT_ERRORS, EXIT_OK
from trainkit.edit import atomic
from trainkit.importers import bank_csv
from trainkit.importers.common import decode
from trainkit.load.records import write_csv
from trainkit.load.rowchecks import row_is_valid
from trainkit.model import Academy

HELP = """\
Read a bank statement saved as CSV and write records/payments/<FILE stem>.csv
(or --output): one row per credit whose reference names exactly one invoice
number of the invoice ledger. Nothing is guessed: credits without an invoice
number, or with several, are listed so you can record them by hand; debits
are skipped.

The delimiter (comma, semicolon, tab), the decimal mark (1.234,56 or
1,234.56) and the header row are recognised; columns are found by name
(date, amount, reference, payer, currency and the names banks use for them).
Name others with --map FIELD=HEADER, e.g. --map amount='Paid in'
--map reference='Payment details'. Days come before months (14/02/2027)
unless --date-format says otherwise (e.g. %m/%d/%Y).

Credits already recorded in records/payments/ (same date, invoice, amount and
reference) are skipped, so overlapping statements can be imported. An
existing output file is never replaced without --force.
"""


def add_parser(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = kinds.add_parser("payments", help="a bank statement saved as CSV", description=HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="fmt", choices=[bank_csv.NAME], default=bank_csv.NAME,
                   help="the export's format (default: bank-csv)")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                   help="the file's header for a field (date, amount, reference, payer, "
                        "currency); repeatable")
    p.add_argument("--currency", default="", metavar="CODE",
                   help="the account's currency when the file has no currency column "
                        "(default: each matched invoice's)")
    p.add_argument("--decimal", choices=("comma", "point"),
                   help="the amounts' decimal mark (default: recognised)")
    p.add_argument("--date-format", metavar="FORMAT",
                   help="strptime format of the dates, e.g. %%m/%%d/%%Y")


def run_payments(args: argparse.Namespace, root: Path, academy: Academy) -> int:
    text = decode(args.file.read_bytes(), str(args.file))
    invoices = {d.number: d.currency for d in academy.ledger if d.kind == "invoice"}
    found = bank_csv.read(text, str(args.file), invoices, mapping=bank_csv.parse_map(args.map),
                          currency=args.currency, decimal=args.decimal,
                          date_format=args.date_format)
    seen = {(p.date.isoformat(), p.invoice, p.amount, p.reference): p.loc
            for p in academy.payments}
    rows: list[dict[str, str]] = []
    again: list[dict[str, str]] = []
    for row in found.rows:
        key = (row["date"], row["invoice"], Decimal(row["amount"]), row["reference"])
        (again if key in seen else rows).append(row)
    output = args.output or root / "records" / "payments" / f"{args.file.stem}.csv"
    refused = next((r for r in rows if not row_is_valid("payments", r)), None)
    if refused is not None:
        print(f"trainkit import: {output}: not written, a row would not pass 'trainkit "
              f"check': {','.join(refused.values())}", file=sys.stderr)
        return EXIT_ERRORS
    if rows:
        try:
            atomic.write_text(output, write_csv(rows, bank_csv.COLUMNS), force=args.force)
        except atomic.Exists as exc:
            print(f"trainkit import: {exc}", file=sys.stderr)
            return EXIT_ERRORS
        print(f"wrote {output}: {len(rows)} payment(s) matched to invoices")
    else:
        print("nothing written: no new credit names an invoice of the ledger")
    _report(found, again)
    return EXIT_OK if rows else EXIT_ERRORS


def _report(found: bank_csv.BankImport, again: list[dict[str, str]]) -> None:
    if found.debits:
        print(f"skipped {found.debits} debit(s)")
    for row in again:
        print(f"already recorded: {row['date']} {row['amount']} {row['currency']} for "
              f"invoice {row['invoice']}")
    if found.left_out:
        print("not matched (record these by hand in records/payments/ if they are payments):")
        for line, what, why in found.left_out:
            print(f"  line {line}: {what}: {why}")
