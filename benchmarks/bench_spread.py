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

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import two_cores  # noqa: E402
from timing import Run, one_against_two, overall  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    found = two_cores(__doc__, argv, "the reports", "spread")
    if found is None:
        return overall(True)
    args, work, builds = found

    def build(jobs: int) -> Run:
        return builds.run("--only", "reports", "--no-cache", "--jobs", str(jobs))

    ok = one_against_two(build, args.repeat, {1: "reports alone, one process",
                                              2: "reports alone, split"}, "split", 0.8, 1.15)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
