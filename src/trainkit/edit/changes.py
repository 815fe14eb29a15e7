"""A set of edits to an academy folder: checked as a whole, then written atomically.

Commands that change the academy open the files they change here, edit them
through :class:`~trainkit.edit.yamldoc.YamlDocument`, and then either print
the unified diff (``--dry-run``) or write them. Before anything is written
the whole academy, with the edited files in place, goes through the same
pipeline as ``trainkit check``; with an error nothing is written.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from trainkit.diagnostics import Diagnostic
from trainkit.edit.atomic import write_temp
from trainkit.edit.overlay import OverlaySource, SubsetSource
from trainkit.edit.yamldoc import EditError, YamlDocument
from trainkit.load.loader import ParseCache, kind_of, load
from trainkit.load.records import collector_paused
from trainkit.load.sources import DirSource, Source
from trainkit.model import Academy
from trainkit.pipeline import Result, check_source
from trainkit.resolve import resolve

# What deciding about an enrollment needs besides the cohorts concerned.
_DECIDING = {"academy", "program", "venue", "learners"}


class Changes:
    """Files of the academy at ``root`` opened for editing (repository-relative paths)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs: dict[str, YamlDocument] = {}
        self.before: dict[str, bytes | None] = {}  # None: the file is new
        self.cache: ParseCache = {}  # shared by every load, so unchanged files parse once
        self.cohort_ids: list[str] = []  # every cohort of the academy, once it was read

    def academy(self, cohorts: Iterable[str] | None = None
                ) -> tuple[Academy | None, list[Diagnostic]]:
        """The academy as it is on disk now, resolved (without running the rules).

        With ``cohorts``, only what deciding about those cohorts needs is read:
        the settings, programs, venues, the learner directory and those
        cohorts' files (``cohort_ids`` still names every cohort). The files
        read are parsed once: the check of the edited academy reuses them.
        """
        source: Source = OverlaySource(DirSource(self.root))
        listing = source.list()
        self.cohort_ids = sorted(PurePosixPath(p).stem for p in listing
                                 if kind_of(p) == "cohort")
        if cohorts is not None:
            wanted = set(cohorts)
            source = SubsetSource(source, lambda p: _needed(p, wanted))
        with collector_paused():
            loaded = load(source, cache=self.cache)
            academy, problems = resolve(loaded, str(self.root))
        return academy, loaded.diagnostics + problems

    def open(self, path: str) -> YamlDocument:
        """The file at ``path`` for editing (the same object when opened twice)."""
        if path not in self.docs:
            raw = (self.root / path).read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise EditError(path, "is not UTF-8 text; save it as UTF-8 first") from exc
            self.docs[path] = YamlDocument(path, text)
            self.before[path] = raw
        return self.docs[path]

    def create(self, path: str, text: str) -> YamlDocument:
        """A new file with ``text`` as its start, to be edited further."""
        if path in self.docs:
            return self.docs[path]
        if (self.root / path).exists():
            return self.open(path)
        self.docs[path] = YamlDocument(path, text)
        self.before[path] = None
        return self.docs[path]

    def changed(self) -> dict[str, bytes]:
        """New bytes of every file that differs from what is on disk."""
        out = {}
        for path, doc in self.docs.items():
            new = doc.dump().encode("utf-8")
            if new != self.before[path]:
                out[path] = new
        return out

    def diff(self) -> str:
        """The unified diff of every change, as ``git diff`` would show it."""
        parts: list[str] = []
        for path, new in sorted(self.changed().items()):
            old = self.before[path]
            before = old.decode("utf-8").splitlines(keepends=True) if old is not None else []
            parts += difflib.unified_diff(
                before, new.decode("utf-8").splitlines(keepends=True),
                fromfile=f"a/{path}" if old is not None else "/dev/null", tofile=f"b/{path}")
        return "".join(parts)

    def check(self) -> Result:
        """The full check of the academy with the edited files in place."""
        source = OverlaySource(DirSource(self.root), self.changed())
        return check_source(source, str(self.root), cache=self.cache)

    def write(self) -> list[str]:
        """Write the changed files atomically; returns their paths.

        A file changed on disk since it was opened is not overwritten: nothing
        is written and :class:`EditError` says which one.
        """
        changed = self.changed()
        for path in changed:
            self._unchanged_on_disk(path)
        temps: list[tuple[str, str]] = []
        try:
            for path, data in sorted(changed.items()):
                temps.append((write_temp(self.root / path, data), path))
            for temp, path in temps:
                os.replace(temp, self.root / path)
        finally:
            for temp, _ in temps:
                if os.path.exists(temp):
                    os.unlink(temp)
        for path, data in changed.items():
            self.before[path] = data
        return sorted(changed)

    def _unchanged_on_disk(self, path: str) -> None:
        target = self.root / path
        now = target.read_bytes() if target.exists() else None
        if now != self.before[path]:
            raise EditError(path, "changed on disk while this command ran; nothing was "
                            "written, run the command again")


def _needed(path: str, cohorts: set[str]) -> bool:
    kind = kind_of(path)
    if kind == "cohort":
        return PurePosixPath(path).stem in cohorts
    return kind in _DECIDING
