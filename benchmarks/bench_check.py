"""How fast is ``trainkit check`` on a large academy, compared with parsing alone?

    python benchmarks/bench_check.py [--academy DIR] [--scale 1.0] [--repeat 3]

Generates the synthetic academy (``synth.py``; default scale: 200 programs,
2,000 cohorts, 20,000 sessions, 500 instructors, 100,000 learners) or reuses
``--academy DIR``, then measures in one run:

- each stage of the check pipeline (read, parse, validate, resolve, rules);
- the baseline: reading the same YAML files the same way and loading each
  with libyaml's C loader, ``yaml.load(text, Loader=yaml.CSafeLoader)``;
- RATIO = check total / baseline (target <= 1.5). Times are CPU seconds of
  this process (steadier than wall time on a shared machine). The strict
  ratio gives the baseline the same paused garbage collector the check runs
  with; the plain one runs it as a user would, collector on;
- linearity: rules time at half the sessions vs at all of them (target ~2x,
  accepted 1.6-2.5x; best of at least 5 runs);
- peak memory of a whole ``check`` in a fresh process (target < 2 GiB).

Each measurement is the best of ``--repeat`` runs, the check and its baselines
taking turns so that load from other processes falls on all of them. The exit
code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import DEFAULTS, generate  # noqa: E402

from trainkit import rules  # noqa: E402
from trainkit.load.loader import kind_of  # noqa: E402
from trainkit.load.records import collector_paused  # noqa: E402
from trainkit.load.sources import DirSource  # noqa: E402
from trainkit.pipeline import Result, check_dir  # noqa: E402

RATIO_TARGET = 1.5
LINEAR_RANGE = (1.6, 2.5)
MEMORY_TARGET = 2 * 1024**3
STAGES = ("read", "parse", "validate", "resolve", "rules")


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Lowest CPU seconds, lowest wall seconds and the last result of ``repeat`` calls."""
    return interleaved([fn], repeat)[0]


def interleaved(fns: list[Callable[[], Any]], repeat: int) -> list[tuple[float, float, Any]]:
    """:func:`best` for several functions run in turn, so drift on a busy machine hits all."""
    cpu = [float("inf")] * len(fns)
    wall = [float("inf")] * len(fns)
    out: list[Any] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            out[i] = None
            c0, w0 = time.process_time(), time.perf_counter()
            out[i] = fn()
            cpu[i] = min(cpu[i], time.process_time() - c0)
            wall[i] = min(wall[i], time.perf_counter() - w0)
    return list(zip(cpu, wall, out, strict=True))


def libyaml_load(root: Path) -> int:
    """The baseline: list, read and decode the YAML inputs as the loader does; libyaml loads."""
    source = DirSource(root)
    count = 0
    for path in source.list():
        kind = kind_of(path)
        if kind is None or not path.endswith((".yaml", ".yml")):
            continue
        yaml.load(source.read(path).decode("utf-8-sig"), Loader=yaml.CSafeLoader)  # noqa: S506
        count += 1
    return count


def paused(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        with collector_paused():
            return fn()
    return run


def peak_memory(root: Path) -> int:
    """Peak resident memory (bytes) of a fresh process that checks ``root``."""
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from trainkit.pipeline import check_dir\n"
        "r = check_dir(Path(sys.argv[1]))\n"
        "assert r.academy is not None\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(root)], check=True,
                          capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1]) * 1024  # ru_maxrss is KiB on Linux


def rules_seconds(root: Path, repeat: int) -> float:
    result = check_dir(root)
    assert result.academy is not None, "the academy did not resolve"
    academy = result.academy
    cpu, _, _ = best(paused(lambda: rules.run(academy)), repeat)
    return cpu


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def sizes_for(scale: float) -> dict[str, int]:
    return {k: max(1, round(v * scale)) for k, v in DEFAULTS.items()}


def measure_check(root: Path, repeat: int) -> tuple[bool, float, Result]:
    (cpu_base, wall_base, files), (cpu_base_p, wall_base_p, _), (cpu, wall, result) = interleaved(
        [lambda: libyaml_load(root), paused(lambda: libyaml_load(root)), lambda: check_dir(root)],
        repeat,
    )
    print(f"\nacademy: {root} ({files} YAML files)")
    print(f"check found {len(result.errors)} errors, {len(result.warnings)} warnings")
    total_stages = sum(result.timings.get(s, 0.0) for s in STAGES)
    print("\nstage        wall s   share")
    for stage in STAGES:
        t = result.timings.get(stage, 0.0)
        print(f"  {stage:<9} {t:8.2f}  {t / total_stages:6.1%}")
    print(f"  {'total':<9} {total_stages:8.2f}   (last run; best wall {wall:.2f} s)")
    strict = cpu / cpu_base_p
    plain = cpu / cpu_base
    print("\n                               CPU s    wall s")
    print(f"  trainkit check             {cpu:7.2f}  {wall:8.2f}")
    print(f"  libyaml CSafeLoader, gc on {cpu_base:7.2f}  {wall_base:8.2f}")
    print(f"  libyaml CSafeLoader, paused{cpu_base_p:7.2f}  {wall_base_p:8.2f}")
    print(f"\nRATIO check / libyaml (strict, same collector) = {strict:.2f}  "
          f"(target <= {RATIO_TARGET}) {verdict(strict <= RATIO_TARGET)}")
    print(f"RATIO check / libyaml (collector on)            = {plain:.2f}")
    return strict <= RATIO_TARGET, result.timings.get("rules", 0.0), result


def measure_linearity(root: Path, half_root: Path, repeat: int) -> bool:
    # Rules take about a second: more repeats are cheap and steady the ratio.
    full = rules_seconds(root, max(5, repeat))
    half = rules_seconds(half_root, max(5, repeat))
    ratio = full / half if half else float("inf")
    ok = LINEAR_RANGE[0] <= ratio <= LINEAR_RANGE[1]
    print(f"\nrules CPU s: half the sessions {half:.2f}, all {full:.2f}; "
          f"RATIO {ratio:.2f} (target ~2, {LINEAR_RANGE[0]}-{LINEAR_RANGE[1]}) {verdict(ok)}")
    return ok


def measure_memory(root: Path) -> bool:
    peak = peak_memory(root)
    ok = peak < MEMORY_TARGET
    print(f"\npeak memory of check: {peak / 1024**2:.0f} MiB "
          f"(target < {MEMORY_TARGET // 1024**3} GiB) {verdict(ok)}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--academy", type=Path, help="reuse this academy instead of generating")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = sizes_for(args.scale)
    with tempfile.TemporaryDirectory(prefix="trainkit-bench-") as tmp:
        root = args.academy
        if root is None:
            root = Path(tmp) / "academy"
            t0 = time.perf_counter()
            print("generating:", generate(root, **sizes))
            print(f"  in {time.perf_counter() - t0:.1f} s")
        half = {**sizes, "sessions": sizes["sessions"] // 2,
                "cohorts": max(1, sizes["cohorts"] // 2)}
        half_root = Path(tmp) / "half"
        generate(half_root, **half)
        gc.collect()
        ratio_ok, _, result = measure_check(root, args.repeat)
        del result
        linear_ok = measure_linearity(root, half_root, args.repeat)
        memory_ok = measure_memory(root)
    ok = ratio_ok and linear_ok and memory_ok
    print(f"\noverall: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
