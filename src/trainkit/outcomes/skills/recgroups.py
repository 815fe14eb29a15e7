"""What a learner's recommendations depend on, as one key: learners with the same key get the
same ranked list (apart from their id), so it is scored once per key.

The ranking of :mod:`.recommend` reads, for a learner and role:

* the role and its gaps (competency, rank, level and weight of each) and the
  total weight of the role's requirements;
* the learner's ``city`` and ``timezone`` (:mod:`.place`);
* what the learner completed or is under way with (peers, and what is left out);
* for the prerequisites of the programs of candidate cohorts: when the learner
  completed each prerequisite program and passed each prerequisite course, the
  evidence they hold of each prerequisite competency (rank, date, expiry), and
  the cohorts they are enrolled in of programs that could still meet one in time.

Everything else a score reads (offerings, seats, dates, co-occurrence counts)
is the same for every learner. The key is exactly these, so grouping changes
no result; ``tests/test_skills_recgroups.py`` compares it with scoring every
learner on their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import NamedTuple

from trainkit.model import Academy, CompetencyRef, Loc, Prerequisites
from trainkit.outcomes.skills.evidence import rank_of
from trainkit.outcomes.skills.gaps import Standing
from trainkit.outcomes.skills.prerequisites import PrerequisiteFacts

_NOWHERE = Loc("", 0, 0)


class Relevant(NamedTuple):
    """The prerequisite facts a kind of gaps makes the ranking read."""

    programs: tuple[str, ...]  # prerequisite programs: completion day
    courses: tuple[str, ...]  # prerequisite courses: pass day
    competencies: tuple[str, ...]  # prerequisite competencies: evidence held
    seats: frozenset[str]  # programs whose cohorts might meet one in time: seats held


class Signatures:
    """Keys of learner and role (see the module's description), with facts read once."""

    def __init__(self, academy: Academy, facts: PrerequisiteFacts,
                 done: dict[str, set[str]]) -> None:
        self.academy, self.facts, self.done = academy, facts, done
        self._relevant: dict[Hashable, Relevant] = {}
        self._seated: dict[str, list[tuple[str, str]]] | None = None
        self._history: dict[str, frozenset[str]] = {}

    def add_kind(self, kind: Hashable, programs: Iterable[str]) -> None:
        """Gaps of ``kind`` have candidate cohorts of ``programs``."""
        self._relevant[kind] = self._relevant_to(programs)

    def of(self, learner: str, role: str, gaps: Sequence[Standing], total: float,
           kind: Hashable) -> tuple[Hashable, frozenset[str]]:
        """The key of ``learner`` for ``role`` and ``gaps`` (of a kind added before): all but
        the history, and the history (what the learner completed or is under way with)."""
        relevant = self._relevant[kind]
        person = self.academy.learners.get(learner)
        place = (person.city, person.timezone) if person else (None, None)
        history = self._history.get(learner)
        if history is None:
            history = self._history[learner] = frozenset(self.done.get(learner, ()))
        rest = (role, tuple((s.competency, s.rank, s.required, s.weight) for s in gaps), total,
                place, self._prerequisites(learner, relevant) if any(relevant) else ())
        return rest, history

    def reads_facts(self, kind: Hashable) -> bool:
        """Whether gaps of ``kind`` (added before) make the ranking read prerequisite facts."""
        return any(self._relevant[kind])

    def facts_of(self, learner: str, kind: Hashable) -> Hashable:
        """The prerequisite facts of ``learner`` that gaps of ``kind`` make the ranking read."""
        relevant = self._relevant[kind]
        return self._prerequisites(learner, relevant) if any(relevant) else ()

    def _relevant_to(self, programs: Iterable[str]) -> Relevant:
        a = self.academy
        pres = [a.programs[p].prerequisites for p in sorted(set(programs)) if p in a.programs]
        progs = sorted({p for pre in pres for p in pre.programs})
        courses = sorted({c for pre in pres for c in pre.courses})
        refs = [r for pre in pres for r in _refs(pre)]
        comps = sorted({r.id for r in refs})
        seats = set(progs)
        for ref in refs:  # programs that award a prerequisite level may be met in time
            comp = a.competencies.get(ref.id)
            need = rank_of(comp, ref.level) or 0
            seats |= {p.id for p in a.programs.values() if any(
                w.id == ref.id and (rank_of(comp, w.level) or 0) >= need for w in p.awards)}
        return Relevant(tuple(progs), tuple(courses), tuple(comps), frozenset(seats))

    def _prerequisites(self, learner: str, relevant: Relevant) -> Hashable:
        f = self.facts
        held = tuple(tuple((h.rank, h.on, h.expires) for h in f.holdings.of(learner, c))
                     for c in relevant.competencies)
        return (tuple(f.completed.get((learner, p)) for p in relevant.programs),
                tuple(f.passed.get((learner, c)) for c in relevant.courses), held,
                tuple(c for p, c in self.seated.get(learner, ()) if p in relevant.seats))

    @property
    def seated(self) -> dict[str, list[tuple[str, str]]]:
        """Per learner, (program, cohort) of each cohort they are enrolled in."""
        if self._seated is None:
            found: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for c in sorted(self.academy.cohorts.values(), key=lambda c: c.id):
                for e in c.enrollments:
                    if e.status == "enrolled":
                        found[e.learner].append((c.program, c.id))
            self._seated = dict(found)
        return self._seated


def _refs(pre: Prerequisites) -> tuple[CompetencyRef, ...]:
    if pre.levels:
        return pre.levels
    return tuple(CompetencyRef(c, None, _NOWHERE) for c in pre.competencies)
