"""How each cross-file rule of ``trainkit check`` scales with the number of sessions.

    python benchmarks/bench_rules.py [--scale 1.0] [--repeat 5] [--academy DIR]

A synthetic academy (benchmarks/synth.py: 20,000 sessions, 500 instructors,
100,000 learners at scale 1; or an existing one given with ``--academy``) is
loaded once. Each rule then runs on three nested subsets of its cohorts
(every fourth, every second, all), so the sessions double at each step while
instructors, rooms and venues stay the same. For every rule the script prints
the time RATIOS between the steps: a rule linear in the sessions shows about
2.0, an n log n one slightly more, an all-pairs one about 4.0. Absolute times
drift on a shared machine; ratios taken in one run do not. Each figure is the
best CPU time of ``--repeat`` runs with the garbage collector held off.

A second pass enrolls learners in three random cohorts each (the synthetic
academy enrolls each in one), doubling learners with cohorts, to load the
learner double-booking rule, which then compares many cohort pairs.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from trainkit import rules  # noqa: E402
from trainkit.load.sources import DirSource  # noqa: E402
from trainkit.model import Academy, Enrollment  # noqa: E402
from trainkit.pipeline import check_source  # noqa: E402

STEPS = (4, 2, 1)  # keep every k-th cohort


def subset(academy: Academy, every: int) -> Academy:
    kept = {cid: c for i, (cid, c) in enumerate(academy.cohorts.items()) if i % every == 0}
    return replace(academy, cohorts=kept)


def many_enrollments(academy: Academy, every: int, per_learner: int, seed: int = 7) -> Academy:
    """Every ``every``-th learner enrolled in ``per_learner`` random cohorts (deterministic)."""
    rng = random.Random(seed)
    ids = list(academy.cohorts)
    lists: dict[str, list[Enrollment]] = {cid: [] for cid in ids}
    for learner in list(academy.learners)[::every]:
        for cid in rng.sample(ids, per_learner):
            lists[cid].append(Enrollment(learner, "enrolled", None, academy.cohorts[cid].loc))
    cohorts = {cid: replace(c, enrollments=tuple(lists[cid])) for cid, c in academy.cohorts.items()}
    return replace(academy, cohorts=cohorts)


def best_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The fastest of ``repeat`` runs, with the garbage collector held off while timing."""
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()  # CPU time: steadier than wall time on a shared machine
            out = fn()
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return best, out


def sessions_in(academy: Academy) -> int:
    return sum(len(c.sessions) for c in academy.cohorts.values())


LINEAR = 2.5  # a doubling of the sessions may cost at most this much more (as bench_check)


def scaling(academy: Academy, repeat: int) -> bool:
    """Print each rule's cost per doubling; True when all of them together stay linear."""
    subsets = [subset(academy, k) for k in STEPS]
    sizes = [sessions_in(a) for a in subsets]
    print(f"sessions per step: {' -> '.join(f'{n:,}' for n in sizes)} "
          f"(ratios {sizes[1] / sizes[0]:.2f}, {sizes[2] / sizes[1]:.2f})")
    print(f"{'rule':28} {'x2 step 1':>10} {'x2 step 2':>10} {'share of all rules':>19}")
    times: dict[str, list[float]] = {}
    for rule in rules.all_rules():
        times[rule.name] = [best_time(lambda a=a, r=rule: list(r.check(a)), repeat)[0]
                            for a in subsets]
    total = sum(t[-1] for t in times.values())
    for name, t in times.items():
        r1 = t[1] / t[0] if t[0] > 0 else float("nan")
        r2 = t[2] / t[1] if t[1] > 0 else float("nan")
        print(f"{name:28} {r1:10.2f} {r2:10.2f} {t[2] / total:18.1%}")
    steps = [sum(t[i] for t in times.values()) for i in range(3)]
    print(f"{'all rules':28} {steps[1] / steps[0]:10.2f} {steps[2] / steps[1]:10.2f}")
    return max(steps[1] / steps[0], steps[2] / steps[1]) <= LINEAR


def learner_stress(academy: Academy, repeat: int) -> None:
    rule = next(r for r in rules.all_rules() if r.name == "learner-overlap")
    # Cohorts and learners both double at each step, so enrollments do too.
    loaded = [many_enrollments(subset(academy, k), k, 3) for k in STEPS]
    t = [best_time(lambda a=a: list(rule.check(a)), repeat) for a in loaded]
    found = [len(out) for _, out in t]  # type: ignore[arg-type]
    print(f"learner-overlap, every learner in 3 cohorts: x2 step ratios "
          f"{t[1][0] / t[0][0]:.2f}, {t[2][0] / t[1][0]:.2f} "
          f"(warnings found per step: {', '.join(map(str, found))})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--academy", type=Path, default=None,
                        help="use (or generate into, and keep) this academy folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.academy or Path(tmp) / "academy"
        if not (root / "trainkit.yaml").is_file():
            generate(root, programs=int(200 * args.scale), cohorts=int(2000 * args.scale),
                     sessions=int(20000 * args.scale), instructors=int(500 * args.scale),
                     learners=int(100000 * args.scale))
        t0 = time.perf_counter()
        result = check_source(DirSource(root), str(root), select=lambda name: False)
        load = time.perf_counter() - t0
        academy = result.academy
        assert academy is not None, result.diagnostics[:5]
        t_rules, found = best_time(lambda: rules.run(academy), 1)
        print(f"academy: {sessions_in(academy):,} sessions, {len(academy.instructors):,} "
              f"instructors, {len(academy.learners):,} learners")
        print(f"all rules once: {t_rules / load:.1%} of the time to load and resolve; "
              f"{len(found):,} problems found")  # type: ignore[arg-type]
        ok = scaling(academy, args.repeat)
        learner_stress(academy, args.repeat)
    print(f"overall: {'PASS' if ok else 'FAIL'} (all rules together at most {LINEAR}x per "
          "doubling of the sessions)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
