"""How fast competency evidence, role gaps and their roll-ups are, next to completion.

    python benchmarks/bench_skills.py [--scale 1.0] [--roles 20] [--evidence-rows 100000]
        [--attendance-rows 400000] [--quiz-results 200000] [--dir DIR] [--rounds 7]


Generates the synthetic academy (benchmarks/synth.py with roles: 100,000
learners each holding one of 20 roles over 50 competencies, programs and
courses that award competency levels, external evidence rows, and the
attendance and quiz records of the records benchmark), checks it once, then
times in alternating rounds (CPU time of this process; minimum and median of
seven rounds printed, the minima compared):

* the **baseline**: ``completion.evaluate`` for every enrolled learner;
* the **subject**: everything the skills build computes from those outcomes
  before it writes: the evidence of every learner (``skills.evidence.gather``),
  the standing of every learner against every requirement of their roles
  (``skills.gaps.Gaps``: held, expiring or a gap, per group of learners with
  the same roles), the roll-ups per role, organisation and manager, the
  per-competency coverage, and the **recommendations for every learner with
  a gap** (``skills.recommend.recommend`` given ``Gaps.rows()``, as the
  reports call it: ranked once per key of alike learners, see
  ``skills.recgroups`` and ``skills.recmatrix``, each learner and role with
  the key of its list).

Not in the subject: what writing costs. The rows of the gap report
(``Gaps.rows()``: one ``Standing`` per learner and requirement, with the
piece of evidence behind it) and each ``Recommendation`` with its reason in
words are made when a writer reads them, learner by learner, as the gap
report, ``recommendations.csv`` and the learner pages are written; the
subject stops where those writers start, like the other benchmarks that
leave out writing files.

Three more passes print the time of each part of the subject (the least of
the three).

It prints the subject as a ratio to the baseline (target <= 1.5x) and the
memory the subject keeps for half of the learners and for all of them
(tracemalloc; about 2x when growth is linear, at most 2.5x accepted), and
exits 1 when either target is missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import DEFAULTS, generate  # noqa: E402

from trainkit.model import Academy, QuizResult, Records  # noqa: E402
from trainkit.outcomes.completion import Outcome, evaluate  # noqa: E402
from trainkit.outcomes.skills.evidence import gather  # noqa: E402
from trainkit.outcomes.skills.gaps import Gaps  # noqa: E402
from trainkit.outcomes.skills.recommend import recommend  # noqa: E402
from trainkit.outcomes.skills.rollups import GROUPINGS, coverage, rollups  # noqa: E402
from trainkit.pipeline import check_dir  # noqa: E402

TARGET = 1.5  # skills as a multiple of completion evaluation
MEMORY_TARGET = 2.5  # growth from half to all learners (2.0 is linear)
AS_OF = datetime(2026, 6, 1, tzinfo=UTC)  # synth.TODAY: every record lies before it
ROUNDS = 7


def interleaved(stages: dict[str, Callable[[], Any]], rounds: int = ROUNDS
                ) -> dict[str, list[float]]:
    """CPU times of each stage over ``rounds`` rounds that run every stage once, in turn."""
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(rounds):
        for name, fn in stages.items():
            gc.collect()
            t0 = time.process_time()
            result = fn()
            times[name].append(time.process_time() - t0)
            del result
    return times


def skills(academy: Academy, outcomes: list[Outcome],
           spent: dict[str, float] | None = None) -> tuple[Any, ...]:
    """Everything the subject computes; ``spent``: CPU seconds per part, when given."""
    clock = [time.process_time()]

    def lap(name: str) -> None:
        clock.append(time.process_time())
        if spent is not None:
            spent[name] = clock[-1] - clock[-2]
    held = gather(academy, outcomes, AS_OF)
    gaps = Gaps(academy, held, AS_OF.date())
    lap("evidence and standings")
    sums = [rollups(academy, gaps, g) for g in GROUPINGS]
    cover = coverage(academy, held, gaps, AS_OF.date())
    lap("roll-ups and coverage")
    rows = gaps.rows()  # made when a writer reads them
    recs = recommend(academy, held, rows, AS_OF)
    lap("recommendations")
    return held, gaps, sums, cover, rows, recs


def restricted(academy: Academy, outcomes: list[Outcome], share: float
               ) -> tuple[Academy, list[Outcome]]:
    """The academy with only the first ``share`` of its learners (and their records)."""
    ids = sorted(academy.learners)
    keep = set(ids[: int(len(ids) * share)])
    results = Records.of(QuizResult, (r for r in academy.quiz_results if r.learner in keep))
    part = dataclasses.replace(
        academy, learners={k: v for k, v in academy.learners.items() if k in keep},
        evidence=tuple(e for e in academy.evidence if e.learner in keep), quiz_results=results)
    return part, [o for o in outcomes if o.learner in keep]


def held_memory(academy: Academy, outcomes: list[Outcome]) -> int:
    gc.collect()
    tracemalloc.start()
    kept = skills(academy, outcomes)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return current


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--roles", type=int, default=20)
    ap.add_argument("--evidence-rows", type=int, default=100_000)
    ap.add_argument("--attendance-rows", type=int, default=400_000)
    ap.add_argument("--quiz-results", type=int, default=200_000)
    ap.add_argument("--dir", type=Path, default=None, help="reuse or keep the academy here")
    ap.add_argument("--rounds", type=int, default=ROUNDS, help="alternating rounds")
    args = ap.parse_args(argv)
    root = args.dir or Path(tempfile.mkdtemp(prefix="bench-skills-"))
    if not (root / "trainkit.yaml").exists():
        sizes = {k: max(1, int(v * args.scale)) for k, v in DEFAULTS.items()}
        summary = generate(root, **sizes, attendance_rows=args.attendance_rows,
                           quiz_results=args.quiz_results, roles=args.roles,
                           evidence_rows=args.evidence_rows)
        print(f"generated {root}: {summary}")
    t0 = time.perf_counter()
    result = check_dir(root)
    academy = result.academy
    assert academy is not None and not result.errors, [d.text() for d in result.errors[:5]]
    print(f"full check of the academy: {time.perf_counter() - t0:.1f} s wall (context only)")
    outcomes = evaluate(academy, AS_OF)
    spent: dict[str, float] = {}
    for _ in range(3):  # each part's least time over three passes
        gc.collect()
        once: dict[str, float] = {}
        _, found, *_, recs = skills(academy, outcomes, once)
        spent = {k: min(v, spent.get(k, v)) for k, v in once.items()}
    standings, gaps, with_gap = found.counts()
    print(f"{len(academy.learners)} learners, {len(academy.roles)} roles, "
          f"{len(academy.competencies)} competencies, {len(academy.evidence)} evidence rows, "
          f"{len(academy.attendance)} attendance rows, {len(academy.quiz_results)} quiz results; "
          f"{len(outcomes)} outcomes, {standings} standings of which {gaps} gaps, "
          f"{with_gap} learners with a gap, {len(recs)} recommendations")
    print("CPU seconds per part of the subject (least of three passes): " + ", ".join(
        f"{k} {v:.2f}" for k, v in spent.items()))
    times = interleaved({"completion": lambda: evaluate(academy, AS_OF),
                         "skills": lambda: skills(academy, outcomes)}, args.rounds)
    best = {k: min(v) for k, v in times.items()}
    middle = {k: statistics.median(v) for k, v in times.items()}
    ratio = best["skills"] / best["completion"]
    met = ratio <= TARGET
    print(f"\nCPU seconds over {args.rounds} alternating rounds (min / median): completion "
          f"evaluation {best['completion']:.3f} / {middle['completion']:.3f}, skills "
          f"(evidence, standings, roll-ups, coverage, recommendations) "
          f"{best['skills']:.3f} / "
          f"{middle['skills']:.3f}")
    print(f"skills / completion: {ratio:.2f}x on the minima, "
          f"{middle['skills'] / middle['completion']:.2f}x on the medians   "
          f"(target <= {TARGET:g}x on the minima: {'met' if met else 'NOT met'})")
    small = held_memory(*restricted(academy, outcomes, 0.5))
    big = held_memory(*restricted(academy, outcomes, 1.0))
    growth = big / small if small else float("inf")
    linear = growth <= MEMORY_TARGET
    print(f"\nmemory kept by skills: half the learners {small / 2**20:.0f} MiB, all "
          f"{big / 2**20:.0f} MiB; growth {growth:.2f}x (2.00 = linear; accepted <= "
          f"{MEMORY_TARGET:g}x: {'met' if linear else 'NOT met'})")
    return 0 if met and linear else 1


if __name__ == "__main__":
    sys.exit(main())
