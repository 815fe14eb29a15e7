"""Google Forms quiz responses (Responses > Download responses (.csv)).

Columns: ``Timestamp``, ``Email Address``, ``Score`` (``7 / 10``), then one
column per question, headed by the question's title, holding the answer as
given (the checked boxes of a checkbox question joined with ``, ``); a sheet
linked to the form may add ``<title> [Score]`` (``1 / 1``) and
``<title> [Feedback]`` columns. Each response is an attempt; a person's
attempts are numbered in time order.
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

NAME = "google-forms"
SIGNATURE = ("Timestamp", "Score")
_SCORE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*")


def detect(table: list[list[str]]) -> bool:
    return has_table(table, SIGNATURE)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Submission]:
    table = rows(text, path)
    head, cols = find_table(table, SIGNATURE, path)
    c_time, c_score = pick(cols, "Timestamp"), pick(cols, "Score")
    c_email = pick(cols, "Email Address", "Email address", "Email")
    c_name = pick(cols, "Name", "Full name", "Your name")
    body = [(i + 1, r) for i, r in enumerate(table) if i > head and any(x.strip() for x in r)]
    times = Times(zone, [cell(r, c_time) for _, r in body], day)
    known = {c_time, c_score, c_email, c_name}
    others = [(j, h) for j, h in enumerate(table[head]) if j not in known and h.strip()]
    out = []
    for line, r in body:
        m = _SCORE.fullmatch(cell(r, c_score))
        if not m:
            raise ImportProblem(path, line, f"score {cell(r, c_score)!r} is not like '7 / 10'; "
                                "is the form a quiz (Settings > Make this a quiz)?")
        out.append(Submission(cell(r, c_name), cell(r, c_email), line,
                              points(m.group(1), path, line, "score"),
                              points(m.group(2), path, line, "maximum score"),
                              times.parse(cell(r, c_time), path, line),
                              cells=tuple((h, cell(r, j)) for j, h in others)))
    return out
