"""``trainkit build``: gather, check, then write every output atomically.

Writers (modules in :mod:`trainkit.writers`) each get the same
:class:`BuildContext` and write into fresh temporary folders, in parallel
processes, and only the writers whose inputs changed run
(:mod:`trainkit.writers.incremental`). Only when every writer succeeded are
the temporary folders swapped in for ``site/`` (public) and ``reports/``
(private), with unchanged files kept as the very same files
(:mod:`trainkit.writers.settle`); a failed build leaves the previous outputs
as they were, and a build that would change nothing touches nothing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from trainkit.load.loader import ParseCache
from trainkit.load.parsecache import StoredParses
from trainkit.model import Academy
from trainkit.outcomes.invoicing import has_documents
from trainkit.pipeline import Result, check_tree
from trainkit.resolve.reuse import Reuse
from trainkit.writers import (
    buildcache,
    heap,
    incremental,
    memo,
    outputs,
    settle,
    spare,
    swap,
)
from trainkit.writers.context import BuildContext, BuildError
from trainkit.writers.settle import Stat

__all__ = ["PRIVATE_WRITERS", "PUBLIC_WRITERS", "WRITERS", "BuildContext", "BuildError",
           "BuildOptions", "build_epoch", "run_build"]

# Order matters: the site writer runs MkDocs, which owns (and cleans) the
# public folder; the others add files to it afterwards.
WRITERS = ("site", "feeds", "reports", "certificates", "learner_pages", "framework",
           "invoices")
# Writers that write only into the private reports folder. The live preview (``trainkit
# serve``) serves the site alone, so it runs the others (``PUBLIC_WRITERS``).
PRIVATE_WRITERS = frozenset({"reports", "invoices"})
PUBLIC_WRITERS = tuple(n for n in WRITERS if n not in PRIVATE_WRITERS)

# Writers with nothing to write for some academies, and what they need to have work: when
# it is missing they are neither run nor imported (the invoice writer imports the whole PDF
# toolchain, about 0.4 CPU s a build, for an academy that has no ledger).
NEEDS: dict[str, Callable[[Academy], bool]] = {"invoices": has_documents}


def _always(academy: Academy) -> bool:
    return True


@dataclass
class BuildOptions:
    site_dir: Path
    reports_dir: Path
    secret: bytes | None = None
    strict: bool = False
    only: tuple[str, ...] = ()  # writer names; empty: all
    progress: Callable[[str], None] | None = None
    jobs: int = 0  # writer processes at once; 0: one per CPU
    # this process builds again soon after (the live preview's saves): its writers run
    # one after another in it, each free to split its own work over ``jobs`` processes,
    # and keep in memory what the next build reads (incremental.write)
    again: bool = False
    cache: bool = True  # run only the writers whose inputs changed
    # parsed input files kept between builds (``trainkit serve`` keeps its own); None:
    # with ``cache``, those kept in the user's cache folder (load.parsecache)
    parses: ParseCache | None = None
    # with ``parses`` handing back the same documents: resolved learners and cohorts kept
    # from one build to the next in this process (``trainkit serve``; resolve.reuse)
    reuse: Reuse | None = None
    # personal calendar feeds and "My training" pages (with the feed secret); the live
    # preview leaves them out unless asked (``trainkit serve --personal``)
    personal: bool = True


def build_epoch(root: Path) -> tuple[datetime, str | None, str | None]:
    """The build's fixed "now", the commit id, and a note when not in git.

    ``SOURCE_DATE_EPOCH`` wins (reproducible-builds convention); otherwise the
    committer time of HEAD. Outside git, 1970-01-01 keeps output stable.
    """
    commit = None
    when = None
    try:
        import git

        repo = git.Repo(root, search_parent_directories=True)
        head = repo.head.commit
        commit, when = head.hexsha, datetime.fromtimestamp(head.committed_date, tz=UTC)
    except Exception:  # not a repository, no commits yet, git missing
        pass
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return datetime.fromtimestamp(int(env), tz=UTC), commit, None
    if when is not None:
        return when, commit, None
    return datetime(1970, 1, 1, tzinfo=UTC), None, (
        "not in a git repository with commits: DTSTAMP uses SOURCE_DATE_EPOCH or 1970-01-01, "
        "and SEQUENCE/LAST-MODIFIED history is not available"
    )


def run_build(root: Path, options: BuildOptions) -> tuple[Result, list[str]]:
    """Check, then write; raises :class:`BuildError` without touching old output.

    The output folders are checked first (:mod:`trainkit.writers.outputs`); a refusal
    touches nothing. Leftovers of killed builds are dealt with next
    (:func:`trainkit.writers.swap.recover`), then the academy is checked and written.
    """
    site, reports = options.site_dir, options.reports_dir
    parses = options.parses
    if parses is None and options.cache:
        parses = StoredParses.for_user()
    with heap.gathering() as gathered:  # the checked academy is left out of collections
        result = check_tree(root, parses, options.progress, options.reuse)
        refused = outputs.problem(root, site, reports, _extra_dir(result))
        if refused is not None:
            raise BuildError(f"{refused}; nothing was written or deleted")
        notes = _guard("clean up after an earlier build", lambda: _recover(site, reports))
        if result.errors or result.academy is None or (options.strict and result.warnings):
            return result, notes
        gathered()
        result, notes = _write(root, options, result, notes)
    if isinstance(parses, StoredParses):
        parses.prune()
    return result, notes


def _write(root: Path, options: BuildOptions, result: Result,
           notes: list[str]) -> tuple[Result, list[str]]:
    """Write every output of the checked academy in ``result`` and swap them in."""
    assert result.academy is not None
    site, reports = options.site_dir, options.reports_dir
    epoch, commit, note = build_epoch(root)
    secret = options.secret
    if secret is None:
        secret = os.environ.get(result.academy.settings.feeds.secret_env, "").encode() or None
    notes += [note] if note else []
    ctx = BuildContext(academy=result.academy, root=root, public=site, private=reports,
                       work=site, epoch=epoch, commit=commit, secret=secret,
                       progress=options.progress, personal=options.personal,
                       cache=root / buildcache.CACHE_DIR if options.cache else None,
                       again=options.again, read=result.digests)
    names = [n for n in WRITERS if (not options.only or n in options.only)
             and NEEDS.get(n, _always)(result.academy)]
    plan = _guard("compare with the last build",
                  lambda: incremental.plan(ctx, names, site, reports, options.cache))
    if plan.unchanged():
        cached_notes, cached = plan.cached()
        result.diagnostics.extend(cached)
        ctx.say("nothing changed since the last build: the outputs are left as they are")
        return result, notes + cached_notes
    staging: list[Path] = []
    spares: set[Path] = set()  # staging folders that were the spare trees
    try:
        for side, target in (("site", site), ("reports", reports)):
            # with the cache, the output before the current one is built in (writers.spare)
            found = spare.claim(target, incremental.PARTS) if options.cache else None
            if found is not None:
                ctx.spare[side] = found.index
                spares.add(found.folder)
            staging.append(found.folder if found is not None else _stage(target))
        staging.append(_guard("make a folder to build in", swap.work_dir))
        ctx.public, ctx.private, ctx.work = staging
        jobs = options.jobs or os.cpu_count() or 1
        merged = _guard("write the outputs", lambda: _write_all(ctx, plan, jobs))
        notes.extend(ctx.notes)
        result.diagnostics.extend(ctx.diagnostics)
        if any(d.severity.value == "error" for d in ctx.diagnostics):
            raise BuildError("the build found errors; the previous output is untouched",
                             ctx.diagnostics)
        now = _guard(f"replace {site} and {reports}",
                     lambda: _commit(staging, (site, reports), plan, merged, options.cache))
        incremental.record(plan, merged.parts, now)
        spares.update(staging[:2])  # an output not replaced: its staged twin is a spare
        memos = memo.memo_folder(ctx.cache)
        if memos is not None:
            memo.prune(memos)
    finally:
        # A spare goes back to being one, even after a failure (what it holds does not
        # matter); a fresh staging folder of a failed build is removed.
        for staged, output in zip(staging, (site, reports, None), strict=False):
            if output is not None and options.cache and staged in spares and staged.is_dir():
                spare.keep(staged, output)
            else:
                shutil.rmtree(staged, ignore_errors=True)
    return result, notes


T = TypeVar("T")


def _guard(doing: str, step: Callable[[], T]) -> T:
    """Run ``step``; a file-system failure (permissions, a full disk) becomes a BuildError."""
    try:
        return step()
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildError(f"could not {doing}: {exc.strerror or exc}{where}; the previous "
                         "output is untouched") from None


def _stage(target: Path) -> Path:
    return _guard("make a folder to build in", lambda: swap.stage(target))


def _extra_dir(result: Result) -> str:
    academy = result.academy
    return academy.settings.site.extra_dir if academy is not None else "site-extra"


def _recover(site: Path, reports: Path) -> list[str]:
    if not site.parent.is_dir() and not reports.parent.is_dir():
        return []  # nothing was ever written there
    with swap.locked(site.parent):
        return swap.recover([site, reports])


def _write_all(ctx: BuildContext, plan: incremental.Plan, jobs: int) -> incremental.Merged:
    return incremental.write(ctx, plan, jobs)


def _commit(staging: list[Path], targets: tuple[Path, Path], plan: incremental.Plan,
            merged: incremental.Merged,
            keep_spare: bool) -> tuple[dict[str, Stat], dict[str, Stat]]:
    """Swap in the outputs that changed; files with the same bytes stay the same files.

    Returns what ``site`` and ``reports`` hold afterwards (for the build cache),
    as seen while settling: nothing else writes there during a build. With
    ``keep_spare``, each output that is replaced, and each staged one that was
    not needed, becomes the spare tree the next build is staged in.
    """
    site = targets[0]
    pairs, now = [], []
    for staged, target, before, tree, kind in (
            (staging[0], site, plan.public, merged.public, "public site"),
            (staging[1], targets[1], plan.private, merged.private, "private reports")):
        outputs.write_marker(staged, kind)
        tree[outputs.MARKER] = settle.stat_of(staged / outputs.MARKER)
        # without the cache the plan took no snapshot of the outputs
        equal, after = settle.link_unchanged(staged, target,
                                             before if plan.manifest else None, tree)
        now.append(after)
        if not equal:
            pairs.append((staged, target))
    if pairs:
        with swap.locked(site.parent):
            swap.commit(pairs[::-1], site, spare.keep if keep_spare else None)
    return now[0], now[1]
