"""Item analysis over a million answer rows, compared with csv.reader on the same files.

    python benchmarks/bench_items.py [--rows 1000000] [--files 20] [--rounds 5]

Writes ``records/answers/*.csv`` files of synthetic answers (quizzes of ten
questions, learners of varied ability, a second attempt for some) into a
temporary folder and reads them back, in memory, two ways, alternately, in
each of ``--rounds`` rounds, measuring the CPU time of this process:

* baseline: ``csv.reader`` decodes and splits every row, keeping nothing;
* subject: what ``trainkit`` does with the files: ``load_csv`` (every cell
  checked against the answer-row schema's rules), ``resolve_answers`` (the
  model's column table), then ``analyse_all`` (first attempts, difficulty and
  discrimination of every question of every quiz).

It prints the minimum and median of each, and their ratios; the target is
the subject at most 4x the baseline (by the minima, which are the least
disturbed by other work on a shared machine). Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainkit.load.records import collector_paused, load_csv
from trainkit.model import Loc, Question, Quiz
from trainkit.outcomes.items import analyse_all
from trainkit.resolve.records import resolve_answers

TARGET = 4.0
QUESTIONS = 10
Files = list[tuple[str, bytes]]


def quizzes(count: int) -> dict[str, Quiz]:
    where = Loc("q.yaml", 1, 1)
    out = {}
    for n in range(count):
        qs = tuple(Question(f"q{i + 1}", "true-false", f"Question {i + 1}", (), True, None, 0.0,
                            (), "", 1.0 + (i % 3 == 0), where) for i in range(QUESTIONS))
        out[f"course-{n}/final"] = Quiz(f"course-{n}/final", f"course-{n}", "final", "Final",
                                        "graded", 70.0, None, None, qs, where)
    return out


def generate(folder: Path, rows: int, files: int, known: dict[str, Quiz]) -> Files:
    """``files`` answer files of ``rows`` rows in all (one quiz per file)."""
    rng = random.Random(2026)
    out: Files = []
    per_file = rows // files
    for n, quiz in enumerate(known.values()):
        if n == files:
            break
        buf = io.StringIO()
        buf.write("learner,quiz,attempt,question,score,answer\n")
        written, learner = 0, 0
        while written < per_file:
            ability = rng.random()
            attempts = 2 if rng.random() < 0.2 else 1
            for attempt in range(1, attempts + 1):
                for q in quiz.questions:
                    if written == per_file:
                        break
                    right = rng.random() < 0.3 + 0.6 * ability
                    score = f"{q.points:g}" if right else "0"
                    buf.write(f"l-{n:02d}{learner:06d},{quiz.id},{attempt},{q.id},{score},"
                              f"{'true' if right else 'false'}\n")
                    written += 1
            learner += 1
        raw = buf.getvalue().encode("utf-8")
        path = folder / "records" / "answers" / f"course-{n}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        out.append((path.relative_to(folder).as_posix(), path.read_bytes()))
    return out


def baseline(files: Files) -> int:
    n = 0
    for _, raw in files:
        for _row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")):
            n += 1
    return n


def subject(files: Files, known: dict[str, Quiz]) -> Any:
    with collector_paused():
        docs = [load_csv(path, "answers", raw) for path, raw in files]
        assert not any(d.diagnostics for d in docs)
        table = resolve_answers(docs)
        return analyse_all(known, table)


def measure(fn: Callable[[], Any]) -> float:
    gc.collect()
    t0 = time.process_time()
    result = fn()
    spent = time.process_time() - t0
    del result
    return spent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    known = quizzes(args.files)
    with tempfile.TemporaryDirectory(prefix="bench-items-") as tmp:
        files = generate(Path(tmp), args.rows, args.files, known)
    rows = baseline(files) - len(files)
    analysed = subject(files, known)
    print(f"{rows} answer rows in {len(files)} files; {len(analysed)} quizzes, "
          f"{sum(q.learners for q in analysed.values())} learners analysed")
    times: dict[str, list[float]] = {"csv.reader": [], "item analysis": []}
    for _ in range(args.rounds):
        times["csv.reader"].append(measure(lambda: baseline(files)))
        times["item analysis"].append(measure(lambda: subject(files, known)))
    base_min, base_med = min(times["csv.reader"]), statistics.median(times["csv.reader"])
    for name, spent in times.items():
        low, mid = min(spent), statistics.median(spent)
        print(f"{name:>14}: min {low:.3f}s  median {mid:.3f}s  "
              f"({rows / low:,.0f} rows/s)  ratio min {low / base_min:.2f}x  "
              f"median {mid / base_med:.2f}x")
    ratio = min(times["item analysis"]) / base_min
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"target: item analysis at most {TARGET:.0f}x csv.reader: {verdict} ({ratio:.2f}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
