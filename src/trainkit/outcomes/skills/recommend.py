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
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import NamedTuple

from trainkit.model import Academy, CompetencyRef
from trainkit.outcomes.skills.evidence import COURSE, PROGRAM, Holdings, rank_of
from trainkit.outcomes.skills.gaps import Standing
from trainkit.outcomes.skills.place import fit
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recgroups import Signatures

WEIGHTS = {"gap": 0.5, "soon": 0.2, "seats": 0.1, "prerequisites": 0.1, "peers": 0.1,
           "place": 0.1}
TOP = 5
# scores are rounded to 4 places: a bound this much below can no longer tie or win
_MARGIN = 1e-3


class Recommendation(NamedTuple):
    learner: str
    role: str
    rank: int  # 1 = best
    kind: str  # cohort | course
    item: str  # cohort or course id
    closes: tuple[str, ...]  # "competency: level" of the gaps it closes
    score: float
    parts: tuple[tuple[str, float], ...]  # (part, value 0..1), in WEIGHTS order
    reason: str


class Candidate(NamedTuple):
    kind: str
    item: str  # cohort or course id
    source: str  # program or course id (what completing it counts as)
    awards: tuple[CompetencyRef, ...]
    soon: float
    seats: float
    when: str  # words: where and when, seats
    seats_left: int = 0  # cohorts: seats still free
    start: datetime | None = None  # cohorts: the first session


def candidates(academy: Academy, as_of: datetime) -> list[Candidate]:
    out = []
    for course in academy.courses.values():
        awards = course.awards + tuple(w for q in course.quizzes for w in q.awards)
        if awards:
            out.append(Candidate("course", course.id, course.id, awards, 1.0, 1.0,
                                 f"self-paced course {course.title!r}, any time"))
    for c in sorted(academy.cohorts.values(), key=lambda c: (c.start or as_of, c.id)):
        program = academy.programs.get(c.program)
        if program is None or not program.awards or c.status != "open" or c.start is None:
            continue
        seats = c.capacity - len(c.active_enrollments())
        if c.start <= as_of or seats <= 0:
            continue
        days = (c.start - as_of).days
        venue = academy.venues.get(c.venue or "")
        where = f"{venue.address.city} " if venue and venue.address.city else ""
        out.append(Candidate("cohort", c.id, program.id, program.awards, 30 / (30 + days),
                             min(seats, 5) / 5,
                             f"cohort {c.id} ({where}{c.start.day} {c.start:%b %Y}), "
                             f"{seats} seat(s) left", seats, c.start))
    return out


def peers(holdings: Holdings) -> tuple[dict[str, set[str]], dict[tuple[str, str], int]]:
    """What each learner completed (programs, courses), and how often two items go together."""
    done: dict[str, set[str]] = {}
    for lid, comps in holdings.by_learner.items():
        items = {f"{h.kind}:{h.source}" for hs in comps.values() for h in hs
                 if h.kind in (PROGRAM, COURSE)}
        if items:
            done[lid] = items
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for items in done.values():
        for x in items:
            for y in items:
                pairs[(x, y)] += 1  # (x, x) is how many completed x
    return done, pairs


def recommend(academy: Academy, holdings: Holdings, rows: Iterable[Standing],
              as_of: datetime, top: int = TOP) -> list[Recommendation]:
    """Ranked next steps for each learner and role with a gap.

    Learners whose gaps, place, history and relevant prerequisite facts are the
    same (see :mod:`.recgroups`) get the same list: it is scored once per such
    group and given to each of them.
    """
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


def _peer(key: str, mine: set[str], pairs: dict[tuple[str, str], int]) -> float:
    """Of the learners who completed something in ``mine``, the largest share who completed
    ``key`` too."""
    return max((pairs.get((x, key), 0) / pairs[(x, x)] for x in mine if (x, x) in pairs),
               default=0.0)


def _counts_as(cand: Candidate) -> str:
    return f"{PROGRAM if cand.kind == 'cohort' else COURSE}:{cand.source}"


def closes_gaps(academy: Academy, cand: Candidate, gaps: list[Standing]) -> list[Standing]:
    return [gaps[i] for i in _closes(academy, cand, gaps)]


def _closes(academy: Academy, cand: Candidate, gaps: list[Standing]) -> list[int]:
    """Positions of the gaps that ``cand`` closes."""
    out = []
    for i, s in enumerate(gaps):
        comp = academy.competencies.get(s.competency)
        if any(w.id == s.competency and (rank_of(comp, w.level) or 0) >= s.rank
               for w in cand.awards):
            out.append(i)
    return out


def _score(academy: Academy, facts: PrerequisiteFacts, cand: Candidate, lid: str, rid: str,
           closed: list[Standing], total: float, done: dict[str, set[str]],
           pairs: dict[tuple[str, str], int]) -> Recommendation | None:
    pre, pre_text = 1.0, ""
    if cand.kind == "cohort":
        missing = facts.missing(academy.programs[cand.source].prerequisites, lid,
                                cand.start or facts.as_of)
        if any(not m.how for m in missing):
            return None  # cannot be met in time
        if missing:
            pre = 0.5
            pre_text = "; prerequisites to meet first: " + ", ".join(
                f"{m.text} ({m.how})" for m in missing)
        elif academy.programs[cand.source].prerequisites.levels:
            pre_text = "; prerequisites met"
    place, place_text = 0.0, ""
    if cand.kind == "cohort":
        place, place_text = fit(academy, academy.cohorts[cand.item], academy.learners.get(lid))
    key = _counts_as(cand)
    mine = done.get(lid, set())
    if key in mine:
        return None  # completed already (its evidence lapsed or is too low), or under way
    peer = _peer(key, mine, pairs)
    values = {"gap": sum(s.weight for s in closed) / total, "soon": cand.soon,
              "seats": cand.seats, "prerequisites": pre, "peers": peer, "place": place}
    score = round(sum(WEIGHTS[k] * v for k, v in values.items()), 4)
    names = ", ".join(f"{s.competency}: {s.required}" if s.required else s.competency
                      for s in closed)
    reason = f"closes {names} for role {rid}; {cand.when}{pre_text}"
    if place_text:
        reason += f"; {place_text}"
    if peer:
        reason += f"; {peer:.0%} of learners with a similar history took it"
    return Recommendation(lid, rid, 0, cand.kind, cand.item,
                          tuple(f"{s.competency}: {s.required}" if s.required else s.competency
                                for s in closed),
                          score, tuple((k, round(v, 4)) for k, v in values.items()), reason)
