"""survey-declaration, survey-unknown, survey-cohort, survey-answer, survey-duplicate,
survey-anonymous: feedback surveys and their responses.

In ``surveys/<id>.yaml``, question ids are unique, a ``rating`` scale runs
from ``min`` to a larger ``max`` with at most 11 points starting at 0 or
more, an ``nps`` question runs from 0 to 10 (the Net Promoter scale), and a
``choice`` question lists its ``choices``, each once (``survey-declaration``).
A program's ``surveys:`` names surveys that exist (``survey-unknown``, with
the closest names).

Each row of ``records/surveys/*.csv`` names a survey that exists
(``survey-unknown``) and a cohort whose program lists that survey under
``surveys:`` (``survey-cohort``; a ``session`` it names is one of the
cohort's). Each answer fits its question (``survey-answer``): a whole number
on the question's scale, one of its choices as the survey words them (several
joined with ``;`` where ``multiple: true``), and a column is a question of the
row's survey. A response id is used once per survey (``survey-duplicate``).
A survey is anonymous unless it says ``anonymous: false``: a row of an
anonymous survey must leave ``respondent`` empty (``survey-anonymous``).
Fix the row (or re-import the export), or the survey declaration.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import repeat

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import NPS_SCALE, Academy, Loc, ResponseFile, Survey, SurveyQuestion
from trainkit.rules._util import err

CODES = {c: "error" for c in (
    "survey-declaration", "survey-unknown", "survey-cohort", "survey-answer",
    "survey-duplicate", "survey-anonymous")}
MAX_PER_FILE = 200  # like bad rows of a record file: fix these first
MAX_POINTS = 11
Seen = dict[tuple[str, str], tuple[str, int]]  # (survey, response) -> where first written


def check(academy: Academy) -> Iterator[Diagnostic]:
    for survey in academy.surveys.values():
        yield from _declared(survey)
    for program in academy.programs.values():
        for ident, where in zip(program.surveys, program.survey_locs, strict=True):
            if ident not in academy.surveys and f"survey:{ident}" not in academy.unusable:
                yield err(where, "survey-unknown",
                          f"program {program.id!r} lists survey {ident!r}, which does not "
                          f"exist in surveys/; {did_you_mean(ident, academy.surveys)}")
    seen: Seen = {}
    for responses in academy.survey_responses:
        problems = _file(academy, responses, seen)
        for n, problem in enumerate(problems):
            if n == MAX_PER_FILE:
                yield err(Loc(responses.path, problem.line, 1), "survey-answer",
                          f"more than {MAX_PER_FILE} problems in this file; fix these first")
                break
            yield problem


def _declared(survey: Survey) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for q in survey.questions:
        if q.id in seen:
            yield err(q.loc, "survey-declaration",
                      f"survey {survey.id!r}: question id {q.id!r} is used twice; "
                      "give each question its own id")
        seen.add(q.id)
        problem = _question_problem(q)
        if problem:
            yield err(q.loc, "survey-declaration", f"survey {survey.id!r}: question {q.id!r} "
                      + problem)


def _question_problem(q: SurveyQuestion) -> str | None:
    if q.type == "nps" and (q.low, q.high) != NPS_SCALE:
        return (f"is an NPS question, which runs from 0 to 10, not {q.low} to {q.high}; "
                "remove min and max")
    if q.type == "rating":
        if q.low >= q.high:
            return f"has min {q.low} not below max {q.high}; write min below max, e.g. 1 and 5"
        if q.low < 0 or q.high - q.low + 1 > MAX_POINTS:
            return (f"has a scale {q.low} to {q.high}; a rating scale starts at 0 or more and "
                    f"has at most {MAX_POINTS} points, e.g. 1 to 5")
    if q.type == "choice":
        if not q.choices:
            return "is a choice question without choices; list them under choices"
        twice = sorted({c for c in q.choices if q.choices.count(c) > 1})
        if twice:
            return f"lists choice(s) {', '.join(map(repr, twice))} more than once"
    return None


def groups(column: Sequence[str]) -> dict[str, Sequence[int]]:
    """Row indexes under each distinct value of ``column``, in first-seen order."""
    if len(set(column)) <= 1:
        return {column[0]: range(len(column))} if column else {}
    out: dict[str, list[int]] = {}
    for i, value in enumerate(column):
        out.setdefault(value, []).append(i)
    return dict(out)


def _file(academy: Academy, f: ResponseFile,
          seen: Seen) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    c = f.columns
    for ident, rows in groups(c["survey"]).items():
        survey = academy.surveys.get(ident)
        if survey is None:
            if f"survey:{ident}" not in academy.unusable:
                out.append(err(f.loc(rows[0], "survey"), "survey-unknown",
                               f"unknown survey {ident!r}{_count(rows)}; "
                               f"{did_you_mean(ident, academy.surveys)}"))
            continue
        out += _cohorts(academy, f, survey, rows)
        out += _answers(f, survey, rows)
        if survey.anonymous:
            named = [i for i in rows if c["respondent"][i]]
            if named:
                out.append(err(f.loc(named[0], "respondent"), "survey-anonymous",
                               f"survey {ident!r} is anonymous but {len(named)} row(s) name "
                               "their respondent; empty the respondent column (or set "
                               "anonymous: false in the survey)"))
    out += _duplicates(f, seen)
    return sorted(out, key=lambda d: (d.line, d.col))


def _count(rows: Sequence[int]) -> str:
    return f" ({len(rows)} rows, the first here)" if len(rows) > 1 else ""


def _cohorts(academy: Academy, f: ResponseFile, survey: Survey,
             rows: Sequence[int]) -> Iterator[Diagnostic]:
    cohorts, sessions = f.columns["cohort"], f.columns["session"]
    for ident, mine in groups(_take(cohorts, rows)).items():
        first = rows[mine[0]]
        cohort = academy.cohorts.get(ident)
        if cohort is None:
            if f"cohort:{ident}" not in academy.unusable:
                yield err(f.loc(first, "cohort"), "survey-cohort",
                          f"unknown cohort {ident!r}{_count(mine)}; "
                          f"{did_you_mean(ident, academy.cohorts)}")
            continue
        program = academy.programs.get(cohort.program)
        if program is not None and survey.id not in program.surveys:
            yield err(f.loc(first, "cohort"), "survey-cohort",
                      f"cohort {ident!r} belongs to program {program.id!r}, which does not "
                      f"ask survey {survey.id!r}; add it to surveys: in that program.yaml or "
                      "correct the cohort")
        known = {s.id for s in cohort.sessions}
        for i in (rows[j] for j in mine):
            if sessions[i] and sessions[i] not in known:
                yield err(f.loc(i, "session"), "survey-cohort",
                          f"cohort {ident!r} has no session {sessions[i]!r}; "
                          f"{did_you_mean(sessions[i], known)}")


def _take(column: Sequence[str], rows: Sequence[int]) -> Sequence[str]:
    return column if isinstance(rows, range) and len(rows) == len(column) else [
        column[i] for i in rows]


def _answers(f: ResponseFile, survey: Survey, rows: Sequence[int]) -> Iterator[Diagnostic]:
    for column in f.questions:
        cells = _take(f.columns[column], rows)
        question = survey.question(column)
        if question is None:
            if any(cells):
                yield err(Loc(f.path, 1, f.header.index(column) + 1), "survey-answer",
                          f"column {column!r} is not a question of survey {survey.id!r}; "
                          f"{did_you_mean(column, (q.id for q in survey.questions))}")
            continue
        wrong = {v for v in set(cells) if v and not fits(question, v)}
        if not wrong:
            continue
        for j, value in enumerate(cells):
            if value in wrong:
                yield err(f.loc(rows[j], column), "survey-answer",
                          f"answer {value!r} to {column!r} {why_not(question, value)}")


def fits(q: SurveyQuestion, value: str) -> bool:
    """Whether a non-empty cell is a possible answer to ``q``."""
    if q.scaled:
        return value.isdigit() and value.isascii() and q.low <= int(value) <= q.high
    if q.type == "choice":
        parts = value.split(";") if q.multiple else [value]
        return all(p in q.choices for p in parts)
    return True


def why_not(q: SurveyQuestion, value: str) -> str:
    if q.scaled:
        if value.isdigit() and value.isascii():
            return f"is outside its scale {q.low} to {q.high}"
        return f"is not a whole number from {q.low} to {q.high}"
    parts = value.split(";") if q.multiple else [value]
    bad = next(p for p in parts if p not in q.choices)
    return (f"is not one of its choices ({'; '.join(q.choices)}): "
            f"{did_you_mean(bad, q.choices)}")


def _duplicates(f: ResponseFile, seen: Seen) -> Iterator[Diagnostic]:
    c = f.columns
    keys = list(zip(c["survey"], c["response"], strict=True))
    if len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):  # the usual case
        seen.update(zip(keys, zip(repeat(f.path), f.lines, strict=False), strict=True))
        return
    for i, key in enumerate(keys):
        path, line = seen.setdefault(key, (f.path, f.lines[i]))
        if (path, line) != (f.path, f.lines[i]):
            yield err(f.loc(i), "survey-duplicate",
                      f"response {key[1]!r} of survey {key[0]!r} is already recorded at "
                      f"{path}:{line}; give each response its own id")
