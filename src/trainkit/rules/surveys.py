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
from itertools import chain

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import (
    NPS_SCALE,
    Academy,
    Group,
    Loc,
    ResponseFile,
    Survey,
    SurveyQuestion,
)
from trainkit.rules._util import err

CODES = {c: "error" for c in (
    "survey-declaration", "survey-unknown", "survey-cohort", "survey-answer",
    "survey-duplicate", "survey-anonymous")}
MAX_PER_FILE = 200  # like bad rows of a record file: fix these first
MAX_POINTS = 11
Seen = dict[str, dict[str, ResponseFile]]  # survey -> response id -> the file it is first in
# survey -> question column -> the question and the cells that surely fit it
Asked = dict[str, dict[str, tuple[SurveyQuestion, frozenset[str]]]]


def check(academy: Academy) -> Iterator[Diagnostic]:
    for survey in academy.surveys.values():
        yield from _declared(survey)
    for program in academy.programs.values():
        for ident, where in zip(program.surveys, program.survey_locs, strict=True):
            if ident not in academy.surveys and f"survey:{ident}" not in academy.unusable:
                yield err(where, "survey-unknown",
                          f"program {program.id!r} lists survey {ident!r}, which does not "
                          f"exist in surveys/; {did_you_mean(ident, academy.surveys)}")
    asked = _asked(academy)
    repeated = _duplicates(academy.survey_responses)
    for i, f in enumerate(academy.survey_responses):
        problems = _file(academy, asked, f, repeated.get(i, []))
        for n, problem in enumerate(problems):
            if n == MAX_PER_FILE:
                yield err(Loc(f.path, problem.line, 1), "survey-answer",
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


def _asked(academy: Academy) -> Asked:
    """Per survey, its questions by column, each with the cells that surely fit it."""
    out: Asked = {}
    for sid, survey in academy.surveys.items():
        mine = out[sid] = {}
        for q in survey.questions:
            mine.setdefault(q.id, (q, _surely_fit(q)))  # the first, as Survey.question
    return out


def _surely_fit(q: SurveyQuestion) -> frozenset[str]:
    """Answers that fit ``q`` (and the empty cell): a group whose cells are all among
    them needs no test of each; any other cell is tested by :func:`fits`."""
    if q.scaled:
        return frozenset(["", *map(str, range(q.low, q.high + 1))])
    if q.type == "choice":
        return frozenset(["", *(c for c in q.choices if not (q.multiple and ";" in c))])
    return frozenset([""])


def _rows(f: ResponseFile, key: Group, column: str = "", value: str = "") -> list[int]:
    """The rows of group ``key`` (whose ``column`` holds ``value``): only to locate errors."""
    c = f.columns
    return [i for i, k in enumerate(zip(c["survey"], c["cohort"], c["session"], strict=True))
            if k == key and (not column or c[column][i] == value)]


def _file(academy: Academy, asked: Asked, f: ResponseFile,
          repeated: list[Diagnostic]) -> list[Diagnostic]:
    c = f.columns
    out: list[Diagnostic] = []
    surveys = list(dict.fromkeys(k[0] for k in f.groups))
    for sid in surveys:
        if sid not in academy.surveys and f"survey:{sid}" not in academy.unusable:
            out.append(err(f.loc(c["survey"].index(sid), "survey"), "survey-unknown",
                           f"unknown survey {sid!r}{_count(c['survey'].count(sid))}; "
                           f"{did_you_mean(sid, academy.surveys)}"))
    out += _cohorts(academy, f)
    out += _strays(academy, asked, f, surveys)
    out += _answers(asked, f)
    if any(c["respondent"]):
        out += _named(academy, f)
    out += repeated
    return sorted(out, key=lambda d: (d.line, d.col))


def _count(n: int) -> str:
    return f" ({n} rows, the first here)" if n > 1 else ""


def _cohorts(academy: Academy, f: ResponseFile) -> Iterator[Diagnostic]:
    for key, counts in f.groups.items():
        sid, ident, session = key
        cohort = academy.cohorts.get(ident)
        if sid not in academy.surveys or f"cohort:{ident}" in academy.unusable:
            continue
        if cohort is None:
            yield err(f.loc(_rows(f, key)[0], "cohort"), "survey-cohort",
                      f"unknown cohort {ident!r}{_count(counts.responses)}; "
                      f"{did_you_mean(ident, academy.cohorts)}")
            continue
        program = academy.programs.get(cohort.program)
        if program is not None and sid not in program.surveys:
            yield err(f.loc(_rows(f, key)[0], "cohort"), "survey-cohort",
                      f"cohort {ident!r} belongs to program {program.id!r}, which does not "
                      f"ask survey {sid!r}; add it to surveys: in that program.yaml or "
                      "correct the cohort")
        if session and session not in (known := {s.id for s in cohort.sessions}):
            yield err(f.loc(_rows(f, key)[0], "session"), "survey-cohort",
                      f"cohort {ident!r} has no session {session!r}{_count(counts.responses)}; "
                      f"{did_you_mean(session, known)}")


def _strays(academy: Academy, asked: Asked, f: ResponseFile,
            surveys: list[str]) -> Iterator[Diagnostic]:
    """A column that is not a question of a survey whose rows answer it."""
    for sid in surveys:
        survey = academy.surveys.get(sid)
        if survey is None:
            continue
        for column in f.questions:
            if column not in asked[sid] and any(
                    any(g.cells[column]) for key, g in f.groups.items() if key[0] == sid):
                yield err(Loc(f.path, 1, f.header.index(column) + 1), "survey-answer",
                          f"column {column!r} is not a question of survey {survey.id!r}; "
                          f"{did_you_mean(column, (q.id for q in survey.questions))}")


def _answers(asked: Asked, f: ResponseFile) -> Iterator[Diagnostic]:
    """Every distinct answer of every group, checked once; rows are looked for only to
    locate an answer that does not fit."""
    for key, counts in f.groups.items():
        questions = asked.get(key[0])
        if questions is None:
            continue
        for column, cells in counts.cells.items():
            question, fine = questions.get(column, (None, frozenset()))
            if question is None or question.type == "text" or fine.issuperset(cells):
                continue
            for value in cells:
                if value not in fine and not fits(question, value):
                    for i in _rows(f, key, column, value):
                        yield err(f.loc(i, column), "survey-answer",
                                  f"answer {value!r} to {column!r} {why_not(question, value)}")


def _named(academy: Academy, f: ResponseFile) -> Iterator[Diagnostic]:
    named: dict[str, list[int]] = {}
    for i, (sid, who) in enumerate(zip(f.columns["survey"], f.columns["respondent"],
                                       strict=True)):
        survey = academy.surveys.get(sid)
        if who and survey is not None and survey.anonymous:
            named.setdefault(sid, []).append(i)
    for sid, rows in named.items():
        yield err(f.loc(rows[0], "respondent"), "survey-anonymous",
                  f"survey {sid!r} is anonymous but {len(rows)} row(s) name their "
                  "respondent; empty the respondent column (or set anonymous: false in the "
                  "survey)")


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


def _duplicates(files: Sequence[ResponseFile]) -> dict[int, list[Diagnostic]]:
    """survey-duplicate problems per file (by index). When every file answers one survey
    and no response id of a survey occurs twice (one set per survey tells), none."""
    ids: dict[str, list[Sequence[str]]] = {}
    for f in files:
        surveys = {k[0] for k in f.groups}
        if len(surveys) > 1:
            break
        if surveys:
            ids.setdefault(surveys.pop(), []).append(f.columns["response"])
    else:
        if all(len(set(chain.from_iterable(cols))) == sum(map(len, cols))
               for cols in ids.values()):
            return {}
    seen: Seen = {}
    found = {i: list(_repeats(f, seen)) for i, f in enumerate(files)}
    return {i: problems for i, problems in found.items() if problems}


def _repeats(f: ResponseFile, seen: Seen) -> Iterator[Diagnostic]:
    surveys, ids = f.columns["survey"], f.columns["response"]
    if len({k[0] for k in f.groups}) == 1:  # the usual case: checked with dicts, in C
        mine, new = seen.setdefault(surveys[0], {}), dict.fromkeys(ids, f)
        if len(new) == len(ids) and mine.keys().isdisjoint(new):
            mine.update(new)
            return
    for i, (sid, ident) in enumerate(zip(surveys, ids, strict=True)):
        first = seen.setdefault(sid, {}).setdefault(ident, f)
        j = next(j for j, pair in enumerate(zip(first.columns["survey"],
                                                first.columns["response"], strict=True))
                 if pair == (sid, ident))
        if first is not f or j != i:
            yield err(f.loc(i), "survey-duplicate",
                      f"response {ident!r} of survey {sid!r} is already recorded at "
                      f"{first.path}:{first.lines[j]}; give each response its own id")
