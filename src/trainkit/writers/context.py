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
from typing import Any

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy


@dataclass(frozen=True)
class Earlier:
    """What the last build of these output folders left, file by file.

    ``digests`` maps ``"site/<rel>"`` or ``"reports/<rel>"`` to the digest of
    the inputs that made the file (as the writer computed it then); ``now``
    and ``then`` are the size, modification time and inode of every output
    file today and just after that build: a file is taken over only when the
    two agree, so a file edited by hand (or a cache of other folders) is
    never trusted.
    """

    digests: dict[str, str]
    folders: dict[str, Path]  # "site" / "reports" -> the current output folder
    now: dict[str, dict[str, tuple[int, int, int]]]
    then: dict[str, dict[str, tuple[int, int, int]]]


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
    earlier: Earlier | None = None  # the last build's files, for writers that key each file
    units: dict[str, str] = field(default_factory=dict)  # "site/rel" -> digest of its inputs
    kept: list[str] = field(default_factory=list)  # "site/rel" taken over into ``staging``
    jobs: int = 1  # processes a writer may fork for its own work
    # processes left when every writer of the build has one (and this one its own):
    # what the site may convert pages in (writers.site.ahead); 1: none to spare
    idle: int = 1
    # how many of the build's writers have not finished, shared by the processes they
    # run in (a ``multiprocessing.Value``); None: they run one after another here
    running: Any = None
    # this process builds again soon after (the live preview): a writer may keep in memory
    # what the next build reads; it runs in this process (writers.incremental.write)
    again: bool = False
    personal: bool = True  # False: no personal feeds or learner pages, even with the secret
    # content digest of every academy file a build may read, by relative path
    # (:func:`trainkit.writers.fingerprint.inputs`); empty without the build cache
    inputs: dict[str, str] = field(default_factory=dict)
    # SHA-256 of the bytes the check used, by relative path (pipeline.Result.digests):
    # these go into ``inputs`` as they are, not read again (a file saved since the check
    # then differs, and the next build runs what reads it)
    read: dict[str, str] = field(default_factory=dict)
    # side ("site" / "reports") -> the folder the merged output is staged in, when a writer
    # runs into a folder of its own: files taken over from the last build go straight there
    staging: dict[str, Path] = field(default_factory=dict)
    # side -> what the staging folder already held (a spare tree, ``spare.Claimed.index``):
    # relative path -> inode, -1 for a folder
    spare: dict[str, dict[str, int]] = field(default_factory=dict)

    def cores(self) -> int:
        """Processes a writer may split its work over now: its own, and those the
        writers of this build that have finished left (or, as ``idle``, that none had).

        Asked when the work is about to be split, not when the writer starts: the
        writer that finishes last gets the cores the others freed.
        """
        if self.running is None:
            return self.idle
        left: int = self.running.value
        return max(1, min(self.jobs, self.jobs - left + 1))

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)
