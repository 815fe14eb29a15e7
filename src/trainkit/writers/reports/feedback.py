"""``reports/feedback/``: survey responses per cohort, program and instructor.

Layout::

    reports/feedback/index.html                          every group of every survey
    reports/feedback/<survey>.csv                        one row per group and question
    reports/feedback/<survey>/<kind>/<id>.{html,json}    kind: cohorts, programs, instructors

A page shows the response rate, a chart of each rating, NPS and choice
question's distribution, the mean and NPS, and the free-text comments. A
group with fewer responses than ``feedback.min_responses`` shows counts
only (:mod:`trainkit.outcomes.feedback` leaves its questions out), so no
single respondent can be identified. Responses are private: ``ctx.private``
only.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trainkit.model import Academy
from trainkit.outcomes.feedback import (
    COHORT,
    INSTRUCTOR,
    PROGRAM,
    Feedback,
    FeedbackGroup,
    QuestionSummary,
)
from trainkit.writers import charts
from trainkit.writers.reports.formats import page, write_csv, write_html, write_json
from trainkit.writers.reports.html import Cell, table, titled

FOLDERS = {COHORT: "cohorts", PROGRAM: "programs", INSTRUCTOR: "instructors"}
CSV_HEADER = ("kind", "id", "responses", "invited", "response_rate", "below_minimum",
              "question", "type", "answered", "mean", "nps", "distribution")


def write_feedback(academy: Academy, feedback: Feedback, out: Path,
                   as_of: datetime) -> list[tuple[str, str]]:
    """Write ``reports/feedback/`` from ``summarize(academy, as_of)``; the links for the
    reports index (none without responses)."""
    groups = feedback.groups()
    if not groups:
        return []
    folder = out / "feedback"
    for sid in sorted({g.survey.id for g in groups}):
        mine = [g for g in groups if g.survey.id == sid]
        write_csv(folder / f"{sid}.csv", CSV_HEADER, [r for g in mine for r in csv_rows(g)])
        for g in mine:
            _write_group(academy, g, folder, as_of)
    write_html(folder / "index.html", "table", charts=[],
               intro=f"Responses to each survey, per cohort, program and instructor. A group "
                     f"with fewer than {academy.settings.feedback.min_responses} responses "
                     "shows counts only, so that no respondent can be identified.",
               tables=[_index_table(academy, sid, [g for g in groups if g.survey.id == sid])
                       for sid in sorted({g.survey.id for g in groups})],
               **page(academy, as_of, "Feedback", up="../"))
    return [("feedback/index.html", "Feedback per cohort, program and instructor "
             "(also CSV per survey)")]


def _name(academy: Academy, g: FeedbackGroup) -> str:
    if g.kind == COHORT:
        cohort = academy.cohorts[g.key]
        program = academy.programs.get(cohort.program)
        return f"{program.title if program else cohort.program}, {cohort.title}"
    if g.kind == PROGRAM:
        return academy.programs[g.key].title if g.key in academy.programs else g.key
    person = academy.instructors.get(g.key)
    return person.name if person else g.key


def _rate(g: FeedbackGroup) -> str:
    return "" if g.response_rate is None else f"{g.response_rate * 100:.0f}%"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _distribution(s: QuestionSummary) -> str:
    return ";".join(f"{v}={n}" for v, n in s.counts)


def csv_rows(g: FeedbackGroup) -> list[list[object]]:
    """The group's rows for ``<survey>.csv``: counts only when it is below the minimum."""
    head = [g.kind, g.key, g.responses, g.invited, _rate(g),
            "yes" if g.below_minimum else "no"]
    if g.below_minimum:
        return [[*head, "", "", "", "", "", ""]]
    return [[*head, s.question.id, s.question.type, s.answered, _number(s.mean),
             _number(s.nps), _distribution(s)] for s in g.questions]


def _group_json(g: FeedbackGroup) -> dict[str, Any]:
    return {
        "survey": g.survey.id, "kind": g.kind, "id": g.key, "responses": g.responses,
        "invited": g.invited, "response_rate": g.response_rate,
        "below_minimum": g.below_minimum, "min_responses": g.min_responses,
        "questions": [{"id": s.question.id, "text": s.question.text, "type": s.question.type,
                       "answered": s.answered, "distribution": dict(s.counts),
                       "mean": s.mean, "nps": s.nps, "comments": list(s.comments)}
                      for s in g.questions],
    }


def _write_group(academy: Academy, g: FeedbackGroup, folder: Path, as_of: datetime) -> None:
    base = folder / g.survey.id / FOLDERS[g.kind] / g.key
    write_json(base.with_suffix(".json"), _group_json(g))
    asked = f"{g.responses} response(s) from {g.invited} learner(s) asked"
    rate = f" ({_rate(g)})" if g.invited else ""
    if g.below_minimum:
        intro = (f"{asked}{rate}. Fewer than {g.min_responses} responses: only counts are "
                 "shown, so that no respondent can be identified.")
    else:
        intro = f"{asked}{rate}."
    summary = [[titled(s.question.text, s.question.id), s.answered, _number(s.mean), _number(s.nps),
                ", ".join(f"{v}: {n}" for v, n in s.counts)]
               for s in g.questions if s.question.type != "text"]
    tables = [table(["question", "answered", "mean", "nps", "distribution"], summary,
                    title="Answers")] if summary else []
    tables += [table(["comment"], [[c] for c in s.comments], title=s.question.text,
                     empty="No comments.")
               for s in g.questions if s.question.type == "text"]
    write_html(base.with_suffix(".html"), "table", intro=intro, tables=tables,
               charts=[_chart(s) for s in g.questions if s.counts],
               **page(academy, as_of, f"{g.survey.title}: {_name(academy, g)}", up="../../../"))


def _chart(s: QuestionSummary) -> Markup:
    q = s.question
    labels = [v for v, _ in s.counts]
    if q.labels and q.scaled:
        labels[0] = f"{labels[0]} {q.labels[0]}"
        labels[-1] = f"{labels[-1]} {q.labels[-1]}"
    return Markup(charts.bars(labels, {"responses": [n for _, n in s.counts]}, title=q.text,
                              ylabel="responses", whole=True))


def _index_table(academy: Academy, sid: str, groups: list[FeedbackGroup]) -> dict[str, Any]:
    survey = groups[0].survey
    scaled = [q for q in survey.questions if q.scaled]
    header = ["group", "name", "responses", "invited", "response_rate",
              *(f"{q.id} (mean)" for q in scaled),
              *(f"{q.id} (NPS)" for q in scaled if q.type == "nps")]
    rows = []
    for g in groups:
        stats = {s.question.id: s for s in g.questions}
        href = f"{sid}/{FOLDERS[g.kind]}/{g.key}.html"
        means = [_number(stats[q.id].mean) if q.id in stats else "" for q in scaled]
        nps = [_number(stats[q.id].nps) if q.id in stats else ""
               for q in scaled if q.type == "nps"]
        rows.append([g.kind, titled(_name(academy, g), g.key, href=href), g.responses,
                     g.invited, Cell(_rate(g), css="num"), *means, *nps])
    return table(header, rows, title=survey.title, secondary=sid)
