"""Private practical-assessment reports: assessor checklists and results per cohort.

Layout (under ``reports/``)::

    assessments/checklists/<cohort>.html   one printable page per learner and assessment,
                                           for each session that hosts an assessment
    assessments/results/<cohort>.{csv,html} every attempt recorded for the cohort's learners
    assessments/sheets/<cohort>/…           the checklists as spreadsheets to fill in and
                                           import (see .assessment_sheets)

Learner names and results are private: this writes to ``ctx.private`` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from trainkit.model import Academy, Assessment, AssessmentResult, Cohort, Session
from trainkit.outcomes.assessments import attempt_passes, results_by_learner, standing
from trainkit.writers import places
from trainkit.writers.reports.assessment_sheets import write_sheets
from trainkit.writers.reports.formats import page, write_csv
from trainkit.writers.reports.html import ENV, day, long_day, table

_CHECKLIST = """{% extends "base" %}{% block body %}
<style>.box{width:6rem;text-align:center} div.sign{border:1px solid #ccc;width:100%;height:4rem}
</style>
{% for s in sheets %}<section class="sheet">
<h1>Assessor checklist: {{ s.assessment }}</h1>
<p><strong>{{ s.program }}</strong> · {{ s.cohort }} · {{ s.session }}<br>{{ s.when }}
{%- if s.where %} · {{ s.where }}{% endif %}</p>
<p>Learner: <strong>{{ s.learner }}</strong>{% if s.organisation %} ({{ s.organisation }})
{%- endif %} <span class="id">{{ s.learner_id }}</span><br>
Attempt: ______ of {{ s.attempts }} allowed · Assessor qualification: {{ s.qualification }}</p>
<table><thead><tr><th>Criterion</th>{% for level in s.levels %}<th class="box">{{ level }}
{%- if level in s.passing %} ✓{% endif %}</th>{% endfor %}</tr></thead><tbody>
{% for c in s.criteria %}<tr><td>{{ c[0] }}{% if c[1] %} <strong>(critical)</strong>
{%- endif %} <span class="id">{{ c[2] }}</span></td>
{% for level in s.levels %}<td class="box">☐</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<p>Overall: ☐ pass ☐ fail · Evidence reference: ____________________</p>
<p class="muted">✓ marks the levels that pass. The assessment is passed only when every
critical criterion reaches a passing level.</p>
<p>Feedback to the learner:</p><div class="sign"></div>
<table><tbody>
<tr><td>Assessor (name)</td><td class="sign"></td><td>Signature</td><td class="sign"></td></tr>
<tr><td>Learner</td><td class="sign"></td><td>Date</td><td class="sign"></td></tr>
</tbody></table></section>
{% endfor %}{% if not sheets %}<p class="muted">No session of this cohort hosts an
assessment.</p>{% endif %}{% endblock %}"""

RESULTS_HEADER = ("cohort", "learner", "name", "assessment", "attempt", "date", "assessor",
                  "results", "overall", "counts", "evidence", "note")
Links = list[tuple[str, str]]


def write_assessments(academy: Academy, out: Path, as_of: datetime) -> dict[str, Links]:
    """Write checklists and results for every cohort of a program with assessments.

    Returns, per cohort, the links for the reports index.
    """
    attempts = results_by_learner(academy)
    links: dict[str, Links] = {}
    for cohort in academy.cohorts.values():
        program = academy.programs.get(cohort.program)
        if program is None or not program.assessments or cohort.status == "cancelled":
            continue
        folder = out / "assessments"
        _html(folder / "checklists" / f"{cohort.id}.html", _CHECKLIST,
              sheets=checklist_sheets(academy, cohort),
              **page(academy, as_of, f"Assessor checklists: {cohort.title}", up="../../"))
        rows = _result_rows(academy, cohort, attempts)
        write_csv(folder / "results" / f"{cohort.id}.csv", RESULTS_HEADER, rows)
        _html(folder / "results" / f"{cohort.id}.html", "table",
              tables=_result_tables(academy, cohort, program.assessments, attempts),
              intro="Every attempt recorded, then where each learner stands.", charts=[],
              **page(academy, as_of, f"Assessment results: {cohort.title}", up="../../"))
        links[cohort.id] = [(f"assessments/checklists/{cohort.id}.html", "assessor checklists"),
                            *write_sheets(academy, cohort, folder / "sheets", as_of),
                            (f"assessments/results/{cohort.id}.html", "assessment results")]
    return links


def _html(path: Path, template: str, **context: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tpl = ENV.from_string(_CHECKLIST) if template == _CHECKLIST else ENV.get_template(template)
    path.write_text(tpl.render(**context), encoding="utf-8", newline="\n")


def checklist_sheets(academy: Academy, cohort: Cohort) -> list[dict[str, Any]]:
    """One sheet per (session hosting an assessment, assessment, learner), in that order."""
    program = academy.programs[cohort.program]
    people = sorted((p.name, p.organisation or "", p.id) for e in cohort.active_enrollments()
                    if (p := academy.learners.get(e.learner)) is not None)
    sheets = []
    for s in cohort.sessions:
        for a in (a for a in program.assessments if a.session == s.template):
            if s.cancelled:
                continue
            head = _sheet_head(academy, program.title, cohort, s, a)
            sheets += [{**head, "learner": name, "organisation": org, "learner_id": ident}
                       for name, org, ident in people]
    return sheets


def _sheet_head(academy: Academy, program: str, cohort: Cohort, s: Session,
                a: Assessment) -> dict[str, Any]:
    venue = academy.venues.get(s.venue or "")
    return {
        "assessment": a.title, "program": program, "cohort": cohort.title, "session": s.title,
        "when": f"{long_day(s.start.date(), academy.settings.locale)}, "
                f"{s.start:%H:%M}–{s.end:%H:%M} {places.zone_label(s.start)}",
        "where": venue.name if venue else "", "attempts": a.attempts,
        "qualification": a.qualification, "levels": a.levels, "passing": a.passing,
        "criteria": [(c.title, c.critical, c.id) for c in a.criteria],
    }


def _cohort_results(academy: Academy, cohort: Cohort,
                    attempts: dict[tuple[str, str], list[AssessmentResult]]
                    ) -> Iterable[tuple[str, Assessment, list[AssessmentResult]]]:
    """(learner, assessment, attempts) for every enrolled learner and assessment."""
    program = academy.programs[cohort.program]
    for learner in sorted(e.learner for e in cohort.active_enrollments()):
        for a in program.assessments:
            yield learner, a, attempts.get((learner, a.key), [])


def _name(academy: Academy, learner: str) -> str:
    p = academy.learners.get(learner)
    return p.name if p else learner


def _result_rows(academy: Academy, cohort: Cohort,
                 attempts: dict[tuple[str, str], list[AssessmentResult]]) -> list[list[object]]:
    return [[cohort.id, learner, _name(academy, learner), a.key, r.attempt, r.on.isoformat(),
             r.assessor, ";".join(f"{c}={lv}" for c, lv in r.results), r.overall,
             "yes" if attempt_passes(a, r) else "no", r.evidence, r.note]
            for learner, a, rows in _cohort_results(academy, cohort, attempts) for r in rows]


def _result_tables(academy: Academy, cohort: Cohort, assessments: Iterable[Assessment],
                   attempts: dict[tuple[str, str], list[AssessmentResult]]) -> list[Any]:
    tables = []
    for a in assessments:
        header = ["learner", "attempt", "date", "assessor", *(c.title for c in a.criteria),
                  "overall", "evidence", "note"]
        rows, standings = [], []
        for learner, b, done in _cohort_results(academy, cohort, attempts):
            if b is not a:
                continue
            for r in done:
                levels = dict(r.results)
                rows.append([_name(academy, learner), r.attempt,
                             day(r.on, academy.settings.locale), r.assessor,
                             *(levels.get(c.id, "") for c in a.criteria), r.overall,
                             r.evidence, r.note])
            s = standing(a, done)
            standings.append([_name(academy, learner), "passed" if s.passed else s.reason,
                              s.attempts])
        attempts_table = table(header, rows, title=f"{a.title}: attempts", secondary=a.key,
                               empty="No results recorded yet.")
        # criterion titles are shown as written, not as machine column names
        attempts_table["header"][4:4 + len(a.criteria)] = [c.title for c in a.criteria]
        tables.append(attempts_table)
        tables.append(table(["learner", "standing", "attempts"], standings,
                            title=f"{a.title}: standing"))
    return tables
