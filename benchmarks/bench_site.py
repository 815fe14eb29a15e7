"""How the public site scales: generate and build sites of about 100, 1,000 and 5,000 pages.

    python benchmarks/bench_site.py [--sizes 100 1000 5000]

For each size a synthetic academy (benchmarks/synth.py) is made so that the
site has about that many pages (mostly cohort pages, then instructors and
programs), checked once (not timed), then the site writer runs: page
generation plus a strict MkDocs + Material build. Printed per size: pages,
seconds, pages per second, output size; then the ratios of the largest size
to the one before it. Linear scaling gives a time and size ratio equal to the
page ratio (5 for 5,000/1,000); the targets are <= 6. Absolute times drift on
a shared machine, ratios measured in one run much less; the build is one
thread, so its CPU time (also printed, and used for the ratio) is barely
disturbed by other work on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from trainkit.pipeline import check_dir  # noqa: E402
from trainkit.writers.build import BuildContext  # noqa: E402
from trainkit.writers.site import writer as site_writer  # noqa: E402

EPOCH = datetime(2026, 6, 1, tzinfo=UTC)


def academy_for(pages: int, out: Path) -> None:
    """An academy whose site has about ``pages`` pages (7 cohorts per 10 pages)."""
    cohorts = max(1, pages * 7 // 10)
    generate(out, programs=max(1, pages // 10), cohorts=cohorts, sessions=cohorts * 3,
             instructors=max(1, pages * 15 // 100), learners=max(20, cohorts * 2))


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(pages: int, scratch: Path) -> tuple[int, float, float, int]:
    root = scratch / f"academy-{pages}"
    academy_for(pages, root)
    result = check_dir(root)
    if result.academy is None or result.errors:
        raise SystemExit(f"synthetic academy of {pages} pages has errors: {result.errors[:3]}")
    public, work = scratch / f"site-{pages}", scratch / f"work-{pages}"
    public.mkdir()
    work.mkdir()
    ctx = BuildContext(academy=result.academy, root=root, public=public,
                       private=scratch / f"private-{pages}", work=work, epoch=EPOCH,
                       commit=None, secret=None)
    t0, c0 = time.perf_counter(), time.process_time()
    site_writer.write(ctx)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    made = sum(1 for _ in (work / site_writer.PROJECT / "docs").rglob("*.md"))
    return made, elapsed, cpu, size_of(public)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-site-"))
    rows = []
    try:
        for pages in args.sizes:
            made, seconds, cpu, size = measure(pages, scratch)
            rows.append((made, seconds, cpu, size))
            print(f"{made:6d} pages  {seconds:7.2f} s wall  {cpu:7.2f} s cpu  "
                  f"{made / cpu:6.1f} pages/s (cpu)  {size / 1e6:7.1f} MB  "
                  f"{size / made / 1e3:5.1f} kB/page", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(rows) >= 2:
        (p1, w1, c1, s1), (p2, w2, c2, s2) = rows[-2], rows[-1]
        print(f"ratio {p2}/{p1} pages: {p2 / p1:.2f}  cpu time: {c2 / c1:.2f} (target <= 6)  "
              f"wall time: {w2 / w1:.2f}  size: {s2 / s1:.2f} (target <= 6)")
        # The targets are for 5x the pages; other sizes scale them in proportion.
        limit = 6 * (p2 / p1) / 5
        ok = c2 / c1 <= limit and s2 / s1 <= limit
        print(f"overall: {'PASS' if ok else 'FAIL'} (limit {limit:.2f} for {p2 / p1:.2f}x pages)")
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
