"""Client report packs in ``reports/clients/<organisation>/``, ready to send to the client.

    index.html          everything below on one page
    enrollments.csv     the organisation's learners on every cohort, with their status
    completion.csv      completion status with its reason
    certificates.csv    certificates with their public verification links
    invoices.csv        invoices and credit notes of the ledger (empty until there is one)
    statement.csv       invoices, credit notes, payments and the running balance

Only the organisation's own learners (see :mod:`trainkit.outcomes.clients`)
and its own documents appear in its pack.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from trainkit.model import Academy
from trainkit.outcomes.certificates import Certificate
from trainkit.outcomes.clients import learners_of
from trainkit.outcomes.completion import Outcome
from trainkit.writers.reports.finance import STATEMENT_HEADER, money, statement_rows
from trainkit.writers.reports.formats import page, write_csv, write_html
from trainkit.writers.reports.html import Cell, day, status, table, titled

Links = list[tuple[str, str]]
ENROLLMENT_HEADER = ("cohort", "program", "learner", "name", "status", "enrolled_on")
COMPLETION_HEADER = ("cohort", "program", "learner", "name", "status", "reason",
                     "completed_on", "certificate")
CERTIFICATE_HEADER = ("certificate", "learner", "name", "program", "issued_on", "expires_on",
                      "state", "verify_url")
INVOICE_HEADER = ("number", "kind", "issued", "due", "currency", "net", "tax", "total",
                  "credits")


def write_clients(academy: Academy, outcomes: Sequence[Outcome],
                  certs: Sequence[Certificate], out: Path, as_of: datetime) -> Links:
    """One pack per client organisation; returns the index's links."""
    links: Links = []
    for org in academy.organisations.values():
        write_pack(academy, org.id, outcomes, certs, out / "clients" / org.id, as_of)
        links.append((f"clients/{org.id}/index.html", org.name))
    return links


def _name(academy: Academy, learner: str) -> str:
    person = academy.learners.get(learner)
    return person.name if person else learner


def pack_tables(academy: Academy, org: str, outcomes: Sequence[Outcome],
                certs: Sequence[Certificate], as_of: datetime) -> dict[str, list[list[object]]]:
    """The rows of each CSV of ``org``'s pack, by file stem."""
    mine = learners_of(academy, org)
    today = as_of.date()
    return {
        "enrollments": [[c.id, c.program, e.learner, _name(academy, e.learner), e.status,
                         e.enrolled_on.isoformat() if e.enrolled_on else ""]
                        for c in academy.cohorts.values() for e in c.enrollments
                        if e.learner in mine],
        "completion": [[o.cohort, o.program, o.learner, _name(academy, o.learner), o.status,
                        o.reason, o.completed_on.isoformat() if o.completed_on else "",
                        next((c.id for c in certs
                              if (c.cohort, c.learner) == (o.cohort, o.learner)), "")]
                       for o in outcomes if o.learner in mine],
        "certificates": [[c.id, c.learner, _name(academy, c.learner), c.program,
                          c.issued_on.isoformat(),
                          c.expires_on.isoformat() if c.expires_on else "", c.status(today),
                          academy.settings.base_url + c.verify_path]
                         for c in sorted(certs) if c.learner in mine],
        "invoices": [[d.number, d.kind, d.issued.isoformat(), d.due.isoformat(), d.currency,
                      d.net, d.tax, d.total, d.credits or ""]
                     for d in academy.ledger if d.organisation == org and d.issued <= today],
        "statement": statement_rows(academy, org, as_of),
    }


HEADERS = {"enrollments": ENROLLMENT_HEADER, "completion": COMPLETION_HEADER,
           "certificates": CERTIFICATE_HEADER, "invoices": INVOICE_HEADER,
           "statement": STATEMENT_HEADER}
# The HTML tables: a learner by name with the id beside it, a cohort by title.
HTML_HEADERS = {"enrollments": ("cohort", "program", "learner", "status", "enrolled_on"),
                "completion": ("cohort", "learner", "status", "reason", "completed_on",
                               "certificate"),
                "certificates": ("certificate", "learner", "program", "issued_on",
                                 "expires_on", "state", "verify_url")}
TITLES = {"enrollments": "Enrollments", "completion": "Completion",
          "certificates": "Certificates", "invoices": "Invoices and credit notes",
          "statement": "Statement"}


def write_pack(academy: Academy, org: str, outcomes: Sequence[Outcome],
               certs: Sequence[Certificate], base: Path, as_of: datetime) -> None:
    found = pack_tables(academy, org, outcomes, certs, as_of)
    for stem, rows in found.items():
        write_csv(base / f"{stem}.csv", HEADERS[stem], rows)
    tables = [table(HTML_HEADERS.get(stem, HEADERS[stem]), _cells(academy, stem, rows),
                    title=f"{TITLES[stem]} ({stem}.csv)",
                    empty="No invoice yet." if stem in ("invoices", "statement")
                    else "Nothing to list.")
              for stem, rows in found.items()]
    name = academy.organisations[org].name
    write_html(base / "index.html", "table",
               intro=f"{name}: training and account as of {as_of:%Y-%m-%d}. Each table is "
                     "also in the CSV file named beside its title.",
               charts=[], tables=tables, **page(academy, as_of, f"Client report: {name}",
                                                up="../../"))


def _cells(academy: Academy, stem: str, rows: list[list[object]]) -> list[list[object]]:
    """The HTML rows: cohorts and programs by title, dates in words, amounts as money."""
    loc = academy.settings.locale

    def named(kind: str, ident: object) -> Cell:
        found: Any = getattr(academy, kind).get(str(ident))
        return titled(str(getattr(found, "title", ident)), str(ident))

    def when(text: object) -> Cell:
        return day(date.fromisoformat(str(text)) if text else None, loc)

    if stem == "enrollments":
        return [[named("cohorts", r[0]), named("programs", r[1]), titled(str(r[3]), str(r[2])),
                 status(str(r[4])), when(r[5])] for r in rows]
    if stem == "completion":
        return [[named("cohorts", r[0]), titled(str(r[3]), str(r[2])), status(str(r[4])), r[5],
                 when(r[6]), r[7]] for r in rows]
    if stem == "certificates":
        return [[r[0], titled(str(r[2]), str(r[1])), named("programs", r[3]), when(r[4]),
                 when(r[5]), status(str(r[6])), Cell("verify", href=str(r[7]))] for r in rows]
    if stem == "invoices":
        return [[r[0], r[1], when(r[2]), when(r[3]), r[4],
                 *(money(Decimal(str(v)), str(r[4]), loc) for v in r[5:8]), r[8]] for r in rows]
    return [[when(r[0]), *r[1:5], *(money(Decimal(str(v)), str(r[4]), loc) for v in r[5:])]
            for r in rows]
