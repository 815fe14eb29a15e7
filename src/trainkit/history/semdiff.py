"""What a change does to people: a semantic diff of two resolved academies.

A line diff of YAML says "line 42 changed"; this says "session day2 of
fa-lon-2026-03 moved from Mon 30 Mar 09:00 to Tue 31 Mar 09:00 (10 learners,
2 instructors)". Both sides are fully resolved models, so recurrences,
template defaults and time zones are already applied: a change to a session
plan shows up as the sessions it really moves.

The change types are in :mod:`~trainkit.history.changes`; record changes in
:mod:`~trainkit.history.semdiff_records`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any

from trainkit.diagnostics import Diagnostic
from trainkit.history import semdiff_records as records
from trainkit.history.changes import Change, SemDiff, count, plain, when
from trainkit.history.semdiff_assessments import assessment_results
from trainkit.history.sequence import KEEP_REMOVED
from trainkit.model import (
    Academy,
    Cohort,
    Program,
    Session,
)


def diff(old: Academy | None, new: Academy | None, *,
         old_problems: Iterable[Diagnostic] = (), new_problems: Iterable[Diagnostic] = (),
         as_of: datetime | None = None) -> SemDiff:
    """Every semantic change from ``old`` to ``new`` (``None``: nothing there)."""
    out = SemDiff()
    olds = old.programs if old else {}
    news = new.programs if new else {}
    out.changes.extend(_programs(olds, news, new or old))
    out.changes.extend(_cohorts(old, new))
    out.changes.extend(records.records(old, new))
    out.changes.extend(assessment_results(old, new))
    if as_of is not None and out.changes:
        out.changes.extend(records.completion(old, new, out.changes, as_of))
    out.changes.sort(key=Change.sort_key)
    out.new_problems, out.resolved_problems = _problems(old_problems, new_problems)
    return out


# ---------------------------------------------------------------- programs


def _programs(olds: dict[str, Program], news: dict[str, Program],
              academy: Academy | None) -> Iterator[Change]:
    for pid in sorted(olds.keys() | news.keys()):
        a, b = olds.get(pid), news.get(pid)
        if a is None and b is not None:
            yield Change("program-added", pid, "", f"program '{pid}' added: {b.title}")
        elif b is None and a is not None:
            yield Change("program-removed", pid, "", f"program '{pid}' removed: {a.title}")
        elif a is not None and b is not None:
            learners = _program_learners(academy, pid)
            if plain(a.completion) != plain(b.completion):
                what = ", ".join(_completion_fields(a, b))
                yield Change("completion-rules-changed", pid, "",
                             f"completion rules changed: {what}", learners)
            if plain(a.certificate) != plain(b.certificate):
                yield Change("certificate-changed", pid, "", _certificate_text(a, b), learners)


def _program_learners(academy: Academy | None, pid: str) -> frozenset[str]:
    if academy is None:
        return frozenset()
    return frozenset(e.learner for c in academy.cohorts_of(pid) for e in c.active_enrollments())


def _completion_fields(a: Program, b: Program) -> Iterator[str]:
    for f in fields(a.completion):
        x, y = getattr(a.completion, f.name), getattr(b.completion, f.name)
        if f.name == "loc" or plain(x) == plain(y):
            continue
        name = f.name.replace("_", " ")
        if isinstance(x, _SCALAR) and isinstance(y, _SCALAR):
            yield f"{name} {_num(x)} -> {_num(y)}"
        else:
            yield name


_SCALAR = int | float | bool | str | None


def _num(value: object) -> str:
    if isinstance(value, float) and 0 < value <= 1:
        return f"{value:.0%}"
    return "none" if value is None else str(value)


def _certificate_text(a: Program, b: Program) -> str:
    ca, cb = a.certificate, b.certificate
    if ca is None or cb is None:
        return "certificate added" if ca is None else "certificate removed"

    def months(m: int | None) -> str:
        return "never expires" if m is None else f"{m} months"

    if ca.validity_months != cb.validity_months:
        return f"certificate validity {months(ca.validity_months)} -> {months(cb.validity_months)}"
    return f"certificate title '{ca.title}' -> '{cb.title}'"


# ---------------------------------------------------------------- cohorts


def _signature(c: Cohort) -> tuple[Any, ...]:
    return tuple(sorted((s.id, s.start, s.end) for s in c.sessions))


def _cohorts(old: Academy | None, new: Academy | None) -> Iterator[Change]:
    olds = old.cohorts if old else {}
    news = new.cohorts if new else {}
    removed = sorted(olds.keys() - news.keys())
    added = sorted(news.keys() - olds.keys())
    renamed: dict[str, str] = {}
    by_sig: dict[tuple[Any, ...], list[str]] = {}
    for cid in added:
        if news[cid].sessions:
            by_sig.setdefault(_signature(news[cid]), []).append(cid)
    for cid in removed:
        twins = by_sig.get(_signature(olds[cid]), [])
        if olds[cid].sessions and twins:
            renamed[cid] = twins.pop(0)
    for cid in removed:
        if cid not in renamed:
            yield _whole_cohort("cohort-removed", olds[cid], "removed", _GONE_ADVICE)
    for cid in added:
        if cid not in renamed.values():
            yield _whole_cohort("cohort-added", news[cid], "added")
    for a_id, b_id in sorted(renamed.items()):
        b = news[b_id]
        yield Change("cohort-renamed", b.program, b_id,
                     f"cohort '{a_id}' renamed to '{b_id}': its feed address and its events' "
                     "ids change with the name; committed as a rename, the build keeps the "
                     "old address alive with the cohort's events, but tell subscribers the "
                     "new one",
                     _enrolled(b), frozenset(b.instructors))
        yield from _cohort(olds[a_id], b)
    for cid in sorted(olds.keys() & news.keys()):
        # Plain equality (locations included) settles the usual unchanged cohort
        # quickly; only the rest pay for the location-blind comparison.
        if olds[cid] != news[cid]:
            yield from _cohort(olds[cid], news[cid])


def _enrolled(c: Cohort) -> frozenset[str]:
    return frozenset(e.learner for e in c.active_enrollments())


def _teachers(c: Cohort) -> frozenset[str]:
    return frozenset(c.instructors).union(*(s.instructors for s in c.sessions))


_DAYS = KEEP_REMOVED.days
_GONE_ADVICE = (f"; calendars that hold its sessions show them cancelled for {_DAYS} days: to "
                "tell people why, keep the file with 'status: cancelled' and a 'reason'")


def _whole_cohort(kind: str, c: Cohort, verb: str, advice: str = "") -> Change:
    live = [s for s in c.sessions if not s.cancelled]
    span = ""
    if live:
        first, last = live[0], live[-1]
        span = f", from {when(first.start, first.end, c.timezone)}"
        if len(live) > 1:
            span += f" to {when(last.start, last.end, c.timezone)}"
        span += f" {c.timezone}"
    text = f"cohort {verb}: {c.title} ({count(len(live), 'session')}{span}){advice}"
    return Change(kind, c.program, c.id, text, _enrolled(c), _teachers(c))


def _cohort(a: Cohort, b: Cohort) -> Iterator[Change]:
    if plain(a) == plain(b):
        return
    learners, teachers = _enrolled(a) | _enrolled(b), _teachers(a) | _teachers(b)

    def change(kind: str, text: str, who: Iterable[str] | None = None) -> Change:
        # A session-level change touches that session's instructors, not the whole team.
        return Change(kind, b.program, b.id, text, learners,
                      teachers if who is None else frozenset(who))

    if a.program != b.program:
        yield change("cohort-moved", f"moved from program '{a.program}' to '{b.program}'")
    if a.status != b.status:
        yield change("cohort-status", f"cohort status {a.status} -> {b.status}")
    details = [f"{name} {x!r} -> {y!r}" for name, x, y in (
        ("title", a.title, b.title), ("capacity", a.capacity, b.capacity),
        ("time zone", a.timezone, b.timezone)) if x != y]
    if details:
        yield change("cohort-details", "; ".join(details))
    yield from _sessions(a, b, change)
    yield from _enrollments(a, b)


def _sessions(a: Cohort, b: Cohort, change: Any) -> Iterator[Change]:
    olds = {s.id: s for s in a.sessions}
    news = {s.id: s for s in b.sessions}
    tz, old_tz = b.timezone, a.timezone
    for sid in sorted(news.keys() - olds.keys()):
        s = news[sid]
        yield change("session-added", f"session {sid} added: {when(s.start, s.end, tz)} ({tz})",
                     s.instructors)
    for sid in sorted(olds.keys() - news.keys()):
        s = olds[sid]
        advice = "" if s.cancelled else (
            f"; calendars that hold it show it cancelled for {_DAYS} days: to tell people why, "
            "keep it with 'status: cancelled' and a 'reason'")
        yield change("session-removed", f"session {sid} removed (was "
                     f"{when(s.start, s.end, old_tz)} {old_tz}){advice}", s.instructors)
    moves: dict[tuple[str, str], list[str]] = {}
    swaps: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    movers: set[str] = set()
    for sid in sorted(olds.keys() & news.keys()):
        x, y = olds[sid], news[sid]
        who = set(x.instructors) | set(y.instructors)
        if (x.start, x.end) != (y.start, y.end):
            # Each side in its own zone: the local times people had and will have.
            was = when(x.start, x.end, old_tz) + ("" if old_tz == tz else f" ({old_tz})")
            yield change("session-rescheduled", f"session {sid} rescheduled from "
                         f"{was} to {when(y.start, y.end, tz)} ({tz})", who)
        if x.status != y.status:
            yield _status_change(sid, y, change, who, tz)
        if _place(x) != _place(y):
            moves.setdefault((_place(x), _place(y)), []).append(sid)
            movers.update(who)
        if set(x.instructors) != set(y.instructors):
            gone = tuple(sorted(set(x.instructors) - set(y.instructors)))
            came = tuple(sorted(set(y.instructors) - set(x.instructors)))
            swaps.setdefault((gone, came), []).append(sid)
    for (was, now), sids in sorted(moves.items()):
        yield change("session-moved", f"{_sessions_text(sids, news)} moved from {was} to {now}",
                     movers)
    for (gone, came), sids in sorted(swaps.items()):
        yield change("instructors-changed",
                     f"{_sessions_text(sids, news)}: {_swap_text(gone, came)}", gone + came)


def _status_change(sid: str, s: Session, change: Any, who: set[str], tz: str) -> Change:
    at = f"{when(s.start, s.end, tz)} {tz}"
    if s.cancelled:
        reason = f": {s.reason}" if s.reason else ""
        return change("session-cancelled", f"session {sid} ({at}) cancelled{reason}", who)  # type: ignore[no-any-return]
    return change("session-restored", f"session {sid} ({at}) restored", who)  # type: ignore[no-any-return]


def _place(s: Session) -> str:
    if s.online or (s.venue is None and s.online_url):
        return "online"
    if s.venue is None:
        return "no venue"
    return f"{s.venue}/{s.room}" if s.room else s.venue


def _sessions_text(sids: list[str], all_sessions: dict[str, Session]) -> str:
    if len(sids) == len(all_sessions) and len(sids) > 1:
        return f"all {len(sids)} sessions"
    return ("session " if len(sids) == 1 else "sessions ") + ", ".join(sids)


def _swap_text(gone: tuple[str, ...], came: tuple[str, ...]) -> str:
    g = ", ".join(f"'{i}'" for i in gone)
    c = ", ".join(f"'{i}'" for i in came)
    if gone and came:
        return f"instructor {g} replaced by {c}"
    return f"instructor {c} added" if came else f"instructor {g} removed"


def _enrollments(a: Cohort, b: Cohort) -> Iterator[Change]:
    olds = {e.learner: e.status for e in a.enrollments}
    news = {e.learner: e.status for e in b.enrollments}
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for lid in sorted(olds.keys() | news.keys()):
        x, y = olds.get(lid, "none"), news.get(lid, "removed")
        if x == y:
            continue
        if y == "enrolled":
            kind = "from-waitlist" if x == "waitlisted" else "enrolled"
        elif y == "waitlisted":
            kind = "waitlisted"
        elif y in ("withdrawn", "removed"):
            kind = "withdrawn"
        else:
            kind = "enrollment-changed"
        groups.setdefault(kind, []).append((lid, x, y))
    verbs = {"enrolled": "enrolled", "from-waitlist": "moved from the waitlist to enrolled",
             "waitlisted": "put on the waitlist", "withdrawn": "withdrawn or removed",
             "enrollment-changed": "with another enrollment status"}
    for kind, rows in groups.items():
        text = f"{count(len(rows), 'learner')} {verbs[kind]}"
        private = tuple((lid, f"{x} -> {y}") for lid, x, y in rows)
        who = frozenset(r[0] for r in rows)
        yield Change(kind, b.program, b.id, text, who, frozenset(), private)


def _problems(old: Iterable[Diagnostic],
              new: Iterable[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Problems only in ``new`` and only in ``old``, matched by (code, message), not line."""
    a = Counter((d.code, d.message) for d in old)
    b = Counter((d.code, d.message) for d in new)
    extra, gone = b - a, a - b
    return _take(new, extra), _take(old, gone)


def _take(items: Iterable[Diagnostic], wanted: Counter[tuple[str, str]]) -> list[Diagnostic]:
    out = []
    for d in sorted(set(items)):
        if wanted[(d.code, d.message)] > 0:
            wanted[(d.code, d.message)] -= 1
            out.append(d)
    return out
