"""``trainkit build``: gather, check, then write every output atomically.

Writers (modules in :mod:`trainkit.writers`) each get the same
:class:`BuildContext` and write into fresh temporary folders. Only when every
writer succeeded are the temporary folders swapped in for ``site/`` (public)
and ``reports/`` (private); a failed build leaves the previous outputs as
they were.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy
from trainkit.pipeline import Result, check_dir
from trainkit.writers import outputs, swap

# Order matters: the site writer runs MkDocs, which owns (and cleans) the
# public folder; the others add files to it afterwards.
WRITERS = ("site", "feeds", "reports", "certificates", "learner_pages", "framework",
           "invoices")


class BuildError(Exception):
    """A problem that stops the build; the message says what to do.

    ``diagnostics`` carries the problems writers reported, for the CLI to print.
    """

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])


@dataclass
class BuildOptions:
    site_dir: Path
    reports_dir: Path
    secret: bytes | None = None
    strict: bool = False
    only: tuple[str, ...] = ()  # writer names; empty: all
    progress: Callable[[str], None] | None = None


@dataclass
class BuildContext:
    academy: Academy
    root: Path
    public: Path  # becomes site/
    private: Path  # becomes reports/
    work: Path  # scratch space (the generated MkDocs project lives here)
    epoch: datetime  # the build's fixed "now": commit time or SOURCE_DATE_EPOCH
    commit: str | None  # the commit being built, when in git
    secret: bytes | None
    notes: list[str] = field(default_factory=list)  # said once to the user at the end
    diagnostics: list[Diagnostic] = field(default_factory=list)
    progress: Callable[[str], None] | None = None

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)


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
    result = check_dir(root, progress=options.progress)
    refused = outputs.problem(root, site, reports, _extra_dir(result))
    if refused is not None:
        raise BuildError(f"{refused}; nothing was written or deleted")
    notes = _guard("clean up after an earlier build", lambda: _recover(site, reports))
    if result.errors or result.academy is None or (options.strict and result.warnings):
        return result, notes
    epoch, commit, note = build_epoch(root)
    secret = options.secret
    if secret is None:
        secret = os.environ.get(result.academy.settings.feeds.secret_env, "").encode() or None
    notes += [note] if note else []
    staging: list[Path] = []
    try:
        for make in (lambda: swap.stage(site), lambda: swap.stage(reports), swap.work_dir):
            staging.append(_guard("make a folder to build in", make))
        ctx = BuildContext(
            academy=result.academy, root=root, public=staging[0], private=staging[1],
            work=staging[2], epoch=epoch, commit=commit, secret=secret,
            progress=options.progress,
        )
        _guard("write the outputs", lambda: _write_all(ctx, options))
        notes.extend(ctx.notes)
        result.diagnostics.extend(ctx.diagnostics)
        if any(d.severity.value == "error" for d in ctx.diagnostics):
            raise BuildError("the build found errors; the previous output is untouched",
                             ctx.diagnostics)
        _guard(f"replace {site} and {reports}", lambda: _commit(staging, site, reports))
    finally:
        for folder in staging:
            shutil.rmtree(folder, ignore_errors=True)
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


def _extra_dir(result: Result) -> str:
    academy = result.academy
    return academy.settings.site.extra_dir if academy is not None else "site-extra"


def _recover(site: Path, reports: Path) -> list[str]:
    if not site.parent.is_dir() and not reports.parent.is_dir():
        return []  # nothing was ever written there
    with swap.locked(site.parent):
        return swap.recover([site, reports])


def _commit(staging: list[Path], site: Path, reports: Path) -> None:
    outputs.write_marker(staging[0], "public site")
    outputs.write_marker(staging[1], "private reports")
    with swap.locked(site.parent):
        swap.commit([(staging[1], reports), (staging[0], site)], site)


def _write_all(ctx: BuildContext, options: BuildOptions) -> None:
    for name in WRITERS:
        if options.only and name not in options.only:
            continue
        module = importlib.import_module(f"trainkit.writers.{name}")
        ctx.say(f"writing {name}")
        module.write(ctx)
