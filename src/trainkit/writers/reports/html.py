"""How the private reports look in a browser: headings for people, sections, sortable tables.

The CSV and JSON files keep their machine column names (``completed_on``,
``max_hours_per_week`` …) so that scripts reading them keep working; the HTML
pages say the same in words (:data:`HEADINGS`), show titles with the id as
secondary text, and group rows under a heading (program, cohort, instructor)
instead of repeating it on every row.

Tables sort by any column with a small script written into each page (no
file or request from anywhere else); a cell carries a ``data-sort`` key when
its text does not sort by itself (dates, percentages, names with ids). Without
the script, the rows stay in the order they were written, which is already
a sensible one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

HEADINGS = {
    "cohort": "Cohort", "program": "Program", "learner": "Learner", "name": "Name",
    "organisation": "Organisation", "status": "Status", "reason": "Why",
    "attendance": "Attendance", "completed_on": "Completed on", "certificate": "Certificate",
    "email": "E-mail", "enrolled_on": "Enrolled on", "session": "Session", "date": "Date",
    "enrolled": "Enrolled", "attended": "Attended", "make_ups": "Make-ups from other cohorts",
    "rate": "Attendance rate", "sessions": "Sessions held", "possible": "Possible attendances",
    "month": "Month", "planned": "Planned", "delivered": "Delivered",
    "cancelled": "Cancelled", "upcoming": "Upcoming", "instructor": "Instructor",
    "scheduled_hours": "Scheduled hours", "delivered_hours": "Delivered hours",
    "max_hours_per_week": "Maximum hours a week", "monthly_max": "Monthly maximum (hours)",
    "utilization": "Scheduled / maximum", "issued_on": "Issued on", "expires_on": "Expires on",
    "state": "State", "verify_url": "Verification page", "response_rate": "Response rate",
    "nps": "NPS", "invited": "Learners asked",
}
STATUS_WORDS = {"completed": "Completed", "in-progress": "In progress", "at-risk": "At risk",
                "not-completed": "Not completed", "expired": "Expired",
                "expiring": "Expiring", "valid": "Valid", "revoked": "Revoked",
                "enrolled": "Enrolled", "waitlisted": "Waitlisted", "withdrawn": "Withdrawn"}


def heading(column: str) -> str:
    """The words for a machine column name; the name itself, made readable, if unlisted."""
    return HEADINGS.get(column, column.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text, an id shown after it in grey, a link, a sort key, a class."""

    text: str
    secondary: str = ""
    href: str = ""
    sort: str | None = None
    css: str = ""


def titled(title: str, ident: str, href: str = "") -> Cell:
    """A title with its id as secondary text; sorts by the title."""
    return Cell(title, secondary=ident if ident != title else "", href=href, sort=title.lower())


def status(value: str) -> Cell:
    return Cell(STATUS_WORDS.get(value, value), css=value)


def percent(text: str) -> Cell:
    """``"66.7%"`` as shown, sorted as the number; empty sorts first."""
    number = text.rstrip("%")
    return Cell(text, sort=number if number else "-1", css="num")


def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@cache
def _written(value: date, form: str, locale: str) -> str:
    """``value`` as the academy's language writes it in ``form`` (babel's name or pattern).

    Kept for the build: reports write the same few hundred days thousands of times
    (every session on a sign-in sheet, every completion date)."""
    return format_date(value, form, locale=_locale(locale))


def day(value: date | None, locale: str) -> Cell:
    """A date written for people in the academy's language (``3 Mar 2026``); sorts by ISO."""
    if value is None:
        return Cell("", sort="")
    return Cell(_written(value, "medium", locale), sort=value.isoformat())


def long_day(value: date, locale: str) -> str:
    """``Tuesday 6 January 2026`` (as the academy's language writes it)."""
    return _written(value, "full", locale)


def month(key: str, locale: str) -> Cell:
    """``2026-03`` as ``Mar 2026`` in the academy's language; sorts by the key."""
    return Cell(month_words(key, locale), sort=key)


def month_words(key: str, locale: str) -> str:
    return _written(date(int(key[:4]), int(key[5:7]), 1), "MMM y", locale)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], title: str = "",
          status_col: int | None = None, empty: str = "Nothing to list.",
          link: tuple[int, str] | None = None, secondary: str = "") -> dict[str, Any]:
    """A table for the ``table`` template; ``empty`` is shown instead when there are no rows.

    ``header`` holds machine column names, shown through :func:`heading`.
    ``link=(column, prefix)`` makes each non-empty cell of that column a link to
    ``prefix + cell + ".html"`` (a certificate number to its certificate);
    ``status_col`` shows that column's values in words and colour. A section
    ``title`` may carry a ``secondary`` id.
    """
    shaped = []
    for row in rows:
        cells: list[object] = []
        for i, value in enumerate(row):
            if i == status_col and isinstance(value, str):
                value = status(value)
            elif link and i == link[0] and isinstance(value, str) and value:
                value = Cell(value, href=f"{link[1]}{value}.html")
            cells.append(value)
        shaped.append(cells)
    return {"header": [heading(h) for h in header], "rows": shaped, "title": title,
            "secondary": secondary, "empty": empty}


_BASE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{ title }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num{text-align:right} .muted,.id{color:#666}
.id{font-size:.85em;white-space:nowrap} td a{white-space:nowrap}
h2 .id,h3 .id{font-weight:normal}
.completed{color:#1b5e20}.at-risk{color:#b71c1c}.not-completed{color:#b71c1c}.in-progress{color:#0d47a1}
th button{all:unset;cursor:pointer;display:block;width:100%}
th button:focus-visible{outline:2px solid #0d47a1}
th button::after{content:" \\2195";color:#999}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
svg{max-width:100%;height:auto}
.sheet+.sheet{page-break-before:always;break-before:page}
.sign{width:40%;height:2.2rem} tr.blank td{height:2.2rem}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:11pt} nav,.noprint{display:none}
th button::after{content:none}
.sheet h1{font-size:16pt;margin:0 0 .4rem} .sheet td{padding:.15rem .4rem}
.sign,tr.blank td{height:1.6rem} .sheet .sign{width:32%} .sheet .num{width:1.5rem}}
</style></head><body>
{% if home is not defined %}<nav class="noprint"><a href="{{ up }}index.html">All reports</a></nav>
{% endif %}
{% block body %}{% endblock %}
<p class="muted">{{ academy }} · private report · as of {{ as_of }}</p>
{% block script %}{% endblock %}
</body></html>
"""

# Sorting: each heading becomes a button; a click sorts that table by the column (again:
# the other way). Keys are data-sort when present, else the text; numbers compare as numbers.
SORT_SCRIPT = """<script>
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[col], k = cell.getAttribute("data-sort");
        return k === null ? cell.textContent.trim().toLowerCase() : k;
      }
      var number = /^-?[0-9]+(\\.[0-9]+)?$/;
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = number.test(x) && number.test(y) ? parseFloat(x) - parseFloat(y)
                                                 : x.localeCompare(y);
        return down ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
</script>"""

_TABLE = """{% extends "base" %}
{%- macro show(cell) -%}
{%- if cell.href is defined -%}
{%- if cell.href %}<a href="{{ cell.href }}">{{ cell.text }}</a>
{%- else %}{{ cell.text }}{% endif -%}
{%- if cell.secondary %} <span class="id">{{ cell.secondary }}</span>{% endif -%}
{%- else %}{{ cell }}{% endif -%}
{%- endmacro -%}
{% block body %}
<h1>{{ title }}</h1>{% if intro %}<p>{{ intro }}</p>{% endif %}
{% for chart in charts %}<figure>{{ chart }}</figure>{% endfor %}
{% for t in tables %}{% if t.title %}<h2>{{ t.title }}
{%- if t.secondary %} <span class="id">{{ t.secondary }}</span>{% endif %}</h2>{% endif %}
{% if not t.rows %}<p class="muted">{{ t.empty }}</p>{% else %}
<table class="sortable"><thead><tr>{% for h in t.header %}<th>{{ h }}</th>{% endfor %}</tr>
</thead><tbody>
{% for row in t.rows %}<tr>{% for cell in row %}<td
{%- if cell.href is defined %}{% if cell.css %} class="{{ cell.css }}"{% endif %}
{%- if cell.sort is not none %} data-sort="{{ cell.sort }}"{% endif %}
{%- elif cell is number %} class="num"{% endif %}>{{ show(cell) }}</td>
{%- endfor %}</tr>
{% endfor %}</tbody></table>{% endif %}{% endfor %}
{% endblock %}
{% block script %}{{ sort_script }}{% endblock %}"""

_SIGN_IN = """{% extends "base" %}{% block body %}
{% for s in sheets %}<section class="sheet">
<h1>Sign-in: {{ s.title }}</h1>
<p><strong>{{ s.program }}</strong> · {{ s.cohort }}<br>{{ s.when }}
{%- if s.where %} · {{ s.where }}{% endif %}
{% if s.instructors %}<br>Instructors: {{ s.instructors }}{% endif %}</p>
<table><thead><tr><th>#</th><th>Name</th><th>Organisation</th>
<th class="sign">Signature</th></tr></thead><tbody>
{% for p in people %}<tr><td class="num">{{ loop.index }}</td><td>{{ p[0] }}</td>
<td>{{ p[1] }}</td><td class="sign"></td></tr>
{% endfor %}{% for _ in range(blank_rows) %}<tr class="blank"><td></td><td></td><td></td>
<td class="sign"></td></tr>
{% endfor %}</tbody></table>
<p class="muted">Learners of this cohort. Someone making up this session from another cohort
writes their name on an empty row.</p></section>
{% endfor %}{% endblock %}"""

_INDEX = """{% extends "base" %}{% block body %}
<h1>{{ title }}</h1>
{% for section, ident, lines in sections %}<h2>{{ section }}
{%- if ident %} <span class="id">{{ ident }}</span>{% endif %}</h2><ul>
{% for line in lines %}<li>{% for href, label in line %}{% if not loop.first %} · {% endif -%}
<a href="{{ href }}">{{ label }}</a>{% endfor %}</li>
{% endfor %}</ul>
{% endfor %}{% endblock %}"""

ENV = Environment(
    loader=DictLoader({"base": _BASE, "table": _TABLE, "sign-in": _SIGN_IN, "index": _INDEX}),
    autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
)
ENV.globals["sort_script"] = Markup(SORT_SCRIPT)
