"""The site's pages converted ahead, in forked processes, when a build has cores to spare.

MkDocs converts each page's Markdown in turn, in one process. In a build from
scratch at 2,000 cohorts that is 2,727 pages and about 19 of the site's 35
CPU seconds, on the longest path of the build's wall time: the site is the
writer that runs longest. Before MkDocs reads the first page, the page cache
hook (``pages_hook.AHEAD``) hands :class:`Ahead` the build; the pages whose
conversion the cache lacks are converted in forked processes, each storing
its entries as MkDocs' own turn would (``pages_hook.convert``), and MkDocs
then finds every one of them in the cache. The output is the same bytes: a
conversion from the cache is what every build after the first already uses,
and a page a worker could not convert (or that made MkDocs warn, and is not
stored) is converted again in MkDocs' own turn, which reports what went wrong.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from trainkit.writers.units import fan_out

LEAST = 200  # fewer pages to convert than this are not worth forking for


class Ahead:
    """``pages_hook.AHEAD`` for one build: converts in ``jobs`` (2 or more) forked
    processes; a build without processes to spare gives the hook none
    (``writers.site.writer._give_hooks``), so the pages' sources are not even read."""

    def __init__(self, hook: Any, jobs: int) -> None:
        self.hook = hook
        self.jobs = jobs

    def __call__(self, config: Any, files: Any, dirty: bool) -> None:
        hook = self.hook
        todo = []
        for file in files.documentation_pages():
            if file.page is None:  # out of the nav: MkDocs makes its page in its own turn
                continue
            source, key = hook.read_page(file.page)  # kept: MkDocs' turn reads it no more
            if not hook.stored(key):
                todo.append((file.page, key, source))
        if len(todo) < LEAST:
            return  # MkDocs converts them in its own turn, as without this

        def work(part: Sequence[tuple[Any, str, bytes]]) -> None:
            for page, key, source in part:
                # A page that fails here has no entry: MkDocs' own turn converts it again
                # and reports the failure where the build reports it.
                with contextlib.suppress(Exception):
                    hook.convert(page, config, files, dirty, key, source)

        # A process that could not be forked, or died (killed for memory, say): the pages
        # it had are not stored, and MkDocs converts them in its own turn.
        with contextlib.suppress(BrokenProcessPool, OSError):
            fan_out(work, todo, self.jobs, least=LEAST)
