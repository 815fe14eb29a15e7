"""Records and completion in the semantic diff: attendance, quiz results, revocations.

Record changes are grouped per cohort; completion status is evaluated for
both revisions at the same moment, and only for the programs the change
touches (completion, make-ups included, is decided within a program).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from trainkit.history.changes import Change, count, plain
from trainkit.model import Academy
from trainkit.outcomes.completion import evaluate


def records(old: Academy | None, new: Academy | None) -> Iterator[Change]:
    """Attendance rows added, changed or removed (per cohort), quiz results, revocations."""
    ref = new or old
    if ref is None:
        return
    if old is not None and new is not None and old.attendance == new.attendance:
        yield from _results(old, new)
        return
    a = {(r.session, r.learner): plain(r) for r in (old.attendance if old else ())}
    b = {(r.session, r.learner): plain(r) for r in (new.attendance if new else ())}
    per_cohort: dict[str, set[str]] = {}
    counts: dict[str, Counter[str]] = {}
    for key in a.keys() | b.keys():
        if a.get(key) == b.get(key):
            continue
        cid = key[0].partition("/")[0]
        per_cohort.setdefault(cid, set()).add(key[1])
        what = "added" if key not in a else "removed" if key not in b else "changed"
        counts.setdefault(cid, Counter())[what] += 1
    for cid in sorted(per_cohort):
        cohort = ref.cohorts.get(cid) or (old.cohorts.get(cid) if old else None)
        program = cohort.program if cohort else ""
        text = "attendance records: " + ", ".join(
            f"{n} {w}" for w, n in sorted(counts[cid].items()))
        yield Change("attendance-changed", program, cid, text, frozenset(per_cohort[cid]))
    yield from _results(old, new)


def _results(old: Academy | None, new: Academy | None) -> Iterator[Change]:
    qa = {plain(r) for r in (old.quiz_results if old else ())}
    qb = {plain(r) for r in (new.quiz_results if new else ())}
    if qa != qb:
        who = frozenset(r[0] for r in qa ^ qb)
        yield Change("quiz-results-changed", "", "",
                     f"quiz results: {len(qb - qa)} added, {len(qa - qb)} removed", who)
    ra = {r.certificate for r in (old.revocations if old else ())}
    rb = {r.certificate for r in (new.revocations if new else ())}
    if ra != rb:
        yield Change("certificates-revoked", "", "",
                     f"certificate revocations: {len(rb - ra)} added, {len(ra - rb)} removed")


def _touched_programs(changes: list[Change], academy: Academy | None) -> set[str]:
    """Programs whose learners' completion a change can move.

    Completion is decided per program (make-ups count within a program), so
    only the cohorts of these programs are evaluated.
    """
    programs = {c.program for c in changes if c.program}
    learners = {lid for c in changes if not c.program for lid in c.learners}
    if learners and academy is not None:
        programs |= {c.program for c in academy.cohorts.values()
                     if any(e.learner in learners for e in c.enrollments)}
    return programs


def _only(academy: Academy | None, programs: set[str]) -> Academy | None:
    if academy is None:
        return None
    return replace(academy, cohorts={k: c for k, c in academy.cohorts.items()
                                     if c.program in programs})


def completion(old: Academy | None, new: Academy | None, changes: list[Change],
               as_of: datetime) -> Iterator[Change]:
    """Learners whose completion status differs, in the programs ``changes`` touch."""
    programs = _touched_programs(changes, new or old)
    yield from _completion(_only(old, programs), _only(new, programs), as_of)


def _completion(old: Academy | None, new: Academy | None, as_of: datetime) -> Iterator[Change]:
    before = _statuses(evaluate, old, as_of)
    after = _statuses(evaluate, new, as_of)
    per_cohort: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for key in sorted(before.keys() & after.keys()):
        if before[key][0] != after[key][0]:
            program, cohort, learner = key
            per_cohort.setdefault((program, cohort), []).append(
                (learner, before[key][0], f"{after[key][0]} ({after[key][1]})" if after[key][1]
                 else after[key][0]))
    for (program, cohort), rows in sorted(per_cohort.items()):
        moves = Counter(f"{x} -> {y.split(' (')[0]}" for _, x, y in rows)
        text = f"completion status changes for {count(len(rows), 'learner')}: " + ", ".join(
            f"{n} {m}" for m, n in sorted(moves.items()))
        private = tuple((lid, f"{x} -> {y}") for lid, x, y in rows)
        yield Change("completion-changed", program, cohort, text,
                     frozenset(r[0] for r in rows), frozenset(), private)


def _statuses(evaluate: Any, academy: Academy | None,
              as_of: datetime) -> dict[tuple[str, str, str], tuple[str, str]]:
    if academy is None:
        return {}
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for o in evaluate(academy, as_of):
        out[(str(o.program), str(o.cohort), str(o.learner))] = (
            str(getattr(o.status, "value", o.status)), str(getattr(o, "reason", "") or ""))
    return out
