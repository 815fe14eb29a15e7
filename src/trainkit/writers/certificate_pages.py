"""The printed certificate and the public verification page, in the academy's look.

Both carry the academy's logo and colours (:mod:`trainkit.writers.branding`)
and write dates as people of the academy's ``locale`` do ("9 March 2026",
"9. März 2026"). The certificate ends with a signature line for
``certificates.signatory``: the name under the line, and the role, written
after the first comma, beneath it. The verification page has the site's
header (logo and title on the primary colour, linking home) and footer, so a
reader who follows a certificate's link sees they are on the academy's site.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import DictLoader, Environment, StrictUndefined

from trainkit.writers.units import taken_over

_CERT = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ c.title }}: {{ name }}</title>
<meta name="robots" content="noindex, nofollow">
<style>
@page{size:A4 landscape;margin:12mm}
body{font-family:Georgia,serif;text-align:center;color:#222;margin:0}
.frame{border:6px double {{ b.primary }};padding:1.6rem 2.5rem 1.2rem;min-height:150mm;
box-sizing:border-box;display:flex;flex-direction:column;align-items:center}
.logo{height:22mm;max-width:60mm;object-fit:contain;margin-bottom:.3rem}
h1{font-size:2.2rem;margin:.4rem 0;color:{{ b.primary }}}
.rule{width:5rem;height:3px;background:{{ b.accent }};margin:.2rem auto 1rem;border:0}
.name{font-size:2rem;margin:1rem 0 .4rem}
.small{font-size:.85rem;color:#555}
.signature{margin-top:auto;padding-top:1.2rem;min-width:70mm}
.signature .line{height:12mm;border-bottom:1px solid #222;margin:0 auto .3rem}
.signature p{margin:.1rem 0}.signature .role{font-size:.9rem;color:#555}
</style></head><body><div class="frame">
{% if b.logo %}<img class="logo" src="{{ b.logo }}" alt="{{ issuer }}">{% endif %}
<p class="small">{{ issuer }}</p>
<h1>{{ c.title }}</h1><hr class="rule">
<p>This certifies that</p><p class="name">{{ name }}</p>
<p>has completed <strong>{{ program }}</strong> on {{ issued }}.</p>
<p>{% if expires %}Valid until {{ expires }}.{% else %}Does not expire.{% endif %}</p>
{% if signer %}<div class="signature"><div class="line"></div>
<p class="signer">{{ signer }}</p>{% if role %}<p class="role">{{ role }}</p>{% endif %}</div>
{% endif %}
<p class="small">Certificate {{ c.id }} · verify at <a href="{{ url }}">{{ url }}</a></p>
</div></body></html>
"""

# The look of the site's Material theme without its files: header on the primary colour
# with the logo and title, system fonts (the site loads no web font), the dark footer.
_VERIFY = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Certificate {{ c.id }}: {{ message }} - {{ b.title }}</title>
<style>
html{font-size:125%}
body{margin:0;font:.8rem/1.6 -apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif;
color:#000000de;background:#fff;display:flex;flex-direction:column;min-height:100vh}
a{color:{{ b.primary }}}
.md-header{background:{{ b.primary }};color:{{ b.on_primary }};
box-shadow:0 0 .2rem #0000001a,0 .2rem .4rem #0003}
.md-header nav{max-width:61rem;margin:0 auto;display:flex;align-items:center;gap:.6rem;
padding:.4rem .8rem;min-height:1.6rem}
.md-header a{color:inherit;text-decoration:none;display:flex;align-items:center;gap:.6rem;
font-size:.9rem;font-weight:700}
.md-header img{height:1.2rem;width:auto}
main{flex:1;width:100%;max-width:40rem;margin:0 auto;padding:1.2rem .8rem;box-sizing:border-box}
h1{font-size:1.6rem;font-weight:300;color:#0000008a;margin:0 0 1rem;letter-spacing:-.01em}
.status{font-size:1.2rem;font-weight:700;padding:.4rem .8rem;border-left:.2rem solid}
.valid{color:#1b5e20;background:#e8f5e9}.expired,.revoked{color:#b71c1c;background:#ffebee}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:1.2rem 0}
dt{font-weight:700}dd{margin:0}
.note{font-size:.7rem;color:#0000008a}
.md-footer{background:#000000de;color:#ffffffb3;font-size:.64rem}
.md-footer div{max-width:61rem;margin:0 auto;padding:.6rem .8rem}
.md-footer a{color:#fff}
</style></head><body>
<header class="md-header"><nav><a href="{{ b.home }}">
{%- if b.logo %}<img src="{{ b.logo }}" alt="">{% endif %}<span>{{ b.title }}</span></a></nav>
</header>
<main>
<h1>Certificate verification</h1>
<p class="status {{ status }}" data-tk-cert data-tk-expires="{{ expires_iso }}"
 data-tk-revoked="{{ revoked_iso }}" data-tk-label-valid="Valid" data-tk-label-expired="Expired"
 data-tk-label-revoked="Revoked">{{ message }}</p>
<dl>
<dt>Certificate</dt><dd>{{ c.id }}</dd>
<dt>Certificate title</dt><dd>{{ c.title }}</dd>
<dt>Program</dt><dd>{{ program }}</dd>
{% if name %}<dt>Holder</dt><dd>{{ name }}</dd>{% endif %}
<dt>Issued</dt><dd>{{ issued }}</dd>
<dt>Expires</dt><dd>{{ expires or "never" }}</dd>
{% if revocation %}<dt>Revoked</dt><dd>{{ revoked_on }}
{%- if revocation.reason %}: {{ revocation.reason }}{% endif %}</dd>{% endif %}
</dl>
<p class="note">Status as of <span class="tk-cert-asof">{{ as_of }}</span>. Issued by {{ issuer }}
{%- if email %} (<a href="mailto:{{ email }}">{{ email }}</a>){% endif %}.</p>
</main>
<footer class="md-footer"><div>{{ academy }} · <a href="{{ b.home }}">{{ b.home }}</a></div>
</footer>
{# recomputes the status with the reader's date; a first-party file, no request elsewhere #}
<script src="../../assets/trainkit/live.js"></script>
</body></html>
"""

ENV = Environment(loader=DictLoader({"cert": _CERT, "verify": _VERIFY}), autoescape=True,
                  undefined=StrictUndefined, keep_trailing_newline=True)


def long_date(value: date | None, locale: str) -> str:
    """``9 March 2026`` as the academy's language writes it; "" for no date."""
    if value is None:
        return ""
    try:
        where = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        where = Locale("en")
    return format_date(value, "long", locale=where)


def signature(signatory: str | None) -> tuple[str, str]:
    """``"Dr. Ann Example, Director of Training"`` as name and role (split at the first
    comma); no comma, no role."""
    if not signatory:
        return "", ""
    name, _, role = signatory.partition(",")
    return name.strip(), role.strip()


def render(path: Path, template: str, **context: Any) -> None:
    if taken_over(path, "certificate", template, context):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ENV.get_template(template).render(**context), encoding="utf-8", newline="\n")
