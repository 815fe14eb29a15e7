"""What a change does to skills: gaps it closes or opens per role, and evidence that
starts or stops expiring soon, in counts (no learner is named).

Both revisions are judged as of the same moment (the diff's ``as_of``), so
only the change itself makes a difference: a completion or evidence row
added, a role that now needs more, a certificate revoked, a cohort moved.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from trainkit.model import Academy
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import EXPIRING, WINDOW, Gaps, Standing


def _standings(academy: Academy | None, as_of: datetime) -> dict[tuple[str, str, str], Standing]:
    if academy is None or not academy.roles:
        return {}
    held = gather(academy, evaluate(academy, as_of), as_of)
    return {(s.learner, s.role, s.competency): s
            for s in Gaps(academy, held, as_of.date()).rows()}


def _need(s: Standing) -> str:
    return f"{s.competency}: {s.required}" if s.required else s.competency


def skill_changes(old: Academy | None, new: Academy | None, as_of: datetime) -> list[str]:
    """Sentences, role by role, for the diff's report."""
    before, after = _standings(old, as_of), _standings(new, as_of)
    closed: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    expiring: Counter[tuple[str, str]] = Counter()
    for key in before.keys() | after.keys():
        a, b = before.get(key), after.get(key)
        role = key[1]
        if a is not None and a.gap and (b is None or not b.gap):
            closed[role] += 1
        if b is not None and b.gap and (a is None or not a.gap):
            opened[role] += 1
        soon_a = a is not None and a.status == EXPIRING
        if b is not None and b.status == EXPIRING and not soon_a:
            expiring[(role, _need(b))] += 1
    out = []
    for role in sorted(closed.keys() | opened.keys()):
        parts = []
        if closed[role]:
            parts.append(f"closes {closed[role]} gap(s)")
        if opened[role]:
            parts.append(f"opens {opened[role]} gap(s)")
        out.append(f"{' and '.join(parts)} for role {role}")
    for (role, need), n in sorted(expiring.items()):
        out.append(f"{n} learner(s) of role {role} hold {need} only until a date within "
                   f"{WINDOW.days} days")
    return out
