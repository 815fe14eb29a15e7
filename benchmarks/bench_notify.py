"""What ``trainkit notify`` costs next to ``trainkit diff`` and ``trainkit check``.

    python benchmarks/bench_notify.py [--scale 1.0] [--repeat 3] [--keep DIR]

Generates the synthetic academy (benchmarks/synth.py) as a git repository and
commits a change that touches 2,000 learners: the first session of enough
cohorts moves by half an hour. Then times, interleaved and in fresh
processes:

* ``trainkit notify HEAD~1 HEAD`` (an update with a calendar part for every
  learner and instructor of each moved session, written to an outbox)
  against ``trainkit diff HEAD~1 HEAD`` on the same revisions: target <= 1.5x;
* ``trainkit notify --due`` for one day (reminders, certificates, at-risk,
  waitlist for the whole academy at 07:00 UTC on a weekday) against one
  ``trainkit check``: target <= 1.5x.

The change run uses ``--as-of`` a moment before the sessions, so every
moved session counts. Each ``notify`` writes a fresh outbox (the previous one
is removed before the timer starts: deleting thousands of files is the file
system's cost, not trainkit's). Prints median CPU time (user + system) and wall time as
ratios; exits 1 when a CPU-time target is missed.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_diff import timed  # noqa: E402
from synth import generate  # noqa: E402

TARGET = 1.5
LEARNERS = 2000
CHANGE_AS_OF = "2025-12-01T07:00:00+00:00"  # before every synthetic session
DUE_AS_OF = "2026-03-03T07:00:00+00:00"  # a Tuesday among the synthetic sessions


def touch_learners(root: Path, wanted: int) -> tuple[int, int]:
    """Move the first session of enough cohorts to touch ``wanted`` learners; commit."""
    seen: set[str] = set()
    cohorts = 0
    for path in sorted((root / "programs").glob("*/cohorts/*.yaml")):
        if len(seen) >= wanted:
            break
        text = path.read_text(encoding="utf-8")
        learners = re.findall(r"- learner: (\S+)\n    status: enrolled", text)
        moved = re.sub(r'(    start: ")(\d\d):00(")', r"\g<1>\g<2>:30\3", text, count=1)
        if not learners or moved == text:
            continue
        path.write_text(moved, encoding="utf-8")
        seen.update(learners)
        cohorts += 1
    env = ["-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", *env, "commit", "-q", "-am", "Move first sessions"], cwd=root,
                   check=True)
    return len(seen), cohorts


def ratio(a: list[tuple[float, float]], b: list[tuple[float, float]], i: int) -> float:
    return statistics.median(x[i] for x in a) / statistics.median(x[i] for x in b)


def report(name: str, runs: list[tuple[float, float]], base: list[tuple[float, float]],
           against: str, repeat: int) -> bool:
    ok = True
    for i, what in ((1, "CPU time"), (0, "wall time")):
        r = ratio(runs, base, i)
        met = r <= TARGET
        ok = ok and (met or i == 0)
        print(f"{name} / {against}, {what} (median of {repeat}, fresh processes): {r:.2f}x "
              f"(target <= {TARGET}x: {'met' if met else 'NOT met'})")
    return ok


def count(outbox: Path) -> dict[str, int]:
    with (outbox / "index.csv").open(encoding="utf-8") as fh:
        kinds: dict[str, int] = {}
        for row in csv.DictReader(fh):
            kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the synthetic academy (1.0: 2000 cohorts, 100000 learners)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each command")
    parser.add_argument("--keep", type=Path, help="generate into DIR and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-notify-")) / "academy"
    s = args.scale
    generate(root, programs=max(1, int(200 * s)), cohorts=max(1, int(2000 * s)),
             sessions=max(1, int(20000 * s)), instructors=max(1, int(500 * s)),
             learners=max(1, int(100000 * s)), git_history=1)
    touched, cohorts = touch_learners(root, LEARNERS)
    print(f"HEAD moves the first session of {cohorts} cohorts: {touched} learners")
    reports = root.parent / "reports"
    common = ["--root", str(root), "--reports-dir", str(reports)]
    runs: dict[str, list[tuple[float, float]]] = {"check": [], "diff": [], "notify": [],
                                                   "due": []}
    for _ in range(args.repeat):  # interleaved, so drifting load hits all alike
        wall, cpu, _ = timed(["diff", "HEAD~1", "HEAD", "--root", str(root), "--format",
                              "json"], root)
        runs["diff"].append((wall, cpu))
        shutil.rmtree(reports / "outbox", ignore_errors=True)  # a fresh outbox each time
        wall, cpu, _ = timed(["notify", "HEAD~1", "HEAD", "--as-of", CHANGE_AS_OF, *common],
                             root)
        runs["notify"].append((wall, cpu))
        changed = count(reports / "outbox")
        wall, cpu, _ = timed(["check", "--root", str(root)], root)
        runs["check"].append((wall, cpu))
        shutil.rmtree(reports / "outbox", ignore_errors=True)
        wall, cpu, _ = timed(["notify", "--due", "--as-of", DUE_AS_OF, *common], root)
        runs["due"].append((wall, cpu))
        due = count(reports / "outbox")
    print(f"notify HEAD~1 HEAD wrote {sum(changed.values())} messages {changed}")
    print(f"notify --due wrote {sum(due.values())} messages {due}")
    ok = report("trainkit notify", runs["notify"], runs["diff"], "trainkit diff", args.repeat)
    ok = report("trainkit notify --due", runs["due"], runs["check"], "trainkit check",
                args.repeat) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
