"""What every writer receives (:class:`BuildContext`) and how it stops a build.

Apart from :mod:`trainkit.writers.build` so that the modules the build runs
(the writers, :mod:`trainkit.writers.incremental`) can name them without
importing the build itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy


class BuildError(Exception):
    """A problem that stops the build; the message says what to do.

    ``diagnostics`` carries the problems writers reported, for the CLI to print.
    """

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])


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
    cache: Path | None = None  # the build cache folder; None: every writer works from scratch

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)
