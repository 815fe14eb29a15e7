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

from jinja2 import DictLoader, Environment, StrictUndefined

from trainkit.model import Academy
from trainkit.outcomes.certificates import (
    EXPIRY_WINDOW,
    Certificate,
    issue,
    open_badge,
    recertification,
)
from trainkit.outcomes.completion import evaluate
from trainkit.writers.reports.formats import page, table, write_csv, write_html, write_json

_CERT = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ c.title }}: {{ name }}</title>
<meta name="robots" content="noindex, nofollow">
<style>
@page{size:A4 landscape;margin:12mm}
body{font-family:Georgia,serif;text-align:center;color:#222;margin:0}
.frame{border:6px double #00796b;padding:2.5rem;min-height:150mm;box-sizing:border-box}
h1{font-size:2.2rem;margin:.5rem 0} .name{font-size:2rem;margin:1.5rem 0 .5rem}
.small{font-size:.85rem;color:#555}
</style></head><body><div class="frame">
<p class="small">{{ issuer }}</p>
<h1>{{ c.title }}</h1>
<p>This certifies that</p><p class="name">{{ name }}</p>
<p>has completed <strong>{{ program }}</strong> on {{ c.issued_on.isoformat() }}.</p>
<p>{% if c.expires_on %}Valid until {{ c.expires_on.isoformat() }}.
{%- else %}Does not expire.{% endif %}</p>
{% if signatory %}<p>{{ signatory }}</p>{% endif %}
<p class="small">Certificate {{ c.id }} · verify at <a href="{{ url }}">{{ url }}</a></p>
</div></body></html>
"""

_VERIFY = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Certificate {{ c.id }}: {{ status }}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
.status{font-size:1.6rem;font-weight:bold}.valid{color:#1b5e20}.expired,.revoked{color:#b71c1c}
dt{font-weight:bold}dd{margin:0 0 .6rem 0}
</style></head><body>
<p>{{ academy }}</p>
<h1>Certificate verification</h1>
<p class="status {{ status }}">{{ message }}</p>
<dl>
<dt>Certificate</dt><dd>{{ c.id }}</dd>
<dt>Certificate title</dt><dd>{{ c.title }}</dd>
<dt>Program</dt><dd>{{ program }}</dd>
{% if name %}<dt>Holder</dt><dd>{{ name }}</dd>{% endif %}
<dt>Issued</dt><dd>{{ c.issued_on.isoformat() }}</dd>
<dt>Expires</dt><dd>{{ c.expires_on.isoformat() if c.expires_on else "never" }}</dd>
{% if revocation %}<dt>Revoked</dt><dd>{{ revocation.revoked_on.isoformat() }}
{%- if revocation.reason %}: {{ revocation.reason }}{% endif %}</dd>{% endif %}
</dl>
<p><small>Status as of {{ as_of }}. Issued by {{ issuer }}
{%- if email %} ({{ email }}){% endif %}.</small></p>
</body></html>
"""

ENV = Environment(loader=DictLoader({"cert": _CERT, "verify": _VERIFY}), autoescape=True,
                  undefined=StrictUndefined, keep_trailing_newline=True)
MESSAGES = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked"}


def write(ctx: Any) -> None:
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


def _render(path: Path, template: str, **context: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ENV.get_template(template).render(**context), encoding="utf-8", newline="\n")


def verify_url(academy: Academy, c: Certificate) -> str:
    return academy.settings.base_url + c.verify_path


def write_certificate(academy: Academy, c: Certificate, folder: Path, as_of: datetime) -> None:
    learner = academy.learners.get(c.learner)
    s = academy.settings
    _render(folder / f"{c.id}.html", "cert", c=c, lang=s.locale,
            name=learner.name if learner else c.learner,
            program=academy.programs[c.program].title, issuer=s.certificates.issuer_name,
            signatory=s.certificates.signatory or "", url=verify_url(academy, c))
    write_json(folder / f"{c.id}.json", open_badge(c, academy))


def write_verification(academy: Academy, c: Certificate, public: Path, as_of: datetime) -> None:
    s = academy.settings
    status = c.status(as_of.date())
    learner = academy.learners.get(c.learner)
    name = learner.name if learner and s.certificates.show_name_on_verification else ""
    _render(public / c.verify_path / "index.html", "verify", c=c, lang=s.locale, status=status,
            message=MESSAGES[status], program=academy.programs[c.program].title, name=name,
            revocation=c.revocation if status == "revoked" else None, academy=s.name,
            issuer=s.certificates.issuer_name, email=s.certificates.issuer_email or "",
            as_of=as_of.date().isoformat())


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
    for c, state in recertification(certs, as_of.date()):
        p = academy.learners.get(c.learner)
        rows.append([c.id, c.program, c.learner, p.name if p else "", p.email if p else "",
                     c.expires_on.isoformat() if c.expires_on else "", state])
    write_csv(out / "recertification.csv", header, rows)
    write_html(out / "recertification.html", "table",
               intro="Certificates that have expired, or expire within 90 days of this build.",
               charts=[], tables=[table(header, rows, link=(0, "certificates/"), empty=(
                   "No certificate has expired or expires by "
                   f"{(as_of.date() + EXPIRY_WINDOW).isoformat()}."))],
               **page(academy, as_of, "Recertification"))
