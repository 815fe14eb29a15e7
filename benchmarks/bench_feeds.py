"""How fast the calendar feeds are written, as ratios measured in one run.

    python benchmarks/bench_feeds.py [--commits 20] [--scale 1.0] [--work DIR]

Generates the synthetic academy (``benchmarks/synth.py``: 20,000 sessions,
100,000 learners at scale 1) with N and 2N commits of history, then prints:

* the baseline: the time ``icalendar`` needs just to serialise (``to_ical``)
  the 20,000 distinct public session events once;
* events per second of the feed writer's own event serialisation;
* the ratio of writing ALL feeds (academy, program, cohort and venue feeds,
  one personal feed per learner and instructor: 100,000+ files, and the
  private list) to that baseline, with and without the git history walk
  (target: <= 3);
* the history walk at N and 2N commits, and its ratio (~2 would mean linear
  in commits; the walk parses only changed files, so the first commit, which
  adds every file, is nearly free when they are unchanged since);
* peak memory (resident set of this process, academy loading included).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

from icalendar import Event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate  # noqa: E402

from trainkit.history.sequence import Change, session_history  # noqa: E402
from trainkit.model import Academy  # noqa: E402
from trainkit.pipeline import check_dir  # noqa: E402
from trainkit.writers import feeds  # noqa: E402
from trainkit.writers.build import BuildContext, build_epoch  # noqa: E402
from trainkit.writers.feeds import ics  # noqa: E402


def load(root: Path) -> Academy:
    result = check_dir(root)
    if result.errors or result.academy is None:
        raise SystemExit(f"the synthetic academy has errors: {result.errors[:3]}")
    return result.academy


def baseline(academy: Academy, stamp: object) -> float:
    """Seconds icalendar spends in ``to_ical`` for every public event, built beforehand."""
    events = []
    for s in academy.sessions():
        cohort = academy.cohorts[s.cohort]
        e = Event()
        e.add("UID", ics.session_uid(academy.settings.id, s.key))
        e.add("DTSTAMP", stamp)
        e.add("DTSTART", s.start)
        e.add("DTEND", s.end)
        e.add("SEQUENCE", 0)
        e.add("SUMMARY", f"{academy.programs[s.program].title}: {s.title}")
        e.add("DESCRIPTION", ics.description(academy, s, cohort, s.cancelled))
        e.add("LOCATION", ics.location(academy, s, "public"))
        e.add("URL", f"{academy.settings.base_url}cohorts/{cohort.id}/")
        e.add("CATEGORIES", ics.categories(s, academy.programs[s.program].tags))
        e.add("STATUS", "CANCELLED" if s.cancelled else "CONFIRMED")
        events.append(e)
    t0 = time.perf_counter()
    for e in events:
        e.to_ical()
    return time.perf_counter() - t0


def event_rate(academy: Academy, stamp: object) -> float:
    sessions = academy.sessions()
    lines = ics.Lines()  # one per build, as the writer does
    t0 = time.perf_counter()
    for s in sessions:
        ics.event_bytes(academy, s, Change(1, None), stamp, True, lines)  # type: ignore[arg-type]
    return len(sessions) / (time.perf_counter() - t0)


def write_all(academy: Academy, root: Path, work: Path) -> tuple[float, int, int]:
    """Seconds to write every feed; and how many files were created and hard-linked."""
    epoch, commit, _ = build_epoch(root)
    public, private = work / "site", work / "reports"
    for folder in (public, private):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    ctx = BuildContext(academy=academy, root=root, public=public, private=private, work=work,
                       epoch=epoch, commit=commit, secret=b"benchmark-secret")
    t0 = time.perf_counter()
    feeds.write(ctx)
    elapsed = time.perf_counter() - t0
    inodes, entries = set(), 0
    for path in (public / "calendars").rglob("*.ics"):
        entries += 1
        inodes.add(path.stat().st_ino)
    return elapsed, len(inodes), entries - len(inodes)


def file_system_floor(work: Path, files: int, links: int, size: int) -> float:
    """Seconds this file system needs just to create ``files`` files and ``links`` links."""
    folder = work / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = b"x" * size
    t0 = time.perf_counter()
    for i in range(files):
        (folder / f"{i:032x}.ics").write_bytes(data)
    for i in range(links):
        if i % 60000 == 0:  # ext4 allows 65,000 names per file
            twin = folder / f"t{i:032x}.ics"
            twin.write_bytes(data)
        os.link(twin, folder / f"l{i:032x}.ics")
    elapsed = time.perf_counter() - t0
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed


def history_time(academy: Academy, root: Path, repeat: int) -> tuple[float, int, int]:
    """Best of ``repeat`` walks (one walk is short enough for a busy machine to skew it)."""
    epoch, _, _ = build_epoch(root)
    best, commits, parsed = float("inf"), 0, 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        h = session_history(academy, root, epoch)
        best, commits, parsed = min(best, time.perf_counter() - t0), h.commits, h.parsed
    return best, commits, parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20,
                        help="commits of history N; the walk is also timed at 2N (default 20)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the synthetic academy: 1.0 = 20,000 sessions and "
                             "100,000 learners (default 1.0)")
    parser.add_argument("--work", type=Path, default=None, help="keep generated files here")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each timing (best kept)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    sizes = {"programs": 200, "cohorts": 2000, "sessions": 20000, "instructors": 500,
             "learners": 100000}
    sizes = {k: max(1, int(v * args.scale)) for k, v in sizes.items()}
    roots = {}
    for n in (args.commits, 2 * args.commits):
        roots[n] = work / f"academy-{n}"
        if not (roots[n] / ".git").is_dir():
            shutil.rmtree(roots[n], ignore_errors=True)
            generate(roots[n], git_history=n, **sizes)
    academy = load(roots[args.commits])
    stamp = build_epoch(roots[args.commits])[0].astimezone(UTC)
    n_sessions = len(academy.sessions())
    # The machine is shared: take the best of a few runs of each (ratios of minima).
    base = min(baseline(academy, stamp) for _ in range(args.repeat))
    rate = max(event_rate(academy, stamp) for _ in range(args.repeat))
    runs = [write_all(academy, roots[args.commits], work / "out") for _ in range(args.repeat)]
    total, files, links = min(runs)
    size = sum(p.stat().st_size for p in (work / "out/site/calendars").rglob("*.ics")) // (
        files + links)
    floor = file_system_floor(work, files, links, size)
    walks = max(3, args.repeat)
    walk_n, commits_n, parsed_n = history_time(academy, roots[args.commits], walks)
    print(f"sessions: {n_sessions}, learners: {len(academy.learners)}, "
          f"feed files: {files + links} ({files} written, {links} hard links to same bytes)")
    print(f"baseline: icalendar to_ical of {n_sessions} events once: {base:.2f} s")
    print(f"feed writer events/s (3 variants each): {rate:,.0f} "
          f"(icalendar to_ical alone: {n_sessions / base:,.0f}/s)")
    print(f"all feeds: {total:.2f} s = {total / base:.2f} x baseline (target <= 3)")
    print(f"all feeds without the history walk: {(total - walk_n) / base:.2f} x baseline")
    print(f"file-system floor (create {files} files + {links} links, nothing else): "
          f"{floor:.2f} s = {floor / base:.2f} x baseline")
    del academy
    academy2 = load(roots[2 * args.commits])
    walk_2n, commits_2n, parsed_2n = history_time(academy2, roots[2 * args.commits], walks)
    print(f"history walk: {commits_n} commits {walk_n:.2f} s ({parsed_n} blobs parsed), "
          f"{commits_2n} commits {walk_2n:.2f} s ({parsed_2n} blobs parsed); "
          f"ratio {walk_2n / walk_n:.2f} for {commits_2n / commits_n:.2f}x commits")
    extra = commits_2n - commits_n
    print(f"history walk per extra commit: {(walk_2n - walk_n) / extra * 1000:.1f} ms "
          f"(the rest is fixed: hashing the working tree's cohort files and one git log)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS, whole process): {peak:,.0f} MiB (target < 2048)")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    ok = total / base <= 3 and peak < 2048
    print(f"overall: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
