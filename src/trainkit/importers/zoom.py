"""Zoom participant reports (Reports > Usage > Participants > Export).

The export may start with a meeting block (``Meeting ID, Topic, Start Time,
…``, one data row, a blank line) when "Export with meeting data" was ticked.
Column spellings changed over the years: ``Name (Original Name)`` /
``Name (original name)`` / ``Name``, ``User Email`` / ``Email``,
``Duration (Minutes)`` / ``Duration(Minutes)``, ``Join Time`` / ``Join time``.
Someone who drops out and rejoins appears on one row per connection; rows
are grouped by e-mail (or name) and their intervals merged.

With "Show unique users" ticked, Zoom merges each person's rows itself and
drops the join and leave times: ``Name (Original Name), User Email, Total
Duration (Minutes), Guest``. The total minutes then decide the status, and
nobody can be marked late (when they joined is not in the file).
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
SIGNATURE_UNIQUE = ("Total Duration (Minutes)",)


def _has(table: list[list[str]], signature: tuple[str, ...]) -> bool:
    try:
        find_table(table, signature, "")
    except ImportProblem:
        return False
    return True


def detect(table: list[list[str]]) -> bool:
    return _has(table, SIGNATURE) or _has(table, SIGNATURE_UNIQUE)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Participant]:
    table = rows(text, path)
    if not _has(table, SIGNATURE) and _has(table, SIGNATURE_UNIQUE):
        return _read_unique(table, path)
    head, cols = find_table(table, SIGNATURE, path)
    c_name, c_email = _name_columns(cols)
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


def _name_columns(cols: dict[str, int]) -> tuple[int | None, int | None]:
    return (pick(cols, "Name (Original Name)", "Name", "Participant"),
            pick(cols, "User Email", "Email", "Email address"))


def _read_unique(table: list[list[str]], path: str) -> list[Participant]:
    """A "Show unique users" export: one row a person, total minutes, no times."""
    head, cols = find_table(table, SIGNATURE_UNIQUE, path)
    c_name, c_email = _name_columns(cols)
    c_minutes, c_guest = pick(cols, *SIGNATURE_UNIQUE), pick(cols, "Guest")
    people: dict[str, Participant] = {}
    for i in range(head + 1, len(table)):
        r, line = table[i], i + 1
        if not any(x.strip() for x in r):
            continue
        minutes = minutes_of(cell(r, c_minutes))
        if minutes is None:
            raise ImportProblem(path, line, f"total duration {cell(r, c_minutes)!r} is not a "
                                "number of minutes")
        name, email = cell(r, c_name), cell(r, c_email)
        p = people.setdefault(email.lower() or name.lower(), Participant(name, email, line))
        p.minutes += minutes
        p.guest = p.guest or cell(r, c_guest).lower() in ("yes", "true", "y")
    return list(people.values())
