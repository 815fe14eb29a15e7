"""Moodle quiz grades (Quiz > Results > Grades > Download, CSV).

Columns: ``Surname`` or ``Last name``, ``First name``, ``Email address``,
``State`` (``Finished``, ``In progress``, ``Overdue``, ``Never submitted``),
``Started on``, ``Completed``, ``Time taken``, ``Grade/10.00`` (the maximum is
in the header), then one column per question: the marks ``Q. 1 /1.00`` in the
Grades report, or ``Response 1`` (and, if chosen, ``Right answer 1``) in the
Responses report, numbered in the quiz's order. ``-`` means no value. Footer
rows starting ``Overall average`` are skipped, and so are attempts that are
not finished or have no grade.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo

from trainkit.importers.common import (
    ImportProblem,
    Submission,
    Times,
    cell,
    find_table,
    has_table,
    pick,
    points,
    rows,
)

NAME = "moodle"
# No e-mail column in the signature: sites that hide addresses ("Show user identity")
# export without one, and people are then matched by name through the identity map.
SIGNATURE = ("State", "Started on", "Completed")
_GRADE = re.compile(r"grade/(\d+(?:[.,]\d+)?)")
# Per-question columns: "Q. 3 /1.00" (marks, in the Grades report), "Response 3" and
# "Right answer 3" (the Responses report).
_QUESTION = re.compile(r"(?:Q\. ?\d+ ?/|Response \d+$|Right answer \d+$)", re.I)


def detect(table: list[list[str]]) -> bool:
    return has_table(table, SIGNATURE)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Submission]:
    table = rows(text, path)
    head, cols = find_table(table, SIGNATURE, path)
    grade = next(((j, points(m.group(1), path, head + 1, "the grade column's maximum"))
                  for h, j in cols.items() if (m := _GRADE.fullmatch(h))), None)
    if grade is None:
        raise ImportProblem(path, head + 1, "no 'Grade/<max>' column; download the grades "
                            "report with 'Grades' shown")
    c_grade, maximum = grade
    c_last, c_first = pick(cols, "Surname", "Last name"), pick(cols, "First name")
    c_email, c_state = pick(cols, "Email address"), pick(cols, "State")
    c_done = pick(cols, "Completed")
    body = [(i + 1, r) for i, r in enumerate(table) if i > head and any(x.strip() for x in r)]
    times = Times(zone, [cell(r, c_done) for _, r in body], day)
    others = [(j, h) for j, h in enumerate(table[head]) if _QUESTION.match(h.strip())]
    out = []
    for line, r in body:
        if cell(r, 0).lower().startswith("overall average"):
            continue
        value = cell(r, c_grade).replace(",", ".")
        name = f"{cell(r, c_first)} {cell(r, c_last)}".strip()
        if cell(r, c_state).lower() != "finished" or value in ("", "-"):
            # Listed so the command can say how many it left out, never written.
            out.append(Submission(name, cell(r, c_email), line, 0.0, maximum,
                                  times.default, graded=False))
            continue
        out.append(Submission(name, cell(r, c_email), line,
                              points(value, path, line, "grade"), maximum,
                              times.parse(cell(r, c_done), path, line),
                              cells=tuple((h.strip(), cell(r, j)) for j, h in others)))
    return out
