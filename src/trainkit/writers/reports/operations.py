"""Operations reports: attendance rates, program delivery, instructor utilization.

CSV files list one row per fact with machine column names; the HTML pages
group the rows under their program, cohort or instructor, by title, with
a chart that reads at a glance.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trainkit.model import Academy
from trainkit.writers import charts
from trainkit.writers.reports.formats import page, write_csv, write_html
from trainkit.writers.reports.html import day, month, month_words, percent, table, titled


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


def _program_of(academy: Academy, cohort_id: str) -> str:
    cohort = academy.cohorts.get(cohort_id)
    return cohort.program if cohort else ""


def _title(academy: Academy, kind: str, ident: str) -> str:
    found: Any = getattr(academy, kind).get(ident)
    return str(getattr(found, "title", None) or getattr(found, "name", None) or ident)


def _attendance_tables(academy: Academy, per_session: list[list[object]],
                       per_cohort: list[list[object]]) -> list[dict[str, Any]]:
    """One section per program (its cohorts), then one per cohort (its sessions)."""
    locale = academy.settings.locale
    tables = []
    per_program: dict[str, list[list[object]]] = defaultdict(list)
    for r in per_cohort:
        per_program[_program_of(academy, str(r[0]))].append(r)
    for program, mine in per_program.items():
        rows = [[titled(_title(academy, "cohorts", str(r[0])), str(r[0])), r[1], r[2], r[3],
                 percent(str(r[4]))] for r in mine]
        tables.append(table(("cohort", "sessions", "possible", "attended", "rate"), rows,
                            title=f"Per cohort: {_title(academy, 'programs', program)}",
                            secondary=program))
    sessions = {s.key: s for c in academy.cohorts.values() for s in c.sessions}
    per_cohort_sessions: dict[str, list[list[object]]] = defaultdict(list)
    for r in per_session:
        per_cohort_sessions[str(r[0]).split("/")[0]].append(r)
    for cohort_id, held in per_cohort_sessions.items():
        rows = []
        for r in held:
            s = sessions[str(r[0])]
            rows.append([titled(s.title, s.id), day(s.start.date(), locale), r[2], r[3], r[4],
                         percent(str(r[5]))])
        program = _title(academy, "programs", _program_of(academy, cohort_id))
        tables.append(table(("session", "date", "enrolled", "attended", "make_ups", "rate"),
                            rows, title=f"{program}: {_title(academy, 'cohorts', cohort_id)}",
                            secondary=cohort_id))
    return tables


def write_attendance(academy: Academy, out: Path, as_of: datetime) -> None:
    per_session, per_cohort = attendance_rates(academy, as_of)
    write_csv(out / "attendance.csv", ("session", "date", "enrolled", "attended", "make_ups",
                                       "rate"), per_session)
    write_csv(out / "attendance-cohorts.csv", ("cohort", "sessions", "possible", "attended",
                                               "rate"), per_cohort)
    titles = [_title(academy, "cohorts", str(r[0])) for r in per_cohort]
    # Two programs may each run a "London, March 2026": then the bar names its id too.
    labels = [t if titles.count(t) == 1 else f"{t} ({r[0]})"
              for t, r in zip(titles, per_cohort, strict=True)]
    chart = charts.bars(labels,
                        {"attendance": [float(str(r[4]).rstrip("%") or 0) for r in per_cohort]},
                        title="Attendance rate per cohort", ylabel="attended (%)",
                        xlabel="cohort", percent=True)
    write_html(out / "attendance.html", "table",
               intro="Sessions that have ended, as of the build. Make-ups are learners of other "
                     "cohorts who came to make up a session; they do not count in the rate.",
               charts=[Markup(chart)], tables=_attendance_tables(academy, per_session,
                                                                 per_cohort),
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
    year, mon = int(given[0][:4]), int(given[0][5:])
    if (int(given[-1][:4]) - year) * 12 + int(given[-1][5:]) - mon >= MAX_MONTHS:
        return given
    out = []
    while f"{year:04d}-{mon:02d}" <= given[-1]:
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
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
    locale = academy.settings.locale
    months = month_range({str(r[1]) for r in rows})
    series = {k: [float(sum(int(str(r[i])) for r in rows if r[1] == m)) for m in months]
              for k, i in (("delivered", 3), ("cancelled", 4), ("upcoming", 5))}
    chart = charts.bars([month_words(m, locale) for m in months], series,
                        title="Sessions per month", ylabel="sessions",
                        xlabel="month of the session")
    tables = [table(header[1:], [[month(str(r[1]), locale), *r[2:]] for r in rows
                                 if r[0] == program],
                    title=_title(academy, "programs", program), secondary=program)
              for program in dict.fromkeys(str(r[0]) for r in rows)]
    write_html(out / "delivery.html", "table", intro="", charts=[Markup(chart)],
               tables=tables, **page(academy, as_of, "Program delivery"))


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
    for (ident, mon), (scheduled, delivered) in sorted(hours.items()):
        inst = academy.instructors.get(ident)
        weekly = inst.max_hours_per_week if inst else None
        year, m = int(mon[:4]), int(mon[5:])
        cap = weekly * calendar.monthrange(year, m)[1] / 7 if weekly else None
        rows.append([ident, inst.name if inst else ident, mon, round(scheduled, 2),
                     round(delivered, 2), "" if weekly is None else weekly,
                     "" if cap is None else round(cap, 1), _rate(scheduled, cap or 0)])
    return rows


UTILIZATION_HEADER = ("instructor", "name", "month", "scheduled_hours", "delivered_hours",
                      "max_hours_per_week", "monthly_max", "utilization")


CHART_ROWS = 40


def utilization_charts(rows: list[list[object]], locale: str) -> list[str]:
    """Instructors x months, each cell the share of the month's maximum (hours when the
    instructor has no maximum): one glance shows who is busy when, and who is over.

    Instructors by name, in charts of at most :data:`CHART_ROWS` each (as even as they
    can be), each titled with its first and last name: a chart of hundreds of rows can't
    be read on a page. Every chart has the same months and the same colour scale, so a
    colour means the same in each; and a change to one instructor's hours draws only
    that instructor's chart again (the others come from the build cache).
    """
    if not rows:
        return []
    months = month_range({str(r[2]) for r in rows})
    names: dict[str, str] = {}
    for r in rows:
        names.setdefault(str(r[0]), str(r[1]))
    people = sorted(names, key=lambda ident: (names[ident].lower(), ident))
    counts = Counter(names.values())
    # Two instructors of the same name: each row names its id too.
    shown = {i: names[i] if counts[names[i]] == 1 else f"{names[i]} ({i})" for i in people}
    row_of = {ident: y for y, ident in enumerate(people)}
    column_of = {m: x for x, m in enumerate(months)}
    values: list[list[float | None]] = [[None] * len(months) for _ in people]
    labels = [[""] * len(months) for _ in people]
    for r in rows:
        y, x = row_of[str(r[0])], column_of[str(r[2])]
        share = str(r[7]).rstrip("%")
        values[y][x] = float(share) if share else None
        labels[y][x] = f"{float(share):.0f}%" if share else f"{r[3]:g} h"
    columns = [month_words(m, locale) for m in months]
    title = "Scheduled hours as % of monthly maximum"
    groups = -(-len(people) // CHART_ROWS)
    size = -(-len(people) // groups)
    out = []
    for start in range(0, len(people), size):
        part = slice(start, start + size)
        first, last = shown[people[part][0]], shown[people[part][-1]]
        out.append(charts.heatmap(
            [shown[i] for i in people[part]], columns, values[part], labels=labels[part],
            title=title if groups == 1 else f"{title}: {first} – {last}",
            colorbar="scheduled / maximum (%)", xlabel="month", vmax=100.0))
    return out


def write_utilization(academy: Academy, out: Path, as_of: datetime) -> None:
    rows = utilization(academy, as_of)
    write_csv(out / "utilization.csv", UTILIZATION_HEADER, rows)
    locale = academy.settings.locale
    tables = []
    per_instructor: dict[str, list[list[object]]] = defaultdict(list)
    for r in rows:
        per_instructor[str(r[0])].append(r)
    for ident, mine in per_instructor.items():
        weekly = mine[0][5]
        tables.append(table(
            ("month", "scheduled_hours", "delivered_hours", "monthly_max", "utilization"),
            [[month(str(r[2]), locale), r[3], r[4], r[6], percent(str(r[7]))] for r in mine],
            title=str(mine[0][1]),
            secondary=f"{ident} · at most {weekly} hours a week" if weekly != "" else ident))
    write_html(out / "utilization.html", "table",
               intro="Monthly maximum = maximum hours a week × days in the month / 7. "
                     "Red cells are over the maximum; grey cells, instructors without one "
                     "(their hours are shown).",
               charts=[Markup(c) for c in utilization_charts(rows, locale)],
               tables=tables, **page(academy, as_of, "Instructor utilization"))
