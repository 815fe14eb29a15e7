"""Zoom participant reports (Reports > Usage > Participants > Export).

The export may start with a meeting block (``Meeting ID, Topic, Start Time,
…``, one data row, a blank line) when "Export with meeting data" was ticked.
Column spellings changed over the years: ``Name (Original Name)`` /
``Name (original name)`` / ``Name``, ``User Email`` / ``Email``,
``Duration (Minutes)`` / ``Duration(Minutes)``, ``Join Time`` / ``Join time``.
Someone who drops out and rejoins appears on one row per connection; rows
are grouped by e-mail (or name) and their intervals merged.
"""

from __future__ import annotations

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

NAME = "zoom"
SIGNATURE = ("Join Time", "Leave Time")


def detect(table: list[list[str]]) -> bool:
    try:
        find_table(table, SIGNATURE, "")
    except ImportProblem:
        return False
    return True


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Participant]:
    table = rows(text)
    head, cols = find_table(table, SIGNATURE, path)
    c_name = pick(cols, "Name (Original Name)", "Name (original name)", "Name", "Participant")
    c_email = pick(cols, "User Email", "Email", "Email address")
    c_join, c_leave = pick(cols, "Join Time"), pick(cols, "Leave Time")
    c_minutes = pick(cols, "Duration (Minutes)", "Duration(Minutes)", "Duration")
    c_guest = pick(cols, "Guest")
    body = [(i + 1, r) for i, r in enumerate(table) if i > head and any(x.strip() for x in r)]
    times = Times(zone, [cell(r, c) for _, r in body for c in (c_join, c_leave)], day)
    people: dict[str, Participant] = {}
    for line, r in body:
        name, email = cell(r, c_name), cell(r, c_email)
        key = email.lower() or name.lower()
        p = people.setdefault(key, Participant(name, email, line))
        join = times.parse(cell(r, c_join), path, line)
        leave = times.parse(cell(r, c_leave), path, line)
        p.intervals.append((join, leave))
        p.minutes += minutes_of(cell(r, c_minutes)) or 0.0
        p.first_join = join if p.first_join is None else min(p.first_join, join)
        p.guest = p.guest or cell(r, c_guest).lower() in ("yes", "true", "y")
    return list(people.values())
