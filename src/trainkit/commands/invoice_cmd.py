"""``trainkit invoice``: issue the invoices that are due and the credit notes owed."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from trainkit.commands.common import EXIT_USAGE
from trainkit.commands.edit_common import EDIT_EPILOG, add_edit_options, run_edit, today
from trainkit.edit import Changes
from trainkit.edit.enrollments import Refused
from trainkit.edit.ledger import issue, seal
from trainkit.model import Academy
from trainkit.outcomes.invoice_plan import credit_note, number_all, plan

HELP = f"""\
Issue invoices for the orders that are due and credit notes for seats
withdrawn after they were invoiced, as of --as-of (default: today in the
academy's time zone). An order's seats are due as their program's 'invoice'
policy says (on booking, N days before start, after delivery). Each document
gets the next number of the issue year's gapless series and is appended to
the ledger, records/invoices.yaml, with the SHA-256 of its EN 16931 XML.
Commit the ledger: 'trainkit build' writes every document in it as a
Factur-X PDF to reports/invoices/, byte for byte the same on every build.

An issued document never changes. --credit NUMBER --reason TEXT issues a
credit note for what invoice NUMBER still bills (or only the --seat
COHORT/LEARNER given); seats credited while still enrolled are invoiced again
on the next run, at the order's price then: correct an order by crediting and
re-invoicing.

{EDIT_EPILOG}
examples:
  trainkit invoice --dry-run                  what would be issued today
  trainkit invoice --as-of 2026-09-30
  trainkit invoice --order acme-fa-2026-10
  trainkit invoice --credit 2026-0001 --reason "wrong price" --seat fa-lon-2026-10/l-0106

exit codes: 0 issued (or nothing due); 1 refused, or the academy would have
errors (nothing written); 3 internal error; 64 bad command line.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("invoice", help="issue invoices that are due and credit notes owed",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="the issue date (default: today in the academy's time zone)")
    p.add_argument("--order", default=None, metavar="ID", help="only this order")
    p.add_argument("--credit", default=None, metavar="NUMBER",
                   help="issue a credit note against invoice NUMBER (needs --reason)")
    p.add_argument("--reason", default=None, metavar="TEXT",
                   help="why the credit note is issued; printed on it")
    p.add_argument("--seat", action="append", default=[], metavar="COHORT/LEARNER",
                   help="with --credit: credit only this seat (repeat for more)")
    add_edit_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.credit and not (args.reason or "").strip():
        print("trainkit invoice: --credit needs --reason (printed on the credit note)",
              file=sys.stderr)
        return EXIT_USAGE
    if args.seat and not args.credit:
        print("trainkit invoice: --seat goes with --credit", file=sys.stderr)
        return EXIT_USAGE
    if any("/" not in s for s in args.seat):
        print("trainkit invoice: write --seat as COHORT/LEARNER", file=sys.stderr)
        return EXIT_USAGE

    def operation(changes: Changes, academy: Academy) -> list[str]:
        if academy.invoicing is None:
            raise Refused("trainkit.yaml has no 'invoicing' settings (who issues invoices); "
                          "add them first (docs/invoicing.md)")
        sealed = seal(changes, academy)
        as_of = args.as_of or today(academy)
        last = max((d.issued for d in academy.ledger), default=as_of)
        if as_of < last:
            raise Refused(f"the ledger already holds a document of {last}; documents are "
                          f"issued in date order, so issue on {last} or later")
        if args.credit:
            seats = [tuple(s.split("/", 1)) for s in args.seat]
            note = credit_note(academy, args.credit, seats, as_of, args.reason.strip())
            if note is None:
                raise Refused(f"invoice {args.credit} is not in the ledger or bills none of "
                              "those seats any more")
            drafts = number_all(academy, [note])
        else:
            if args.order and args.order not in academy.orders:
                raise Refused(f"order {args.order!r} has no file in records/orders/")
            drafts = plan(academy, as_of, args.order)
        if not drafts:
            return [*sealed, f"nothing to issue as of {as_of}"]
        return sealed + issue(changes, academy, drafts)

    return run_edit(args, operation)
