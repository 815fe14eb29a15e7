"""Recommendations for every learner with a gap, ranked over arrays per group of alike learners.

:mod:`.recommend` says how a candidate is scored, :mod:`.recgroups` what a
ranking reads. Here that key is found for every learner and role at once,
from the standings of :class:`.gaps.Gaps`, without reading a row:

* the **gaps** of a learner for a role are a column of their group's met and
  expiring matrices, read as one integer (a bit per requirement); a role with
  such a set of gaps is a *kind*, and which candidates close which of its gaps
  is worked out once per kind (a candidate-by-competency matrix of the
  highest level each awards);
* **place** (city, time zone) and **history** (:mod:`.rechistory`) are small
  integer codes per learner; the prerequisite facts get a code only for the
  kinds whose candidates have prerequisites;
* a **key** is (kind, place, facts, history); learners with the same key get
  the same list.

Per (kind, place, facts) every candidate is scored without peers at once:
the weighted gap closed, soonness and seats are arrays over candidates, the
prerequisites are looked at only for candidates that have some, the place
per distinct place. Peers add at most their weight, so for each key only the
candidates within that (and a margin) of its ``top``-th best, history left
out, are scored in full, as flat arrays of (key, candidate) pairs, rounded
as ``round(x, 4)`` rounds; the ``top`` are kept by score, then item. What is
kept is, per key, the candidates and their peers shares, and per learner and
role the key: a :class:`~.recscore.Recommendation`, with its reason in words,
is made when it is read (:class:`Recommendations`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from trainkit.model import Academy, RoleRequirement
from trainkit.outcomes.skills.columns import Ints
from trainkit.outcomes.skills.evidence import Holdings, rank_of
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.lazy import Lazy
from trainkit.outcomes.skills.place import fit
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recgroups import Signatures
from trainkit.outcomes.skills.rechistory import Histories, Table
from trainkit.outcomes.skills.recscore import (
    _MARGIN,
    TOP,
    WEIGHTS,
    Candidate,
    Conditions,
    Recommendation,
    _counts_as,
    candidates,
    conditions,
    made,
)

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_NONE = Conditions(1.0, "", 0.0, "")  # no prerequisites, not in the learner's place


class Kind(NamedTuple):
    """A role and which of its requirements are gaps, with the candidates that close one."""

    role: str
    gaps: list[tuple[str, str, int, float]]  # (competency, level, rank, weight), in order
    total: float  # weight of all the role's requirements
    signature: Hashable  # (competency, rank) of each gap: the kind :mod:`.recgroups` knows
    cands: Ints  # positions in the pool of the candidates that close at least one gap
    gap: Floats  # per candidate of ``cands``: weight of the gaps it closes over ``total``
    facts: bool  # some of ``cands`` have prerequisites (see :mod:`.recgroups`)


class Offers:
    """The pool of candidates as arrays."""

    def __init__(self, academy: Academy, holdings: Holdings, pool: list[Candidate],
                 history: Histories) -> None:
        self.pool = pool
        self.comps = comps = holdings.index.of_competency
        self.award = np.full((len(pool), len(comps)), -1, dtype=np.int64)
        for i, c in enumerate(pool):  # the highest rank each candidate awards per competency
            for w in c.awards:
                j = comps.get(w.id)
                if j is not None:
                    rank = rank_of(academy.competencies.get(w.id), w.level) or 0
                    self.award[i, j] = max(int(self.award[i, j]), rank)
        self.soon = np.array([c.soon for c in pool], dtype=float)
        self.seats = np.array([c.seats for c in pool], dtype=float)
        self.item = np.array([history.items[_counts_as(c)] for c in pool], dtype=np.int64)
        order = sorted(range(len(pool)), key=lambda i: (pool[i].item, i))
        self.order = np.empty(len(pool), dtype=np.int64)  # score ties go by item, then pool
        self.order[order] = np.arange(len(pool))
        self.cohort = np.array([c.kind == "cohort" for c in pool], dtype=bool)
        self.ruled = np.array([c.kind == "cohort" and _has(academy, c.source) for c in pool],
                              dtype=bool)  # cohorts whose program has prerequisites


def _has(academy: Academy, program: str) -> bool:
    pre = academy.programs[program].prerequisites
    return bool(pre.programs or pre.courses or pre.competencies or pre.levels)


def ranked_for_groups(academy: Academy, holdings: Holdings, gaps: Gaps, as_of: datetime,
                      top: int = TOP) -> Recommendations:
    """The ``top`` recommendations of every learner and role with a gap (see the module)."""
    facts = PrerequisiteFacts(academy, as_of)
    history = Histories(academy, holdings, as_of)
    offers = Offers(academy, holdings, candidates(academy, as_of), history)
    signatures = Signatures(academy, facts, {})
    kinds: list[Kind] = []
    who, kind = _learner_roles(gaps, offers, signatures, kinds)
    people = holdings.index.learners
    # place: the learner's (city, time zone); facts: only for kinds that read them
    place = np.zeros(len(people), dtype=np.int64)
    fields = gaps.fields
    if any(fields.column("city")) or any(fields.column("timezone")):
        _, city = fields.codes("city")
        zones, zone = fields.codes("timezone")
        place[:len(city)] = city * len(zones) + zone
    facts_code = np.zeros(len(who), dtype=np.int64)
    reads = np.array([k.facts and signatures.reads_facts(k.signature) for k in kinds],
                     dtype=bool)
    if len(who) and reads.any():
        found: dict[Hashable, int] = {(): 0}
        for i in np.flatnonzero(reads[kind]).tolist():
            held = signatures.facts_of(people[who[i]], kinds[kind[i]].signature)
            facts_code[i] = found.setdefault(held, len(found))
    rest, rest_first = _distinct(kind, place[who], facts_code)
    key, key_first = _distinct(rest, history.code[who])
    ranking = Ranking(academy, facts, offers, kinds, people)
    ranking.score(history, rest, rest_first, key, key_first, who, kind, top)
    return Recommendations(ranking, who, kind, key)


def _learner_roles(gaps: Gaps, offers: Offers, signatures: Signatures, kinds: list[Kind]
                   ) -> tuple[Ints, Ints]:
    """(learner, kind) of every learner and role with a gap; ``kinds`` is filled in."""
    seen: dict[tuple[str, tuple[int, ...]], int] = {}
    signed: set[Hashable] = set()
    who, kind = [], []
    for roles, members in gaps.groups.items():
        mine = gaps.standing_of(roles)
        at = {k: i for i, k in enumerate(mine.keys)}
        for rid in roles:
            needs = gaps.needs.get(rid, ())
            if not needs:
                continue
            rows = [at[(r.competency, r.level or "")] for r, _ in needs]
            patterns, inverse = _patterns(~(mine.met[rows] | mine.expiring[rows]))
            ids = []
            for pattern in patterns:
                found = seen.get((rid, pattern))
                if found is None:
                    found = seen[(rid, pattern)] = -1 if not pattern else len(kinds)
                    if pattern:
                        kinds.append(_kind(gaps, offers, rid, needs, pattern))
                        if kinds[-1].facts and kinds[-1].signature not in signed:
                            signed.add(kinds[-1].signature)
                            signatures.add_kind(kinds[-1].signature, [
                                offers.pool[c].source for c in kinds[-1].cands.tolist()
                                if offers.cohort[c]])
                ids.append(found)
            code = np.array(ids, dtype=np.int64)[inverse]
            keep = code >= 0
            who.append(members[keep])
            kind.append(code[keep])
    if not who:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(who), np.concatenate(kind)


def _patterns(matrix: Bools) -> tuple[list[tuple[int, ...]], Ints]:
    """The distinct columns of ``matrix`` as the positions of their true rows, and the
    column's pattern, per column."""
    rows = len(matrix)
    if rows <= 62:
        bits = np.zeros(matrix.shape[1], dtype=np.int64)
        for j in range(rows):
            bits |= matrix[j].astype(np.int64) << j
        found, inverse = np.unique(bits, return_inverse=True)
        return ([tuple(j for j in range(rows) if v >> j & 1) for v in found.tolist()],
                inverse.reshape(-1))
    cols, inverse = np.unique(matrix.T, axis=0, return_inverse=True)
    return [tuple(np.flatnonzero(c).tolist()) for c in cols], inverse.reshape(-1)


def _kind(gaps: Gaps, offers: Offers, rid: str, needs: Sequence[tuple[RoleRequirement, int]],
          pattern: tuple[int, ...]) -> Kind:
    of_comp = gaps.holdings.index.of_competency
    wanted = [needs[j] for j in pattern]
    closes = offers.award[:, [of_comp[r.competency] for r, _ in wanted]] >= \
        np.array([rank for _, rank in wanted], dtype=np.int64)
    cands = np.flatnonzero(closes.any(axis=1))
    total = sum(r.weight for r, _ in needs) or 1.0
    which, inverse = _patterns(closes[cands].T)
    share = np.array([sum(wanted[j][0].weight for j in p) / total for p in which], dtype=float)
    return Kind(rid, [(r.competency, r.level or "", rank, r.weight) for r, rank in wanted],
                total, tuple((r.competency, rank) for r, rank in wanted), cands,
                share[inverse] if len(cands) else np.zeros(0), bool(offers.ruled[cands].any()))


def _distinct(*columns: Ints) -> tuple[Ints, Ints]:
    """A code per row for its values in ``columns`` (equal rows, equal codes), and the first
    row of each code."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        width = int(col.max()) + 1 if len(col) else 1
        code = np.unique(code * width + col, return_inverse=True)[1].reshape(-1)
    first = np.unique(code, return_index=True)[1]
    return code, first


def _rounded(x: Floats, parts: Callable[[int], tuple[float, ...]]) -> Floats:
    """``round(v, 4)`` of each score as :func:`.recscore.made` makes it: where the score is
    too near a half to tell from ``x``, from its six part values (``parts(i)``), summed as
    ``made`` sums them."""
    scaled = x * 10_000
    out: Floats = np.rint(scaled) / 10_000
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(sum(w * v for w, v in zip(WEIGHTS.values(), parts(i), strict=True)), 4)
    return out


class Ranking:
    """Per key, the kept candidates (positions in the pool), their peers shares and ranks."""

    def __init__(self, academy: Academy, facts: PrerequisiteFacts, offers: Offers,
                 kinds: list[Kind], people: list[str]) -> None:
        self.academy, self.facts, self.offers, self.kinds = academy, facts, offers, kinds
        self.people = people
        self.starts = np.zeros(1, dtype=np.int64)
        self.cand: Ints = np.zeros(0, dtype=np.int64)
        self.peer: Floats = np.zeros(0)
        self.kind_of: Ints = np.zeros(0, dtype=np.int64)
        self.learner_of: Ints = np.zeros(0, dtype=np.int64)
        self._made: dict[int, list[Recommendation]] = {}

    def score(self, history: Histories, rest: Ints, rest_first: Ints, key: Ints,
              key_first: Ints, who: Ints, kind: Ints, top: int) -> None:
        n_keys = len(key_first)
        self.kind_of, self.learner_of = kind[key_first], who[key_first]
        key_rest = rest[key_first]
        codes, key_hist = np.unique(history.code[who[key_first]], return_inverse=True)
        table = history.table(codes)
        by_rest = np.argsort(key_rest, kind="stable")
        bounds = np.searchsorted(key_rest[by_rest], np.arange(len(rest_first) + 1))
        kept: list[tuple[Ints, Ints, Floats]] = []
        for r, first in enumerate(rest_first.tolist()):
            keys = by_rest[bounds[r]:bounds[r + 1]]
            found = self._rest(history, table, int(kind[first]), int(who[first]), keys,
                               key_hist[keys].reshape(-1), top)
            if found is not None:
                kept.append(found)
        if not kept:
            self.starts = np.zeros(n_keys + 1, dtype=np.int64)
            return
        keys_, cand, peer = (np.concatenate(c) for c in zip(*kept, strict=True))
        order = np.argsort(keys_, kind="stable")
        self.cand, self.peer = cand[order], peer[order]
        self.starts = np.searchsorted(keys_[order], np.arange(n_keys + 1))

    def _rest(self, history: Histories, table: Table, kind_id: int, learner: int, keys: Ints,
              hist: Ints, top: int) -> tuple[Ints, Ints, Floats] | None:
        """Scores for the keys of one (kind, place, facts): the kept (key, candidate, peers)."""
        o, k = self.offers, self.kinds[kind_id]
        cands = k.cands
        if not len(cands) or top <= 0:
            return None
        pre, where = np.ones(len(cands)), np.zeros(len(cands))
        person = self.academy.learners.get(self.people[learner])
        lid = self.people[learner]
        for i in np.flatnonzero(o.ruled[cands]).tolist():
            found = conditions(self.academy, self.facts, o.pool[cands[i]], lid)
            pre[i], where[i] = (np.nan, 0.0) if found is None else \
                (found.prerequisites, found.place)
        if person is not None and (person.city or person.timezone):
            for i in np.flatnonzero(o.cohort[cands] & ~o.ruled[cands]).tolist():
                c = o.pool[cands[i]]
                where[i] = fit(self.academy, self.academy.cohorts[c.item], person)[0]
        w = WEIGHTS
        partial = w["gap"] * k.gap + w["soon"] * o.soon[cands]
        partial = partial + w["seats"] * o.seats[cands]
        partial = partial + w["prerequisites"] * pre
        able = ~np.isnan(partial)
        rough = np.where(able, partial + w["place"] * where, -np.inf)
        order = np.lexsort((np.arange(len(cands)), -rough))
        sorted_rough = rough[order]
        finite = int(able.sum())
        item = o.item[cands]
        # the top-th best without peers, history left out: a floor for each key
        counts = np.bincount(item, minlength=history.width)
        _, at, x = history.spread(table, hist)
        spare = np.bincount(at, weights=counts[x], minlength=len(keys))
        width = min(finite, top + int(spare.max(initial=0)))
        head = order[:width]
        _, mine = history.against(table, np.repeat(hist, width),
                                  np.tile(item[head], len(keys)))
        free = np.cumsum(~mine.reshape(len(keys), width), axis=1) if width else \
            np.zeros((len(keys), 0), dtype=np.int64)
        enough = free[:, -1] >= top if width else np.zeros(len(keys), dtype=bool)
        floor = np.where(enough, sorted_rough[np.argmax(free >= top, axis=1)] if width else 0,
                         -np.inf)
        reach = np.searchsorted(-sorted_rough[:finite],
                                -(floor - w["peers"] * table.bound[hist] - _MARGIN),
                                side="right")
        pair_key = np.repeat(np.arange(len(keys)), reach)
        local = order[np.arange(len(pair_key)) - np.repeat(np.cumsum(reach) - reach, reach)]
        peer, mine = history.against(table, hist[pair_key], item[local])
        pair_key, local, peer = pair_key[~mine], local[~mine], peer[~mine]
        raw = (partial[local] + w["peers"] * peer) + w["place"] * where[local]

        def parts(i: int) -> tuple[float, ...]:
            c = int(local[i])
            return (float(k.gap[c]), float(o.soon[cands[c]]), float(o.seats[cands[c]]),
                    float(pre[c]), float(peer[i]), float(where[c]))
        score = _rounded(raw, parts)
        ranked = np.lexsort((o.order[cands][local], -score, pair_key))
        pair_key, local, peer = pair_key[ranked], local[ranked], peer[ranked]
        starts = np.searchsorted(pair_key, pair_key, side="left")
        keep = np.arange(len(pair_key)) - starts < top
        return keys[pair_key[keep]], cands[local[keep]], peer[keep]

    def of(self, key: int) -> list[Recommendation]:
        """The ranked list of ``key``, made for its first learner (once)."""
        found = self._made.get(key)
        if found is None:
            k = self.kinds[int(self.kind_of[key])]
            lid = self.people[int(self.learner_of[key])]
            found = []
            lo, hi = int(self.starts[key]), int(self.starts[key + 1])
            for rank, (c, peer) in enumerate(zip(self.cand[lo:hi].tolist(),
                                                 self.peer[lo:hi].tolist(), strict=True), 1):
                cand = self.offers.pool[c]
                cond = conditions(self.academy, self.facts, cand, lid) or _NONE
                closed = [(comp, level, weight) for comp, level, rank_, weight in k.gaps
                          if int(self.offers.award[c, self.offers.comps[comp]]) >= rank_]
                found.append(made(lid, k.role, cand, closed, k.total, cond, peer, rank))
            self._made[key] = found
        return found

    def sizes(self) -> Ints:
        return np.diff(self.starts)


class Recommendations(Lazy[Recommendation]):
    """Every learner's ranked recommendations per role, sorted by learner and role: each list
    is scored per key (:class:`Ranking`) and made for a learner when it is read."""

    def __init__(self, ranking: Ranking, who: Ints, kind: Ints, key: Ints) -> None:
        self.ranking, self.who, self.kind, self.key = ranking, who, kind, key
        self._list: list[Recommendation] | None = None

    def _items(self) -> list[Recommendation]:
        if self._list is None:
            r = self.ranking
            people, kinds = r.people, r.kinds
            entries = sorted(zip(map(people.__getitem__, self.who.tolist()),
                                 (kinds[k].role for k in self.kind.tolist()),
                                 self.key.tolist(), strict=True))
            out: list[Recommendation] = []
            for lid, _, key in entries:
                ranked = r.of(key)
                out += ranked if not ranked or ranked[0].learner == lid else \
                    [x._replace(learner=lid) for x in ranked]
            self._list = out
        return self._list

    def __len__(self) -> int:
        if self._list is not None:
            return len(self._list)
        return int(self.ranking.sizes()[self.key].sum()) if len(self.key) else 0

