"""How every private report is written: CSV cells that cannot start a formula, JSON,
and HTML pages from one set of templates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy

_BASE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{ title }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num{text-align:right} .muted{color:#666}
.completed{color:#1b5e20}.at-risk{color:#b71c1c}.not-completed{color:#b71c1c}.in-progress{color:#0d47a1}
svg{max-width:100%;height:auto}
.sheet+.sheet{page-break-before:always;break-before:page}
.sign{width:40%;height:2.2rem} tr.blank td{height:2.2rem}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:11pt} nav,.noprint{display:none}
.sheet h1{font-size:16pt;margin:0 0 .4rem} .sheet td{padding:.15rem .4rem}
.sign,tr.blank td{height:1.6rem} .sheet .sign{width:32%} .sheet .num{width:1.5rem}}
</style></head><body>
{% if home is not defined %}<nav class="noprint"><a href="{{ up }}index.html">All reports</a></nav>
{% endif %}
{% block body %}{% endblock %}
<p class="muted">{{ academy }} · private report · as of {{ as_of }}</p>
</body></html>
"""

_TABLE = """{% extends "base" %}{% block body %}
<h1>{{ title }}</h1>{% if intro %}<p>{{ intro }}</p>{% endif %}
{% for chart in charts %}<figure>{{ chart }}</figure>{% endfor %}
{% for t in tables %}{% if t.title %}<h2>{{ t.title }}</h2>{% endif %}
{% if not t.rows %}<p class="muted">{{ t.empty }}</p>{% else %}
<table><thead><tr>{% for h in t.header %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in t.rows %}<tr>{% for cell in row %}
{%- if t.status_col is not none and loop.index0 == t.status_col %}<td class="{{ cell }}">
{%- elif cell is number %}<td class="num">{% else %}<td>{% endif %}
{%- if cell and loop.index0 == t.link_col -%}
<a href="{{ t.link_prefix }}{{ cell }}.html">{{ cell }}</a>
{%- else %}{{ cell }}{% endif %}</td>
{%- endfor %}</tr>
{% endfor %}</tbody></table>{% endif %}{% endfor %}
{% endblock %}"""

_SIGN_IN = """{% extends "base" %}{% block body %}
{% for s in sheets %}<section class="sheet">
<h1>Sign-in: {{ s.title }}</h1>
<p><strong>{{ s.program }}</strong> · {{ s.cohort }}<br>{{ s.when }}
{%- if s.where %} · {{ s.where }}{% endif %}
{% if s.instructors %}<br>Instructors: {{ s.instructors }}{% endif %}</p>
<table><thead><tr><th>#</th><th>Name</th><th>Organisation</th>
<th class="sign">Signature</th></tr></thead><tbody>
{% for p in s.people %}<tr><td class="num">{{ loop.index }}</td><td>{{ p[0] }}</td>
<td>{{ p[1] }}</td><td class="sign"></td></tr>
{% endfor %}{% for _ in range(blank_rows) %}<tr class="blank"><td></td><td></td><td></td>
<td class="sign"></td></tr>
{% endfor %}</tbody></table>
<p class="muted">Learners of this cohort. Someone making up this session from another cohort
writes their name on an empty row.</p></section>
{% endfor %}{% endblock %}"""

_INDEX = """{% extends "base" %}{% block body %}
<h1>{{ title }}</h1>
{% for section, links in sections %}<h2>{{ section }}</h2><ul>
{% for href, label in links %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}</ul>
{% endfor %}{% endblock %}"""

ENV = Environment(
    loader=DictLoader({"base": _BASE, "table": _TABLE, "sign-in": _SIGN_IN, "index": _INDEX}),
    autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
)


# ---------------------------------------------------------------- file helpers


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A report table: every cell neutralised (:func:`safe_cell`), CR and LF quoted."""
    cells = ([safe_cell(c) for c in row] for row in (header, *rows))
    _write(path, csv_text(cells))


def write_json(path: Path, data: Any) -> None:
    _write(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def write_html(path: Path, template: str, **context: Any) -> None:
    _write(path, ENV.get_template(template).render(**context))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def page(academy: Academy, as_of: datetime, title: str, up: str = "") -> dict[str, Any]:
    """The context every report page shares."""
    return {"lang": academy.settings.locale, "title": title, "academy": academy.settings.name,
            "as_of": f"{as_of:%Y-%m-%d %H:%M} UTC", "up": up}


def table(header: Sequence[str], rows: Sequence[Sequence[object]], title: str = "",
          status_col: int | None = None, empty: str = "Nothing to list.",
          link: tuple[int, str] | None = None) -> dict[str, Any]:
    """A table for the ``table`` template; ``empty`` is shown instead when there are no rows.

    ``link=(column, prefix)`` makes each non-empty cell of that column a link to
    ``prefix + cell + ".html"`` (a certificate number to its certificate).
    """
    return {"header": header, "rows": rows, "title": title, "status_col": status_col,
            "empty": empty, "link_col": link[0] if link else -1,
            "link_prefix": link[1] if link else ""}
