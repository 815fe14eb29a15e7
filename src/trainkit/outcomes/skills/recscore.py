"""The parts of a recommendation's score, the offerings it is made from, and its words.

See :mod:`.recommend` for how a score is made and what each part means; this
module holds the definitions both ways of ranking share: one candidate
scored for one learner (:func:`_score`, the reference) and whole groups of
alike learners at once (:mod:`.recmatrix`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from trainkit.model import Academy, CompetencyRef
from trainkit.outcomes.skills.evidence import COURSE, PROGRAM, Holdings, rank_of
from trainkit.outcomes.skills.gaps import Standing
from trainkit.outcomes.skills.place import fit
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts

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
    coming = []
    for c in academy.cohorts.values():
        program = academy.programs.get(c.program)
        if program is None or not program.awards or c.status != "open":
            continue
        start = c.start
        if start is None or start <= as_of:
            continue
        seats = c.capacity - sum(e.status == "enrolled" for e in c.enrollments)
        if seats > 0:
            coming.append((start.timestamp(), c.id, start, c, program.id, program.awards, seats))
    coming.sort(key=lambda x: (x[0], x[1]))  # by first session (an instant), then id
    for _, cid, start, c, pid, awards, seats in coming:
        days = (start - as_of).days
        venue = academy.venues.get(c.venue or "")
        where = f"{venue.address.city} " if venue and venue.address.city else ""
        out.append(Candidate("cohort", cid, pid, awards, 30 / (30 + days), min(seats, 5) / 5,
                             f"cohort {cid} ({where}{start.day} {start:%b %Y}), "
                             f"{seats} seat(s) left", seats, start))
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
    found = conditions(academy, facts, cand, lid)
    key = _counts_as(cand)
    mine = done.get(lid, set())
    if found is None or key in mine:
        return None  # cannot be met in time; or completed already (its evidence lapsed or
        # is too low), or under way
    return made(lid, rid, cand, [(s.competency, s.required, s.weight) for s in closed], total,
                found, _peer(key, mine, pairs))


class Conditions(NamedTuple):
    """What a candidate's prerequisites and place are for a learner, with words."""

    prerequisites: float
    prerequisites_text: str
    place: float
    place_text: str


def conditions(academy: Academy, facts: PrerequisiteFacts, cand: Candidate, lid: str
               ) -> Conditions | None:
    """The prerequisites and place parts for ``lid``; None when the prerequisites cannot be
    met by the first session."""
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
    return Conditions(pre, pre_text, place, place_text)


def made(lid: str, rid: str, cand: Candidate, closed: list[tuple[str, str, float]],
         total: float, found: Conditions, peer: float, rank: int = 0) -> Recommendation:
    """The recommendation of ``cand`` with its score, parts and reason; ``closed``:
    (competency, required level, weight) of each gap it closes, in order."""
    values = {"gap": sum(w for _, _, w in closed) / total, "soon": cand.soon,
              "seats": cand.seats, "prerequisites": found.prerequisites, "peers": peer,
              "place": found.place}
    score = round(sum(WEIGHTS[k] * v for k, v in values.items()), 4)
    needs = tuple(f"{c}: {level}" if level else c for c, level, _ in closed)
    reason = f"closes {', '.join(needs)} for role {rid}; {cand.when}{found.prerequisites_text}"
    if found.place_text:
        reason += f"; {found.place_text}"
    if peer:
        reason += f"; {peer:.0%} of learners with a similar history took it"
    return Recommendation(lid, rid, rank, cand.kind, cand.item, needs, score,
                          tuple((k, round(v, 4)) for k, v in values.items()), reason)
