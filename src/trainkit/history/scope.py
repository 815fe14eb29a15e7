"""Where a change can move check results, so ``diff`` runs the rules only there.

``trainkit diff`` reports the problems a change introduces or resolves. Both
revisions are loaded and resolved in full (file and reference problems are
always complete), but the cross-file rules only need to look at the cohorts
whose problems can differ: the changed cohorts and every cohort that shares
an instructor, a learner or a room with one of them (double-bookings,
weekly hours and make-ups are decided among those). A changed program,
instructor, venue or learner brings in the cohorts that use it; changed
attendance rows bring in their cohorts. Problems outside that scope are the
same in both revisions and would cancel out anyway.

What changed is read from the files (their git blob ids), not by comparing
the two models object by object, so finding the scope costs next to nothing
when a pull request touches a few files of a large academy.

A change to the academy settings or the competency framework, or a scope
covering most cohorts, runs the rules on everything (``None``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath

from trainkit.model import Academy, Cohort

FULL_SHARE = 0.5  # past this share of cohorts, restricting saves too little to bother
GLOBAL_FILES = {"trainkit.yaml", "trainkit.yml", "competencies.yaml", "competencies.yml"}


def changed_files(old: dict[str, str], new: dict[str, str]) -> set[str]:
    """Paths whose blob differs, or that exist on one side only."""
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


class _Index:
    """Which cohorts (of both revisions) use each instructor, room, learner, venue, program."""

    def __init__(self, cohorts: Iterable[Cohort]) -> None:
        self.by: dict[str, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.keys: dict[str, set[tuple[str, object]]] = defaultdict(set)
        for c in cohorts:
            for kind, key in _keys(c):
                self.by[kind][key].add(c.id)
                self.keys[c.id].add((kind, key))

    def users(self, kind: str, keys: Iterable[object]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found |= self.by[kind].get(key, set())
        return found


def _keys(c: Cohort) -> Iterable[tuple[str, object]]:
    yield "program", c.program
    for i in c.instructors:
        yield "teacher", i
    for e in c.enrollments:
        yield "learner", e.learner
    for v in (c.venue, *(s.venue for s in c.sessions)):
        if v:
            yield "venue", v
    for s in c.sessions:
        yield from (("teacher", i) for i in s.instructors)
        if s.venue and s.room:
            yield "room", (s.venue, s.room)


def scope(old: Academy, new: Academy, files: set[str],
          limit: float = FULL_SHARE) -> set[str] | None:
    """The cohort ids whose rule results may differ, given the changed ``files``.

    ``None`` means all of them: the academy settings or competencies changed,
    or the scope holds more than ``limit`` of the cohorts.
    """
    if files & GLOBAL_FILES:
        return None
    index = _Index([*old.cohorts.values(), *new.cohorts.values()])
    seeds: set[str] = set()
    for path in files:
        seeds |= _touched(path, old, new, index)
    shared = ("teacher", "room", "learner")
    found = set(seeds)
    for cid in seeds:
        for kind, key in index.keys.get(cid, ()):
            if kind in shared:
                found |= index.by[kind][key]
    if len(found) > limit * max(len(old.cohorts), len(new.cohorts), 1):
        return None
    return found


def _touched(path: str, old: Academy, new: Academy, index: _Index) -> set[str]:
    """The cohorts one changed file can affect directly."""
    parts = PurePosixPath(path).parts
    stem = PurePosixPath(path).stem
    if parts[0] == "programs" and len(parts) == 4 and parts[2] == "cohorts":
        return {stem}
    if parts[0] == "programs" and len(parts) == 3:
        return index.users("program", [parts[1]])
    if parts[:2] == ("people", "instructors"):
        return index.users("teacher", [stem])
    if parts[0] == "venues":
        return index.users("venue", [stem])
    if parts[:2] == ("people", "learners"):
        ids = {x.id for a in (old, new) for x in a.learners.values() if x.loc.path == path}
        return index.users("learner", ids)
    if parts[:2] == ("records", "attendance"):
        return {r.session.partition("/")[0] for a in (old, new) for r in a.attendance
                if r.loc.path == path}
    return set()  # courses and other records: rules see them whole on both sides


def restrict(academy: Academy, cohorts: Iterable[str]) -> Academy:
    """``academy`` with only ``cohorts`` (and their attendance rows); the rest kept whole."""
    keep = set(cohorts)
    return replace(
        academy,
        cohorts={k: c for k, c in academy.cohorts.items() if k in keep},
        attendance=tuple(r for r in academy.attendance if r.session.partition("/")[0] in keep),
    )
