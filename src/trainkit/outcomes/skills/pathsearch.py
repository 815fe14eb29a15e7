"""The soonest learning path, found exactly: branch and bound over the offerings per gap.

See :mod:`.paths` for what a path is. The search takes the open gap with the
fewest offerings that close it, tries each of those offerings that fits the
path so far (no overlapping session, prerequisites met in time), and
abandons a partial path as soon as it cannot beat the best path known (the
step-by-step one to begin with): more gaps already left open, or a step that
ends later than the best path's last one when that path leaves no fewer gaps
open. A gap no fitting offering closes is left open. After ``SEARCH_LIMIT``
partial paths the search gives up and the caller keeps its own path.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from trainkit.model import Academy
from trainkit.outcomes.skills.gaps import Standing
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts
from trainkit.outcomes.skills.recommend import Candidate, closes_gaps

SEARCH_LIMIT = 20_000  # partial paths looked at for one learner and role
Busy = list[tuple[datetime, datetime]]
Score = tuple[int, date, int]  # open gaps, end of the last step, steps


class Option(NamedTuple):
    cand: Candidate
    closes: frozenset[int]  # positions of the gaps it closes
    done: date
    sessions: Busy
    starts: date  # the day of its first session (a course: today)


class _TooLong(Exception):
    """The search looked at SEARCH_LIMIT partial paths."""


def finish(academy: Academy, cand: Candidate, as_of: datetime) -> tuple[date, Busy]:
    """When an offering is done, and its live sessions (a course: today, none)."""
    if cand.kind == "course":
        return as_of.date(), []
    cohort = academy.cohorts[cand.item]
    live = [(s.start, s.end) for s in cohort.sessions if not s.cancelled]
    end = cohort.end or as_of
    return end.date(), live


def ready(academy: Academy, facts: PrerequisiteFacts, cand: Candidate, lid: str,
          gained: set[str]) -> bool:
    """Prerequisites met by the first session, can still be met, or awarded earlier on the path."""
    program = academy.programs[cand.source]
    cohort = academy.cohorts[cand.item]
    missing = facts.missing(program.prerequisites, lid, cohort.start or facts.as_of)
    return all(m.how or any(c in m.text for c in gained) for m in missing)


def best_path(academy: Academy, facts: PrerequisiteFacts, pool: list[Candidate], lid: str,
              gaps: list[Standing], as_of: datetime, known: Score
              ) -> list[tuple[Option, frozenset[int]]] | None:
    """The steps (each with the gaps it closes) of a path strictly better than ``known``,
    in the order they finish; None when there is none or the search is too long."""
    options: dict[int, list[Option]] = {i: [] for i in range(len(gaps))}
    for cand in pool:
        closed = frozenset(gaps.index(s) for s in closes_gaps(academy, cand, gaps))
        if closed:
            done, sessions = finish(academy, cand, as_of)
            start = min((a for a, _ in sessions), default=as_of).date()
            for i in closed:
                options[i].append(Option(cand, closed, done, sessions, start))
    search = _Search(academy, facts, lid, options, known)
    try:
        search.visit(frozenset(options), [], 0)
    except _TooLong:
        return None
    if search.best is None:
        return None
    return sorted(search.best, key=lambda step: (step[0].done, step[0].cand.item))


class _Search:
    def __init__(self, academy: Academy, facts: PrerequisiteFacts, lid: str,
                 options: dict[int, list[Option]], known: Score) -> None:
        self.academy, self.facts, self.lid, self.options = academy, facts, lid, options
        self.bound = known
        self.best: list[tuple[Option, frozenset[int]]] | None = None
        self.looked = 0

    def visit(self, left: frozenset[int], path: list[tuple[Option, frozenset[int]]],
              open_gaps: int) -> None:
        self.looked += 1
        if self.looked > SEARCH_LIMIT:
            raise _TooLong
        last = max((o.done for o, _ in path), default=date.min)
        if not left:
            score = (open_gaps, last, len(path))
            if score < self.bound:
                self.bound, self.best = score, list(path)
            return
        if (open_gaps, last, len(path)) >= self.bound:
            return  # more steps or gaps only make it worse
        gap = min(left, key=lambda i: (len(self.options[i]), i))
        tried = False
        for option in sorted(self.options[gap], key=lambda o: (o.done, o.cand.item)):
            if (open_gaps, max(last, option.done), len(path) + 1) >= self.bound:
                break  # the options after it end no sooner
            if option.cand.item in {o.cand.item for o, _ in path} or not self._fits(option, path):
                continue
            tried = True
            self.visit(left - option.closes, [*path, (option, option.closes & left)], open_gaps)
        if not tried:
            self.visit(left - {gap}, path, open_gaps + 1)

    def _fits(self, option: Option, path: list[tuple[Option, frozenset[int]]]) -> bool:
        busy = [span for o, _ in path for span in o.sessions]
        if any(a < e and s < b for s, e in option.sessions for a, b in busy):
            return False
        if option.cand.kind != "cohort":
            return True
        gained = {w.id for o, _ in path if o.done < option.starts for w in o.cand.awards}
        return ready(self.academy, self.facts, option.cand, self.lid, gained)
