"""How the public site scales: generate and build sites of about 100, 1,000 and 5,000 pages.

    python benchmarks/bench_site.py [--sizes 100 1000 5000] [--repeat 3]

For each size a synthetic academy (benchmarks/synth.py) is made so that the
site has about that many pages (mostly cohort pages, then instructors and
programs) and checked once (not timed). Then, in ``--repeat`` rounds in which
the sizes take turns (smallest first, then largest first: ``timing.py``), the
site writer runs into fresh folders: page generation plus a strict MkDocs +
Material build, in this process, timed in CPU seconds (``time.process_time``).
Printed per size: pages, min and median CPU time, pages per CPU second, output
size; then the ratios of the largest size to the one before it. Linear
scaling gives a time and size ratio equal to the page ratio (5 for
5,000/1,000); the targets are <= 6, judged on the medians. Exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402
from timing import alternate, cpu_in_process, overall, verdict  # noqa: E402

from trainkit.model import Academy  # noqa: E402
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


def prepare(pages: int, scratch: Path) -> Academy:
    root = scratch / f"academy-{pages}"
    academy_for(pages, root)
    result = check_dir(root)
    if result.academy is None or result.errors:
        raise SystemExit(f"synthetic academy of {pages} pages has errors: {result.errors[:3]}")
    return result.academy


def build_once(academy: Academy, pages: int, scratch: Path) -> float:
    """CPU seconds of one site build into fresh folders."""
    public, work = scratch / f"site-{pages}", scratch / f"work-{pages}"
    for folder in (public, work):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
    ctx = BuildContext(academy=academy, root=Path(academy.root), public=public,
                       private=scratch / f"private-{pages}", work=work, epoch=EPOCH,
                       commit=None, secret=None)
    return cpu_in_process(lambda: site_writer.write(ctx))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-site-"))
    rows = []
    try:
        academies = {pages: prepare(pages, scratch) for pages in args.sizes}
        runs = alternate(args.repeat, [
            (str(pages), functools.partial(build_once, academies[pages], pages, scratch))
            for pages in args.sizes])
        for pages in args.sizes:
            made = sum(1 for _ in (scratch / f"work-{pages}" / site_writer.PROJECT / "docs")
                       .rglob("*.md"))
            cpu, size = runs[str(pages)], size_of(scratch / f"site-{pages}")
            rows.append((made, cpu, size))
            print(f"{made:6d} pages  median {cpu.median:7.2f} CPU s  min {cpu.min:7.2f}  "
                  f"{made / cpu.median:6.1f} pages/CPU s  {size / 1e6:7.1f} MB  "
                  f"{size / made / 1e3:5.1f} kB/page", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(rows) < 2:
        return 0
    (p1, c1, s1), (p2, c2, s2) = rows[-2], rows[-1]
    # The targets are for 5x the pages; other sizes scale them in proportion.
    limit = 6 * (p2 / p1) / 5
    print(f"ratio {p2}/{p1} pages: {p2 / p1:.2f}; CPU time (minima): {c2.min / c1.min:.2f}")
    ok = verdict("CPU time ratio (medians)", c2.median / c1.median, limit)
    ok = verdict("output size ratio", s2 / s1, limit) and ok
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
