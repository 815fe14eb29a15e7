"""What ``trainkit build`` costs: cold, unchanged and one-cohort-edit builds.

    python benchmarks/bench_build.py [--scale 1.0] [--repeat 3] [--work DIR]

Generates the synthetic academy (``synth.py``; at scale 1: 2,000 cohorts,
20,000 sessions, 100,000 learners, one commit of git history), then times in
each round, in fresh processes and CPU time of the children (user + system,
all threads):

* **cold build**: ``trainkit build`` into empty output folders with an empty
  cache (a fresh ``--cache-dir`` when the command has one, a fresh
  ``XDG_CACHE_HOME``, and everything git does not track removed from the
  academy);
* **unchanged rebuild**: the same build again, nothing changed; the files of
  ``site/`` and ``reports/`` whose inode or bytes changed are counted;
* **one-cohort edit**: one session of one cohort moves by half an hour, then
  ``trainkit build``; measured twice per round: the first edit after the cold
  build, and a second edit (the session moved back) after it. The first
  has no spare tree to stage in yet (the cold build replaced nothing), the
  second shows what every further edit costs (``docs/architecture.md``,
  "The spare tree");
* **live preview**: ``trainkit serve`` of the same academy, with the same cache
  folder: its first start (after the builds above, so with their caches), what
  it spends after it says it serves until it is idle (it lays the spare tree
  the first save is staged in: the builds' first edit has none), two one-cohort
  edits while it runs (from the save until the preview reports the new build),
  and a restart with nothing changed (it keeps its preview in the cache
  folder). The preview runs as users start it, ``trainkit serve``: the
  public site, without the personal feeds and "My training" pages (those come
  with ``--personal``). The CPU time is the serve process's and its finished
  children's (``/proc``; Linux only, skipped elsewhere);
* **baselines**: one ``trainkit check`` of the same academy (with the parsed
  files the builds kept in the cache folder, as on a user's machine), and Hugo
  building the same pages: the Markdown pages of the MkDocs project the site
  writer generates, as a minimal Hugo site (one template, no theme). Hugo is
  the Debian package ``hugo`` (``apt-get install hugo``); without it the Hugo
  ratios are skipped and said so.

Baselines and builds take turns (check and Hugo swap places every round).
Targets, judged on the medians (``timing.py`` says why):

* one-cohort edit rebuild <= Hugo's full build of the same pages (both edits, and
  both edits in the live preview);
* cold build <= 6x Hugo;
* unchanged rebuild writes nothing and costs <= 2x one ``trainkit check``.

Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engines import move_one_session  # noqa: E402
from site_engines import html_pages, hugo_site, mkdocs_project  # noqa: E402
from synth import generate  # noqa: E402
from timing import Run, Samples, cpu_of_child, environment, overall, trainkit, verdict  # noqa: E402

EPOCH = 1772323200  # 2026-03-01: every build of every round has the same "now"
SIZES = {"programs": 200, "cohorts": 2000, "sessions": 20000, "instructors": 500,
         "learners": 100000}


def build_options() -> set[str]:
    """Options of this ``trainkit build`` that the benchmark knows how to use."""
    done = subprocess.run(trainkit(["build", "--help"]), capture_output=True, text=True,
                          check=True)
    return {o for o in ("--cache-dir", "--jobs") if o in done.stdout}


EDIT_AGAIN = "one-cohort edit rebuild after an edit"
PREVIEW_FIRST = "live preview, first start"
PREVIEW_SETTLE = "live preview, after its first start until idle"
PREVIEW_EDIT = "live preview, one-cohort edit"
PREVIEW_EDIT_AGAIN = "live preview, one-cohort edit after an edit"
PREVIEW_AGAIN = "live preview, restart with nothing changed"


class Builds:
    """Runs ``trainkit build`` of one academy into one pair of output folders."""

    def __init__(self, root: Path, work: Path, options: set[str]) -> None:
        self.root, self.work, self.options = root, work, options
        self.site, self.reports = work / "out/site", work / "out/reports"
        self.cache = work / "cache"
        self.forward = True

    def _run(self) -> float:
        return self.run().cpu

    def run(self, *extra: str) -> Run:
        """One ``trainkit build`` with ``extra`` options: its CPU and wall time."""
        argv = ["build", "--root", str(self.root), "--site-dir", str(self.site),
                "--reports-dir", str(self.reports), "-q", *extra]
        if "--cache-dir" in self.options:
            argv += ["--cache-dir", str(self.cache / "trainkit")]
        return cpu_of_child(trainkit(argv), env=self.env())

    def env(self) -> dict[str, str]:
        """What every build (and the preview) runs with: one "now", personal feeds on."""
        return environment(SOURCE_DATE_EPOCH=str(EPOCH), TRAINKIT_FEED_SECRET="bench-secret",
                           XDG_CACHE_HOME=str(self.cache), NO_MKDOCS_2_WARNING="1")

    def cold(self) -> float:
        for folder in (self.work / "out", self.cache):
            shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "clean", "-fdxq"], cwd=self.root, check=True)
        return self._run()

    def again(self) -> float:
        return self._run()

    def edit(self) -> float:
        move_one_session(self.root, self.forward)
        self.forward = not self.forward
        return self._run()

    def check(self) -> float:
        env = environment(XDG_CACHE_HOME=str(self.cache))  # the parses the builds kept
        return cpu_of_child(trainkit(["check", "--root", str(self.root)]), env=env).cpu


class Preview:
    """``trainkit serve`` of the builds' academy, with their cache folder (where it keeps
    its preview between starts)."""

    def __init__(self, builds: Builds) -> None:
        self.builds = builds
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.walls: list[float] = []  # save -> the preview reports the new build

    @staticmethod
    def available() -> bool:
        return Path(f"/proc/{os.getpid()}/stat").is_file()

    def _cpu(self) -> float:
        """User + system seconds of the serve process and of its children it has reaped."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def start(self) -> float:
        """Start serving; the CPU seconds of the start-up build."""
        self.proc = subprocess.Popen(
            trainkit(["serve", "--root", str(self.builds.root), "--port", "0",
                      "--interval", "0.2"]),
            env=self.builds.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        said = []
        for line in self.proc.stderr:
            said.append(line)
            found = re.search(r"serving http://[^:]+:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                break
        else:
            raise SystemExit("trainkit serve stopped:\n" + "".join(said[-40:]))
        cpu = self._cpu()
        # keep reading what it prints, so that it never blocks on a full pipe
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()
        return cpu

    def settle(self) -> float:
        """Wait until the preview is idle after it said it serves, as a user looks at it
        before the first save; the CPU seconds it spent meanwhile (its look at the files
        every 0.2 s included: a few hundredths of a second every half second)."""
        first = last = self._cpu()
        quiet = 0
        while quiet < 2:
            time.sleep(0.5)
            now = self._cpu()
            quiet = quiet + 1 if now - last < 0.1 else 0
            last = now
        return last - first

    def _generation(self) -> int:
        url = f"http://127.0.0.1:{self.port}/_trainkit/status"
        with urllib.request.urlopen(url, timeout=30) as r:
            status = json.load(r)
        if not status["ok"]:
            raise SystemExit(f"the preview's build failed: {status['errors'][:5]}")
        return int(status["generation"])

    def edit(self) -> float:
        """Move one session; the CPU seconds until the preview has the new build."""
        seen, before = self._generation(), self._cpu()
        start = time.perf_counter()
        move_one_session(self.builds.root, self.builds.forward)
        self.builds.forward = not self.builds.forward
        while self._generation() == seen:
            time.sleep(0.05)
        self.walls.append(time.perf_counter() - start)
        return self._cpu() - before

    def stop(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=600)


Snapshot = dict[str, tuple[tuple[int, int], str]]


def snapshot(folders: list[Path]) -> Snapshot:
    """Every file's (inode, modification time) and content digest (hard links hashed once)."""
    by_inode: dict[int, str] = {}
    out = {}
    for folder in folders:
        for dirpath, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(dirpath, name)
                st = os.stat(path)
                if st.st_ino not in by_inode:
                    with open(path, "rb") as fh:
                        by_inode[st.st_ino] = hashlib.blake2b(fh.read(),
                                                              digest_size=16).hexdigest()
                out[os.path.relpath(path, folder.parent)] = ((st.st_ino, st.st_mtime_ns),
                                                             by_inode[st.st_ino])
    return out


def changes(before: Snapshot, after: Snapshot) -> tuple[str, int]:
    added = after.keys() - before.keys()
    removed = before.keys() - after.keys()
    both = before.keys() & after.keys()
    inode = sum(1 for k in both if before[k][0] != after[k][0])
    data = sum(1 for k in both if before[k][1] != after[k][1])
    return (f"{inode + len(added) + len(removed)} of {len(after)} files written "
            f"({inode} replaced or rewritten, {data} with different bytes, "
            f"{len(added)} added, {len(removed)} removed)"), inode + len(added) + len(removed)


class Hugo:
    def __init__(self, root: Path, work: Path) -> None:
        self.command = shutil.which("hugo")
        self.source, self.out = work / "hugo", work / "hugo-public"
        self.pages = 0
        if self.command:
            project = work / "mkdocs-project"
            mkdocs_project(root, project, datetime.fromtimestamp(EPOCH, tz=UTC))
            self.pages = hugo_site(project, self.source)

    def build(self) -> float:
        assert self.command
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.source / "resources", ignore_errors=True)
        return cpu_of_child([self.command, "--quiet", "--source", str(self.source),
                             "--destination", str(self.out)]).cpu


def academy_options(doc: str) -> argparse.ArgumentParser:
    """The command line of a benchmark of the synthetic academy (``--work`` reuses it)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1.0: 2,000 cohorts, 20,000 sessions, 100,000 learners")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--work", type=Path, help="keep generated files here (and reuse them)")
    return parser


def two_cores(doc: str, argv: list[str] | None, what: str, name: str
              ) -> tuple[argparse.Namespace, Path, Builds] | None:
    """A benchmark of ``--jobs 1`` against ``--jobs 2``: its options, its work folder and
    builds of the synthetic academy into outputs of its own (``name``); None, said so,
    on one core (``what``: what there is nothing to split)."""
    args = academy_options(doc).parse_args(argv)
    if (os.cpu_count() or 1) < 2:
        print(f"one core: nothing to split {what} over; not measured")
        return None
    work = args.work or Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    root = synthetic(work, args.scale)
    return args, work, Builds(root, work / name, build_options())


def synthetic(work: Path, scale: float) -> Path:
    """The academy in ``work``, generated (with one commit of history) unless it is there."""
    root = work / "academy"
    if not (root / ".git").is_dir():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, git_history=1, **{k: max(1, int(v * scale)) for k, v in SIZES.items()})
    return root


def main(argv: list[str] | None = None) -> int:
    args = academy_options(__doc__).parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-build-"))
    root = synthetic(work, args.scale)
    options = build_options()
    print(f"trainkit build options used: {sorted(options) or 'none of --cache-dir, --jobs'}")
    builds, hugo = Builds(root, work, options), Hugo(root, work)
    if hugo.command is None:
        print("hugo not found: it is the Debian package hugo (apt-get install hugo); "
              "the Hugo ratios are skipped")
    preview = Preview(builds) if Preview.available() else None
    if preview is None:
        print("no /proc here: the live preview is not measured")
    names = ["cold build", "trainkit check", "unchanged rebuild", "Hugo, same pages",
             "one-cohort edit rebuild", EDIT_AGAIN, PREVIEW_FIRST, PREVIEW_SETTLE, PREVIEW_EDIT,
             PREVIEW_EDIT_AGAIN, PREVIEW_AGAIN]
    runs = {n: Samples(n) for n in names}
    written: list[int] = []
    for i in range(args.repeat):
        runs["cold build"].values.append(builds.cold())
        base = [("trainkit check", builds.check)]
        if hugo.command:
            base.append(("Hugo, same pages", hugo.build))
        first, *rest = base if i % 2 == 0 else base[::-1]
        runs[first[0]].values.append(first[1]())
        before = snapshot([builds.site, builds.reports])
        runs["unchanged rebuild"].values.append(builds.again())
        said, count = changes(before, snapshot([builds.site, builds.reports]))
        written.append(count)
        print(f"round {i + 1}: unchanged rebuild: {said}", flush=True)
        for name, step in rest:
            runs[name].values.append(step())
        runs["one-cohort edit rebuild"].values.append(builds.edit())
        runs[EDIT_AGAIN].values.append(builds.edit())
        if preview is not None:
            runs[PREVIEW_FIRST].values.append(preview.start())
            runs[PREVIEW_SETTLE].values.append(preview.settle())
            runs[PREVIEW_EDIT].values.append(preview.edit())
            runs[PREVIEW_EDIT_AGAIN].values.append(preview.edit())
            preview.stop()
            runs[PREVIEW_AGAIN].values.append(preview.start())
            preview.stop()
    private = html_pages(builds.site / "calendars") + html_pages(builds.site / "verify")
    print(f"site: {html_pages(builds.site) - private} MkDocs pages (and {private} learner and "
          f"verification pages); Hugo: {hugo.pages} Markdown pages -> "
          f"{html_pages(hugo.out) if hugo.command else 0} HTML pages (with section lists)")
    for samples in runs.values():
        if samples.values:
            print(samples.line())
    med = {n: s.median for n, s in runs.items() if s.values}
    ok = max(written) == 0
    print(f"files written by an unchanged rebuild (most of any round): {max(written)} "
          f"(target 0: {'met' if ok else 'NOT met'})")
    ok = verdict("unchanged rebuild / trainkit check",
                 med["unchanged rebuild"] / med["trainkit check"], 2) and ok
    if hugo.command:
        ok = verdict("one-cohort edit rebuild / Hugo full build",
                     med["one-cohort edit rebuild"] / med["Hugo, same pages"], 1) and ok
        ok = verdict(f"{EDIT_AGAIN} / Hugo full build",
                     med[EDIT_AGAIN] / med["Hugo, same pages"], 1) and ok
        ok = verdict("cold build / Hugo full build",
                     med["cold build"] / med["Hugo, same pages"], 6) and ok
        if preview is not None:
            for name in (PREVIEW_EDIT, PREVIEW_EDIT_AGAIN):
                ok = verdict(f"{name} / Hugo full build",
                             med[name] / med["Hugo, same pages"], 1) and ok
    print(f"also: cold build / trainkit check = {med['cold build'] / med['trainkit check']:.2f}x")
    if preview is not None:
        print(f"also: {PREVIEW_EDIT_AGAIN} / {EDIT_AGAIN} = "
              f"{med[PREVIEW_EDIT_AGAIN] / med[EDIT_AGAIN]:.2f}x; "
              f"{PREVIEW_AGAIN} / trainkit check = "
              f"{med[PREVIEW_AGAIN] / med['trainkit check']:.2f}x; from a save to the new "
              f"preview, wall: {', '.join(f'{w:.1f}' for w in preview.walls)} s")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return overall(ok)


if __name__ == "__main__":
    raise SystemExit(main())
