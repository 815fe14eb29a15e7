"""Next steps for each learner with a gap, ranked, each with its reason and score parts.

Candidates are the self-paced courses (and their graded quizzes) and the
coming cohorts (open, not started, seats left, the learner not in them) of
programs whose ``awards`` close at least one of the learner's gaps. A cohort
whose prerequisites the learner cannot meet by its first session is left
out, and so is a program the learner completed or holds a seat in a cohort of
that has not finished. The score is a sum of parts, each between 0 and 1 and shown:

* **gap** (weight 0.5): the weight of the learner's gaps it closes, over the
  total weight of the role;
* **soon** (0.2): 1 for a self-paced course; ``30 / (30 + days)`` for a cohort
  starting in ``days`` days;
* **seats** (0.1): 1 for a course; seats left, up to 5, over 5;
* **prerequisites** (0.1): 1 when met, 0.5 when they can still be met in time;
* **peers** (0.1): item-to-item co-occurrence over the completion records:
  of the learners who completed something this learner completed, the largest
  share who also completed the candidate;
* **place** (0.1): 1 for a cohort in the learner's ``city``, or online with
  every session between 08:00 and 20:00 in the learner's ``timezone`` (see
  :mod:`.place`; the reason says which); 0 for cohorts elsewhere, self-paced
  courses and learners who give neither.

No model is trained and nothing is fetched: the same academy and moment give
the same list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from trainkit.model import Academy
from trainkit.outcomes.skills.evidence import PROGRAM, Holdings
from trainkit.outcomes.skills.gaps import GapRows, Standing
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recgroups import Signatures
from trainkit.outcomes.skills.recmatrix import Recommendations, ranked_for_groups
from trainkit.outcomes.skills.recscore import (
    _MARGIN,
    TOP,
    WEIGHTS,
    Candidate,
    Recommendation,
    _closes,
    _counts_as,
    _peer,
    _score,
    candidates,
    closes_gaps,
    peers,
)

__all__ = ["TOP", "WEIGHTS", "Base", "Candidate", "Recommendation", "Recommendations",
           "_closes", "_score", "_shortlist", "candidates", "closes_gaps", "peers", "recommend"]


def recommend(academy: Academy, holdings: Holdings, rows: Iterable[Standing],
              as_of: datetime, top: int = TOP) -> Sequence[Recommendation]:
    """Ranked next steps for each learner and role with a gap, sorted by learner and role.

    Learners whose gaps, place, history and relevant prerequisite facts are the
    same (see :mod:`.recgroups`) get the same list: it is scored once per such
    group and given to each of them. Given the rows of :class:`.gaps.Gaps`
    (``Gaps.rows()``), the groups are found from its standings without reading
    a row, scored over arrays (:mod:`.recmatrix`), and each recommendation is
    made when it is read; given other standings, from those.
    """
    if isinstance(rows, GapRows):
        return ranked_for_groups(academy, holdings, rows.gaps, as_of, top)
    facts = PrerequisiteFacts(academy, as_of)
    pool = candidates(academy, as_of)
    done, pairs = peers(holdings)
    # a seat in a cohort still to finish: that program is under way, not a next step
    for c in academy.cohorts.values():
        if c.status != "cancelled" and c.end is not None and c.end > as_of:
            for e in c.active_enrollments():
                done.setdefault(e.learner, set()).add(f"{PROGRAM}:{c.program}")
    by_role: dict[tuple[str, str], list[Standing]] = defaultdict(list)
    for s in rows:
        by_role[(s.learner, s.role)].append(s)
    out: list[Recommendation] = []
    # which offerings close which gaps depends only on the gaps: worked out once per kind
    closing: dict[tuple[tuple[str, int], ...], list[tuple[Candidate, list[int]]]] = {}
    signatures = Signatures(academy, facts, done)
    bases: dict[Hashable, list[Base]] = {}
    scored: dict[Hashable, list[Recommendation]] = {}
    for (lid, rid), items in sorted(by_role.items()):
        gaps = [s for s in items if s.gap]
        if not gaps:
            continue
        total = sum(s.weight for s in items) or 1.0
        kind = tuple((s.competency, s.rank) for s in gaps)
        if kind not in closing:
            closing[kind] = [(c, found) for c in pool
                             if (found := _closes(academy, c, gaps))]
            signatures.add_kind(kind, [c.source for c, _ in closing[kind] if c.kind == "cohort"])
        key = signatures.of(lid, rid, gaps, total, kind)
        ranked = scored.get(key)
        if ranked is None:
            base = bases.get(key[0])
            if base is None:
                base = bases[key[0]] = _bases(academy, facts, lid, rid, gaps, total,
                                              closing[kind], pairs)
            short = _shortlist(base, done.get(lid, set()), top)
            ranked = scored[key] = _ranked(academy, facts, lid, rid, gaps, total, short,
                                           done, pairs, top)
        out += ranked if ranked and ranked[0].learner == lid else \
            [r._replace(learner=lid) for r in ranked]
    return out


class Base(NamedTuple):
    """A candidate's score without its peers part, and what completing it counts as."""

    score: float
    counts_as: str
    candidate: Candidate
    closes: list[int]


def _bases(academy: Academy, facts: PrerequisiteFacts, lid: str, rid: str,
           gaps: list[Standing], total: float, closing: list[tuple[Candidate, list[int]]],
           pairs: dict[tuple[str, str], int]) -> list[Base]:
    """The candidates a learner may take, best first by their score without peers."""
    out = []
    for cand, found in closing:
        scored = _score(academy, facts, cand, lid, rid, [gaps[i] for i in found], total,
                        {}, pairs)
        if scored is not None:
            out.append(Base(scored.score, _counts_as(cand), cand, found))
    out.sort(key=lambda b: -b.score)
    return out


def _shortlist(bases: list[Base], mine: set[str], top: int) -> list[Base]:
    """The candidates that can still be among the ``top``: peers add at most their weight,
    so one whose score without them is that much below the ``top``-th best cannot."""
    out: list[Base] = []
    floor = -1.0
    for b in bases:
        if b.score + WEIGHTS["peers"] + _MARGIN < floor:
            break
        if b.counts_as in mine:
            continue  # completed already, or under way
        out.append(b)
        if len(out) == top:
            floor = b.score
    return out


def _ranked(academy: Academy, facts: PrerequisiteFacts, lid: str, rid: str,
            gaps: list[Standing], total: float, short: list[Base],
            done: dict[str, set[str]], pairs: dict[tuple[str, str], int],
            top: int) -> list[Recommendation]:
    """The ``top`` of ``short``: peers added first to find the few that can be in it, then
    those scored in full."""
    mine = done.get(lid, set())
    rough = sorted(((b.score + WEIGHTS["peers"] * _peer(b.counts_as, mine, pairs), b)
                    for b in short), key=lambda x: -x[0])
    floor = rough[top - 1][0] if 0 < top <= len(rough) else -1.0
    ranked = []
    for near, b in rough:
        if near + _MARGIN < floor:
            break
        scored = _score(academy, facts, b.candidate, lid, rid, [gaps[i] for i in b.closes],
                        total, done, pairs)
        if scored is not None:
            ranked.append(scored)
    ranked.sort(key=lambda r: (-r.score, r.item))
    return [r._replace(rank=i + 1) for i, r in enumerate(ranked[:top])]


