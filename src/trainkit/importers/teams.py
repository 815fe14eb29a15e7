"""Microsoft Teams attendance reports (Attendance tab > Download).

A tab-separated, UTF-16 file with a byte-order mark, in numbered sections::

    1. Summary                     meeting title, start and end, …
    2. Participants                Name, First Join, Last Leave, In-Meeting Duration,
                                   Email, Participant ID (UPN), Role
    3. In-Meeting Activities       Name, Join Time, Leave Time, Duration, Email, Role

Durations are written ``1h 2m 3s``. The activities section (one row per
connection) gives exact intervals; without it the participants' total
duration is used.
"""

from __future__ import annotations

import re
from datetime import date, tzinfo

from trainkit.importers.common import (
    ImportProblem,
    Participant,
    Times,
    cell,
    find_table,
    minutes_of,
    pick,
    rows,
)

NAME = "teams"
SIGNATURE = ("Name", "First Join", "Last Leave")


def detect(table: list[list[str]]) -> bool:
    try:
        find_table(table, SIGNATURE, "")
    except ImportProblem:
        return False
    return True


_SECTION = re.compile(r"^\d+\.\s")  # "2. Participants"


def _section_end(table: list[list[str]], start: int) -> int:
    """The first blank row or section title after ``start``."""
    for i in range(start, len(table)):
        if not any(c.strip() for c in table[i]) or _SECTION.match(table[i][0].strip()):
            return i
    return len(table)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Participant]:
    table = rows(text)
    head, cols = find_table(table, SIGNATURE, path)
    end = _section_end(table, head + 1)
    c_name, c_email = pick(cols, "Name", "Full Name"), pick(cols, "Email")
    c_first, c_last = pick(cols, "First Join"), pick(cols, "Last Leave")
    c_dur = pick(cols, "In-Meeting Duration", "Duration")
    body = [(i + 1, table[i]) for i in range(head + 1, end)]
    acts = _activities(table, end)
    stamps = [cell(r, c) for _, r in body for c in (c_first, c_last)]
    times = Times(zone, stamps + [cell(r, c) for _, r in acts for c in (1, 2)], day)
    people: dict[str, Participant] = {}
    for line, r in body:
        name, email = cell(r, c_name), cell(r, c_email)
        p = people.setdefault(email.lower() or name.lower(), Participant(name, email, line))
        p.minutes += minutes_of(cell(r, c_dur)) or 0.0
        join = times.parse(cell(r, c_first), path, line)
        p.first_join = join if p.first_join is None else min(p.first_join, join)
    _add_intervals(table, acts, people, times, path)
    return list(people.values())


def _activities(table: list[list[str]], start: int) -> list[tuple[int, list[str]]]:
    try:
        head, _ = find_table(table, ("Name", "Join Time", "Leave Time"), "", start)
    except ImportProblem:
        return []
    end = _section_end(table, head + 1)
    return [(i + 1, table[i]) for i in range(head, end)]


def _add_intervals(table: list[list[str]], acts: list[tuple[int, list[str]]],
                   people: dict[str, Participant], times: Times, path: str) -> None:
    if not acts:
        return
    cols = {c.strip().lower(): j for j, c in enumerate(acts[0][1])}
    c_name, c_email = cols.get("name"), cols.get("email")
    c_join, c_leave = cols.get("join time"), cols.get("leave time")
    for line, r in acts[1:]:
        key = cell(r, c_email).lower() or cell(r, c_name).lower()
        p = people.get(key)
        if p is None:
            continue
        p.intervals.append((times.parse(cell(r, c_join), path, line),
                            times.parse(cell(r, c_leave), path, line)))
