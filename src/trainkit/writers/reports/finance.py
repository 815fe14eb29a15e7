"""Finance reports in ``reports/finance/``: receivables, revenue, margins, statements.

    reports/finance/receivables.{csv,json,html}   open invoices, aged as of the build
    reports/finance/ageing.csv                     per organisation and currency
    reports/finance/revenue.{csv,json,html}        per program and month of delivery
    reports/finance/revenue-cohorts.csv            per cohort, with where the figure came from
    reports/finance/margins.{csv,json,html}        per cohort and currency, with a chart
    reports/finance/costs.csv                      every cost line of every cohort
    reports/finance/statements/<org>.{csv,html}    invoices, credit notes, payments, balance

Amounts in CSV and JSON are plain decimals (``1234.50``) beside their
currency; the HTML pages write them as the academy's language does. The
rules behind each figure are in :mod:`trainkit.outcomes.revenue`,
:mod:`trainkit.outcomes.costs` and :mod:`trainkit.outcomes.receivables`.
Private: nothing here reaches ``site/``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_currency
from markupsafe import Markup

from trainkit.model import Academy
from trainkit.outcomes.costs import cohort_costs
from trainkit.outcomes.pricing import round_money
from trainkit.outcomes.receivables import BUCKETS, ageing, balances, statement
from trainkit.outcomes.revenue import CohortRevenue, margins, revenue
from trainkit.writers import charts
from trainkit.writers.reports.formats import page, write_csv, write_html, write_json
from trainkit.writers.reports.html import Cell, _locale, day, month, table, titled

Links = list[tuple[str, str]]


def money(amount: Decimal, currency: str, locale: str) -> Cell:
    """An amount as the academy's language writes it; sorts as the number."""
    return Cell(format_currency(amount, currency, locale=_locale(locale)),
                sort=str(amount), css="num")


def has_finance(academy: Academy) -> bool:
    """Whether the academy has anything to report on: a price, a cost, an invoice, a payment."""
    return bool(academy.ledger or academy.payments
                or any(c.price or c.materials or c.costs for c in academy.cohorts.values())
                or any(i.rates for i in academy.instructors.values())
                or any(v.hire or any(r.hire for r in v.rooms) for v in academy.venues.values()))


def write_finance(academy: Academy, out: Path, as_of: datetime) -> Links:
    """Every finance report (none for an academy without prices or costs); returns the
    index's links."""
    if not has_finance(academy):
        return []
    base = out / "finance"
    rows = revenue(academy, as_of)
    write_receivables(academy, base, as_of)
    write_revenue(academy, rows, base, as_of)
    write_margins(academy, rows, base, as_of)
    for org in academy.organisations:
        write_statement(academy, org, base / "statements" / org, as_of)
    return [("finance/receivables.html", "Receivables and ageing"),
            ("finance/revenue.html", "Revenue per program and month"),
            ("finance/margins.html", "Margin per cohort")]


RECEIVABLES_HEADER = ("invoice", "organisation", "currency", "issued", "due", "total",
                      "credited", "paid", "open", "ageing")
AGEING_HEADER = ("organisation", "currency", *BUCKETS, "open")


def write_receivables(academy: Academy, base: Path, as_of: datetime) -> None:
    found = [b for b in balances(academy.ledger, academy.payments, as_of.date()) if b.open]
    rows = [[b.invoice.number, b.invoice.organisation or "", b.invoice.currency,
             b.invoice.issued.isoformat(), b.invoice.due.isoformat(), b.invoice.total,
             b.credited, b.paid, b.open, b.bucket] for b in found]
    aged = ageing(found)
    write_csv(base / "receivables.csv", RECEIVABLES_HEADER, rows)
    write_csv(base / "ageing.csv", AGEING_HEADER, aged)
    write_json(base / "receivables.json", {
        "as_of": as_of.isoformat(),
        "invoices": [dict(zip(RECEIVABLES_HEADER, map(_plain, r), strict=True)) for r in rows],
        "ageing": [dict(zip(AGEING_HEADER, map(_plain, r), strict=True)) for r in aged]})
    loc = academy.settings.locale
    tables = [table(AGEING_HEADER, [[_org(academy, str(r[0])), r[1],
                                     *(money(Decimal(str(v)), str(r[1]), loc) for v in r[2:])]
                                    for r in aged], title="Ageing per organisation",
                    empty="Nothing is owed."),
              table(RECEIVABLES_HEADER, [[r[0], _org(academy, str(r[1])), r[2],
                                          day(b.invoice.issued, loc), day(b.invoice.due, loc),
                                          *(money(Decimal(str(v)), str(r[2]), loc)
                                            for v in r[5:9]), r[9]]
                                         for r, b in zip(rows, found, strict=True)],
                    title="Open invoices", empty="No invoice is open.")]
    write_html(base / "receivables.html", "table",
               intro=f"What clients owe as of {as_of:%Y-%m-%d}: invoice totals (tax included) "
                     "less credit notes and payments, aged from the due date.",
               charts=[], tables=tables, **page(academy, as_of, "Receivables", up="../"))


def _org(academy: Academy, ident: str) -> Cell | str:
    org = academy.organisations.get(ident)
    return titled(org.name, ident) if org else (ident or "private buyers")


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


REVENUE_HEADER = ("program", "month", "currency", "recognised", "upcoming")
COHORT_REVENUE_HEADER = ("cohort", "program", "month", "currency", "revenue", "seats",
                         "source", "delivered")


def revenue_by_month(rows: Sequence[CohortRevenue]) -> list[list[object]]:
    """Per program, month of delivery and currency: recognised and upcoming revenue."""
    sums: dict[tuple[str, str, str], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0)])
    for r in rows:
        if r.month:
            sums[(r.program, r.month, r.currency)][0 if r.delivered else 1] += r.amount
    return [[p, m, c, *(round_money(x, c) for x in v)] for (p, m, c), v in sorted(sums.items())]


def write_revenue(academy: Academy, rows: Sequence[CohortRevenue], base: Path,
                  as_of: datetime) -> None:
    monthly = revenue_by_month(rows)
    per_cohort = [[r.cohort, r.program, r.month, r.currency, r.amount, r.seats, r.source,
                   "yes" if r.delivered else "no"] for r in rows]
    write_csv(base / "revenue.csv", REVENUE_HEADER, monthly)
    write_csv(base / "revenue-cohorts.csv", COHORT_REVENUE_HEADER, per_cohort)
    write_json(base / "revenue.json", {
        "as_of": as_of.isoformat(),
        "months": [dict(zip(REVENUE_HEADER, map(_plain, r), strict=True)) for r in monthly],
        "cohorts": [dict(zip(COHORT_REVENUE_HEADER, map(_plain, r), strict=True))
                    for r in per_cohort]})
    loc = academy.settings.locale
    tables = [table(REVENUE_HEADER[1:], [[month(str(r[1]), loc), r[2],
                                          money(Decimal(str(r[3])), str(r[2]), loc),
                                          money(Decimal(str(r[4])), str(r[2]), loc)]
                                         for r in monthly if r[0] == program],
                    title=academy.programs[program].title if program in academy.programs
                    else program, secondary=program)
              for program in dict.fromkeys(str(r[0]) for r in monthly)]
    write_html(base / "revenue.html", "table",
               intro="Net of tax, in the month of each cohort's last session; recognised once "
                     "that session has ended. A cohort earns what was invoiced for it (less "
                     "credit notes) once it has invoices, else what its enrolled learners were "
                     "priced at. No currency is converted.",
               charts=[], tables=tables, **page(academy, as_of, "Revenue", up="../"))


MARGIN_HEADER = ("cohort", "program", "currency", "revenue", "instructor", "room", "materials",
                 "other", "costs", "margin", "missing")
COST_HEADER = ("cohort", "kind", "label", "quantity", "currency", "amount")


def margin_rows(academy: Academy, rows: Sequence[CohortRevenue]) -> list[list[object]]:
    return [[m.cohort, m.program, m.currency, m.revenue, m.instructor, m.room, m.materials,
             m.other, m.costs, m.margin, "; ".join(m.missing)] for m in margins(academy, rows)]


def write_margins(academy: Academy, rows: Sequence[CohortRevenue], base: Path,
                  as_of: datetime) -> None:
    found = margin_rows(academy, rows)
    costs = [[c.cohort, line.kind, line.label, line.quantity, line.currency, line.amount]
             for cid in dict.fromkeys(str(r[0]) for r in found)
             for c in [cohort_costs(academy, academy.cohorts[cid])] for line in c.lines]
    write_csv(base / "margins.csv", MARGIN_HEADER, found)
    write_csv(base / "costs.csv", COST_HEADER, costs)
    write_json(base / "margins.json", {
        "as_of": as_of.isoformat(),
        "cohorts": [dict(zip(MARGIN_HEADER, map(_plain, r), strict=True)) for r in found]})
    loc = academy.settings.locale
    figures, tables = [], []
    for cur in sorted({str(r[2]) for r in found}):
        mine = [r for r in found if r[2] == cur]
        labels = [academy.cohorts[str(r[0])].title + f" ({r[0]})" for r in mine]
        figures.append(Markup(charts.bars(labels, {
            "revenue": [float(str(r[3])) for r in mine],
            "costs": [float(str(r[8])) for r in mine],
            "margin": [float(str(r[9])) for r in mine]},
            title=f"Revenue, costs and margin per cohort ({cur})", ylabel=cur,
            xlabel="cohort")))
        tables.append(table(("cohort", *MARGIN_HEADER[3:]), [
            [titled(academy.cohorts[str(r[0])].title, str(r[0])),
             *(money(Decimal(str(v)), cur, loc) for v in r[3:10]), r[10]] for r in mine],
            title=f"Cohorts priced or costed in {cur}"))
    write_html(base / "margins.html", "table",
               intro="Revenue (as in the revenue report) less instructor rates, room hire, "
                     "materials per enrolled learner and other costs, per currency. A rate "
                     "or hire nobody gave is listed under 'missing', not guessed.",
               charts=figures, tables=tables, **page(academy, as_of, "Margins", up="../"))


STATEMENT_HEADER = ("date", "kind", "number", "reference", "currency", "debit", "credit",
                    "balance")


def statement_rows(academy: Academy, org: str, as_of: datetime) -> list[list[object]]:
    return [[s.day.isoformat(), s.kind, s.number, s.reference, s.currency, s.debit, s.credit,
             s.balance] for s in statement(academy.ledger, academy.payments, org, as_of.date())]


def write_statement(academy: Academy, org: str, base: Path, as_of: datetime,
                    up: str = "../../") -> None:
    """``base``.csv and ``base``.html: the organisation's account, oldest first."""
    rows = statement_rows(academy, org, as_of)
    write_csv(base.with_suffix(".csv"), STATEMENT_HEADER, rows)
    loc = academy.settings.locale
    cells = [[day(datetime.fromisoformat(str(r[0])).date(), loc), r[1], r[2], r[3], r[4],
              *(money(Decimal(str(v)), str(r[4]), loc) for v in r[5:])] for r in rows]
    name = academy.organisations[org].name
    write_html(base.with_suffix(".html"), "table",
               intro=f"Invoices, credit notes and payments up to {as_of:%Y-%m-%d}; the balance "
                     "is what is owed, per currency.",
               charts=[], tables=[table(STATEMENT_HEADER, cells, empty="No invoice yet.")],
               **page(academy, as_of, f"Statement: {name}", up=up))
