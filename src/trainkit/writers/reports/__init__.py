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

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from trainkit.model import Academy, Cohort, Session
from trainkit.outcomes.certificates import issue
from trainkit.outcomes.completion import Outcome, by_status, evaluate
from trainkit.writers.reports.formats import page, table, write_csv, write_html, write_json
from trainkit.writers.reports.operations import write_operations

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
