"""Keys per file inside a writer: write only the files whose own inputs changed.

A writer that makes one file per learner or per cohort gives each file a
digest of exactly what the file is made from (for a learner's page: the
values the template is rendered with). The build cache keeps the digests of
the last build (:class:`trainkit.writers.context.Earlier`); when a file's
digest is the same and the file in the current output is still exactly the
one that build left (same size, modification time and inode), the file is
hard-linked from the current output instead of being made again (straight
into the folder the build's output is staged in, so the merge of the
writers' folders does not move it again). Anything
else (no cache, a damaged or foreign one, a file edited by hand, another
version of trainkit, another secret) makes the file again.

The digest is salted with trainkit's own digest (code, templates, packages),
the writer's name and the feed secret, so what a payload leaves out of those
cannot make two different files look the same.

:func:`fan_out` splits a writer's remaining work over forked processes and
returns the results in the order of the work, whatever order they finish in;
:func:`spread` does it for work that only writes files, once the work done
so far says the rest is worth a fork, and brings back to the writer the files
its forked processes keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from trainkit.load.usercache import toolchain
from trainkit.writers.context import BuildContext
from trainkit.writers.settle import adopt
from trainkit.writers.spelling import Opaque, spelled

SIDES = ("site", "reports")
T = TypeVar("T")
R = TypeVar("R")


class Units:
    """The per-file keys of one writer in one build."""

    def __init__(self, ctx: BuildContext, writer: str) -> None:
        self.ctx = ctx
        self.on = ctx.cache is not None
        secret = b"" if ctx.secret is None else hmac.digest(ctx.secret, b"trainkit units",
                                                            "sha256")
        self.salt = f"{toolchain() if self.on else ''}|{writer}|{secret.hex()}|".encode()
        self.recorded: dict[str, str] = {}  # "site/<rel>" -> digest; the writer hands it on
        self.kept: list[str] = []  # "site/<rel>" taken over; handed on with ``recorded``
        self.same: dict[str, SameBytes] = {}  # by side: takes files over (by key or bytes)

    def same_for(self, side: str) -> SameBytes:
        found = self.same.get(side)
        if found is None:
            found = self.same[side] = SameBytes(self.ctx, side, self.kept)
        return found

    def digest(self, payload: bytes) -> str:
        return hashlib.sha256(self.salt + payload).hexdigest()

    def keep(self, side: str, rel: str, values: object) -> bool:
        """Record what file ``rel`` is made of; whether the last build's file was taken over.

        ``values`` must determine the file's bytes (given trainkit and the
        secret). When this returns False the caller writes the file; a value
        :func:`canonical` cannot spell out leaves the file unkeyed.
        """
        digest = self.record(side, rel, values)
        earlier = self.ctx.earlier
        if digest is None or earlier is None or earlier.digests.get(f"{side}/{rel}") != digest:
            return False
        now = earlier.now[side].get(rel)
        if now is None or now != earlier.then[side].get(rel) or now[0] < 0:
            return False
        # None: no hard links here, or the file vanished: make it again
        return self.same_for(side).link(rel) is not None

    def record(self, side: str, rel: str, values: object) -> str | None:
        """Record what file ``rel`` is made of, for the next build; its digest, or None
        (unkeyed) without the cache or when ``values`` cannot be spelled out."""
        if not self.on:
            return None
        try:
            payload = spelled(values)
        except Opaque:
            return None
        digest = self.recorded[f"{side}/{rel}"] = self.digest(payload)
        return digest

    def keep_scoped(self, side: str, rel: str, key: str | None) -> bool:
        """:meth:`keep` for a file keyed by ``key``, the digest of every input it is made
        from (:mod:`trainkit.writers.scope`): when it is taken over, it need not even be
        worked out. False (make it) without a key."""
        return key is not None and self.keep(side, rel, _scoped(key))

    def record_scoped(self, side: str, rel: str, key: str) -> None:
        """:meth:`record` for a file keyed by ``key`` as :meth:`keep_scoped` keys it (one
        this build made, so that the next build can take it over by that key)."""
        self.record(side, rel, _scoped(key))

    def hand_on(self) -> None:
        """Give the writer's context what this writer keyed and took over."""
        self.ctx.units.update(self.recorded)
        self.ctx.kept.extend(self.kept)


def _scoped(key: str) -> tuple[str, str]:
    """The values a file keyed by a scope's key is recorded with."""
    return ("scope", key)


class SameBytes:
    """Take over files whose bytes are made in memory when the current output has them.

    For outputs that cost less to make than to key (a personal calendar feed is
    assembled from events already serialised): when the last build's file at
    the same place, a regular file, has exactly ``data``, it is hard-linked into
    the staged output instead of written, so the merge does not move it and
    settling does not compare it again. Only with the build cache on and a
    last build of these output folders (``ctx.earlier``).
    """

    def __init__(self, ctx: BuildContext, side: str, kept: list[str] | None = None) -> None:
        earlier = ctx.earlier if ctx.cache is not None else None
        self.side = side
        self.kept = ctx.kept if kept is None else kept  # where taken-over files are listed
        self.current = None if earlier is None else str(earlier.folders[side])
        own = ctx.public if side == "site" else ctx.private
        self.base = str(ctx.staging.get(side) or own)
        self.now = {} if earlier is None else earlier.now.get(side, {})  # current stats
        self.spare = ctx.spare.get(side) if ctx.staging.get(side) else None
        self.folders: set[str] = set()
        self.inodes: dict[str, int] = {}  # a taken-over file -> its inode

    def keep(self, rel: str, data: bytes) -> str | None:
        """The staged file ``rel`` now is, when taken over; None: write it."""
        if self.current is None:
            return None
        try:
            fd = os.open(f"{self.current}/{rel}", os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            same = st.st_size == len(data) and os.read(fd, len(data) + 1) == data
        finally:
            os.close(fd)
        return self.link(rel) if same else None

    def keep_twin(self, rel: str, twin: str) -> str | None:
        """Like :meth:`keep` for a file with the bytes of ``twin``: when the current file
        is ``twin``'s very file (the same inode: the last build linked them, and this
        one took ``twin`` over), it is taken over without being read."""
        now = self.now.get(rel)  # the current file as this build found it (no stat again)
        if self.current is None or now is None:
            return None
        try:
            same = now[2] == self._inode(twin)
        except OSError:
            return None
        return self.link(rel) if same else None

    def _inode(self, path: str) -> int:
        found = self.inodes.get(path)
        if found is None:
            found = self.inodes[path] = os.stat(path, follow_symlinks=False).st_ino
        return found

    def link(self, rel: str) -> str | None:
        """Hard-link the current output's ``rel`` into the staged output; the staged
        file, or None where that cannot be done."""
        if self.current is None:
            return None
        target = f"{self.base}/{rel}"
        spare = self.spare
        now = self.now.get(rel)
        if spare is not None and rel in spare:  # staged in the spare tree (writers.spare)
            # another file there is replaced; on a folder the writer makes the file itself
            if (now is None or spare[rel] != now[2]) and \
                    not adopt(f"{self.current}/{rel}", target):
                return None
        else:
            folder = os.path.dirname(target)
            try:
                if folder not in self.folders:
                    os.makedirs(folder, exist_ok=True)
                    self.folders.add(folder)
                os.link(f"{self.current}/{rel}", target, follow_symlinks=False)
            except OSError:
                return None
        self.kept.append(f"{self.side}/{rel}")
        if now is not None:
            # the staged file is now the current one: its inode is known, for keep_twin
            self.inodes[target] = now[2]
        return target


_ACTIVE: Units | None = None  # the writer whose report files are keyed in this process


@contextmanager
def keyed(ctx: BuildContext, writer: str) -> Iterator[Units]:
    """Key every file :func:`taken_over` is asked about while the block runs."""
    global _ACTIVE
    _ACTIVE = Units(ctx, writer)
    try:
        yield _ACTIVE
        _ACTIVE.hand_on()
    finally:
        _ACTIVE = None


def _located(path: Path) -> tuple[Units, str, str] | None:
    """The writer keying files in this process, and ``path``'s side and relative path
    there; None outside :func:`keyed`, without the cache or outside the writer's folders."""
    units = _ACTIVE
    if units is None or not units.on:
        return None
    for side, base in (("site", units.ctx.public), ("reports", units.ctx.private)):
        if path.is_relative_to(base):
            return units, side, path.relative_to(base).as_posix()
    return None


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether ``path`` was taken over because the last build's file holds exactly ``data``
    (:class:`SameBytes`); False (write it) outside :func:`keyed` or without the cache."""
    found = _located(path)
    return found is not None and found[0].same_for(found[1]).keep(found[2], data) is not None


def taken_over(path: Path, *values: object) -> bool:
    """Whether ``path`` was taken over from the last build, keyed by ``values``.

    False (write the file) outside :func:`keyed`, outside the writer's
    folders, or when ``values`` cannot be spelled out completely.
    """
    found = _located(path)
    return found is not None and found[0].keep(found[1], found[2], values)


def scoped(path: Path, key: str | None) -> bool:
    """:func:`taken_over` for a file keyed by ``key`` (:meth:`Units.keep_scoped`)."""
    found = _located(path)
    return found is not None and found[0].keep_scoped(found[1], found[2], key)


def made_of(*values: object) -> str | None:
    """A key for :func:`scoped` made of ``values``, which must determine the file's bytes
    (given trainkit: the key is salted with it when it is used); None (make the file)
    when they cannot be spelled out completely."""
    try:
        return hashlib.sha256(spelled(values)).hexdigest()
    except Opaque:
        return None


_TASK: Callable[[Any], Any] | None = None  # what a forked worker of fan_out runs


def _call(chunk: Any) -> Any:
    assert _TASK is not None
    return _TASK(chunk)


def chunks(items: Sequence[T], jobs: int) -> list[Sequence[T]]:
    """``items`` in at most ``jobs`` contiguous runs of nearly equal length, in order."""
    jobs = max(1, min(jobs, len(items)))
    size, extra = divmod(len(items), jobs)
    out, start = [], 0
    for i in range(jobs):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


LEAST = 2000  # fewer items than this are not worth forking for


def fan_out(work: Callable[[Sequence[T]], R], items: Sequence[T], jobs: int,
            least: int | None = None) -> list[R]:
    """``work`` over contiguous runs of ``items``, in forked processes when it pays.

    The processes inherit everything (the model is not copied or pickled);
    only the runs of ``items`` and the results travel. Results come back in
    the order of ``items``. Fewer than ``least`` items, or one job: in this
    process.
    """
    global _TASK
    if jobs <= 1 or len(items) < (LEAST if least is None else least):
        return [work(items)]
    _TASK = work
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, context) as pool:
            return list(pool.map(_call, chunks(items, jobs)))
    finally:
        _TASK = None


# spread: the CPU seconds of work done in this process before a fork is considered, and
# what the rest must be expected to cost for one. A fork of a process holding the
# benchmark academy costs 0.3 to 0.5 CPU s (pages copied for both processes).
PROBE = 0.5
WORTH = 2.0


def spread(work: Callable[[T], object], items: Sequence[T]) -> None:
    """``work`` on each of ``items``, for the files it writes (what it returns is dropped).

    The items are worked on here, in order, until those done have cost
    :data:`PROBE` CPU seconds; from then on, when the rest is expected to cost
    :data:`WORTH` or more at the same rate and the build has processes free
    (:meth:`BuildContext.cores`, asked at each item: a writer that finishes
    frees one), the rest is split into contiguous runs, one for this process
    and one for each forked process. The files a forked process keyed or took
    over (:func:`keyed`) are handed to the writer here, in the order of the
    items, as if it had made them. So a build after a small edit, whose files
    are nearly all taken over, never forks, and one that draws every chart
    again does as soon as it has a core for it. Outside :func:`keyed` (no
    build), all in this process.
    """
    units = _ACTIVE
    started = time.process_time()
    for i, item in enumerate(items):
        if units is not None and i and len(items) - i >= 2:
            spent = time.process_time() - started
            if spent >= PROBE and spent / i * (len(items) - i) >= WORTH:
                jobs = min(units.ctx.cores(), len(items) - i)
                if jobs > 1:
                    _spread_out(units, work, items, range(i, len(items)), jobs)
                    return
        work(item)


def _spread_out(units: Units, work: Callable[[T], object], items: Sequence[T],
                rest: range, jobs: int) -> None:
    """``work`` on ``items[i]`` for each ``i`` of ``rest``: the first run here, the others
    in forked processes. Only the indices travel: a forked process finds the very items
    in its copy of this one (no model object is pickled, none is copied again)."""
    global _TASK
    runs = chunks(rest, jobs)

    def each(run: range) -> tuple[dict[str, str], list[str]]:
        units.recorded.clear()  # this process's copy: only what this run keys goes back
        units.kept.clear()
        for i in run:
            work(items[i])
        return dict(units.recorded), list(units.kept)

    _TASK = each
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs - 1, context) as pool:
            futures = [pool.submit(_call, run) for run in runs[1:]]  # forked here, now
            _TASK = None
            for i in runs[0]:
                work(items[i])
            for future in futures:
                recorded, kept = future.result()
                units.recorded.update(recorded)
                units.kept.extend(kept)
    finally:
        _TASK = None
