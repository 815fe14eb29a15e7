"""unknown-competency, unknown-level, unknown-role, role-cycle, unknown-learner: skills references.

Every competency that is awarded (``awards:`` of programs, courses and
quizzes), required (``competencies:`` of a role, competency prerequisites)
or evidenced (rows of ``records/evidence/*.csv``) must be in
``competencies.yaml``, at one of its ``levels``:

* ``unknown-competency``: the competency id is not in ``competencies.yaml``.
* ``unknown-level``: the level is not one of the competency's ``levels``;
  or an award or evidence row leaves the level out although the competency
  has levels (say which level it gives); or gives one although it has none.
* ``unknown-role``: a learner's ``roles:`` or a role's ``extends:`` names no
  file ``roles/<id>.yaml``.
* ``role-cycle``: a role extends itself, directly or through other roles;
  remove one ``extends`` entry of the cycle.
* ``unknown-learner``: an evidence row for a learner who is not in the
  learner directory.

Each message lists the closest known names, so a typo is easy to spot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, CompetencyRef, Loc, Role
from trainkit.rules._util import err

CODES = {
    "unknown-competency": "error",
    "unknown-level": "error",
    "unknown-role": "error",
    "role-cycle": "error",
    "unknown-learner": "error",
}


def check(academy: Academy) -> Iterator[Diagnostic]:
    yield from _awards(academy)
    yield from _prerequisites(academy)
    yield from _roles(academy)
    yield from _evidence(academy)
    yield from _learner_roles(academy)


def _ref(a: Academy, ident: str, level: str | None, where: Loc, what: str,
         *, level_needed: bool = False) -> Iterator[Diagnostic]:
    if not a.competencies:
        return  # no framework at all: nothing to check against
    comp = a.competencies.get(ident)
    if comp is None:
        yield err(where, "unknown-competency",
                  f"{what} competency {ident!r} is not in competencies.yaml "
                  f"({did_you_mean(ident, a.competencies)})")
    elif level and not comp.levels:
        yield err(where, "unknown-level",
                  f"{what} competency {ident!r} has no levels; leave the level out")
    elif level and level not in comp.levels:
        yield err(where, "unknown-level",
                  f"{what} level {level!r} is not a level of {ident!r} "
                  f"({did_you_mean(level, comp.levels)})")
    elif not level and comp.levels and level_needed:
        yield err(where, "unknown-level",
                  f"{what} competency {ident!r} has levels ({', '.join(comp.levels)}); "
                  "say which one")


def _refs(a: Academy, refs: Iterable[CompetencyRef], what: str,
          level_needed: bool) -> Iterator[Diagnostic]:
    for r in refs:
        yield from _ref(a, r.id, r.level, r.loc, what, level_needed=level_needed)


def _awards(a: Academy) -> Iterator[Diagnostic]:
    for p in a.programs.values():
        yield from _refs(a, p.awards, "awarded", True)
        for assessment in p.assessments:
            yield from _refs(a, assessment.awards, "awarded", True)
    for c in a.courses.values():
        yield from _refs(a, c.awards, "awarded", True)
        for q in c.quizzes:
            yield from _refs(a, q.awards, "awarded", True)


def _prerequisites(a: Academy) -> Iterator[Diagnostic]:
    pres = [p.prerequisites for p in a.programs.values()]
    pres += [c.prerequisites for c in a.courses.values()]
    for pre in pres:
        yield from _refs(a, pre.levels, "prerequisite", False)


def _roles(a: Academy) -> Iterator[Diagnostic]:
    for role in a.roles.values():
        for r in role.requirements:
            yield from _ref(a, r.competency, r.level, r.loc, f"role {role.id!r}:")
        for parent, where in zip(role.extends, role.extends_locs, strict=False):
            if parent not in a.roles and f"role:{parent}" not in a.unusable:
                yield err(where, "unknown-role", f"role {role.id!r} extends {parent!r}, which "
                          f"is not defined in roles/ ({did_you_mean(parent, a.roles)})")
        cycle = _cycle(a.roles, role)
        if cycle:
            where = role.extends_locs[0] if role.extends_locs else role.loc
            yield err(where, "role-cycle",
                      f"role {role.id!r} extends itself: {' -> '.join(cycle)}; remove one "
                      "'extends' entry of the cycle")


def _cycle(roles: dict[str, Role], start: Role) -> list[str]:
    """The path of ids from ``start`` back to itself through ``extends``, or []."""
    stack: list[tuple[str, list[str]]] = [(p, [start.id, p]) for p in reversed(start.extends)]
    seen: set[str] = set()
    while stack:
        rid, path = stack.pop()
        if rid == start.id:
            return path
        if rid in seen or rid not in roles:
            continue
        seen.add(rid)
        stack.extend((p, [*path, p]) for p in reversed(roles[rid].extends))
    return []


def _evidence(a: Academy) -> Iterator[Diagnostic]:
    for e in a.evidence:
        if e.learner not in a.learners and f"learner:{e.learner}" not in a.unusable \
                and "learner:*" not in a.unusable:
            yield err(Loc(e.path, e.line, 1), "unknown-learner",
                      f"evidence for learner {e.learner!r}, who is not in the learner "
                      f"directory ({did_you_mean(e.learner, a.learners)})")
        yield from _ref(a, e.competency, e.level or None, Loc(e.path, e.line, 2 + len(e.learner)),
                        "evidence:", level_needed=True)


def _learner_roles(a: Academy) -> Iterator[Diagnostic]:
    for learner in a.learners.values():
        for i, rid in enumerate(learner.roles):
            if rid in a.roles or f"role:{rid}" in a.unusable:
                continue
            where = learner.role_locs[i] if i < len(learner.role_locs) else learner.loc
            yield err(where, "unknown-role",
                      f"learner {learner.id!r} has role {rid!r}, which is not defined in "
                      f"roles/ ({did_you_mean(rid, a.roles)})")
