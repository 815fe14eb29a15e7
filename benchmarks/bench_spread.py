"""The private reports split over processes: what it saves, what it costs.

    python benchmarks/bench_spread.py [--scale 1.0] [--repeat 3] [--work DIR]

Generates the synthetic academy (``synth.py``, as ``bench_build.py`` does, and
in the same ``--work`` folder it reuses), then in each round builds the
reports writer alone, everything in it made again (``trainkit build --only
reports --no-cache``: every chart drawn, every roster, sign-in sheet and
completion page made, as after a trainkit upgrade once the other writers have
finished), twice, taking turns:

* **one process**: ``--jobs 1``;
* **split**: ``--jobs 2``: once the programs' effectiveness pages, the
  completion pages or the rosters have cost half a CPU second and the rest is
  expected to cost two more, the rest is split between this process and a
  forked one (``trainkit.writers.units.spread``).

Both the wall time and the CPU time (user + system of the build and its
children) are measured; the split is for the wall time, and must not cost much
CPU for it. Targets, on the medians: wall time of the split build <= 0.8x the
one-process build's, CPU time <= 1.15x. Exits 1 when a target is missed. Needs
2 cores or more.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import Builds, academy_options, build_options, synthetic  # noqa: E402
from timing import Run, overall, verdict  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = academy_options(__doc__).parse_args(argv)
    if (os.cpu_count() or 1) < 2:
        print("one core: nothing to split the reports over; not measured")
        return overall(True)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-spread-"))
    root = synthetic(work, args.scale)
    builds = Builds(root, work / "spread", build_options())  # outputs of its own

    def build(jobs: int) -> Run:
        return builds.run("--only", "reports", "--no-cache", "--jobs", str(jobs))

    runs: dict[int, list[Run]] = {1: [], 2: []}
    for i in range(args.repeat):
        for jobs in ((1, 2) if i % 2 == 0 else (2, 1)):
            runs[jobs].append(build(jobs))
            print(f"round {i + 1}, --jobs {jobs}: wall {runs[jobs][-1].wall:.2f} s, "
                  f"CPU {runs[jobs][-1].cpu:.2f} s", flush=True)
    names = {1: "reports alone, one process", 2: "reports alone, split"}
    for jobs, done in runs.items():
        print(f"{names[jobs]}: wall median {statistics.median(r.wall for r in done):.2f} s, "
              f"min {min(r.wall for r in done):.2f}; CPU median "
              f"{statistics.median(r.cpu for r in done):.2f} s, "
              f"min {min(r.cpu for r in done):.2f}")
    wall = {j: statistics.median(r.wall for r in done) for j, done in runs.items()}
    cpu = {j: statistics.median(r.cpu for r in done) for j, done in runs.items()}
    ok = verdict("split / one process, wall", wall[2] / wall[1], 0.8)
    ok = verdict("split / one process, CPU", cpu[2] / cpu[1], 1.15) and ok
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
