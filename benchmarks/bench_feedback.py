"""How fast feedback loads, validates and aggregates, compared with csv.reader.

    python benchmarks/bench_feedback.py [--responses 200000] [--cohorts 400] [--dir DIR]

Generates a small synthetic academy (benchmarks/synth.py) and gives every
program two surveys (``course-feedback``: four rated and chosen questions and
a comment; ``follow-up``: a choice, a rating, several ticked choices, a
story), then writes ``--responses`` responses spread over the cohorts into
``records/surveys/<survey>--<cohort>.csv``, one file per survey and cohort
as ``trainkit import survey-responses`` writes them (``--mixed``: 50,000-row
files mixing every cohort, as synth.py chunks other records). Half of the
responses carry a comment, some with commas and quotes, so files take the
quoted-CSV path. ``trainkit check`` must find the academy clean.

Then, on the response files already in memory, it times CPU of this process,
the best (and the median) of several rounds that run each stage once in turn:

* ``csv.reader`` alone: decode and split every row, keep nothing (the baseline);
* load + validate + aggregate: ``records_io.load_csv`` (every fixed cell
  checked), the response tables, the ``surveys`` rule (every answer against
  its question, cohorts, duplicates) and ``outcomes.feedback.summarize``
  (every cohort, program and instructor group).

It prints the ratio of the second to the first and exits 1 when it is above 4.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gc
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate, write_chunks  # noqa: E402

from trainkit.load.records import collector_paused, load_csv  # noqa: E402
from trainkit.model import Academy  # noqa: E402
from trainkit.outcomes.feedback import summarize  # noqa: E402
from trainkit.pipeline import check_dir  # noqa: E402
from trainkit.resolve.surveys import resolve_responses  # noqa: E402
from trainkit.rules import surveys as survey_rule  # noqa: E402

TARGET = 4.0
AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
ROUNDS = 7
Files = list[tuple[str, bytes]]

COURSE_FEEDBACK = """\
version: 1
title: Course feedback
when: cohort-end
form_url: https://forms.example.org/feedback?cohort={cohort}
questions:
  - {id: overall, text: Overall rating, type: rating, min: 1, max: 5}
  - {id: instructor, text: Instructor, type: rating}
  - {id: recommend, text: Would you recommend it?, type: nps}
  - {id: pace, text: Pace, type: choice, choices: [Too slow, About right, Too fast]}
  - {id: comments, text: Comments, type: text}
"""
FOLLOW_UP = """\
version: 1
title: Thirty days later
when: after
days_after: 30
questions:
  - {id: used, text: Used it?, type: choice, choices: ["Yes, often", "Yes, once", Not yet]}
  - {id: confidence, text: Confidence, type: rating, min: 0, max: 10}
  - id: situations
    text: Situations
    type: choice
    multiple: true
    choices: [Minor injury, Emergency, Drill, Helped a colleague]
  - {id: story, text: Story, type: text}
"""
COMMENTS = ("", "", "", "Clear and practical.", "More practice, please.",
            'The "recovery position" part was rushed.', "", "Great instructor")
PACE = ("Too slow", "About right", "About right", "Too fast")
USED = ('"Yes, often"', '"Yes, once"', "Not yet")
SITUATIONS = ("", "Minor injury", "Emergency;Helped a colleague", "Drill")


def cohort_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in root.glob("programs/*/cohorts/*.yaml"))


def response_rows(cohorts: list[str], n: int) -> tuple[list[str], list[str]]:
    """(course-feedback rows, follow-up rows): n in all, two in three to the first."""
    first, second = [], []
    for i in range(n):
        cohort = cohorts[i % len(cohorts)]
        when = f"2026-05-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}:00+00:00"
        comment = COMMENTS[i % len(COMMENTS)]
        if i % 3:
            first.append(f"r{i:07d},course-feedback,{cohort},,{when},,{1 + i % 5},"
                         f"{1 + (i // 5) % 5},{i % 11},{PACE[i % 4]},{_csv(comment)}\n")
        else:
            second.append(f"f{i:07d},follow-up,{cohort},,{when},,{USED[i % 3]},{i % 11},"
                          f"{SITUATIONS[i % 4]},{_csv(comment)}\n")
    return first, second


def _csv(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"') else text


def make_academy(root: Path, responses: int, cohorts: int, mixed: bool = False) -> None:
    generate(root, programs=20, cohorts=cohorts, sessions=cohorts * 6,
             instructors=max(10, cohorts // 4), learners=cohorts * 12)
    (root / "surveys").mkdir()
    (root / "surveys" / "course-feedback.yaml").write_text(COURSE_FEEDBACK, encoding="utf-8")
    (root / "surveys" / "follow-up.yaml").write_text(FOLLOW_UP, encoding="utf-8")
    for program in root.glob("programs/*/program.yaml"):
        program.write_text(program.read_text(encoding="utf-8")
                           + "surveys: [course-feedback, follow-up]\n", encoding="utf-8")
    first, second = response_rows(cohort_ids(root), responses)
    fixed = "response,survey,cohort,session,submitted_at,respondent,"
    if mixed:
        write_chunks(root, "records/surveys/course-feedback",
                     fixed + "overall,instructor,recommend,pace,comments\n", first, 50_000)
        write_chunks(root, "records/surveys/follow-up",
                     fixed + "used,confidence,situations,story\n", second, 50_000)
        return
    folder = root / "records" / "surveys"
    folder.mkdir(parents=True)
    for survey, header, rows in (("course-feedback", "overall,instructor,recommend,pace,"
                                  "comments", first),
                                 ("follow-up", "used,confidence,situations,story", second)):
        by_cohort: dict[str, list[str]] = {}
        for row in rows:
            by_cohort.setdefault(row.split(",", 3)[2], []).append(row)
        for cohort, mine in by_cohort.items():
            (folder / f"{survey}--{cohort}.csv").write_text(
                fixed + header + "\n" + "".join(mine), encoding="utf-8")


def response_files(root: Path) -> Files:
    return [(p.relative_to(root).as_posix(), p.read_bytes())
            for p in sorted((root / "records" / "surveys").rglob("*.csv"))]


def csv_only(files: Files) -> int:
    n = 0
    for _, raw in files:
        for _row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")):
            n += 1
    return n


def feedback(files: Files, academy: Academy) -> Any:
    """Load, validate and aggregate the responses, as check and build do.

    Everything made is returned, so that it is freed after the clock stops, as
    bench_records.py does: trainkit keeps the academy until it exits.
    """
    with collector_paused():
        docs = [load_csv(path, "surveys", raw) for path, raw in files]
        assert not any(d.diagnostics for d in docs)
        mine = dataclasses.replace(academy, survey_responses=resolve_responses(docs))
        problems = list(survey_rule.check(mine))
        assert not problems, problems[:3]
        return docs, mine, summarize(mine, AS_OF)


def rounds(stages: dict[str, Callable[[], Any]], n: int) -> dict[str, list[float]]:
    """CPU seconds of each stage in ``n`` rounds that run every stage once, in turn."""
    times: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(n):
        for name, fn in stages.items():
            gc.collect()
            t0 = time.process_time()
            result = fn()
            times[name].append(time.process_time() - t0)
            del result
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--cohorts", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--dir", type=Path, help="keep the generated academy here")
    parser.add_argument("--mixed", action="store_true",
                        help="50,000-row files mixing every cohort, instead of one file per "
                        "survey and cohort as 'trainkit import survey-responses' writes them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp) / "academy"
        make_academy(root, args.responses, args.cohorts, args.mixed)
        result = check_dir(root)
        errors = [d.text() for d in result.diagnostics if d.severity.name == "ERROR"]
        if result.academy is None or errors:
            print("the generated academy is not clean:", *errors[:5], sep="\n  ")
            return 1
        files = response_files(root)
        academy = dataclasses.replace(result.academy, survey_responses=())
        times = rounds({"csv.reader": lambda: csv_only(files),
                        "load + validate + aggregate": lambda: feedback(files, academy)},
                       args.rounds)
    base = min(times["csv.reader"])
    print(f"{args.responses:,} responses in {len(files)} files, {args.cohorts} cohorts; "
          f"CPU seconds over {args.rounds} alternating rounds")
    for name, values in times.items():
        print(f"  {name:28} min {min(values):.3f}s  median {statistics.median(values):.3f}s"
              f"  ratio {min(values) / base:.2f}x (median "
              f"{statistics.median(values) / statistics.median(times['csv.reader']):.2f}x)")
    ratio = min(times["load + validate + aggregate"]) / base
    ok = ratio <= TARGET
    print(f"load + validate + aggregate / csv.reader: {ratio:.2f}x "
          f"({'OK' if ok else 'ABOVE'} the {TARGET:.0f}x target)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
