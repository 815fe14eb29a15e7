"""How long ``trainkit enroll`` takes against one ``trainkit check``, measured in one run.

    python benchmarks/bench_enroll.py [--academy DIR] [--scale 1.0] [--repeat 3]

Generates the synthetic academy (``synth.py``; at scale 1: 2,000 cohorts,
20,000 sessions, 100,000 learners) or reuses ``--academy DIR``, then times,
taking turns so that load from other processes falls on both:

- the baseline: ``trainkit check`` in a fresh process;
- the subject: ``trainkit enroll COHORT LEARNER --date D`` in a fresh process,
  a real enrollment into the last cohort (one free place), written to disk
  and checked by the full pipeline before it is written; the cohort file is
  put back after each run.

Times are CPU seconds of the child processes (steadier than wall time on a
shared machine), the best of ``--repeat`` runs each. RATIO = enroll / check,
target <= 1.3; the exit code is 1 when it is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import DEFAULTS, generate  # noqa: E402

RATIO_TARGET = 1.3
SRC = HERE.parent / "src"


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], root: Path) -> tuple[float, float, str]:
    """CPU and wall seconds of ``python -m trainkit ARGV --root ROOT``, and its stderr."""
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    c0, w0 = child_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "trainkit", *argv, "--root", str(root)],
                          capture_output=True, text=True, env=env)
    cpu, wall = child_cpu() - c0, time.perf_counter() - w0
    if done.returncode != 0:
        sys.exit(f"trainkit {' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return cpu, wall, done.stderr


def cohort_file(root: Path, cohort: str) -> Path:
    [path] = root.glob(f"programs/*/cohorts/{cohort}.yaml")
    return path


def measure(root: Path, cohort: str, learner: str, repeat: int) -> dict[str, tuple[float, float]]:
    target = cohort_file(root, cohort)
    original = target.read_bytes()
    best = {"check": (float("inf"), float("inf")), "enroll": (float("inf"), float("inf"))}
    enroll = ["enroll", cohort, learner, "--date", "2026-01-02"]
    for _ in range(repeat):
        for name, argv in (("check", ["check"]), ("enroll", enroll)):
            cpu, wall, err = timed(argv, root)
            if name == "enroll":
                assert f"learner {learner!r}" in err and target.read_bytes() != original, err
                target.write_bytes(original)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--academy", type=Path, default=None,
                        help="a synthetic academy made by synth.py (default: generate one)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-enroll-") as tmp:
        root = args.academy
        sizes = {k: max(1, round(v * args.scale)) for k, v in DEFAULTS.items()}
        if root is None:
            root = Path(tmp) / "academy"
            generate(root, **sizes)
        cohorts = sorted(p.stem for p in root.glob("programs/*/cohorts/*.yaml"))
        learner = f"l-{sizes['learners'] - 1:06d}"  # synth enrolls the first learners only
        print(f"academy: {root} ({len(cohorts)} cohorts); enrolling {learner} in {cohorts[-1]}")
        best = measure(root, cohorts[-1], learner, args.repeat)
    (check_cpu, check_wall), (enroll_cpu, enroll_wall) = best["check"], best["enroll"]
    ratio = enroll_cpu / check_cpu
    print(f"trainkit check   {check_cpu:6.2f} CPU s  {check_wall:6.2f} s wall")
    print(f"trainkit enroll  {enroll_cpu:6.2f} CPU s  {enroll_wall:6.2f} s wall")
    verdict = "ok" if ratio <= RATIO_TARGET else "MISSED"
    print(f"RATIO enroll / check = {ratio:.2f} (target <= {RATIO_TARGET}): {verdict}")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
