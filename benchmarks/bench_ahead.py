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

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import two_cores  # noqa: E402
from timing import Run, one_against_two, overall  # noqa: E402

OVERRIDE = '{%% extends "base.html" %%}\n{%% block announce %%}Edition %d{%% endblock %%}\n'


def main(argv: list[str] | None = None) -> int:
    found = two_cores(__doc__, argv, "the site's pages", "ahead")
    if found is None:
        return overall(True)
    args, work, builds = found
    override = builds.root / "site-extra" / "overrides" / "main.html"
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
        ok = one_against_two(build, args.repeat, {1: "theme edited, one process",
                                                  2: "theme edited, converted ahead"},
                             "converted ahead", 0.85, 1.15)
    finally:  # the academy as it was
        if saved is None:
            override.unlink(missing_ok=True)
        else:
            override.write_bytes(saved)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
