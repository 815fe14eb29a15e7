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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trainkit.load import usercache
from trainkit.model import Cohort, Loc
from trainkit.writers import memo
from trainkit.writers.build import BuildContext, BuildError
from trainkit.writers.heap import collect_seldom
from trainkit.writers.scope import CohortScope
from trainkit.writers.site.cohorts import Remember
from trainkit.writers.site.project import generate, write_project
from trainkit.writers.units import SameBytes

PROJECT = "mkdocs-project"
KEEP_PROJECT_DAYS = 30  # a kept project unused this long is removed
# Read by the page cache hook (pages_hook.py, which runs inside MkDocs without trainkit)
PAGE_CACHE_ENV, PAGE_CACHE_KEY_ENV = "TRAINKIT_PAGE_CACHE", "TRAINKIT_PAGE_CACHE_KEY"
PAGE_CACHE_SEAL_ENV = "TRAINKIT_PAGE_CACHE_SEAL"
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
        values[PAGE_CACHE_ENV] = str(ctx.cache / "pages")
        values[PAGE_CACHE_KEY_ENV] = f"{usercache.toolchain()}|{seconds}"
        values[PAGE_CACHE_SEAL_ENV] = key.hex()
    return values


def write(ctx: BuildContext) -> None:
    ctx.say("generating site pages")
    site = generate(ctx.academy, ctx.epoch, _cohort_memo(ctx))
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


def _cohort_memo(ctx: BuildContext) -> Remember | None:
    """Cohort pages from the build cache, by the cohort's file and the site's other inputs
    (:mod:`trainkit.writers.scope`); None without the build cache."""
    folder = memo.memo_folder(ctx.cache)
    if folder is None or not ctx.inputs:
        return None
    scope = CohortScope(ctx, "site")

    def remember(cohort: Cohort, make: Callable[[], str]) -> str:
        key = scope.key(cohort, "site page")
        return make() if key is None else memo.recall(folder, key, make)

    return remember


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


def _page_taker(ctx: BuildContext) -> Callable[[str, bytes], bool] | None:
    """What lets the page cache hook take over pages whose bytes the current output has.

    A page found in the page cache already has its final HTML; when the current
    output's file holds exactly those bytes, it is linked into the staged output
    (:class:`trainkit.writers.units.SameBytes`) instead of being written, moved
    and compared again: about 0.7 ms a page, most of it making the page's folder
    and file. None without a last build to take pages from.
    """
    if ctx.cache is None or ctx.earlier is None or not ctx.staging:
        return None
    same = SameBytes(ctx, "site")
    return lambda rel, data: same.keep(rel, data) is not None


def _give_hooks(config: Any, take: Callable[[str, bytes], bool] | None) -> None:
    # Set at every build and cleared after it: MkDocs keeps a hook module loaded from the
    # same path (a kept project) from one build to the next in a process (trainkit serve).
    for hook in config["hooks"].values():
        if hasattr(hook, "TAKE_OVER"):
            hook.TAKE_OVER = take


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
            _give_hooks(config, _page_taker(ctx))
            try:
                build(config)
            finally:
                _give_hooks(config, None)
        except MkDocsException as exc:
            problems = "\n".join(explain(m, sources or {}) for m in log.messages) or str(exc)
            raise BuildError(
                f"the site did not build (MkDocs strict mode):\n{problems}\n"
                "fix the link or file named above: every internal link must point at an "
                "existing page or file"
            ) from None
