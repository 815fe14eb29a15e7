"""Gather and check: read a source, resolve the model, run the rules.

This is the single entry point every command uses to get an academy, so
``check``, ``build``, ``diff`` and ``serve`` all see the same problems.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trainkit import rules
from trainkit.diagnostics import Diagnostic, Severity, error
from trainkit.load import published
from trainkit.load.gitsource import WorktreeSource
from trainkit.load.loader import ParseCache, load
from trainkit.load.records import collector_paused
from trainkit.load.sources import ACADEMY_FILE, DirSource, Source
from trainkit.model import Academy
from trainkit.resolve.academy import resolve
from trainkit.resolve.reuse import Reuse


@dataclass
class Result:
    academy: Academy | None
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    # SHA-256 of the bytes of each file the check used, by path (check_tree with the
    # parse cache): a build keys its writers by what the model was made of
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def check_source(source: Source, root: str, *, cache: ParseCache | None = None,
                 progress: Callable[[str], None] | None = None,
                 select: Callable[[str], bool] | None = None,
                 reuse: Reuse | None = None) -> Result:
    """Load, validate, resolve and run every rule on ``source``; ``reuse`` (with a
    ``cache`` that hands back the same documents) keeps resolved values between runs."""
    with collector_paused():
        return _check(source, root, cache=cache, progress=progress, select=select, reuse=reuse)


def _check(source: Source, root: str, *, cache: ParseCache | None,
           progress: Callable[[str], None] | None,
           select: Callable[[str], bool] | None, reuse: Reuse | None) -> Result:
    loaded = load(source, cache=cache, progress=progress)
    diagnostics = list(loaded.diagnostics)
    if not loaded.of("academy"):
        diagnostics.append(error(
            ACADEMY_FILE, 0, 0, "no-academy",
            f"there is no {ACADEMY_FILE}; run 'trainkit init' to start an academy",
        ))
        return Result(None, diagnostics, loaded.timings)
    academy, problems = resolve(loaded, root, reuse)
    diagnostics.extend(problems)
    settings = loaded.of("academy")[0]
    if settings.data is not None:
        on_disk = source.real if isinstance(source, DirSource) else None
        diagnostics.extend(published.check_settings(settings, on_disk))
    if academy is not None:
        if progress:
            progress(f"resolved {len(academy.cohorts)} cohorts, {len(academy.learners)} learners")
        t0 = time.perf_counter()
        diagnostics.extend(rules.run(academy, select=select))
        loaded.timings["rules"] = time.perf_counter() - t0
    return Result(academy, diagnostics, loaded.timings)


def check_dir(root: Path, **kwargs: object) -> Result:
    return check_source(DirSource(root), str(root), **kwargs)  # type: ignore[arg-type]


def check_tree(root: Path, parses: ParseCache | None,
               progress: Callable[[str], None] | None = None,
               reuse: Reuse | None = None) -> Result:
    """:func:`check_dir`; with ``parses``, every file is read and hashed, then taken from
    ``parses`` when it has it (what ``trainkit build`` and ``trainkit check`` do)."""
    if parses is None:
        return check_dir(root, progress=progress)
    source = WorktreeSource(root)
    result = check_source(source, str(root), cache=parses, progress=progress, reuse=reuse)
    result.digests = source.digests()
    return result
