"""The public site: generate a MkDocs + Material project, then build it strictly.

Runs first among the writers: MkDocs cleans and fills ``ctx.public``; the
feed and certificate writers add ``calendars/`` and ``verify/`` afterwards.

MkDocs runs in-process (``load_config`` + ``build``) rather than as a
subprocess: it saves a Python start-up and a second import of MkDocs and
Material per build, and lets the writer collect MkDocs' warnings from its
logger and report them as one clear error. MkDocs reads the build date for
``sitemap.xml`` (and the gzip header of ``sitemap.xml.gz``) from
``SOURCE_DATE_EPOCH``; the writer sets it to ``ctx.epoch`` for the duration
of the build, so the same commit gives byte-identical output.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trainkit.load import usercache
from trainkit.model import Cohort, Loc
from trainkit.writers import memo
from trainkit.writers.build import BuildContext, BuildError
from trainkit.writers.heap import collect_seldom
from trainkit.writers.scope import CohortScope
from trainkit.writers.site import page_store
from trainkit.writers.site.ahead import Ahead
from trainkit.writers.site.project import generate, write_project
from trainkit.writers.units import Units

PROJECT = "mkdocs-project"
KEEP_PROJECT_DAYS = 30  # a kept project unused this long is removed
# Read by the page cache hook (pages_hook.py, which runs inside MkDocs without trainkit)
PAGE_CACHE_ENV, PAGE_CACHE_KEY_ENV = "TRAINKIT_PAGE_CACHE", "TRAINKIT_PAGE_CACHE_KEY"
PAGE_CACHE_SEAL_ENV = "TRAINKIT_PAGE_CACHE_SEAL"
PAGES = "pages"  # the page cache hook's folder in the build cache
NAV = "(nav)"  # key of trainkit.yaml's position in Site.sources


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _quiet_mkdocs() -> Iterator[_Collect]:
    """Collect MkDocs' warnings instead of letting them print as log lines."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)  # strict mode counts warnings through this logger
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _environ(ctx: BuildContext) -> dict[str, str]:
    """``SOURCE_DATE_EPOCH`` for MkDocs; where the page cache is, and its key (pages_hook)."""
    seconds = str(int(ctx.epoch.timestamp()))
    values = {"SOURCE_DATE_EPOCH": seconds}
    key = usercache.local_key()
    if ctx.cache is not None and key is not None:
        values[PAGE_CACHE_ENV] = str(ctx.cache / PAGES)
        values[PAGE_CACHE_KEY_ENV] = f"{usercache.toolchain()}|{seconds}"
        values[PAGE_CACHE_SEAL_ENV] = key.hex()
    return values


def write(ctx: BuildContext) -> None:
    ctx.say("generating site pages")
    site = generate(ctx.academy, ctx.epoch, _recall(ctx))
    if ctx.again:
        _TEXTS.turn()
    with kept_project(ctx) as project:
        if project is None:
            project = ctx.work / PROJECT
            write_project(site, project)
        else:
            try:
                write_project(site, project, kept=True)
            except OSError:  # something in the way that cannot be replaced: start afresh
                shutil.rmtree(project, ignore_errors=True)
                write_project(site, project)
        site.sources[NAV] = ctx.academy.settings.loc  # site.nav lives in trainkit.yaml
        ctx.say(f"building site ({len(site.pages)} generated pages) with MkDocs")
        build_project(project, ctx, site.sources)


class _Recall:
    """Text made from cohorts, kept in the build cache by the cohorts' files and the
    site's other inputs (:mod:`trainkit.writers.scope`): a cohort's page, and the lists
    of cohorts on program, instructor and venue pages. After an edit to one cohort, the
    lists of every other program, instructor and venue are taken from the cache (at the
    benchmark scale, making them cost about 0.3 CPU s a build)."""

    def __init__(self, ctx: BuildContext, folder: Path) -> None:
        self.scope = CohortScope(ctx, "site")
        self.folder = folder
        self.memory = _TEXTS if ctx.again else None

    def cohort(self, cohort: Cohort, make: Callable[[], str]) -> str:
        key = self.scope.key(cohort, "site page")
        return make() if key is None else memo.recall(self.folder, key, make, self.memory)

    def cohorts(self, what: str, cohorts: Sequence[Cohort], make: Callable[[], str]) -> str:
        key = self.scope.key_of_all(cohorts, what)
        return make() if key is None else memo.recall(self.folder, key, make, self.memory)


# Kept from one build to the next by a process that builds again (BuildContext.again):
# the texts of _Recall, and the page cache hook's entries. Each a build reads from its
# file (and checks its seal) but once; at the benchmark scale, 2,700 texts and 5,500
# entries, about 0.15 CPU s a build.
_TEXTS = memo.Memory()
_ENTRIES = memo.Memory()


def warm(cache: Path) -> int:
    """Read the page cache hook's JSON entries and compiled templates in ``cache`` into
    the memory a build again takes them from (``_ENTRIES``), as the hook would read them
    one by one; how many. A live preview does it while it waits for its first save: its
    first build ran the site in a forked process, so nothing is in this one's memory,
    and the save would read and check every page's two entries (about 0.15 CPU s at
    2,700 pages). An entry whose seal is wrong is left: the build finds it damaged."""
    seal = usercache.local_key()
    if seal is None:
        return 0
    try:
        names = os.listdir(folder := cache / PAGES)
    except OSError:
        return 0
    read = 0
    for name in (n for n in names if n.endswith((".json", ".jinja"))):
        try:
            body = page_store.body_of((folder / name).read_bytes(), seal)
        except OSError:
            continue
        if body is not None:
            _ENTRIES.had(name, body)
            read += 1
    return read


def _recall(ctx: BuildContext) -> _Recall | None:
    """The build cache's :class:`_Recall`; None without the build cache."""
    folder = memo.memo_folder(ctx.cache)
    if folder is None or not ctx.inputs:
        return None
    return _Recall(ctx, folder)


@contextmanager
def kept_project(ctx: BuildContext) -> Iterator[Path | None]:
    """The generated project of this academy's last build, to update in place; None (use
    a fresh folder) without the build cache or when another build holds it.

    It lives in the user's private cache folder (``$XDG_CACHE_HOME/trainkit/projects``,
    mode 0700, :func:`trainkit.load.usercache.claimed`), never in the academy: MkDocs
    runs its hooks, so nobody else may put files there. Making the project's 2,700
    files anew cost about 1.4 CPU s at the benchmark scale; most of them do not change.
    Projects unused for 30 days go.
    """
    if ctx.cache is None:
        yield None
        return
    with usercache.claimed("projects", ctx.root, KEEP_PROJECT_DAYS) as folder:
        yield folder


class _PageTaker:
    """What lets the page cache hook take over pages the current output already has.

    A page found in the page cache has a key that determines its final HTML.
    The key is recorded as the page's digest (:class:`trainkit.writers.units.Units`);
    when the last build recorded the same key and the current output's file is
    still the one it left, the file is linked into the staged output without
    its HTML being read from the cache at all (at the benchmark scale, 56 MB of
    entries a build, read, checked against their seals and parsed). Otherwise,
    when the current file holds exactly the cached bytes
    (:class:`trainkit.writers.units.SameBytes`), it is linked instead of being
    written, moved and compared again.
    """

    def __init__(self, ctx: BuildContext) -> None:
        self.units = Units(ctx, "site")

    def keyed(self, rel: str, key: str) -> bool:
        """Record that page ``rel`` is made from ``key``; whether it was taken over."""
        return self.units.keep_scoped("site", rel, key)

    def record(self, rel: str, key: str) -> None:
        """Record that page ``rel``, written by this build, is made from ``key``."""
        self.units.record_scoped("site", rel, key)

    def same(self, rel: str, data: bytes) -> bool:
        """Whether the current output's ``rel`` holds ``data`` and was taken over."""
        return self.units.same_for("site").keep(rel, data) is not None


def _page_taker(ctx: BuildContext) -> _PageTaker | None:
    """The page cache hook's :class:`_PageTaker`; None without the build cache."""
    if ctx.cache is None or not ctx.staging:
        return None
    return _PageTaker(ctx)


def _give_hooks(config: Any, take: _PageTaker | None, jobs: int = 1,
                memory: memo.Memory | None = None) -> None:
    # Set at every build and cleared after it: MkDocs keeps a hook module loaded from the
    # same path (a kept project) from one build to the next in a process (trainkit serve).
    for hook in config["hooks"].values():
        if hasattr(hook, "TAKE_OVER"):
            hook.TAKE_OVER = take
        if hasattr(hook, "KEPT"):
            hook.KEPT = memory
        if hasattr(hook, "AHEAD"):
            hook.AHEAD = Ahead(hook, jobs) if jobs > 1 else None


_DOC = re.compile(r"Doc file '([^']+)'")


def explain(message: str, sources: dict[str, Loc]) -> str:
    """One MkDocs warning as ``path:line:col: error[site-build]: …`` of the file to fix."""
    found = _DOC.search(message)
    loc = sources.get(found.group(1)) if found else None
    if loc is None and "'nav'" in message:
        loc = sources.get(NAV)
    where = f"{loc.path}:{loc.line}:{loc.col}" if loc else "site:0:0"
    return f"{where}: error[site-build]: {message}"


def build_project(project: os.PathLike[str] | str, ctx: BuildContext,
                  sources: dict[str, Loc] | None = None) -> None:
    """``mkdocs build --strict`` of ``project`` into ``ctx.public``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = os.path.join(project, "mkdocs.yml")
    with (_environment(_environ(ctx)), collect_seldom(),
          _quiet_mkdocs() as log):
        try:
            config = load_config(config_file=config_file, site_dir=str(ctx.public), strict=True)
            taker = _page_taker(ctx)
            _give_hooks(config, taker, ctx.idle, _ENTRIES if ctx.again else None)
            try:
                build(config)
            finally:
                _give_hooks(config, None)
                if ctx.again:
                    _ENTRIES.turn()
                if taker is not None:
                    taker.units.hand_on()
        except MkDocsException as exc:
            problems = "\n".join(explain(m, sources or {}) for m in log.messages) or str(exc)
            raise BuildError(
                f"the site did not build (MkDocs strict mode):\n{problems}\n"
                "fix the link or file named above: every internal link must point at an "
                "existing page or file"
            ) from None
