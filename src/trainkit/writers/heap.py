"""Garbage collection for writers that make many objects next to a big academy."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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
        if not froze and not gc.get_freeze_count():
            gc.freeze()
            froze = True
        if enabled:
            gc.enable()

    try:
        yield gathered
    finally:
        if froze:
            gc.unfreeze()
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
    saved = gc.get_threshold()
    outer = gc.get_freeze_count() > 0
    if not outer:
        gc.collect()
        gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        if not outer:
            gc.unfreeze()
