"""Run only the writers whose inputs changed, in parallel, and take the rest as they are.

Every writer gets a key (:mod:`trainkit.writers.fingerprint`). The build
cache (:mod:`trainkit.writers.buildcache`) says which key each writer had at
the last build of these output folders and which files it wrote. A writer
whose key is unchanged, and whose files are still exactly the ones that
build left (same size, modification time and inode), is not run: its files
are hard-linked from the current output into the staging folder. The others
run, each into a folder of its own, at the same time (``--jobs``: this
process and forked workers, :func:`_share`); the folders are then merged in
the fixed order of ``WRITERS``, so the result does not depend on which
process finished first. When every writer can be taken
over and the outputs are exactly as the last build left them, the build
touches nothing at all.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.writers import buildcache, fingerprint, settle, spare
from trainkit.writers.buildcache import Manifest, Part
from trainkit.writers.context import BuildContext, BuildError, Earlier
from trainkit.writers.settle import FOLDER, Stat
from trainkit.writers.units import SameBytes

PARTS = ".trainkit-parts"  # inside the staging folders while writers run


@dataclass
class Plan:
    names: list[str]  # the writers this build runs or takes over, in order
    site: Path
    reports: Path
    keys: dict[str, str]
    manifest: Path | None  # where the cache lives; None: no cache
    previous: Manifest | None
    public: dict[str, Stat]  # the current site/ and reports/
    private: dict[str, Stat]
    reusable: set[str] = field(default_factory=set)

    def unchanged(self) -> bool:
        """Whether the outputs are already what this build would write."""
        prev = self.previous
        return (prev is not None and self.reusable == set(self.names) == set(prev.parts)
                and prev.public == self.public and prev.private == self.private)

    def earlier(self) -> Earlier | None:
        """The last build's files and per-file digests, for writers that key each file."""
        prev = self.previous
        if prev is None:
            return None
        digests = {k: v for part in prev.parts.values() for k, v in part.units.items()}
        return Earlier(digests, {"site": self.site, "reports": self.reports},
                       {"site": self.public, "reports": self.private},
                       {"site": prev.public, "reports": prev.private})

    def cached(self) -> tuple[list[str], list[Diagnostic]]:
        """Notes and warnings of the writers taken over, in writer order."""
        parts = self.previous.parts if self.previous else {}
        notes = [n for name in self.names if name in self.reusable for n in parts[name].notes]
        diags = [d for name in self.names if name in self.reusable
                 for d in parts[name].diagnostics]
        return notes, diags


def plan(ctx: BuildContext, names: list[str], site: Path, reports: Path,
         use_cache: bool) -> Plan:
    """Keys of ``names`` and which of them the current outputs already hold."""
    if not use_cache:
        return Plan(names, site, reports, {}, None, None, {}, {})
    moment = fingerprint.Moment(int(ctx.epoch.timestamp()), ctx.commit, ctx.secret, site, reports,
                                ctx.personal)
    files = ctx.inputs = fingerprint.inputs(ctx.academy, keep=ctx.again, read=ctx.read)
    keys = {name: fingerprint.writer_key(name, files, moment) for name in names}
    where = buildcache.location(ctx.root, site, reports)
    found = Plan(names, site, reports, keys, where, buildcache.load(where),
                 settle.snapshot(site), settle.snapshot(reports))
    prev = found.previous
    if prev is not None:
        found.reusable = {name for name in names if name in prev.parts
                          and prev.parts[name].key == keys[name] and _intact(found, name)}
    return found


def _intact(p: Plan, name: str) -> bool:
    assert p.previous is not None
    part = p.previous.parts[name]
    return (all(p.public.get(rel) == p.previous.public.get(rel) is not None for rel in part.public)
            and all(p.private.get(rel) == p.previous.private.get(rel) is not None
                    for rel in part.private))


# ---------------------------------------------------------------- running writers

_JOB: BuildContext | None = None  # the build a forked worker serves

# The modules forked workers imported, by name. A process that builds again and again
# (the live preview) imports them itself between builds: its next workers are then
# forked with them, instead of each importing them anew.
WORKER_IMPORTS: set[str] = set()


def _dirs(ctx: BuildContext, name: str) -> tuple[Path, Path]:
    return ctx.public / PARTS / name, ctx.private / PARTS / name


def _staging(ctx: BuildContext) -> dict[str, Path]:
    """Where files taken over from the last build go: straight into the staged output."""
    return {"site": ctx.public, "reports": ctx.private}


Ran = tuple[list[str], list[Diagnostic], str | None, dict[str, str], list[str], list[str]]


def _run(name: str) -> Ran:
    """Run writer ``name`` into its own folders: its notes, warnings, failure, the files
    it took over, and the modules it imported."""
    loaded = set(sys.modules)
    ctx = _JOB
    assert ctx is not None
    public, private = _dirs(ctx, name)
    sub = replace(ctx, public=public, private=private, work=ctx.work / name, notes=[],
                  diagnostics=[], units={}, kept=[], staging=_staging(ctx))
    for folder in (public, private, sub.work):
        folder.mkdir(parents=True)
    started = time.perf_counter()
    try:
        importlib.import_module(f"trainkit.writers.{name}").write(sub)
    except BuildError as exc:
        return sub.notes, [*sub.diagnostics, *exc.diagnostics], str(exc), {}, [], []
    finally:
        if ctx.running is not None:  # its process is free for the writers still at work
            with ctx.running.get_lock():
                ctx.running.value -= 1
    # said from the process that ran it (a forked worker prints too)
    sub.say(f"{name}: written in {time.perf_counter() - started:.1f} s")
    imported = [m for m in sys.modules if m not in loaded]
    return sub.notes, sub.diagnostics, None, sub.units, sub.kept, imported


def _share(run: list[str], jobs: int) -> dict[str, Ran]:
    """Run the writers ``run`` in this process and ``jobs - 1`` forked workers.

    A worker is handed the next writer from the front of the list when it is
    done with its last; this process takes writers from the back. Nobody waits
    while there is work left, and one process fewer is forked (a fork of a
    process holding the academy costs about half a CPU second at the benchmark
    scale, in copied pages). Writer modules are imported here, once, before
    the fork: each worker would otherwise import what its writers share
    (Jinja2, the report formats, numpy) again.
    """
    for name in run:
        importlib.import_module(f"trainkit.writers.{name}")
    left = deque(run)
    lock = threading.Lock()
    handed: dict[str, Future[Ran]] = {}
    done: dict[str, Ran] = {}
    workers = min(jobs, len(run)) - 1
    with ProcessPoolExecutor(workers, multiprocessing.get_context("fork")) as pool:

        def hand(_: object = None) -> None:
            # one writer at a time: the pool would queue more for a worker than it can
            # take back, and this process could then not take them over
            with lock:
                if not left:
                    return
                name = left.popleft()
                handed[name] = future = pool.submit(_run, name)
            future.add_done_callback(hand)  # runs on the pool's thread when it is done

        for _ in range(workers):
            hand()
        try:
            while True:
                with lock:
                    if not left:
                        break
                    name = left.pop()
                done[name] = _run(name)
        except BaseException:
            with lock:
                left.clear()  # hand nothing more: the pool is shutting down
            raise
        for name, future in list(handed.items()):
            done[name] = future.result()
    return done


def _take_over(ctx: BuildContext, p: Plan, name: str) -> list[str]:
    """Writer ``name``'s files of the last build, put in place in the staged output, as
    a writer's files taken over by their keys are (``units.SameBytes.link``): each is the
    current output's very file, hard-linked, or left as it is where the spare tree holds
    it already. Returns them, as ``kept`` lists them. A file that cannot be linked is
    copied into the writer's own folders, and merged as if the writer had made it."""
    assert p.previous is not None
    part = p.previous.parts[name]
    public, private = _dirs(ctx, name)
    kept: list[str] = []
    staged = replace(ctx, staging=_staging(ctx))
    for side, rels, src, dst, stats in (("site", part.public, p.site, public, p.public),
                                        ("reports", part.private, p.reports, private,
                                         p.private)):
        dst.mkdir(parents=True)
        linker = SameBytes(staged, side, kept)
        for rel in rels:
            if stats[rel] == FOLDER:
                (dst / rel).mkdir(parents=True, exist_ok=True)  # one left empty is kept too
            elif linker.link(rel) is None:
                (dst / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / rel, dst / rel, follow_symlinks=False)
    return kept


def write(ctx: BuildContext, p: Plan, jobs: int) -> Merged:
    """Fill ``ctx.public`` and ``ctx.private``: each writer's part, and what they hold.

    The writers to run share ``jobs`` processes (:func:`_share`). When this process
    builds again soon after (``ctx.again``: the live preview's saves), they run one
    after another in it, each free to split its own work over all ``jobs``, and may
    keep in memory what the next build reads. A save has little to write: at the
    benchmark scale, a worker forked from a process holding the academy costs 0.3 to
    0.5 CPU s in pages copied for both processes, more than the writers other than the
    site take; and what a forked worker keeps in memory is lost with it.
    """
    global _JOB
    _JOB = ctx
    ctx.earlier, ctx.jobs = p.earlier(), jobs
    run = [name for name in p.names if name not in p.reusable]
    ctx.idle = jobs if ctx.again else max(1, jobs - len(run) + 1)
    kept: dict[str, list[str]] = {}
    for name in p.names:
        if name in p.reusable:
            ctx.say(f"{name}: unchanged, taken from the last build")
            kept[name] = _take_over(ctx, p, name)
    shared = not ctx.again and jobs > 1 and len(run) > 1
    # writers not finished, counted down by each process as it finishes one: a writer
    # splitting its work asks how many processes are free then (BuildContext.cores)
    ctx.running = multiprocessing.get_context("fork").Value("i", len(run)) if shared else None
    try:
        done = _share(run, jobs) if shared else {n: _run(n) for n in run}
    finally:
        _JOB = None
        ctx.running = None
    notes, diags = p.cached()
    ctx.notes.extend(notes)
    ctx.diagnostics.extend(diags)
    parts: dict[str, Part] = {}
    for name in run:
        n, d, failed, units, kept[name], imported = done[name]
        WORKER_IMPORTS.update(m for m in imported if m not in sys.modules)  # a worker's
        ctx.notes.extend(n)
        ctx.diagnostics.extend(d)
        if failed is not None:
            raise BuildError(failed, ctx.diagnostics)
        parts[name] = Part(p.keys.get(name, ""), notes=n, diagnostics=d, units=units)
    for name in p.reusable:
        assert p.previous is not None
        parts[name] = replace(p.previous.parts[name], public=[], private=[])
    ctx.say("putting the written files in place")
    return _merge(ctx, p.names, parts, kept)


@dataclass
class Merged:
    parts: dict[str, Part]  # each writer's part, for the build cache
    public: dict[str, Stat]  # what the staged site/ and reports/ hold
    private: dict[str, Stat]


def _merge(ctx: BuildContext, names: list[str], parts: dict[str, Part],
           kept: dict[str, list[str]]) -> Merged:
    """Move every writer's files into place, later writers over earlier ones.

    Files a writer took over from the last build (:mod:`trainkit.writers.units`), listed
    in ``kept``, are already in place. Where two writers give the same file, the later
    one's stays, whichever way it came. A staging folder that was the spare tree
    (:mod:`trainkit.writers.spare`) loses first whatever the new output does not hold.
    Returns the parts to record and what the staging folders now hold.
    """
    dirs = {name: _dirs(ctx, name) for name in names}
    made = {name: (settle.snapshot(dirs[name][0]), settle.snapshot(dirs[name][1]))
            for name in names}
    now = ctx.earlier.now if ctx.earlier is not None else {}
    tree: dict[str, dict[str, Stat]] = {"site": {}, "reports": {}}  # the merged output
    winner: dict[str, str] = {}  # "site/rel" -> the last writer (in WRITERS order) giving it
    for name in names:
        for side, found in zip(("site", "reports"), made[name], strict=True):
            tree[side].update(found)
            winner.update((f"{side}/{r}", name) for r, st in found.items() if st != FOLDER)
        for key in kept.get(name, ()):
            side, _, rel = key.partition("/")
            # a taken-over file is a link to the current output's: its stat is known
            known = now.get(side, {}).get(rel)
            tree[side][rel] = known if known is not None else settle.stat_of(
                (ctx.public if side == "site" else ctx.private) / rel)
            winner[key] = name
    for side, base in (("site", ctx.public), ("reports", ctx.private)):
        tree[side].update((rel, FOLDER) for rel in _with_folders(tree[side]) - tree[side].keys())
        index = ctx.spare.get(side)
        if index is not None:
            spare.prune(base, index, tree[side])
    lost: set[str] = set()  # writers some of whose files a later writer replaced
    for name in names:
        part = parts[name]
        taken = kept.get(name, [])
        lost.update(name for key in taken if winner[key] != name)
        for side, found, src, dst in (("site", made[name][0], dirs[name][0], ctx.public),
                                      ("reports", made[name][1], dirs[name][1], ctx.private)):
            listed = _place(found, src, dst, side, (name, winner, lost))
            prefix = f"{side}/"
            listed.update(_with_folders(key[len(prefix):] for key in taken
                                        if key.startswith(prefix)))
            if side == "site":
                part.public = sorted(listed)
            else:
                part.private = sorted(listed)
    for base in (ctx.public, ctx.private):
        shutil.rmtree(base / PARTS, ignore_errors=True)
    # A writer whose files are not all its own cannot be taken over by a later build.
    return Merged({name: part for name, part in parts.items() if name not in lost},
                  tree["site"], tree["reports"])


def _place(found: dict[str, Stat], src: Path, dst: Path, side: str,
           claims: tuple[str, dict[str, str], set[str]]) -> set[str]:
    """Move the files writer ``name`` made into ``dst``, unless a later writer gives them.

    A folder that ``dst`` lacks, none of whose files a later writer gives, is moved
    whole, in one rename, with everything under it: in a build from scratch nearly every
    folder (the 100,000 learner pages of the benchmark academy cost one rename, not
    100,000). Only where ``dst`` has the folder already (the spare tree, files taken over
    into it, an earlier writer's) are the files moved one by one.
    """
    name, winner, lost = claims
    contested: set[str] = set()  # folders holding a file a later writer gives
    for rel, st in found.items():
        if st != FOLDER and winner[f"{side}/{rel}"] != name:
            lost.add(name)
            contested.update(_parents(rel))
    moved: set[str] = set()  # folders moved whole
    for rel in sorted(found):
        if moved and any(parent in moved for parent in _parents(rel)):
            continue  # moved with its folder
        if found[rel] == FOLDER:
            target = dst / rel
            if rel not in contested and not os.path.lexists(target):
                os.rename(src / rel, target)
                moved.add(rel)
            else:
                target.mkdir(exist_ok=True)
        elif winner[f"{side}/{rel}"] == name:
            os.replace(src / rel, dst / rel)
    return set(found)


def _parents(rel: str) -> Iterator[str]:
    """The folders above ``rel`` (a relative path with ``/``), nearest first."""
    while "/" in rel:
        rel = rel.rpartition("/")[0]
        yield rel


def _with_folders(rels: Iterable[str]) -> set[str]:
    """``rels`` and every folder above them."""
    out: set[str] = set()
    for rel in rels:
        out.add(rel)
        for head in _parents(rel):
            if head in out:
                break  # and every folder above it
            out.add(head)
    return out


def record(p: Plan, parts: dict[str, Part],
           outputs: tuple[dict[str, Stat], dict[str, Stat]]) -> None:
    """Save what this build wrote (``outputs``: what site/ and reports/ now hold)."""
    if p.manifest is None:
        return
    kept = {name: part for name, part in parts.items() if name in p.keys}
    buildcache.save(p.manifest, Manifest(kept, *outputs))
