"""Assessment sheets: the assessor checklist as a spreadsheet to fill in and import.

Layout (under ``reports/``)::

    assessments/sheets/<cohort>/<session>--<assessment>.csv
    assessments/sheets/<cohort>/<session>--<assessment>.xlsx

Both hold the same cells, which ``trainkit import assessments`` reads back::

    assessment | <program>/<id>        | <title>
    session    | <cohort>/<session>    | <session title, date>
    (blank)
    learner | name | attempt | date | assessor | <criterion id> … | overall | evidence | note
    l-0101  | Ana  |         |      |          |                  |         |          |

One row per learner of the cohort; the assessor writes a rubric level under
each criterion, ``pass`` or ``fail`` under ``overall``, and the date, their
instructor id and the attempt (all three may be left empty: the session's
date, the session's qualified lead instructor, the learner's next attempt).

The xlsx file is made with openpyxl and written reproducibly: its document
properties and every member of its zip archive carry the build epoch.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy, Assessment, Cohort, Session

FIXED = ("learner", "name", "attempt", "date", "assessor")
TAIL = ("overall", "evidence", "note")
HEADER_ROW = 4  # 1-based row of the column names
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
Links = list[tuple[str, str]]


def columns(assessment: Assessment) -> list[str]:
    """The column names of a sheet for ``assessment``."""
    return [*FIXED, *(c.id for c in assessment.criteria), *TAIL]


def sheet_cells(academy: Academy, cohort: Cohort, session: Session,
                assessment: Assessment) -> list[list[str]]:
    """The cells of one sheet, row by row."""
    people = sorted((p.name, p.id) for e in cohort.active_enrollments()
                    if (p := academy.learners.get(e.learner)) is not None)
    width = len(columns(assessment))
    return [
        ["assessment", assessment.key, assessment.title],
        ["session", session.key, f"{session.title}, {session.start:%Y-%m-%d}"],
        [],
        columns(assessment),
        *([ident, name, *[""] * (width - 2)] for name, ident in people),
    ]


def hosted(academy: Academy, cohort: Cohort) -> list[tuple[Session, Assessment]]:
    """Each (session, assessment) of the cohort where an assessment takes place."""
    program = academy.programs.get(cohort.program)
    if program is None:
        return []
    return [(s, a) for s in cohort.sessions if not s.cancelled
            for a in program.assessments if a.session == s.template]


def write_sheets(academy: Academy, cohort: Cohort, folder: Path, epoch: datetime) -> Links:
    """Write the CSV and xlsx sheets of a cohort; returns their links for the index."""
    links: Links = []
    for session, a in hosted(academy, cohort):
        cells = sheet_cells(academy, cohort, session, a)
        base = folder / cohort.id / f"{session.id}--{a.id}"
        base.parent.mkdir(parents=True, exist_ok=True)
        text = csv_text([[safe_cell(c) for c in row] for row in cells])
        base.with_suffix(".csv").write_text(text, encoding="utf-8", newline="\n")
        base.with_suffix(".xlsx").write_bytes(xlsx(cells, a, epoch))
        rel = f"assessments/sheets/{cohort.id}/{session.id}--{a.id}"
        links.append((f"{rel}.xlsx", f"{session.id} sheet (xlsx)"))
        links.append((f"{rel}.csv", "CSV"))
    return links


def xlsx(cells: list[list[str]], assessment: Assessment, epoch: datetime) -> bytes:
    """The sheet as an xlsx workbook, byte for byte the same for the same cells and epoch."""
    # openpyxl is imported when a workbook is made: a build whose sheets are all taken
    # over from the last build (or an academy without assessments) never pays for it.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = assessment.id[:31]
    for row in cells:
        sheet.append(row)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    names = columns(assessment)
    last = HEADER_ROW + max(1, len(cells) - HEADER_ROW)
    levels = DataValidation(type="list", formula1='"' + ",".join(assessment.levels) + '"',
                            allow_blank=True)
    overall = DataValidation(type="list", formula1='"pass,fail"', allow_blank=True)
    for validation, first, count in ((levels, len(FIXED), len(assessment.criteria)),
                                     (overall, names.index("overall"), 1)):
        if count:
            start = sheet.cell(HEADER_ROW + 1, first + 1).coordinate
            end = sheet.cell(last, first + count).coordinate
            validation.add(f"{start}:{end}")
            sheet.add_data_validation(validation)
    naive = epoch.replace(tzinfo=None)
    book.properties.created = book.properties.modified = naive
    buf = io.BytesIO()
    book.save(buf)
    return _pinned(buf.getvalue(), naive)


def _pinned(data: bytes, when: datetime) -> bytes:
    """The zip archive again, every member dated ``when`` (zip keeps no time zone), and
    the document's modification time too (openpyxl sets it to the clock when saving)."""
    out = io.BytesIO()
    stamp = (max(1980, when.year), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>" + f"{when:%Y-%m-%dT%H:%M:%SZ}".encode() + rb"\g<2>",
                                     body)
            dst.writestr(member, body)
    return out.getvalue()
