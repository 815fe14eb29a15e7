"""``reports/skills/``: the gap matrix, roll-ups, coverage and prerequisite overrides.

Layout::

    reports/skills/gaps.{csv,json,html}      one row per learner, role and competency:
                                             required and held level, the evidence
                                             behind it, and the standing (heatmap in HTML)
    reports/skills/rollups.{csv,html}        per role, organisation and manager
    reports/skills/coverage.{csv,html}       per competency and level, the whole academy
    reports/skills/overrides.csv             enrollments admitted without prerequisites
    reports/skills/paths.csv                 per learner and role: the steps that close the
                                             gaps soonest, and the date they would be qualified
    reports/skills/team.csv                  per role and competency: seats and cohorts needed
    reports/skills/recommendations.{csv,json}  ranked next steps with their reasons and
                                             score parts (see outcomes.skills.recommend)

Standings are as of the build epoch; "expiring" means within 90 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from trainkit.model import Academy
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.skills.evidence import Holdings, gather
from trainkit.outcomes.skills.gaps import WINDOW, Gaps, Standing, weighted_gap
from trainkit.outcomes.skills.paths import Path as LearningPath
from trainkit.outcomes.skills.paths import TeamNeed, paths, team_needs
from trainkit.outcomes.skills.recommend import WEIGHTS, Recommendation, recommend
from trainkit.outcomes.skills.rollups import GROUPINGS, Rollup, coverage, rollups
from trainkit.writers import charts
from trainkit.writers.reports.formats import page, write_csv, write_html, write_json
from trainkit.writers.reports.html import table

GAP_HEADER = ("learner", "name", "organisation", "manager", "role", "competency", "required",
              "weight", "by", "status", "held", "evidence", "source", "reference", "since",
              "expires")
STATUS_ORDER = ("met", "expiring", "below", "expired", "missing")
COLORS = ("#ffffff", "#43a047", "#ffb300", "#fb8c00", "#e53935", "#b71c1c")
HEAT_ROWS = 80  # a chart taller than this is unreadable; the tables hold everything


def write_skills(academy: Academy, outcomes: list[Outcome], out: Path,
                 as_of: datetime) -> list[tuple[str, str]]:
    """Write ``reports/skills/``; the links for the reports index."""
    if not academy.roles and not academy.evidence and not _overrides(academy):
        return []
    folder = out / "skills"
    day = as_of.date()
    held = gather(academy, outcomes, as_of)
    gaps = Gaps(academy, held, day)
    rows = gaps.rows()
    _write_gaps(academy, rows, folder, as_of)
    _write_recommendations(academy, recommend(academy, held, rows, as_of), folder)
    _write_paths(academy, paths(academy, rows, as_of), team_needs(academy, rows, as_of), folder)
    _write_rollups(academy, gaps, folder, as_of)
    _write_coverage(academy, held, gaps, folder, as_of, day)
    write_csv(folder / "overrides.csv", ("cohort", "program", "learner", "name", "reason"),
              _overrides(academy))
    return [("skills/gaps.html", "Skill gaps by learner and role (also CSV, JSON)"),
            ("skills/recommendations.csv", "Recommended next steps per learner and role, "
             "with their reasons (CSV, JSON)"),
            ("skills/paths.csv", "Learning paths: the steps that close each learner's gaps "
             "for a role soonest (CSV)"),
            ("skills/team.csv", "What each role's team needs: seats and cohorts to plan (CSV)"),
            ("skills/rollups.html", "Skill gaps per role, organisation and manager"),
            ("skills/coverage.html", "Competency coverage"),
            ("skills/overrides.csv", "Enrollments admitted without prerequisites (CSV)")]


def _overrides(academy: Academy) -> list[list[str]]:
    return [[c.id, c.program, e.learner, _name(academy, e.learner), e.override.reason]
            for c in academy.cohorts.values() for e in c.enrollments if e.override is not None]


def _name(academy: Academy, learner: str) -> str:
    person = academy.learners.get(learner)
    return person.name if person else ""


def gap_row(academy: Academy, s: Standing) -> list[object]:
    person = academy.learners.get(s.learner)
    h = s.held
    return [s.learner, person.name if person else "", (person.organisation or "") if person
            else "", (person.manager or "") if person else "", s.role, s.competency, s.required,
            f"{s.weight:g}", _iso(s.by), s.status, h.level if h else "", h.kind if h else "",
            h.source if h else "", h.ref if h else "", _iso(h.on if h else None),
            _iso(h.expires if h else None)]


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _write_gaps(academy: Academy, rows: Sequence[Standing], folder: Path, as_of: datetime) -> None:
    table_rows = [gap_row(academy, s) for s in rows]
    write_csv(folder / "gaps.csv", GAP_HEADER, table_rows)
    write_json(folder / "gaps.json", _gaps_json(academy, rows, as_of))
    chart = _heatmap(academy, rows)
    write_html(folder / "gaps.html", "table", charts=[Markup(chart)] if chart else [],
               intro=f"Each learner's roles against what they need, as of the build; "
                     f"'expiring' means the evidence ends within {WINDOW.days} days.",
               tables=[table(GAP_HEADER, table_rows, status_col=GAP_HEADER.index("status"),
                             empty="No learner has a role.")],
               **page(academy, as_of, "Skill gaps", "../"))


def _gaps_json(academy: Academy, rows: Sequence[Standing], as_of: datetime) -> dict[str, Any]:
    people: dict[str, dict[str, list[Standing]]] = {}
    for s in rows:
        people.setdefault(s.learner, {}).setdefault(s.role, []).append(s)
    learners = []
    for lid, roles in people.items():
        learners.append({
            "learner": lid, "name": _name(academy, lid),
            "roles": [{"role": rid, "weighted_gap": round(weighted_gap(items), 4),
                       "requirements": [dict(zip(GAP_HEADER[5:], gap_row(academy, s)[5:],
                                                 strict=True)) for s in items]}
                      for rid, items in roles.items()],
        })
    return {"as_of": as_of.isoformat(), "expiring_within_days": WINDOW.days,
            "learners": learners}


def _heatmap(academy: Academy, rows: Sequence[Standing]) -> str:
    if not rows:
        return ""
    comps = sorted({s.competency for s in rows})
    keys = list(dict.fromkeys((s.learner, s.role) for s in rows))[:HEAT_ROWS]
    cell = {(s.learner, s.role, s.competency): 1 + STATUS_ORDER.index(s.status) for s in rows}
    grid = [[cell.get((lid, rid, c), 0) for c in comps] for lid, rid in keys]
    labels = [f"{lid} · {rid}" for lid, rid in keys]  # ids only: names stay in the tables
    more = len(dict.fromkeys((s.learner, s.role) for s in rows)) - len(keys)
    title = "Standing per learner and role" + (f" (first {len(keys)}; {more} more in the "
                                               "table)" if more > 0 else "")
    return charts.category_grid(labels, comps, grid, colors=COLORS,
                          names=("not required", *STATUS_ORDER), title=title)


ROLLUP_HEADER = ("grouping", "group", "competency", "level", "people", "met", "expiring", "gaps",
                 "summary")


def _rollup_row(r: Rollup) -> list[object]:
    return [r.grouping, r.group, r.competency, r.level, r.people, r.met, r.expiring, r.gaps,
            r.sentence()]


def _write_rollups(academy: Academy, gaps: Gaps, folder: Path, as_of: datetime) -> None:
    groups = {g: [_rollup_row(r) for r in rollups(academy, gaps, g)] for g in GROUPINGS}
    write_csv(folder / "rollups.csv", ROLLUP_HEADER, [r for g in GROUPINGS for r in groups[g]])
    write_html(folder / "rollups.html", "table", charts=[],
               intro="How many of each group lack what their roles need.",
               tables=[table(ROLLUP_HEADER[1:], [r[1:] for r in groups[g]], title=f"Per {g}")
                       for g in GROUPINGS],
               **page(academy, as_of, "Skill gaps per role, organisation and manager", "../"))


COVERAGE_HEADER = ("competency", "level", "holders", "expiring", "lapsed", "needed_by")


def _write_coverage(academy: Academy, held: Holdings, gaps: Gaps, folder: Path,
                    as_of: datetime, day: date) -> None:
    items = [list(c) for c in coverage(academy, held, gaps, day)]
    write_csv(folder / "coverage.csv", COVERAGE_HEADER, items)
    write_html(folder / "coverage.html", "table", charts=[],
               intro="Learners holding each competency at each level or above (valid evidence), "
                     f"of whom expiring within {WINDOW.days} days; learners whose evidence has "
                     "all lapsed; learners whose roles need the level or above.",
               tables=[table(COVERAGE_HEADER, items)],
               **page(academy, as_of, "Competency coverage", "../"))


REC_HEADER = ("learner", "name", "role", "rank", "kind", "item", "closes", "score",
              *(f"{k} (x{w:g})" for k, w in WEIGHTS.items()), "reason")


def _write_recommendations(academy: Academy, recs: Sequence[Recommendation], folder: Path) -> None:
    rows = [[r.learner, _name(academy, r.learner), r.role, r.rank, r.kind, r.item,
             "; ".join(r.closes), f"{r.score:.4f}", *(f"{v:.4f}" for _, v in r.parts), r.reason]
            for r in recs]
    write_csv(folder / "recommendations.csv", REC_HEADER, rows)
    write_json(folder / "recommendations.json", {
        "weights": WEIGHTS,
        "recommendations": [{"learner": r.learner, "name": _name(academy, r.learner),
                             "role": r.role, "rank": r.rank, "kind": r.kind, "item": r.item,
                             "closes": list(r.closes), "score": r.score,
                             "parts": dict(r.parts), "reason": r.reason} for r in recs]})


PATH_HEADER = ("learner", "name", "role", "step", "kind", "item", "closes", "done_on",
               "qualified_on", "open_gaps")


def _write_paths(academy: Academy, found: list[LearningPath], team: list[TeamNeed],
                 folder: Path) -> None:
    rows: list[list[object]] = []
    for p in found:
        tail = [_iso(p.qualified_on), "; ".join(p.open_gaps)]
        for i, s in enumerate(p.steps, 1):
            rows.append([p.learner, _name(academy, p.learner), p.role, i, s.kind, s.item,
                         "; ".join(s.closes), s.done_on.isoformat(), *tail])
        if not p.steps:
            rows.append([p.learner, _name(academy, p.learner), p.role, "", "", "", "", "", *tail])
    write_csv(folder / "paths.csv", PATH_HEADER, rows)
    write_csv(folder / "team.csv", ("role", "competency", "lacking", "seats_left", "program",
                                    "more_cohorts", "summary"), [list(t) for t in team])
