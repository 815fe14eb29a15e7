"""Private effectiveness report: one page per program, its cohorts over time.

Layout (under ``reports/``)::

    effectiveness/<program>.html        reaction, learning, completion, certificates
    effectiveness/<program>.csv         one row per cohort (machine column names)
    effectiveness/<program>-items.csv   item analysis of the program's quizzes
    effectiveness/<program>-gains.csv   each learner's pre and post scores and gain

Cohorts run in time order (first session first), so each chart reads as a
trend. Figures come from :mod:`trainkit.outcomes.effectiveness` and
:mod:`trainkit.outcomes.items`; learner ids appear only in the gains file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy, Cohort, Program, Quiz
from trainkit.outcomes import effectiveness as eff
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.feedback import Feedback
from trainkit.outcomes.items import QuizItems, analyse_all
from trainkit.writers import charts
from trainkit.writers.reports.formats import page
from trainkit.writers.reports.html import ENV, Cell, table
from trainkit.writers.units import spread

# The "table" page's layout, with a heading per section; its cell macro is repeated
# because a Jinja macro cannot be imported from a template that extends another.
_PAGE = """{% extends "base" %}
{%- macro show(cell) -%}
{%- if cell.href is defined -%}
{%- if cell.href %}<a href="{{ cell.href }}">{{ cell.text }}</a>
{%- else %}{{ cell.text }}{% endif -%}
{%- if cell.secondary %} <span class="id">{{ cell.secondary }}</span>{% endif -%}
{%- else %}{{ cell }}{% endif -%}
{%- endmacro -%}
{% block body %}
<h1>{{ title }}</h1><p>{{ intro }}</p>
{% for s in sections %}<h2 id="{{ s.id }}">{{ s.heading }}</h2>
{% for note in s.notes %}<p{% if note.muted %} class="muted"{% endif %}>{{ note.text }}</p>
{% endfor %}{% for part in s.parts %}{% if part.chart %}<figure>{{ part.chart }}</figure>
{% endif %}{% set t = part.table %}{% if t %}{% if t.title %}<h3>{{ t.title }}
{%- if t.secondary %} <span class="id">{{ t.secondary }}</span>{% endif %}</h3>{% endif %}
{% if not t.rows %}<p class="muted">{{ t.empty }}</p>{% else %}
<table class="sortable"><thead><tr>{% for h in t.header %}<th>{{ h }}</th>{% endfor %}</tr>
</thead><tbody>
{% for row in t.rows %}<tr>{% for cell in row %}<td
{%- if cell.href is defined %}{% if cell.css %} class="{{ cell.css }}"{% endif %}
{%- if cell.sort is not none %} data-sort="{{ cell.sort }}"{% endif %}
{%- elif cell is number %} class="num"{% endif %}>{{ show(cell) }}</td>
{%- endfor %}</tr>
{% endfor %}</tbody></table>{% endif %}
{% for flag in part.flags %}<p>⚠ {{ flag }}</p>{% endfor %}{% endif %}{% endfor %}
{% endfor %}{% endblock %}
{% block script %}{{ sort_script }}{% endblock %}"""
_TEMPLATE = ENV.from_string(_PAGE)

COHORT_HEADER = ("program", "cohort", "start", "enrolled", "feedback_responses",
                 "feedback_score", "completed", "completion_rate", "certificates")
ITEMS_HEADER = ("quiz", "question", "points", "learners", "difficulty", "discrimination",
                "flags")
GAINS_HEADER = ("cohort", "learner", "pre_quiz", "post_quiz", "pre", "post", "raw_gain",
                "normalised_gain")
Links = list[tuple[str, str]]


def write_effectiveness(academy: Academy, outcomes: Sequence[Outcome],
                        certs: dict[tuple[str, str], str], feedback: Feedback, out: Path,
                        as_of: datetime) -> dict[str, Links]:
    """Write the pages of every program with cohorts; returns the index links per program."""
    items = analyse_all(academy.quizzes(), academy.answers)
    # Counted once for every program (each program reads its own cohorts' counts).
    status = Counter((o.cohort, o.status) for o in outcomes)
    issued = Counter(cohort for cohort, _ in certs)
    shown = [(program, cohorts) for program in academy.programs.values()
             if (cohorts := timeline(academy, program))]

    def one(found: tuple[Program, list[Cohort]]) -> None:
        program, cohorts = found
        reactions = {c.id: r for c in cohorts
                     if (r := eff.reaction(feedback, academy, c)) is not None}
        _program(academy, program, cohorts, status, issued, items, reactions,
                 out / "effectiveness", as_of)

    spread(one, shown)  # each program's charts cost a tenth of a second to draw
    return {program.id: [(f"effectiveness/{program.id}.html", "Effectiveness over time")]
            for program, _ in shown}


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A report table whose number cells stay numbers (``-0.48`` is no formula, so it is
    written as it is); every other cell is neutralised as in every report."""
    cells = [[c if _NUMBER.fullmatch(c) else safe_cell(c) for c in map(str, row)]
             for row in (header, *rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(cells), encoding="utf-8", newline="\n")


def timeline(academy: Academy, program: Program) -> list[Cohort]:
    """The program's cohorts that are not cancelled, by first session."""
    cohorts = [c for c in academy.cohorts_of(program.id) if c.status != "cancelled"]
    return sorted(cohorts, key=lambda c: (c.start is None, c.start, c.id))


def _pct(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value * 100:.{digits}f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _program(academy: Academy, program: Program, cohorts: list[Cohort],
             status: Counter[tuple[str, str]], issued: Counter[str],
             items: dict[str, QuizItems], reactions: dict[str, eff.Reaction], folder: Path,
             as_of: datetime) -> None:
    """``status``: outcomes per cohort and status; ``issued``: certificates per cohort."""
    quizzes = eff.program_quizzes(academy, program)
    labels = [c.id for c in cohorts]
    summary = []
    for c in cohorts:
        feedback = reactions.get(c.id)
        enrolled = len(eff.members(c))
        done = status[(c.id, "completed")]
        summary.append([program.id, c.id, c.start.date().isoformat() if c.start else "",
                        enrolled, feedback.responses if feedback else "",
                        _num(feedback.score, 1) if feedback and feedback.score is not None
                        else "", done, _pct(done / enrolled if enrolled else None, 1),
                        issued[c.id]])
    write_csv(folder / f"{program.id}.csv", COHORT_HEADER, summary)
    mine = [items[q.id] for q in quizzes if q.id in items]
    write_csv(folder / f"{program.id}-items.csv", ITEMS_HEADER,
              [[qi.quiz, s.question, f"{s.points:g}", s.learners, _num(s.difficulty),
                _num(s.discrimination), " | ".join(s.flags)] for qi in mine for s in qi.items])
    gains = [eff.cohort_gain(academy, c, pre, post) for pre, post in eff.stage_pairs(quizzes)
             for c in cohorts]
    write_csv(folder / f"{program.id}-gains.csv", GAINS_HEADER,
              [[g.cohort, x.learner, g.pre_quiz, g.post_quiz, f"{x.pre:.1f}", f"{x.post:.1f}",
                f"{x.raw:.1f}", _num(x.normalised)] for g in gains for x in g.gains])
    sections = [
        _reaction(cohorts, reactions),
        _learning(academy, cohorts, labels, quizzes, gains),
        _items(academy, mine),
        _completion(labels, summary, status, cohorts),
    ]
    path = folder / f"{program.id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_TEMPLATE.render(
        intro=f"{program.id} · {len(cohorts)} cohort(s), oldest first. Reaction, learning, "
              "completion and certificates of each cohort.",
        sections=sections, **page(academy, as_of, f"Effectiveness: {program.title}",
                                  up="../")), encoding="utf-8", newline="\n")


def _note(text: str, muted: bool = False) -> dict[str, Any]:
    return {"text": text, "muted": muted}


def _part(chart: str | None, shown: dict[str, Any] | None,
          flags: Sequence[str] = ()) -> dict[str, Any]:
    """A chart and the table with its figures (and the flags under it), shown together."""
    return {"chart": Markup(chart) if chart else None, "table": shown, "flags": list(flags)}


def _section(ident: str, heading: str, notes: list[dict[str, Any]],
             parts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": ident, "heading": heading, "notes": notes, "parts": parts or []}


def _named(shown: dict[str, Any], titles: Sequence[str]) -> dict[str, Any]:
    """The table with its columns after the first headed by ``titles`` as written."""
    shown["header"][1:] = list(titles)
    return shown


def _reaction(cohorts: list[Cohort], reactions: dict[str, eff.Reaction]) -> dict[str, Any]:
    found = [(c, r) for c in cohorts if (r := reactions.get(c.id)) is not None]
    if not found:
        return _section("reaction", "Reaction", [_note("No feedback data for these cohorts.",
                                                       muted=True)])
    rows = [[Cell(c.title, secondary=c.id), r.responses,
             "" if r.score is None else f"{r.score:.0f}%", r.summary] for c, r in found]
    chart = charts.bars([c.id for c, _ in found],
                        {"rating": [r.score or 0.0 for _, r in found]},
                        title="Feedback rating per cohort", ylabel="% of the top rating",
                        percent=True)
    return _section("reaction", "Reaction", [], [_part(chart, table(
        ["cohort", "responses", "rating", "summary"], rows))])


def _learning(academy: Academy, cohorts: list[Cohort], labels: list[str], quizzes: list[Quiz],
              gains: list[eff.CohortGain]) -> dict[str, Any]:
    parts = []
    for pre_id, post_id in dict.fromkeys((g.pre_quiz, g.post_quiz) for g in gains):
        mine = [g for g in gains if g.pre_quiz == pre_id]
        chart = charts.bars(labels, {"before (pre)": [g.mean_pre or 0.0 for g in mine],
                                     "after (post)": [g.mean_post or 0.0 for g in mine]},
                            title=f"Knowledge check: {pre_id} → {post_id}",
                            ylabel="mean score (%)", percent=True)
        parts.append(_part(chart, table(
            ["cohort", "learners", "pre", "post", "raw_gain", "normalised_gain"],
            [[Cell(c.title, secondary=c.id), len(g.gains), _pct1(g.mean_pre),
              _pct1(g.mean_post), _points(g.mean_raw), _num(g.normalised)]
             for c, g in zip(cohorts, mine, strict=True)],
            title=f"Gain from {pre_id} to {post_id}")))
    notes = [_note("Gain compares each learner's first attempt at the pre and the post quiz. "
                   "Raw gain is in percentage points; normalised gain (Hake's g) is the share "
                   "of what was not known before that was learned: (post − pre) / (100 − pre), "
                   "from the cohort's mean scores.") if gains else
             _note("No course of this program has a pre and a post knowledge check (quizzes "
                   "marked 'stage: pre' and 'stage: post').", muted=True)]
    graded = [q for q in quizzes if q.mode == "graded"]
    if graded:
        rates = {q.id: [eff.pass_rate(academy, c, q) for c in cohorts] for q in graded}
        chart = charts.bars(labels, {q.title: [(r.rate or 0.0) * 100 for r in rates[q.id]]
                                     for q in graded},
                            title="Quiz pass rate per cohort", ylabel="passed / took (%)",
                            percent=True)
        parts.append(_part(chart, _named(table(["cohort", *(q.id for q in graded)], [
            [Cell(c.title, secondary=c.id),
             *(_rate(rates[q.id][i].passed, rates[q.id][i].took) for q in graded)]
            for i, c in enumerate(cohorts)], title="Quiz pass rates (best attempt)"),
            [q.title for q in graded])))
    parts += _assessments(academy, cohorts, labels)
    return _section("learning", "Learning", notes, parts)


def _pct1(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} points"


def _rate(passed: int, took: int) -> str:
    return f"{passed}/{took} ({passed / took * 100:.0f}%)" if took else "no attempts"


def _assessments(academy: Academy, cohorts: list[Cohort],
                 labels: list[str]) -> list[dict[str, Any]]:
    per = [eff.assessment_rates(academy, c) for c in cohorts]
    program = academy.programs[cohorts[0].program]
    if not program.assessments:
        return []
    titles = [a.title for a in program.assessments]
    chart = charts.bars(labels, {t: [100 * r[i].passed / r[i].assessed if r[i].assessed
                                     else 0.0 for r in per] for i, t in enumerate(titles)},
                        title="Practical assessments passed per cohort",
                        ylabel="passed / assessed (%)", percent=True)
    return [_part(chart, _named(table(["cohort", *(a.key for a in program.assessments)], [
        [Cell(c.title, secondary=c.id), *(_rate(r.passed, r.assessed) for r in rs)]
        for c, rs in zip(cohorts, per, strict=True)], title="Practical assessment results"),
        titles))]


def _items(academy: Academy, analysed: list[QuizItems]) -> dict[str, Any]:
    if not analysed:
        return _section("items", "Item analysis", [_note(
            "No per-question answers recorded for the program's quizzes (records/answers/).",
            muted=True)])
    quizzes = academy.quizzes()
    parts = []
    for qi in analysed:
        title = quizzes[qi.quiz].title
        chart = charts.bars([s.question for s in qi.items],
                            {"answered correctly": [(s.difficulty or 0.0) * 100
                                                    for s in qi.items]},
                            title=f"{title}: share answered correctly", ylabel="%",
                            percent=True)
        parts.append(_part(chart, table(
            ["question", "prompt", "difficulty", "discrimination"],
            [[s.question, s.prompt, _pct(s.difficulty), _num(s.discrimination)]
             for s in qi.items],
            title=f"{title} ({qi.learners} learner(s), first attempts)", secondary=qi.quiz),
            [f for s in qi.items for f in s.flags]))
    return _section("items", "Item analysis", [_note(
        "Difficulty: the share of learners who answered correctly on their first attempt. "
        "Discrimination: the correlation between a question and the rest of the quiz "
        "(corrected point-biserial); 0.2 or more separates strong from weak learners, "
        "below 0 points at a wrong key or a misleading question.")], parts)


def _completion(labels: list[str], summary: list[list[Any]], status: Counter[tuple[str, str]],
                cohorts: list[Cohort]) -> dict[str, Any]:
    rates = [float(row[7].rstrip("%")) if row[7] else 0.0 for row in summary]
    certified = [100 * row[8] / row[3] if row[3] else 0.0 for row in summary]
    chart = charts.bars(labels, {"completed": rates, "certified": certified},
                        title="Completion and certificates per cohort",
                        ylabel="% of enrolled", percent=True)
    rows = [[Cell(c.title, secondary=c.id), row[3], row[6], status[(c.id, "in-progress")],
             status[(c.id, "at-risk")], status[(c.id, "not-completed")], row[7], row[8]]
            for c, row in zip(cohorts, summary, strict=True)]
    return _section("completion", "Completion and certificates", [], [_part(chart, table(
        ["cohort", "enrolled", "completed", "in_progress", "at_risk", "not_completed",
         "completion_rate", "certificates"], rows))])
