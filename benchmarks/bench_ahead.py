"""The site's pages converted ahead in forked processes: what it saves, what it costs.

    python benchmarks/bench_ahead.py [--scale 1.0] [--repeat 3] [--work DIR]

Generates the synthetic academy (``synth.py``, as ``bench_build.py`` does, and
in the same ``--work`` folder it reuses), builds it once, then in each round
edits a theme override (``site-extra/overrides/main.html``): the site is then
the only writer to run, and every one of its pages is converted again (the
conversion's key holds every file of the project but the pages). Each round
builds such an edit twice, taking turns:

* **one process**: ``trainkit build --jobs 1``, MkDocs converting each page in
  its own turn;
* **converted ahead**: ``trainkit build --jobs 2``: the site has a process to
  spare, so the pages are converted in two forked processes first
  (``trainkit.writers.site.ahead``).

Both the wall time and the CPU time (user + system of the build and its
children) are measured; splitting work over processes is for the wall time,
and must not cost much CPU for it. Targets, on the medians: wall time of the
build converting ahead <= 0.85x the one-process build's, CPU time <= 1.15x.
Exits 1 when a target is missed. Needs 2 cores or more.
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

OVERRIDE = '{%% extends "base.html" %%}\n{%% block announce %%}Edition %d{%% endblock %%}\n'


def main(argv: list[str] | None = None) -> int:
    args = academy_options(__doc__).parse_args(argv)
    if (os.cpu_count() or 1) < 2:
        print("one core: nothing to convert ahead in; not measured")
        return overall(True)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-ahead-"))
    root = synthetic(work, args.scale)
    # outputs and caches of their own, beside bench_build.py's
    builds = Builds(root, work / "ahead", build_options())
    override = root / "site-extra" / "overrides" / "main.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    saved = override.read_bytes() if override.is_file() else None
    edition = 0

    def build(jobs: int) -> Run:
        nonlocal edition
        edition += 1
        override.write_text(OVERRIDE % edition, encoding="utf-8")
        return builds.run("--jobs", str(jobs))

    try:
        build(2)  # every writer's output and cache in place: from here the site runs alone
        runs: dict[int, list[Run]] = {1: [], 2: []}
        for i in range(args.repeat):
            for jobs in ((1, 2) if i % 2 == 0 else (2, 1)):
                runs[jobs].append(build(jobs))
    finally:  # the academy as it was
        if saved is None:
            override.unlink(missing_ok=True)
        else:
            override.write_bytes(saved)
    names = {1: "theme edited, one process", 2: "theme edited, converted ahead"}
    for jobs, done in runs.items():
        print(f"{names[jobs]}: wall median {statistics.median(r.wall for r in done):.2f} s "
              f"(rounds: {', '.join(f'{r.wall:.2f}' for r in done)}); CPU median "
              f"{statistics.median(r.cpu for r in done):.2f} s "
              f"(rounds: {', '.join(f'{r.cpu:.2f}' for r in done)})")
    wall = {j: statistics.median(r.wall for r in done) for j, done in runs.items()}
    cpu = {j: statistics.median(r.cpu for r in done) for j, done in runs.items()}
    ok = verdict("converted ahead / one process, wall", wall[2] / wall[1], 0.85)
    ok = verdict("converted ahead / one process, CPU", cpu[2] / cpu[1], 1.15) and ok
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
