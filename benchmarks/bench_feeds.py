"""How fast the calendar feeds are written, as ratios measured in one run.

    python benchmarks/bench_feeds.py [--commits 20] [--scale 1.0] [--repeat 3] [--work DIR]

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

Times are CPU seconds of this process (``time.process_time``: user + system),
not wall time: writing 100,000 files waits on the disk, and on a shared
machine other people's disk use then moved the ratio by a fifth between
runs. The baseline and the writer take turns in every round (``timing.py``),
``--repeat`` rounds; min and median are printed and the target is judged on
the medians. Exits 1 when a target is missed.
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
from timing import Samples, alternate, cpu_in_process, overall, verdict  # noqa: E402

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
    """CPU seconds icalendar spends in ``to_ical`` for every public event, built beforehand."""
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
    return cpu_in_process(lambda: [e.to_ical() for e in events])


def event_rate(academy: Academy, stamp: object) -> float:
    sessions = academy.sessions()
    lines = ics.Lines()  # one per build, as the writer does
    cpu = cpu_in_process(lambda: [
        ics.event_bytes(academy, s, Change(1, None), stamp, True, lines)  # type: ignore[arg-type]
        for s in sessions])
    return len(sessions) / cpu


def write_all(academy: Academy, root: Path, work: Path) -> tuple[float, int, int]:
    """CPU seconds to write every feed; and how many files were created and hard-linked."""
    epoch, commit, _ = build_epoch(root)
    public, private = work / "site", work / "reports"
    for folder in (public, private):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    ctx = BuildContext(academy=academy, root=root, public=public, private=private, work=work,
                       epoch=epoch, commit=commit, secret=b"benchmark-secret")
    elapsed = cpu_in_process(lambda: feeds.write(ctx))
    inodes, entries = set(), 0
    for path in (public / "calendars").rglob("*.ics"):
        entries += 1
        inodes.add(path.stat().st_ino)
    return elapsed, len(inodes), entries - len(inodes)


def file_system_floor(work: Path, files: int, links: int, size: int) -> float:
    """CPU seconds this file system needs just to create ``files`` files and ``links`` links."""
    folder = work / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = b"x" * size

    def create() -> None:
        for i in range(files):
            (folder / f"{i:032x}.ics").write_bytes(data)
        for i in range(links):
            if i % 60000 == 0:  # ext4 allows 65,000 names per file
                twin = folder / f"t{i:032x}.ics"
                twin.write_bytes(data)
            os.link(twin, folder / f"l{i:032x}.ics")

    elapsed = cpu_in_process(create)
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed


def history_time(academy: Academy, root: Path, repeat: int) -> tuple[Samples, int, int]:
    """CPU seconds of ``repeat`` walks (this process's; git's helpers are not counted, as in
    the writer's figure), the commits walked and the blobs parsed."""
    epoch, _, _ = build_epoch(root)
    samples = Samples("history walk")
    for _ in range(repeat):
        start = time.process_time()
        h = session_history(academy, root, epoch)
        samples.values.append(time.process_time() - start)
    return samples, h.commits, h.parsed


def writer_rounds(academy: Academy, root: Path, work: Path,
                  repeat: int) -> tuple[Samples, Samples, int, int]:
    """The baseline and the whole feed writer, taking turns; the writer's file counts."""
    stamp = build_epoch(root)[0].astimezone(UTC)
    counts: list[tuple[int, int]] = []

    def writer() -> float:
        cpu, files, links = write_all(academy, root, work / "out")
        counts.append((files, links))
        return cpu

    runs = alternate(repeat, [("baseline: icalendar to_ical of every public event",
                               lambda: baseline(academy, stamp)), ("all feeds", writer)])
    base, total = runs.values()
    return base, total, *counts[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20,
                        help="commits of history N; the walk is also timed at 2N (default 20)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the synthetic academy: 1.0 = 20,000 sessions and "
                             "100,000 learners (default 1.0)")
    parser.add_argument("--work", type=Path, default=None, help="keep generated files here")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of baseline and writer, taking turns (default 3)")
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
    base, total, files, links = writer_rounds(academy, roots[args.commits], work, args.repeat)
    rate = max(event_rate(academy, stamp) for _ in range(args.repeat))
    size = sum(p.stat().st_size for p in (work / "out/site/calendars").rglob("*.ics")) // (
        files + links)
    floor = file_system_floor(work, files, links, size)
    walks = max(3, args.repeat)
    walk_n, commits_n, parsed_n = history_time(academy, roots[args.commits], walks)
    print(f"sessions: {n_sessions}, learners: {len(academy.learners)}, "
          f"feed files: {files + links} ({files} written, {links} hard links to same bytes)")
    print(base.line())
    print(total.line())
    print(f"feed writer events per CPU s (3 variants each): {rate:,.0f} "
          f"(icalendar to_ical alone: {n_sessions / base.median:,.0f})")
    ok = verdict("all feeds / baseline (medians)", total.median / base.median, 3)
    print(f"all feeds / baseline (minima): {total.min / base.min:.2f}x")
    print(f"all feeds without the history walk: "
          f"{(total.median - walk_n.median) / base.median:.2f}x baseline")
    print(f"file-system floor (create {files} files + {links} links, nothing else): "
          f"{floor:.2f} CPU s = {floor / base.median:.2f}x baseline")
    del academy
    academy2 = load(roots[2 * args.commits])
    walk_2n, commits_2n, parsed_2n = history_time(academy2, roots[2 * args.commits], walks)
    print(f"history walk: {commits_n} commits {walk_n.median:.2f} CPU s ({parsed_n} blobs "
          f"parsed), {commits_2n} commits {walk_2n.median:.2f} s ({parsed_2n} blobs parsed); "
          f"ratio {walk_2n.median / walk_n.median:.2f} for {commits_2n / commits_n:.2f}x commits")
    extra = commits_2n - commits_n
    print(f"history walk per extra commit: "
          f"{(walk_2n.median - walk_n.median) / extra * 1000:.1f} ms "
          f"(the rest is fixed: hashing the working tree's cohort files and one git log)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = verdict("peak memory (RSS, whole process)", peak, 2048, " MiB") and ok
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
