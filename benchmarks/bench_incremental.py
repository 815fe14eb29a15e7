"""Full, unchanged and one-cohort rebuilds of a synthetic academy, as ratios of one check.

    python benchmarks/bench_incremental.py [--scale 0.1] [--keep DIR]

A synthetic academy (benchmarks/synth.py; scale 1 is 2,000 cohorts, 20,000
sessions and 100,000 learners) is built by ``trainkit build`` in child
processes, each timed by wall clock and by CPU time (its own and its
children's, the writer processes included):

* ``check``: one ``trainkit check``, the unit of the ratios;
* ``full -j1`` and ``full -j2``: builds from scratch without the cache;
* ``cached``: a first build that fills the cache;
* ``unchanged``: the same build again (writes nothing);
* ``cohort edit``: one session of one cohort moved;
* ``learner edit``: one learner renamed (a private change: the site is taken over);

then the cohort-edit output is compared byte for byte with a build from
scratch. Ratios measured in one run hold on a shared machine far better than
absolute times.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def _run(root: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one trainkit command (children included)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "SOURCE_DATE_EPOCH": "1780000000",
           "TRAINKIT_FEED_SECRET": "benchmark-secret"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "trainkit", *args, "--root", str(root)], env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _build(root: Path, out: Path, *more: str) -> tuple[float, float]:
    return _run(root, "build", "-q", "--site-dir", str(out / "site"), "--reports-dir",
                str(out / "reports"), *more)


def _same(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(_same(a / d, b / d) for d in cmp.common_dirs)


def _edit(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1)
    assert new != text, (path, pattern)
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    root = work / "academy"
    shutil.rmtree(work / "academy", ignore_errors=True)
    synth.main([str(root), "--scale", str(args.scale)])
    rows: list[tuple[str, tuple[float, float]]] = [("check", _run(root, "check"))]
    rows.append(("full -j1", _build(root, work / "j1", "--no-cache", "--jobs", "1")))
    rows.append(("full -j2", _build(root, work / "j2", "--no-cache", "--jobs", "2")))
    out = work / "out"
    rows.append(("cached", _build(root, out)))
    rows.append(("unchanged", _build(root, out)))
    cohort = sorted(root.glob("programs/*/cohorts/*.yaml"))[0]
    _edit(cohort, r'start: "(\d\d):00"', r'start: "\1:15"')
    rows.append(("cohort edit", _build(root, out)))
    _build(root, work / "scratch", "--no-cache")
    same = all(_same(out / k, work / "scratch" / k) for k in ("site", "reports"))
    learners = sorted(root.glob("people/learners/*.yaml"))[0]
    _edit(learners, r"name: (\S+)", r"name: \1-Lee")
    rows.append(("learner edit", _build(root, out)))
    unit = rows[0][1][1]
    print(f"scale {args.scale}: {root}")
    print(f"{'':14} {'wall s':>8} {'CPU s':>8} {'CPU / check':>12}")
    for name, (wall, cpu) in rows:
        print(f"{name:14} {wall:8.2f} {cpu:8.2f} {cpu / unit:12.2f}")
    print(f"cohort edit output equals a build from scratch: {same}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
