"""Certificates for completers, their Open Badges, and public verification pages.

Private (``reports/certificates/``): a printable HTML certificate and an
Open Badges 3.0 credential (``<number>.json``) per certificate, a list of all
certificates (``index.csv``) and the recertification report
(``reports/recertification.{csv,html}``: expired, or expiring within 90 days
of the build).

Public (``site/verify/<key>/index.html``): one self-contained page per
certificate saying whether it is valid, expired or revoked, with the program
and dates. The learner's name appears only with
``certificates.show_name_on_verification: true``; nothing else about them.
See :mod:`trainkit.outcomes.certificates` for how numbers and keys are made.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from trainkit.model import Academy
from trainkit.outcomes.certificates import (
    EXPIRY_WINDOW,
    Certificate,
    issue,
    open_badge,
    recertification,
)
from trainkit.outcomes.completion import evaluate
from trainkit.writers.branding import brand
from trainkit.writers.certificate_pages import long_date, render, signature
from trainkit.writers.reports.formats import page, write_csv, write_html, write_json
from trainkit.writers.reports.html import Cell, day, status, table, titled
from trainkit.writers.units import keyed

MESSAGES = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked"}


def write(ctx: Any) -> None:
    with keyed(ctx, "certificates"):  # a page whose values did not change is taken over
        _write(ctx)


def _write(ctx: Any) -> None:
    academy: Academy = ctx.academy
    as_of: datetime = ctx.epoch
    certs = issue(academy, evaluate(academy, as_of), ctx.secret)
    if certs and not ctx.secret:
        ctx.notes.append(
            "certificate verification pages use keys derived without a secret; set "
            f"{academy.settings.feeds.secret_env} so their addresses cannot be worked out")
    for c in certs:
        write_certificate(academy, c, ctx.private / "certificates", as_of)
        write_verification(academy, c, ctx.public, as_of)
    write_index(academy, certs, ctx.private, as_of)
    write_recertification(academy, certs, ctx.private, as_of)


def verify_url(academy: Academy, c: Certificate) -> str:
    return academy.settings.base_url + c.verify_path


def write_certificate(academy: Academy, c: Certificate, folder: Path, as_of: datetime) -> None:
    learner = academy.learners.get(c.learner)
    s = academy.settings
    signer, role = signature(s.certificates.signatory)
    render(folder / f"{c.id}.html", "cert", c=c, lang=s.locale, b=brand(academy),
           name=learner.name if learner else c.learner,
           program=academy.programs[c.program].title, issuer=s.certificates.issuer_name,
           issued=long_date(c.issued_on, s.locale), expires=long_date(c.expires_on, s.locale),
           signer=signer, role=role, url=verify_url(academy, c))
    write_json(folder / f"{c.id}.json", open_badge(c, academy))


def write_verification(academy: Academy, c: Certificate, public: Path, as_of: datetime) -> None:
    s = academy.settings
    status = c.status(as_of.date())
    learner = academy.learners.get(c.learner)
    name = learner.name if learner and s.certificates.show_name_on_verification else ""
    revocation = c.revocation if status == "revoked" else None
    render(public / c.verify_path / "index.html", "verify", c=c, lang=s.locale, status=status,
           message=MESSAGES[status], program=academy.programs[c.program].title, name=name,
           revocation=revocation, academy=s.name, b=brand(academy),
           revoked_on=long_date(revocation.revoked_on if revocation else None, s.locale),
           issued=long_date(c.issued_on, s.locale), expires=long_date(c.expires_on, s.locale),
           issuer=s.certificates.issuer_name, email=s.certificates.issuer_email or "",
           as_of=long_date(as_of.date(), s.locale),
           expires_iso=c.expires_on.isoformat() if c.expires_on else "",
           revoked_iso=c.revocation.revoked_on.isoformat() if c.revocation else "")


CERT_HEADER = ("certificate", "program", "cohort", "learner", "name", "issued_on", "expires_on",
               "status", "verify_url")


def write_index(academy: Academy, certs: list[Certificate], out: Path, as_of: datetime) -> None:
    rows = [[c.id, c.program, c.cohort, c.learner, _name(academy, c.learner),
             c.issued_on.isoformat(), c.expires_on.isoformat() if c.expires_on else "",
             c.status(as_of.date()), verify_url(academy, c)] for c in certs]
    write_csv(out / "certificates" / "index.csv", CERT_HEADER, rows)


def _name(academy: Academy, learner: str) -> str:
    p = academy.learners.get(learner)
    return p.name if p else ""


def write_recertification(academy: Academy, certs: list[Certificate], out: Path,
                          as_of: datetime) -> None:
    header = ("certificate", "program", "learner", "name", "email", "expires_on", "state")
    rows: list[list[object]] = []
    shown: list[list[object]] = []
    locale = academy.settings.locale
    for c, state in recertification(certs, as_of.date()):
        p = academy.learners.get(c.learner)
        rows.append([c.id, c.program, c.learner, p.name if p else "", p.email if p else "",
                     c.expires_on.isoformat() if c.expires_on else "", state])
        shown.append([Cell(c.id, href=f"certificates/{c.id}.html"),
                      titled(academy.programs[c.program].title, c.program),
                      titled(p.name if p else c.learner, c.learner), p.email if p else "",
                      day(c.expires_on, locale), status(state)])
    write_csv(out / "recertification.csv", header, rows)
    write_html(out / "recertification.html", "table",
               intro="Certificates that have expired, or expire within 90 days of this build.",
               charts=[], tables=[table(("certificate", "program", "learner", "email",
                                         "expires_on", "state"), shown, empty=(
                   "No certificate has expired or expires by "
                   f"{(as_of.date() + EXPIRY_WINDOW).isoformat()}."))],
               **page(academy, as_of, "Recertification"))
