"""What each learner completed or is under way with, as small codes, and what goes together.

The peers part of a recommendation (see :mod:`.recommend`) reads a learner's
history: the programs and courses they completed (evidence of kind program
or course), and the programs of cohorts they hold a seat in that have not
finished. Here every such item has a code, every distinct history a code
(learners with the same items share it: a history is interned item by item,
in item order, like a path in a tree), and the co-occurrence counts over the
completions (how many learners completed both x and y; x with x: how many
completed x) are one sorted array of pair codes with their counts. All of it
is made with operations over whole columns, from the evidence blocks.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from trainkit.model import Academy
from trainkit.outcomes.skills.columns import Ints
from trainkit.outcomes.skills.evidence import COURSE, PROGRAM, Holdings

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
DENSE = 1 << 22  # cells of a history x item table held whole (else looked up pair by pair)


class Table(NamedTuple):
    """Some histories' items, flat (``starts``, ``lengths``), and ``bound``: the largest peers
    share each can give an item it does not hold."""

    starts: Ints
    lengths: Ints
    items: Ints
    bound: Floats
    peer: Floats | None = None  # history x item: the peers share, when small enough to hold
    mine: Bools | None = None  # history x item: whether the history holds it (the same)


class Histories:
    """Per learner (a position of ``holdings.index``) the code of their history; 0: none."""

    def __init__(self, academy: Academy, holdings: Holdings, as_of: datetime) -> None:
        self.items: dict[str, int] = {}
        for pid in academy.programs:
            self.items[f"{PROGRAM}:{pid}"] = len(self.items)
        for cid in academy.courses:
            self.items[f"{COURSE}:{cid}"] = len(self.items)
        of_learner = holdings.index.of_learner
        done_who, done_item = [], []
        for b in holdings.blocks:
            if b.kind in (PROGRAM, COURSE) and b.source is not None and len(b.who):
                names = [self.items.setdefault(f"{b.kind}:{n}", len(self.items))
                         for n in b.names]
                done_who.append(b.who)
                done_item.append(np.array(names, dtype=np.int64)[b.source])
        seat_who: list[int | None] = []
        seat_item: list[int] = []
        for c in academy.cohorts.values():  # a seat in a cohort still to finish: under way
            end = c.end if c.status != "cancelled" else None
            if end is not None and end > as_of:
                code = self.items.setdefault(f"{PROGRAM}:{c.program}", len(self.items))
                found = [of_learner.get(e.learner) for e in c.enrollments
                         if e.status == "enrolled"]
                seat_who += found
                seat_item += [code] * len(found)
        size = self.width = len(self.items)
        learners = len(holdings.index.learners)
        done = _pairs(done_who, done_item, size)
        seated = np.array([-1 if w is None else w for w in seat_who], dtype=np.int64)
        both = _distinct(np.concatenate([done, (seated * size + np.array(
            seat_item, dtype=np.int64))[seated >= 0]]))
        self.code, self.parent, self.last = _interned(both // size, both % size, learners, size)
        self.counts_key, self.counts = _together(done // size, done % size, size)
        # per item x: the largest share of those who completed x who completed another item
        self._most = np.zeros(size)
        x, y = self.counts_key // size, self.counts_key % size
        alone = np.zeros(size, dtype=np.int64)
        alone[x[x == y]] = self.counts[x == y]
        other = x != y
        np.maximum.at(self._most, x[other], self.counts[other] / alone[x[other]])

    def members(self, codes: Ints) -> tuple[Ints, Ints]:
        """The items of each history in ``codes``: (position in ``codes``, item), flat."""
        at, items = [], []
        where, cur = np.arange(len(codes)), np.asarray(codes, dtype=np.int64)
        while len(cur):
            keep = cur > 0
            where, cur = where[keep], cur[keep]
            at.append(where)
            items.append(self.last[cur])
            cur = self.parent[cur]
        if not at:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(at), np.concatenate(items)

    def table(self, codes: Ints) -> Table:
        """The items of the histories ``codes`` (distinct), and the most each can add as
        peers share to an item it does not hold."""
        at, x = self.members(codes)
        order = np.argsort(at, kind="stable")
        at, x = at[order], x[order]
        lengths = np.bincount(at, minlength=len(codes))
        starts = np.cumsum(lengths) - lengths
        best = np.zeros(len(codes))
        some = np.flatnonzero(lengths)
        if len(x):
            best[some] = np.maximum.reduceat(self._most[x], starts[some])
        width = self.width
        if len(codes) * width > DENSE or width * width > DENSE:
            return Table(starts, lengths, x, best)
        share = np.zeros((width, width))  # of those who completed x, the share who did y
        cx, cy = self.counts_key // width, self.counts_key % width
        alone = np.zeros(width, dtype=np.int64)
        alone[cx[cx == cy]] = self.counts[cx == cy]
        share[cx, cy] = self.counts / alone[cx]
        peer = np.zeros((len(codes), width))
        if len(x):
            peer[some] = np.maximum.reduceat(share[x], starts[some], axis=0)
        mine = np.zeros((len(codes), width), dtype=bool)
        mine[at, x] = True
        return Table(starts, lengths, x, best, peer, mine)

    def against(self, table: Table, hist: Ints, item: Ints) -> tuple[Floats, Bools]:
        """For each (history, item), the history a position in ``table``: the peers share
        (of the learners who completed something in the history, the largest share who
        completed the item too; 0 when none did) and whether the item is in the history."""
        if table.peer is not None and table.mine is not None:
            return table.peer[hist, item], table.mine[hist, item]
        peer = np.zeros(len(hist))
        mine = np.zeros(len(hist), dtype=bool)
        n, pair, x = self.spread(table, hist)
        if not len(pair):
            return peer, mine
        first = np.cumsum(n) - n
        y = item[pair]
        together, alone = self._count(x * self.width + y), self._count(x * self.width + x)
        share = np.where(alone > 0, together / np.maximum(alone, 1), 0.0)
        some = np.flatnonzero(n)
        peer[some] = np.maximum.reduceat(share, first[some])
        mine[some] = np.logical_or.reduceat(x == y, first[some])
        return peer, mine

    @staticmethod
    def spread(table: Table, hist: Ints) -> tuple[Ints, Ints, Ints]:
        """For histories (positions in ``table``): how many items each has, and each of
        those items with the position in ``hist`` it belongs to (flat, in order)."""
        n = table.lengths[hist]
        first = np.cumsum(n) - n
        pair = np.repeat(np.arange(len(hist)), n)
        return n, pair, table.items[np.repeat(table.starts[hist] - first, n)
                                    + np.arange(len(pair))]

    def _count(self, keys: Ints) -> Ints:
        if not len(self.counts_key):
            return np.zeros(len(keys), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.counts_key, keys), len(self.counts_key) - 1)
        return np.where(self.counts_key[at] == keys, self.counts[at], 0)


def _pairs(who: list[Ints], item: list[Ints], size: int) -> Ints:
    """Distinct learner x item codes, sorted (by learner, then item)."""
    if not who:
        return np.zeros(0, dtype=np.int64)
    return _distinct(np.concatenate(who) * size + np.concatenate(item))


def _distinct(values: Ints) -> Ints:
    """The distinct values, sorted."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _interned(who: Ints, item: Ints, learners: int, size: int) -> tuple[Ints, Ints, Ints]:
    """Per learner the code of their (sorted) items; per code its parent code and last item.

    Code 0 is the empty history; a history of n items is its first n-1 items'
    code and its last item, so equal histories get equal codes.
    """
    code = np.zeros(learners, dtype=np.int64)
    parents, lasts = [np.zeros(1, dtype=np.int64)], [np.full(1, -1, dtype=np.int64)]
    if len(who):
        starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
        lengths = np.diff(np.r_[starts, len(who)])
        step = np.arange(len(who)) - np.repeat(starts, lengths)
        made = 1
        for k in range(int(lengths.max())):
            sel = step == k
            w, it = who[sel], item[sel]
            found, inverse = np.unique(code[w] * size + it, return_inverse=True)
            parents.append(found // size)
            lasts.append(found % size)
            code[w] = made + inverse
            made += len(found)
    return code, np.concatenate(parents), np.concatenate(lasts)


def _together(who: Ints, item: Ints, size: int) -> tuple[Ints, Ints]:
    """How many learners have both x and y, for every x, y of one learner (sorted codes)."""
    if not len(who):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]])
    lengths = np.diff(np.r_[starts, len(who)])
    n = np.repeat(lengths, lengths)  # per entry: items of its learner
    left = np.repeat(np.arange(len(who)), n)
    first = np.repeat(np.repeat(starts, lengths), n)
    right = first + np.arange(len(left)) - np.repeat(np.cumsum(n) - n, n)
    keys, counts = np.unique(item[left] * size + item[right], return_counts=True)
    return keys, counts
