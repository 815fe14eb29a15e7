"""CPU timing shared by the benchmarks: alternating rounds, min and median, verdicts.

Each benchmark compares a subject with a baseline timed in the same run. On a
shared machine wall time moves with everybody else's disk and CPU use, so
what is compared is CPU time: ``time.process_time`` for work done in this
process, ``resource.getrusage(RUSAGE_CHILDREN)`` deltas (user + system) for a
subprocess (all of its threads). Baseline and subject take turns within every
round, in the order A B, then B A in the next round, so a drift in the
machine's load (other jobs, a warming page cache) touches both alike.

Verdicts are on the **median** of the rounds: CPU time is disturbed only a
little by other work (caches, frequency), and always upwards, so the minimum
is the most flattering figure and the median the one a user will see; with a
few rounds the median still ignores one unlucky round. Both are printed.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Samples:
    """CPU seconds of one thing measured, one value per round."""

    name: str
    values: list[float] = field(default_factory=list)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def line(self) -> str:
        return (f"{self.name}: median {self.median:.2f} CPU s, min {self.min:.2f} "
                f"(rounds: {', '.join(f'{v:.2f}' for v in self.values)})")


def cpu_in_process(work: Callable[[], object]) -> float:
    """CPU seconds (user + system) this process spends in ``work``."""
    start = time.process_time()
    work()
    return time.process_time() - start


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds of the child and its threads
    wall: float
    returncode: int
    stdout: str
    stderr: str


def cpu_of_child(argv: Sequence[str], cwd: Path | None = None,
                 env: dict[str, str] | None = None, ok: Sequence[int] = (0,)) -> Run:
    """Run ``argv`` and return its CPU time from the children's resource usage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n"
                         f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return Run(cpu, wall, done.returncode, done.stdout, done.stderr)


def trainkit(args: Sequence[str]) -> list[str]:
    """The command line of ``trainkit ARGS`` with this interpreter (PYTHONPATH is kept)."""
    return [sys.executable, "-m", "trainkit", *args]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def alternate(rounds: int, steps: Sequence[tuple[str, Callable[[], float]]]) -> dict[str, Samples]:
    """Run every step once per round, forwards in even rounds and backwards in odd ones."""
    out = {name: Samples(name) for name, _ in steps}
    for i in range(rounds):
        for name, step in (steps if i % 2 == 0 else list(reversed(steps))):
            out[name].values.append(step())
    return out


def verdict(label: str, value: float, target: float, unit: str = "x") -> bool:
    """Print one target line; True when met."""
    met = value <= target
    shown = f"{target:.2f}".rstrip("0").rstrip(".")
    print(f"{label}: {value:.2f}{unit} (target <= {shown}{unit}: "
          f"{'met' if met else 'NOT met'})")
    return met


def one_against_two(build: Callable[[int], Run], repeat: int, names: dict[int, str],
                    label: str, wall_target: float, cpu_target: float) -> bool:
    """A build with ``--jobs 1`` against one with ``--jobs 2`` (``build(jobs)``), taking
    turns for ``repeat`` rounds: each round's and the medians' wall and CPU time printed,
    and the targets on the ratios of the medians (``label``: what jobs 2 does). True when
    both are met."""
    runs: dict[int, list[Run]] = {1: [], 2: []}
    for i in range(repeat):
        for jobs in ((1, 2) if i % 2 == 0 else (2, 1)):
            done = build(jobs)
            runs[jobs].append(done)
            print(f"round {i + 1}, --jobs {jobs}: wall {done.wall:.2f} s, CPU {done.cpu:.2f} s",
                  flush=True)
    wall = {j: statistics.median(r.wall for r in done) for j, done in runs.items()}
    cpu = {j: statistics.median(r.cpu for r in done) for j, done in runs.items()}
    for jobs, done in runs.items():
        print(f"{names[jobs]}: wall median {wall[jobs]:.2f} s, min "
              f"{min(r.wall for r in done):.2f}; CPU median {cpu[jobs]:.2f} s, min "
              f"{min(r.cpu for r in done):.2f}")
    ok = verdict(f"{label} / one process, wall", wall[2] / wall[1], wall_target)
    return verdict(f"{label} / one process, CPU", cpu[2] / cpu[1], cpu_target) and ok


def overall(ok: bool) -> int:
    print(f"overall: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1
