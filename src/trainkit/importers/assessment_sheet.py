"""A filled assessment sheet (CSV or xlsx) to assessment-result rows.

The sheet's layout is the one ``reports/assessments/sheets/`` writes (see
:mod:`trainkit.writers.reports.assessment_sheets`): an ``assessment`` and a
``session`` line, a blank line, the column names, a row per learner. A row
with no level, verdict, date or assessor is a learner who was not assessed
and is left out. Every bad cell is reported at its line and column (the
column as a number, then its name), and nothing is written while any is.

xlsx files are read with openpyxl (read-only, values only): dates typed as
dates come back as dates, numbers typed as numbers as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from trainkit.importers.common import ImportProblem, decode, rows
from trainkit.model import Academy, Assessment, Cohort, Session
from trainkit.outcomes.assessments import results_by_learner
from trainkit.writers.reports.assessment_sheets import HEADER_ROW, columns

_DATE = re.compile(r"(?:19|20|21)\d{2}-\d{2}-\d{2}")
_ATTEMPT = re.compile(r"[1-9][0-9]{0,5}")


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


class SheetProblems(Exception):
    """Every bad cell of a sheet, for the command to print."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path, self.problems = path, problems

    def lines(self) -> list[str]:
        return [f"{self.path}:{p.line}:{p.col}: {p.message}" for p in self.problems]


def read_grid(path: Path) -> list[list[str]]:
    """The sheet's cells as text, row by row (the first worksheet of an xlsx file)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
            raise ImportProblem(str(path), 1, f"not a readable xlsx workbook ({exc})") from None
        try:
            sheet = book.worksheets[0]
            return [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    return rows(decode(path.read_bytes(), str(path)), str(path))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(row: Sequence[str], j: int) -> str:
    return row[j].strip() if j < len(row) else ""


def locate(academy: Academy, cohort: Cohort, grid: list[list[str]], path: str,
           session_id: str | None) -> tuple[Session, Assessment]:
    """The session and assessment the sheet's first lines name (checked against --session)."""
    meta = {_cell(r, 0): _cell(r, 1) for r in grid[:HEADER_ROW - 1] if r}
    program = academy.programs[cohort.program]
    assessment = program.assessment(meta.get("assessment", "").partition("/")[2])
    if assessment is None or meta.get("assessment", "").partition("/")[0] != program.id:
        names = ", ".join(a.key for a in program.assessments) or "none"
        raise ImportProblem(path, 1, f"line 1 must name an assessment of {program.id} as "
                            f"'assessment,<program>/<id>' (its assessments: {names}); "
                            "start from the sheet in reports/assessments/sheets/")
    written = meta.get("session", "").partition("/")[2]
    wanted = session_id.partition("/")[2] if session_id and "/" in session_id else session_id
    if wanted and written and wanted != written:
        raise ImportProblem(path, 2, f"the sheet is for session {written!r}, not {wanted!r}")
    ident = wanted or written
    hosts = [s for s in cohort.sessions if s.template == assessment.session and not s.cancelled]
    session = next((s for s in hosts if s.id == ident), None) if ident else (
        hosts[0] if len(hosts) == 1 else None)
    if session is None:
        raise ImportProblem(path, 2, f"no session {ident or '(none given)'!r} of {cohort.id} "
                            f"hosts {assessment.key}; sessions that do: "
                            f"{', '.join(s.id for s in hosts) or 'none'} (use --session)")
    return session, assessment


def build(academy: Academy, cohort: Cohort, grid: list[list[str]], path: str,
          session_id: str | None) -> tuple[Session, Assessment, list[dict[str, str]]]:
    """Checked assessment-result rows of a filled sheet; raises :class:`SheetProblems`."""
    session, assessment = locate(academy, cohort, grid, path, session_id)
    names = columns(assessment)
    header = [c.strip() for c in grid[HEADER_ROW - 1]] if len(grid) >= HEADER_ROW else []
    missing = [n for n in names if n not in header]
    if missing:
        raise ImportProblem(path, HEADER_ROW, f"missing column(s) {', '.join(missing)}; the "
                            f"header must be: {','.join(names)}")
    at = {n: header.index(n) for n in names}
    done = results_by_learner(academy)
    members = {e.learner for e in cohort.active_enrollments()}
    out: list[dict[str, str]] = []
    problems: list[Problem] = []
    for i, row in enumerate(grid[HEADER_ROW:], start=HEADER_ROW + 1):
        filled = {n: _cell(row, at[n]) for n in names}
        if not any(filled[n] for n in names if n not in ("learner", "name")):
            continue
        here = _Row(academy, assessment, session, i, at, problems)
        result = here.check(filled, members, done)
        if result is not None:
            out.append(result)
    if problems:
        raise SheetProblems(path, problems)
    return session, assessment, out


class _Row:
    """The checks of one filled row; problems go to the shared list."""

    def __init__(self, academy: Academy, a: Assessment, s: Session, line: int,
                 at: dict[str, int], problems: list[Problem]) -> None:
        self.academy, self.a, self.s, self.line = academy, a, s, line
        self.at, self.problems = at, problems

    def bad(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, self.at[column] + 1,
                                     f"column '{column}': {message}"))

    def check(self, cells: dict[str, str], members: set[str],
              done: Mapping[tuple[str, str], Sequence[object]]) -> dict[str, str] | None:
        before = len(self.problems)
        learner = cells["learner"]
        if learner not in members:
            self.bad("learner", f"{learner!r} is not a learner of cohort {self.s.cohort}")
        results = []
        for c in self.a.criteria:
            level = cells[c.id]
            if level not in self.a.levels:
                self.bad(c.id, f"{level!r} is not a level of the rubric; write one of: "
                         f"{', '.join(self.a.levels)}")
            results.append(f"{c.id}={level}")
        if cells["overall"] not in ("pass", "fail"):
            self.bad("overall", f"{cells['overall']!r}: write pass or fail")
        day = cells["date"] or f"{self.s.start:%Y-%m-%d}"
        if not _DATE.fullmatch(day) or _real(day) is None:
            self.bad("date", f"{day!r} is not a date written YYYY-MM-DD")
        assessor = cells["assessor"] or self._only_assessor()
        if assessor not in self.academy.instructors:
            self.bad("assessor", f"{assessor!r} is not an instructor id"
                     if assessor else "write the assessor's instructor id")
        attempt = cells["attempt"] or str(len(done.get((learner, self.a.key), [])) + 1)
        if not _ATTEMPT.fullmatch(attempt):
            self.bad("attempt", f"{attempt!r} is not an attempt number (1, 2, …)")
        if len(self.problems) > before:
            return None
        return {"learner": learner, "assessment": self.a.key, "attempt": attempt,
                "date": day, "assessor": assessor, "results": ";".join(results),
                "overall": cells["overall"], "evidence": cells["evidence"],
                "note": cells["note"]}

    def _only_assessor(self) -> str:
        """The one lead instructor (else the one instructor) of the session holding the
        assessment's qualification, or "" when there is no single one."""
        cohort = self.academy.cohorts.get(self.s.cohort)
        leads = cohort.lead_instructors if cohort else ()
        for group in ([i for i in self.s.instructors if i in leads], list(self.s.instructors)):
            able = [i for i in group if (who := self.academy.instructors.get(i)) is not None
                    and any(q.id == self.a.qualification for q in who.qualifications)]
            if len(able) == 1:
                return able[0]
        return ""


def _real(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
