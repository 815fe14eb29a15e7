"""Google Meet attendance reports (the Sheet Meet sends the organiser, saved as CSV).

Columns: ``First name``, ``Last name``, ``Email``, ``Duration`` (``1 hr 2 min``),
``Time joined``, ``Time exited``. Only the first join and the last exit are
given, so the reported duration is what counts.
"""

from __future__ import annotations

from datetime import date, tzinfo

from trainkit.importers.common import (
    Participant,
    Times,
    cell,
    find_table,
    has_table,
    minutes_of,
    pick,
    rows,
)

NAME = "meet"
SIGNATURE = ("Email", "Duration", "Time joined")


def detect(table: list[list[str]]) -> bool:
    return has_table(table, SIGNATURE)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Participant]:
    table = rows(text, path)
    head, cols = find_table(table, SIGNATURE, path)
    c_first, c_last = pick(cols, "First name"), pick(cols, "Last name")
    c_name = pick(cols, "Name", "Participant name")
    c_email, c_dur = pick(cols, "Email"), pick(cols, "Duration")
    c_join = pick(cols, "Time joined")
    body = [(i + 1, r) for i, r in enumerate(table) if i > head and any(x.strip() for x in r)]
    times = Times(zone, [cell(r, c_join) for _, r in body], day)
    people: dict[str, Participant] = {}
    for line, r in body:
        name = cell(r, c_name) or f"{cell(r, c_first)} {cell(r, c_last)}".strip()
        email = cell(r, c_email)
        p = people.setdefault(email.lower() or name.lower(), Participant(name, email, line))
        p.minutes += minutes_of(cell(r, c_dur)) or 0.0
        joined = cell(r, c_join)
        if joined:
            join = times.parse(joined, path, line)
            p.first_join = join if p.first_join is None else min(p.first_join, join)
    return list(people.values())
