"""Survey responses from Google Forms, Microsoft Forms and plain CSV, as canonical rows.

* ``google-forms``: Responses > Download responses (.csv). ``Timestamp``,
  optionally ``Email Address``, then one column per question, headed by the
  question's title; checkbox answers are joined with ``", "``.
* ``microsoft-forms``: Responses > Open in Excel (.xlsx). ``ID``, ``Start
  time``, ``Completion time``, ``Email``, ``Name`` (and in newer exports
  ``Last modified time``), then one column per question; several choices are
  joined with ``;``. Read with openpyxl.
* ``csv``: any table with a ``submitted_at`` (or ``timestamp``) column and a
  column per question, headed by its id or its text; several choices joined
  with ``;``.

A column is matched to a question by the question's text (or id), ignoring
case and spacing. Answers are made canonical: a rating as its whole number, a
choice as the survey words it. Responses are anonymous unless the survey says
``anonymous: false``: names and e-mail addresses are dropped before anything
is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zipfile import BadZipFile

from openpyxl import load_workbook

from trainkit.diagnostics import did_you_mean
from trainkit.importers.common import ImportProblem, Times, decode, norm, rows
from trainkit.model import Survey, SurveyQuestion

FORMATS = ("csv", "google-forms", "microsoft-forms")
_TIME = {"google-forms": ("Timestamp",), "microsoft-forms": ("Completion time",),
         "csv": ("submitted_at", "timestamp", "Timestamp")}
_EMAIL = ("Email Address", "Email", "E-mail", "respondent")
_NAME = ("Name", "Full name", "Your name")
# Columns an export adds that are not questions; "cohort": the pre-filled cohort question.
_META = {norm(n) for n in ("ID", "Start time", "Completion time", "Last modified time",
                           "Total points", "Quiz feedback", "Score", "Grade", "cohort",
                           "response", "survey", "session", "Timestamp", "submitted_at",
                           *_EMAIL, *_NAME)}


@dataclass
class Read:
    """What an export holds for one survey and cohort."""

    answers: list[tuple[int, datetime, str, dict[str, str]]]  # line, time, respondent, answers
    other_cohorts: int = 0  # rows whose pre-filled cohort names another cohort
    notes: list[str] = field(default_factory=list)


def table_of(fmt: str, raw: bytes, path: str) -> list[list[str]]:
    """The export's rows as text cells (an xlsx sheet read with openpyxl)."""
    if fmt != "microsoft-forms":
        return rows(decode(raw, path), path)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportProblem(path, 1, f"not an Excel workbook ({exc}); Microsoft Forms "
                            "exports are .xlsx files (Responses > Open in Excel)") from None
    try:
        sheet = book.worksheets[0]
        return [[_text(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(fmt: str, table: list[list[str]], survey: Survey, cohort: str, zone: tzinfo,
         day: date | None, path: str) -> Read:
    """The export's responses for ``survey``: every answer checked and made canonical."""
    if not table:
        raise ImportProblem(path, 1, "the export is empty")
    header = [norm(h) for h in table[0]]
    when = next((header.index(norm(n)) for n in _TIME[fmt] if norm(n) in header), None)
    if when is None:
        raise ImportProblem(path, 1, f"no {' or '.join(_TIME[fmt])} column; is this a "
                            f"{fmt} export of the survey's responses?")
    columns = _match(table[0], header, survey, path)
    email, name = _column(header, _EMAIL), _column(header, _NAME)
    prefilled = _column(header, ("cohort",))
    body = [(i + 1, r) for i, r in enumerate(table) if i > 0 and any(c.strip() for c in r)]
    times = Times(zone, [_cell(r, when) for _, r in body], day)
    out = Read([])
    for line, r in body:
        if prefilled is not None and _cell(r, prefilled) not in ("", cohort):
            out.other_cohorts += 1
            continue
        who = "" if survey.anonymous else (_cell(r, email) or _cell(r, name))
        answers = {q.id: canonical(q, _cell(r, j), fmt, path, line) for j, q in columns}
        out.answers.append((line, times.parse(_cell(r, when), path, line), who, answers))
    return out


def _column(header: list[str], names: Sequence[str]) -> int | None:
    return next((header.index(norm(n)) for n in names if norm(n) in header), None)


def _cell(r: Sequence[str], j: int | None) -> str:
    return r[j].strip() if j is not None and j < len(r) else ""


def _match(raw: list[str], header: list[str], survey: Survey,
           path: str) -> list[tuple[int, SurveyQuestion]]:
    """(column, question) for every question column; an unknown column is an error."""
    by_name = {norm(q.text): q for q in survey.questions} | {norm(q.id): q
                                                            for q in survey.questions}
    out = []
    for j, name in enumerate(header):
        if not name or name in _META:
            continue
        q = by_name.get(name)
        if q is None:
            hint = did_you_mean(raw[j].strip(), (q.text for q in survey.questions))
            raise ImportProblem(path, 1, f"column {raw[j].strip()!r} is not a question of "
                                f"survey {survey.id!r}; {hint} (the column titles must be "
                                "the questions' text)")
        out.append((j, q))
    return out


def canonical(q: SurveyQuestion, value: str, fmt: str, path: str, line: int) -> str:
    """The answer as a record writes it, or an :class:`ImportProblem` saying why not."""
    if not value or q.type == "text":
        return value
    if q.scaled:
        m = re.fullmatch(r"(\d+)(?:\.0+)?", value)
        if m is None or not q.low <= int(m.group(1)) <= q.high:
            raise ImportProblem(path, line, f"answer {value!r} to {q.text!r} is not a whole "
                                f"number from {q.low} to {q.high}")
        return m.group(1)
    parts = _choices(q, value, fmt) if q.multiple else [_choice(q, value)]
    if any(p is None for p in parts):
        raise ImportProblem(path, line, f"answer {value!r} to {q.text!r} is not one of its "
                            f"choices ({'; '.join(q.choices)}); correct the survey's choices "
                            "to the form's wording")
    return ";".join(p for p in parts if p is not None)


def _choice(q: SurveyQuestion, value: str) -> str | None:
    folded = {c.casefold(): c for c in q.choices}
    return folded.get(value.strip().casefold())


def _choices(q: SurveyQuestion, value: str, fmt: str) -> list[str | None]:
    """Several ticked choices: ``a;b;`` (Microsoft Forms, CSV) or ``a, b`` (Google Forms,
    whose choices may hold commas themselves, so the longest known choice is taken first)."""
    if fmt != "google-forms":
        return [_choice(q, p) for p in value.split(";") if p.strip()]
    out: list[str | None] = []
    rest = value.strip()
    longest = sorted(q.choices, key=len, reverse=True)
    while rest:
        found = next((c for c in longest if rest.casefold().startswith(c.casefold())
                      and rest[len(c):len(c) + 2] in ("", ", ")), None)
        if found is None:
            return [None]
        out.append(found)
        rest = rest[len(found) + 2:]
    return out
