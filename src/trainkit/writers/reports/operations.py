"""Operations reports: attendance rates, sessions delivered per month, instructor utilization.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from trainkit.model import Academy
from trainkit.writers import charts
from trainkit.writers.reports.formats import page, table, write_csv, write_html

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
