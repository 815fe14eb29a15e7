"""Private reports in ``reports/``: completion, rosters, sign-in sheets, operations.

Everything here names learners, so it is written to ``ctx.private`` only,
never to the public site. Layout::

    reports/index.html                       links to everything below
    reports/completion/<cohort>.{csv,json,html}
    reports/completion/programs/<program>.{csv,json,html}
    reports/rosters/<cohort>.csv             every enrollment with contact details
    reports/sign-in/<cohort>.html            one printable page per session
    reports/assessments/                     assessor checklists and results (see .assessments)
    reports/effectiveness/<program>.html     reaction, learning, completion over time (see
                                             .effectiveness)
    reports/attendance.{csv,html}            rate per session and per cohort
    reports/delivery.{csv,html}              sessions planned/delivered/cancelled by month
    reports/utilization.{csv,html}           instructor hours by month vs. their maximum
    reports/skills/                          gaps, roll-ups, coverage, overrides (see .skills)
    reports/finance/                         receivables, revenue, margins, statements
    reports/clients/<organisation>/          a pack to send to each client (see .clients)
    reports/feedback/                        survey responses per cohort, program, instructor

Completion is evaluated as of the build epoch (``ctx.epoch``). Every CSV cell
that a spreadsheet would run as a formula is neutralised with a leading
``'``; every HTML value is escaped by Jinja2's autoescape. The CSV and JSON
files keep machine column names; the HTML pages are laid out for people by
:mod:`trainkit.writers.reports.html`; :mod:`~trainkit.writers.reports.formats` writes the
files and :mod:`~trainkit.writers.reports.operations` the operations reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from trainkit.load import usercache
from trainkit.model import Academy, Cohort, Session
from trainkit.outcomes.certificates import issue
from trainkit.outcomes.completion import Outcome, by_status, evaluate
from trainkit.outcomes.feedback import summarize
from trainkit.writers import memo, places
from trainkit.writers.heap import collect_seldom
from trainkit.writers.reports.assessments import write_assessments
from trainkit.writers.reports.clients import write_clients
from trainkit.writers.reports.effectiveness import write_effectiveness
from trainkit.writers.reports.feedback import write_feedback
from trainkit.writers.reports.finance import write_finance
from trainkit.writers.reports.formats import (
    Encoded,
    csv_report,
    html_report,
    json_text,
    page,
    write_html,
    write_scoped,
)
from trainkit.writers.reports.html import (
    STATUS_WORDS,
    Cell,
    day,
    long_day,
    percent,
    status,
    table,
    titled,
)
from trainkit.writers.reports.operations import write_operations
from trainkit.writers.reports.skills import write_skills
from trainkit.writers.scope import CohortScope
from trainkit.writers.units import keyed, made_of, spread

Links = list[tuple[str, str]]
# An index section: a heading, the id beside it, then lines of links (the first link of a
# line names it; the others follow it).
Section = tuple[str, str, list[Links]]


def write(ctx: Any) -> None:
    """Write every private report for ``ctx.academy`` into ``ctx.private``.

    A page whose values are those of the last build is taken over from it
    (:func:`trainkit.writers.units.keyed`): a cohort's sign-in sheets or
    completion page are made again only when what they show changed. Charts
    are kept in the build cache by what they show (:mod:`trainkit.writers.memo`).
    """
    with (keyed(ctx, "reports"), memo.kept_in(memo.memo_folder(ctx.cache), usercache.toolchain),
          collect_seldom()):
        _write(ctx)


def _write(ctx: Any) -> None:
    academy: Academy = ctx.academy
    out: Path = ctx.private
    as_of: datetime = ctx.epoch
    outcomes = evaluate(academy, as_of)
    issued = issue(academy, outcomes, ctx.secret)
    certs = {(c.cohort, c.learner): c.id for c in issued}
    feedback = summarize(academy, as_of)  # read by the feedback and effectiveness pages
    completion = write_completion(academy, outcomes, certs, out, as_of)
    write_rosters(academy, out, as_of, CohortScope(ctx, "reports"))
    sections = _program_sections(academy, completion, write_assessments(academy, out, as_of),
                                 write_effectiveness(academy, outcomes, certs, feedback, out,
                                                     as_of))
    sections.append(("Operations", "", [[link] for link in write_operations(academy, out,
                                                                            as_of)]))
    feedback_links = write_feedback(academy, feedback, out, as_of)
    if feedback_links:
        sections.append(("Feedback", "", [[link] for link in feedback_links]))
    skills = write_skills(academy, outcomes, out, as_of)
    if skills:
        sections.append(("Skills", "", [[link] for link in skills]))
    finance = write_finance(academy, out, as_of)
    if finance:
        sections.append(("Finance", "", [[link] for link in finance]))
    clients = write_clients(academy, outcomes, issued, out, as_of)
    if clients:  # each pack, and the organisation's statement when finance was written
        sections.append(("Client reports", "", [
            [link, *([(f"finance/statements/{link[0].split('/')[1]}.html", "statement")]
                     if finance else [])] for link in clients]))
    # Written by the certificates writer, which runs in every build.
    sections.append(("Certificates", "", [
        [("recertification.html", "Recertification (expired or expiring within 90 days)")],
        [("certificates/index.csv", "All certificates (CSV)")]]))
    write_html(out / "index.html", "index", sections=sections, home=True,
               **page(academy, as_of, f"{academy.settings.name}: reports"))


def _program_sections(academy: Academy, completion: set[str], assessed: dict[str, Links],
                      effectiveness: dict[str, Links]) -> list[Section]:
    """One section per program: its completion page, then a line per cohort with the
    cohort's completion page (when it has learners), roster, sign-in sheets and, where
    its program has practical assessments, the checklists and results."""
    sections: list[Section] = []
    for program, cohorts in _by_program(academy, academy.cohorts).items():
        lines: list[Links] = []
        if program in completion:
            lines.append([(f"completion/programs/{program}.html", "Completion, all cohorts")])
        if program in effectiveness:
            lines.append(effectiveness[program])
        for c in cohorts:
            line = [(f"completion/{c.id}.html", "completion")] if c.id in completion else []
            line += [(f"rosters/{c.id}.csv", "roster (CSV)"),
                     (f"sign-in/{c.id}.html", "sign-in sheets"), *assessed.get(c.id, [])]
            lines.append([(line[0][0], f"{c.title} ({c.id}): {line[0][1]}"), *line[1:]])
        sections.append((_program_title(academy, program), program, lines))
    return sections


def _by_program(academy: Academy, cohort_ids: Iterable[str]) -> dict[str, list[Cohort]]:
    """Cohorts under their program, programs and cohorts in title order."""
    groups: dict[str, list[Cohort]] = defaultdict(list)
    for cid in cohort_ids:
        cohort = academy.cohorts[cid]
        groups[cohort.program].append(cohort)
    order = sorted(groups, key=lambda p: (_program_title(academy, p).lower(), p))
    return {p: sorted(groups[p], key=lambda c: (c.start is None, c.start, c.id)) for p in order}


def _program_title(academy: Academy, ident: str) -> str:
    program = academy.programs.get(ident)
    return program.title if program else ident


COMPLETION_HEADER = ("cohort", "program", "learner", "name", "organisation", "status",
                     "reason", "attendance", "completed_on", "certificate")
COMPLETION_HTML = ("learner", "organisation", "status", "reason", "attendance", "completed_on",
                   "certificate")


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


def _completion_cells(academy: Academy, outcomes: Iterable[Outcome],
                      certs: dict[tuple[str, str], str], up: str) -> list[list[object]]:
    """The HTML rows: the learner by name with the id beside it, dates in words."""
    rows: list[list[object]] = []
    for o in outcomes:
        person = academy.learners.get(o.learner)
        cert = certs.get((o.cohort, o.learner), "")
        share = "" if o.attendance_share is None else f"{o.attendance_share * 100:.0f}%"
        rows.append([titled(person.name if person else o.learner, o.learner),
                     (person.organisation or "") if person else "", status(o.status), o.reason,
                     percent(share), day(o.completed_on, academy.settings.locale),
                     Cell(cert, href=f"{up}certificates/{cert}.html") if cert else ""])
    return rows


def _counts(items: Iterable[Outcome]) -> str:
    return ", ".join(f"{STATUS_WORDS[k].lower()} {v}" for k, v in by_status(items).items())


def write_completion(academy: Academy, outcomes: list[Outcome], certs: dict[tuple[str, str], str],
                     out: Path, as_of: datetime) -> set[str]:
    """A page per cohort and per program (its cohorts as sections); returns their ids."""
    mine: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        mine[o.cohort].append(o)
    programs = _by_program(academy, mine)
    spread(lambda found: _program_completion(academy, *found, mine, certs, out, as_of),
           list(programs.items()))
    return {ident for program, cohorts in programs.items()
            for ident in (program, *(c.id for c in cohorts))}


def _program_completion(academy: Academy, program: str, cohorts: list[Cohort],
                        mine: dict[str, list[Outcome]], certs: dict[tuple[str, str], str],
                        out: Path, as_of: datetime) -> None:
    """A program's completion files, and each of its ``cohorts``' (``mine``: outcomes by
    cohort).

    A cohort's files (CSV, JSON, HTML) are made from its rows alone, with the
    program's and the cohort's titles, the moment and the settings' locale and
    name; the program's from its cohorts'. So each is keyed by those values
    (:func:`made_of`) before anything else is worked out: after an edit, only
    the cohorts whose rows changed, and their program, are made again.
    """
    title = _program_title(academy, program)
    settings = academy.settings
    moment = (as_of.isoformat(), settings.locale, settings.name)
    rows = {c.id: _completion_rows(academy, mine[c.id], certs) for c in cohorts}
    keys = {c.id: made_of("completion of a cohort", program, title, c.id, c.title, rows[c.id],
                          moment) for c in cohorts}
    encoded: dict[str, list[Encoded]] = {}

    def learners(cid: str) -> list[Encoded]:
        """Each learner's row as JSON once, for the cohort's file and the program's."""
        found = encoded.get(cid)
        if found is None:
            found = encoded[cid] = [
                Encoded(json_text(dict(zip(COMPLETION_HEADER, r, strict=True)), 2))
                for r in rows[cid]]
        return found

    base = out / "completion" / "programs" / program
    key = made_of("completion of a program", program, title,
                  [(c.id, c.title, keys[c.id]) for c in cohorts], moment)
    items = [o for c in cohorts for o in mine[c.id]]
    _write_completion_files(base, key, [r for c in cohorts for r in rows[c.id]],
                            lambda: [j for c in cohorts for j in learners(c.id)], items, as_of)
    write_scoped(base.with_suffix(".html"), key, lambda: html_report(
        "table", intro=f"{program} · {_counts(items)}", charts=[], tables=[
            table(COMPLETION_HTML, _completion_cells(academy, mine[c.id], certs, "../../"),
                  title=c.title, secondary=c.id) for c in cohorts],
        **page(academy, as_of, f"Completion: {title}", up="../../")))
    for c in cohorts:
        base = out / "completion" / c.id
        _write_completion_files(base, keys[c.id], rows[c.id], partial(learners, c.id),
                                mine[c.id], as_of)
        write_scoped(base.with_suffix(".html"), keys[c.id],
                     partial(_completion_page, academy, c, title, mine[c.id], certs, as_of))


def _completion_page(academy: Academy, cohort: Cohort, title: str, outcomes: list[Outcome],
                     certs: dict[tuple[str, str], str], as_of: datetime) -> str:
    return html_report(
        "table", intro=f"{title} ({cohort.program}) · cohort {cohort.id} · {_counts(outcomes)}",
        charts=[], tables=[table(COMPLETION_HTML, _completion_cells(academy, outcomes, certs,
                                                                    "../"))],
        **page(academy, as_of, f"Completion: {title} – {cohort.title}", up="../"))


def _write_completion_files(base: Path, key: str | None, rows: list[list[object]],
                            learners: Callable[[], list[Encoded]], items: list[Outcome],
                            as_of: datetime) -> None:
    """The CSV rows and, in the JSON, the same rows (``learners``: each encoded already),
    keyed by ``key`` (:func:`write_scoped`)."""
    write_scoped(base.with_suffix(".csv"), key, partial(csv_report, COMPLETION_HEADER, rows))
    write_scoped(base.with_suffix(".json"), key, lambda: json_text({
        "as_of": as_of.isoformat(), "counts": by_status(items), "learners": learners()}) + "\n")


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


def write_rosters(academy: Academy, out: Path, as_of: datetime, scope: CohortScope) -> None:
    """Each cohort's roster and sign-in sheets: made from the cohort and the files that
    are not cohorts (learners, instructors, venues), so ``scope`` keys them by those."""
    def one(cohort: Cohort) -> None:
        key = scope.key(cohort, "roster and sign-in sheets")
        write_scoped(out / "rosters" / f"{cohort.id}.csv", key,
                     partial(_roster, academy, cohort))
        write_scoped(out / "sign-in" / f"{cohort.id}.html", key,
                     partial(_sign_in, academy, cohort, as_of))

    spread(one, list(academy.cohorts.values()))


ROSTER_HEADER = ("cohort", "learner", "name", "email", "organisation", "status", "enrolled_on")


def _roster(academy: Academy, cohort: Cohort) -> str:
    rows = []
    for e in sorted(cohort.enrollments, key=lambda e: e.learner):
        p = academy.learners.get(e.learner)
        rows.append([cohort.id, e.learner, p.name if p else "", p.email if p else "",
                     (p.organisation or "") if p else "", e.status,
                     e.enrolled_on.isoformat() if e.enrolled_on else ""])
    return csv_report(ROSTER_HEADER, rows)


def _sign_in(academy: Academy, cohort: Cohort, as_of: datetime) -> str:
    # the learners once for the page (the same on each session's sheet)
    return html_report("sign-in", sheets=_sheets(academy, cohort),
                       people=_people(academy, cohort), blank_rows=SIGN_IN_BLANK_ROWS,
                       **page(academy, as_of, f"Sign-in sheets: {cohort.title}", up="../"))


def _people(academy: Academy, cohort: Cohort) -> list[tuple[str, str]]:
    """Who signs each sheet: the cohort's active learners, (name, organisation) by name."""
    return sorted(
        ((p.name, p.organisation or "") for e in cohort.active_enrollments()
         if (p := academy.learners.get(e.learner)) is not None),
    )


def _sheets(academy: Academy, cohort: Cohort) -> list[dict[str, Any]]:
    program = academy.programs.get(cohort.program)
    sheets = []
    for s in cohort.sessions:
        if s.cancelled:
            continue
        names = [academy.instructors[i].name if i in academy.instructors else i
                 for i in s.instructors]
        sheets.append({
            "title": s.title, "program": program.title if program else cohort.program,
            "cohort": cohort.title,
            "when": f"{long_day(s.start.date(), academy.settings.locale)}, "
                    f"{s.start:%H:%M}–{s.end:%H:%M} {places.zone_label(s.start)}",
            "where": _where(academy, s), "instructors": ", ".join(names),
        })
    return sheets
