"""Garbage collection for writers that make many objects next to a big academy."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Whether gathering() has frozen the heap: gc.get_freeze_count() walks every frozen
# object to count them (about 35 ms at the benchmark scale, at every build of the live
# preview, and once more for each writer that collects seldom).
_frozen = False


@contextmanager
def gathering() -> Iterator[Callable[[], None]]:
    """The collector paused while an academy is gathered; the function it gives freezes
    what exists then (the checked academy) and resumes collecting, until the block ends.

    Loading makes millions of objects that all stay alive; the model lives until
    the build ends, and every full collection after it walked all of it (about
    0.4 CPU s each at 100,000 learners: one as the check ended, then one or more
    per writer, the merge and the manifest). Frozen, collections leave it out;
    no collection is made first (that would be one such pass). Forked writer
    processes inherit it frozen, which also keeps their copies of its pages
    shared. At the end it is given back to the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    froze = False

    def gathered() -> None:
        nonlocal froze
        global _frozen
        if not froze and not _frozen:
            gc.freeze()
            froze = _frozen = True
        if enabled:
            gc.enable()

    try:
        yield gathered
    finally:
        if froze:
            gc.unfreeze()
            _frozen = False
        if enabled:
            gc.enable()


@contextmanager
def collect_seldom() -> Iterator[None]:
    """Keep garbage collection from growing with the size of the academy.

    A writer makes many short-lived objects (Markdown instances full of
    reference cycles for the site; rows, cells and figures for the reports),
    so the collector runs often, and each full pass walks every object alive,
    the whole academy model included. Freezing what exists before the writer
    runs (a build has done so already: :func:`gathering`) and collecting young
    objects less often keeps a build linear: with defaults, 5x the site pages
    cost about 5.8x the CPU time, with this 4.6x.
    """
    global _frozen
    saved = gc.get_threshold()
    outer = _frozen
    if not outer:
        gc.collect()
        gc.freeze()
        _frozen = True
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        if not outer:
            gc.unfreeze()
            _frozen = False


def keep() -> None:
    """Collect, then freeze what is left for good: for a process that keeps its academy
    and builds again (the live preview, while it waits for a save).

    A build that finds the heap frozen neither freezes nor unfreezes it (:func:`gathering`,
    :func:`collect_seldom`), so its collections walk only the objects made since. Left
    unfrozen, what the preview keeps (its parsed files, the resolved learners and
    cohorts, the last academy) was walked by a full collection in every other save:
    about 0.3 CPU s at the benchmark scale. Called again after each build, the pass is
    over what that build made. Objects frozen here that later become garbage are freed
    as usual, but for those in reference cycles, which only a collection frees.
    """
    global _frozen
    gc.collect()
    gc.freeze()
    _frozen = True
