"""Private reports in ``reports/``: completion, rosters, sign-in sheets, operations.

Everything here names learners, so it is written to ``ctx.private`` only,
never to the public site. Layout::

    reports/index.html                       links to everything below
    reports/completion/<cohort>.{csv,json,html}
    reports/completion/programs/<program>.{csv,json,html}
    reports/rosters/<cohort>.csv             every enrollment with contact details
    reports/sign-in/<cohort>.html            one printable page per session
    reports/attendance.{csv,html}            rate per session and per cohort
    reports/delivery.{csv,html}              sessions planned/delivered/cancelled by month
    reports/utilization.{csv,html}           instructor hours by month vs. their maximum

Completion is evaluated as of the build epoch (``ctx.epoch``). Every CSV cell
that a spreadsheet would run as a formula is neutralised with a leading
``'``; every HTML value is escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from trainkit import charts
from trainkit.certificates import issue
from trainkit.completion import Outcome, by_status, evaluate
from trainkit.csvtext import csv_text, safe_cell
from trainkit.model import Academy, Cohort, Session

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


# ---------------------------------------------------------------- the writer


def write(ctx: Any) -> None:
    """Write every private report for ``ctx.academy`` into ``ctx.private``."""
    academy: Academy = ctx.academy
    out: Path = ctx.private
    as_of: datetime = ctx.epoch
    outcomes = evaluate(academy, as_of)
    certs = {(c.cohort, c.learner): c.id for c in issue(academy, outcomes, ctx.secret)}
    links: list[tuple[str, list[tuple[str, str]]]] = []
    links.append(("Completion", write_completion(academy, outcomes, certs, out, as_of)))
    links.append(("Rosters and sign-in sheets", write_rosters(academy, out, as_of)))
    links.append(("Operations", write_operations(academy, out, as_of)))
    # Written by the certificates writer, which runs in every build.
    links.append(("Certificates", [("recertification.html", "Recertification (expired or "
                                    "expiring within 90 days)"),
                                   ("certificates/index.csv", "All certificates (CSV)")]))
    write_html(out / "index.html", "index", sections=links, home=True,
               **page(academy, as_of, f"{academy.settings.name}: reports"))


COMPLETION_HEADER = ("cohort", "program", "learner", "name", "organisation", "status",
                     "reason", "attendance", "completed_on", "certificate")


def _completion_rows(academy: Academy, outcomes: Iterable[Outcome],
                     certs: dict[tuple[str, str], str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for o in outcomes:
        person = academy.learners.get(o.learner)
        share = "" if o.attendance_share is None else f"{o.attendance_share * 100:.0f}%"
        rows.append([o.cohort, o.program, o.learner, person.name if person else "",
                     (person.organisation or "") if person else "", o.status, o.reason, share,
                     o.completed_on.isoformat() if o.completed_on else "",
                     certs.get((o.cohort, o.learner), "")])
    return rows


def write_completion(academy: Academy, outcomes: list[Outcome], certs: dict[tuple[str, str], str],
                     out: Path, as_of: datetime) -> list[tuple[str, str]]:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[("", o.cohort)].append(o)
        groups[("programs/", o.program)].append(o)
    links = []
    for (folder, ident), items in sorted(groups.items()):
        rows = _completion_rows(academy, items, certs)
        base = out / "completion" / f"{folder}{ident}"
        write_csv(base.with_suffix(".csv"), COMPLETION_HEADER, rows)
        write_json(base.with_suffix(".json"), {
            "as_of": as_of.isoformat(), "counts": by_status(items),
            "learners": [dict(zip(COMPLETION_HEADER, r, strict=True)) for r in rows],
        })
        what = "Program" if folder else "Cohort"
        title = f"{what} {ident}: completion"
        counts = ", ".join(f"{k} {v}" for k, v in by_status(items).items())
        write_html(base.with_suffix(".html"), "table", intro=counts, charts=[],
                   tables=[table(COMPLETION_HEADER, rows, status_col=5,
                                 link=(9, "../" * (folder.count("/") + 1) + "certificates/"))],
                   **page(academy, as_of, title, up="../" * (folder.count("/") + 1)))
        links.append((f"completion/{folder}{ident}.html", title))
    return links


def _where(academy: Academy, s: Session) -> str:
    if s.online and not s.venue:
        return "online"
    venue = academy.venues.get(s.venue or "")
    name = venue.name if venue else (s.venue or "")
    found = venue.room(s.room) if venue and s.room else None
    room = found.name if found else (s.room or "")
    return ", ".join(p for p in (name, room) if p)


# Make-up attendees from other cohorts cannot be known when the sheet is printed.
SIGN_IN_BLANK_ROWS = 3


def write_rosters(academy: Academy, out: Path, as_of: datetime) -> list[tuple[str, str]]:
    links = []
    header = ("cohort", "learner", "name", "email", "organisation", "status", "enrolled_on")
    for cohort in academy.cohorts.values():
        rows = []
        for e in sorted(cohort.enrollments, key=lambda e: e.learner):
            p = academy.learners.get(e.learner)
            rows.append([cohort.id, e.learner, p.name if p else "", p.email if p else "",
                         (p.organisation or "") if p else "", e.status,
                         e.enrolled_on.isoformat() if e.enrolled_on else ""])
        write_csv(out / "rosters" / f"{cohort.id}.csv", header, rows)
        write_html(out / "sign-in" / f"{cohort.id}.html", "sign-in",
                   sheets=_sheets(academy, cohort), blank_rows=SIGN_IN_BLANK_ROWS,
                   **page(academy, as_of, f"Sign-in sheets: {cohort.title}", up="../"))
        links.append((f"rosters/{cohort.id}.csv", f"Roster {cohort.id} (CSV)"))
        links.append((f"sign-in/{cohort.id}.html", f"Sign-in sheets {cohort.id}"))
    return links


def _sheets(academy: Academy, cohort: Cohort) -> list[dict[str, Any]]:
    people = sorted(
        ((p.name, p.organisation or "") for e in cohort.active_enrollments()
         if (p := academy.learners.get(e.learner)) is not None),
    )
    program = academy.programs.get(cohort.program)
    sheets = []
    for s in cohort.sessions:
        if s.cancelled:
            continue
        names = [academy.instructors[i].name if i in academy.instructors else i
                 for i in s.instructors]
        sheets.append({
            "title": s.title, "program": program.title if program else cohort.program,
            "cohort": cohort.title, "when": f"{s.start:%A %d %B %Y, %H:%M}–{s.end:%H:%M} "
                                            f"({s.timezone})",
            "where": _where(academy, s), "instructors": ", ".join(names), "people": people,
        })
    return sheets


# ---------------------------------------------------------------- operations


def write_operations(academy: Academy, out: Path, as_of: datetime) -> list[tuple[str, str]]:
    write_attendance(academy, out, as_of)
    write_delivery(academy, out, as_of)
    write_utilization(academy, out, as_of)
    return [("attendance.html", "Attendance rates"), ("delivery.html", "Program delivery"),
            ("utilization.html", "Instructor utilization")]


def attendance_rates(academy: Academy, as_of: datetime
                     ) -> tuple[list[list[object]], list[list[object]]]:
    """Rows per session and per cohort: sessions that have ended, attended / enrolled.

    Attended means present or late; the denominator is the cohort's enrolled
    learners, so a learner without a row counts as absent. Learners of other
    cohorts making up the session are counted apart (``make_ups``): they are
    not in the denominator, so counting them as attended could pass 100%.
    """
    came: dict[str, set[str]] = defaultdict(set)
    for r in academy.attendance:
        if r.status in ("present", "late"):
            came[r.session].add(r.learner)
    per_session: list[list[object]] = []
    per_cohort: list[list[object]] = []
    for cohort in academy.cohorts.values():
        members = {e.learner for e in cohort.active_enrollments()}
        enrolled = len(members)
        done = [s for s in cohort.sessions if not s.cancelled and s.end <= as_of]
        total = 0
        for s in sorted(done, key=lambda s: (s.start, s.id)):
            here = came.get(s.key, set())
            n = len(here & members)
            total += n
            per_session.append([s.key, f"{s.start:%Y-%m-%d}", enrolled, n, len(here - members),
                                _rate(n, enrolled)])
        if done:
            possible = enrolled * len(done)
            per_cohort.append([cohort.id, len(done), possible, total, _rate(total, possible)])
    return per_session, per_cohort


def _rate(n: float, d: float) -> str:
    return f"{n / d * 100:.1f}%" if d else ""


def write_attendance(academy: Academy, out: Path, as_of: datetime) -> None:
    per_session, per_cohort = attendance_rates(academy, as_of)
    s_header = ("session", "date", "enrolled", "attended", "make_ups", "rate")
    c_header = ("cohort", "sessions", "possible", "attended", "rate")
    write_csv(out / "attendance.csv", s_header, per_session)
    write_csv(out / "attendance-cohorts.csv", c_header, per_cohort)
    chart = charts.bars([str(r[0]) for r in per_cohort],
                        {"attendance": [float(str(r[4]).rstrip("%") or 0) for r in per_cohort]},
                        title="Attendance rate per cohort", ylabel="attended (%)",
                        xlabel="cohort", percent=True)
    write_html(out / "attendance.html", "table", intro="Sessions that have ended, as of the build.",
               charts=[Markup(chart)], tables=[table(c_header, per_cohort, "Per cohort"),
                                               table(s_header, per_session, "Per session")],
               **page(academy, as_of, "Attendance"))


MAX_MONTHS = 120


def month_range(months: Iterable[str]) -> list[str]:
    """Every ``YYYY-MM`` from the first to the last given: a chart's time axis has no gaps.

    Over more than :data:`MAX_MONTHS` (a session planned decades ahead) only the
    given months: thousands of empty months would make a chart nobody can read
    and that takes minutes to draw.
    """
    given = sorted(months)
    if not given:
        return []
    year, month = int(given[0][:4]), int(given[0][5:])
    if (int(given[-1][:4]) - year) * 12 + int(given[-1][5:]) - month >= MAX_MONTHS:
        return given
    out = []
    while f"{year:04d}-{month:02d}" <= given[-1]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def write_delivery(academy: Academy, out: Path, as_of: datetime) -> None:
    """Sessions per program and month: planned (all), delivered, cancelled, upcoming."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for cohort in academy.cohorts.values():
        for s in cohort.sessions:
            row = counts[(cohort.program, f"{s.start:%Y-%m}")]
            row[0] += 1
            if s.cancelled or cohort.status == "cancelled":
                row[2] += 1
            elif s.end <= as_of:
                row[1] += 1
            else:
                row[3] += 1
    header = ("program", "month", "planned", "delivered", "cancelled", "upcoming")
    rows: list[list[object]] = [[p, m, *v] for (p, m), v in sorted(counts.items())]
    write_csv(out / "delivery.csv", header, rows)
    months = month_range({str(r[1]) for r in rows})
    series = {k: [float(sum(int(str(r[i])) for r in rows if r[1] == m)) for m in months]
              for k, i in (("delivered", 3), ("cancelled", 4), ("upcoming", 5))}
    chart = charts.bars(months, series, title="Sessions per month", ylabel="sessions",
                         xlabel="month of the session")
    write_html(out / "delivery.html", "table", intro="", charts=[Markup(chart)],
               tables=[table(header, rows)], **page(academy, as_of, "Program delivery"))


def utilization(academy: Academy, as_of: datetime) -> list[list[object]]:
    """Hours per instructor and month: scheduled, delivered, monthly maximum, share."""
    hours: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        for s in cohort.sessions:
            if s.cancelled:
                continue
            h = s.duration.total_seconds() / 3600
            for ident in s.instructors:
                cell = hours[(ident, f"{s.start:%Y-%m}")]
                cell[0] += h
                if s.end <= as_of:
                    cell[1] += h
    rows: list[list[object]] = []
    for (ident, month), (scheduled, delivered) in sorted(hours.items()):
        inst = academy.instructors.get(ident)
        weekly = inst.max_hours_per_week if inst else None
        year, mon = int(month[:4]), int(month[5:])
        cap = weekly * calendar.monthrange(year, mon)[1] / 7 if weekly else None
        rows.append([ident, inst.name if inst else ident, month, round(scheduled, 2),
                     round(delivered, 2), "" if weekly is None else weekly,
                     "" if cap is None else round(cap, 1), _rate(scheduled, cap or 0)])
    return rows


def write_utilization(academy: Academy, out: Path, as_of: datetime) -> None:
    rows = utilization(academy, as_of)
    header = ("instructor", "name", "month", "scheduled_hours", "delivered_hours",
              "max_hours_per_week", "monthly_max", "utilization")
    write_csv(out / "utilization.csv", header, rows)
    months = month_range({str(r[2]) for r in rows})
    series: dict[str, list[float]] = {}
    for r in rows:
        values = series.setdefault(str(r[1]), [0.0] * len(months))
        values[months.index(str(r[2]))] = float(str(r[7]).rstrip("%") or 0)
    chart = charts.lines(months, series, title="Scheduled hours as % of monthly maximum",
                         ylabel="scheduled / maximum (%)", xlabel="month", limit=100.0)
    write_html(out / "utilization.html", "table",
               intro="Monthly maximum = max_hours_per_week × days in month / 7.",
               charts=[Markup(chart)], tables=[table(header, rows)],
               **page(academy, as_of, "Instructor utilization"))
