"""Microsoft Teams attendance reports (Attendance tab > Download).

A tab-separated, UTF-16 file with a byte-order mark, in numbered sections::

    1. Summary                     meeting title, start and end, …
    2. Participants                Name, First Join, Last Leave, In-Meeting Duration,
                                   Email, Participant ID (UPN), Role
    3. In-Meeting Activities       Name, Join Time, Leave Time, Duration, Email, Role

Durations are written ``1h 2m 3s``. The activities section (one row per
connection) gives exact intervals; without it the participants' total
duration is used.

Two older layouts are read too. From 2021 to 2022: a "Meeting Summary"
block, then ``Full Name, Join Time, Leave Time, Duration, Email, Role``.
Before that, the attendance list downloaded during the meeting: ``Full
Name, User Action, Timestamp`` with one row per ``Joined`` / ``Left`` /
``Joined before`` event and no e-mail (so people are matched through the
identity map). Someone who had not left when that list was downloaded is
counted until the session's end.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

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
SIGNATURE_2021 = ("Full Name", "Join Time", "Leave Time")
SIGNATURE_EVENTS = ("Full Name", "User Action", "Timestamp")
_LAYOUTS = (SIGNATURE, SIGNATURE_2021, SIGNATURE_EVENTS)


def _layout(table: list[list[str]]) -> tuple[str, ...] | None:
    for signature in _LAYOUTS:
        try:
            find_table(table, signature, "")
        except ImportProblem:
            continue
        return signature
    return None


def detect(table: list[list[str]]) -> bool:
    return _layout(table) is not None


_SECTION = re.compile(r"^\d+\.\s")  # "2. Participants"


def _section_end(table: list[list[str]], start: int) -> int:
    """The first blank row or section title after ``start``."""
    for i in range(start, len(table)):
        if not any(c.strip() for c in table[i]) or _SECTION.match(table[i][0].strip()):
            return i
    return len(table)


def read(text: str, path: str, zone: tzinfo, day: date | None = None) -> list[Participant]:
    table = rows(text, path)
    layout = _layout(table)
    if layout == SIGNATURE_2021:
        return _read_connections(table, path, zone, day)
    if layout == SIGNATURE_EVENTS:
        return _read_events(table, path, zone, day)
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


def _read_connections(table: list[list[str]], path: str, zone: tzinfo,
                      day: date | None) -> list[Participant]:
    """The 2021 layout: one row per connection, with join and leave times."""
    head, cols = find_table(table, SIGNATURE_2021, path)
    c_name, c_email = pick(cols, "Full Name"), pick(cols, "Email")
    c_join, c_leave = pick(cols, "Join Time"), pick(cols, "Leave Time")
    c_dur = pick(cols, "Duration")
    body = [(i + 1, table[i]) for i in range(head + 1, _section_end(table, head + 1))]
    times = Times(zone, [cell(r, c) for _, r in body for c in (c_join, c_leave)], day)
    people: dict[str, Participant] = {}
    for line, r in body:
        name, email = cell(r, c_name), cell(r, c_email)
        p = people.setdefault(email.lower() or name.lower(), Participant(name, email, line))
        join = times.parse(cell(r, c_join), path, line)
        p.intervals.append((join, times.parse(cell(r, c_leave), path, line)))
        p.minutes += minutes_of(cell(r, c_dur)) or 0.0
        p.first_join = join if p.first_join is None else min(p.first_join, join)
    return list(people.values())


# Still in the meeting when the list was downloaded: counted until the session's end,
# which the attendance rule clips every interval to.
_OPEN = timedelta(days=1)


def _read_events(table: list[list[str]], path: str, zone: tzinfo,
                 day: date | None) -> list[Participant]:
    """The pre-2021 layout: ``Joined`` / ``Left`` / ``Joined before`` events per name."""
    head, cols = find_table(table, SIGNATURE_EVENTS, path)
    c_name, c_action = pick(cols, "Full Name"), pick(cols, "User Action")
    c_time = pick(cols, "Timestamp")
    body = [(i + 1, r) for i, r in enumerate(table) if i > head and any(x.strip() for x in r)]
    times = Times(zone, [cell(r, c_time) for _, r in body], day)
    people: dict[str, Participant] = {}
    since: dict[str, datetime] = {}
    for line, r in sorted(body, key=lambda lr: times.parse(cell(lr[1], c_time), path, lr[0])):
        name, action = cell(r, c_name), cell(r, c_action).lower()
        at = times.parse(cell(r, c_time), path, line)
        p = people.setdefault(name.lower(), Participant(name, "", line))
        if action.startswith("joined"):
            since.setdefault(name.lower(), at)
            p.first_join = at if p.first_join is None else min(p.first_join, at)
        elif action.startswith("left") and name.lower() in since:
            p.intervals.append((since.pop(name.lower()), at))
        elif not action.startswith("left"):
            raise ImportProblem(path, line, f"user action {cell(r, c_action)!r} is not "
                                "'Joined', 'Joined before' or 'Left'")
    for key, start in since.items():
        people[key].intervals.append((start, start + _OPEN))
    return list(people.values())
