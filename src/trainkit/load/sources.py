"""Where academy files come from: a folder on disk, or (for ``diff``) a git tree.

A source lists repository-relative POSIX paths and reads their bytes; the
loader never touches the file system itself, so the same loading code reads a
working tree and a past revision.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

ACADEMY_FILE = "trainkit.yaml"
# Folders the loader reads; anything else in the repository is left alone.
INPUT_DIRS = ("programs", "people", "venues", "courses", "records")
# Names of the files the loader reads: a folder named so is a mistake worth reporting.
INPUT_SUFFIXES = (".yaml", ".yml", ".csv")
SKIP_DIRS = {".git", "site", "reports", "node_modules", ".venv", "venv", "__pycache__", ".cache"}


class Source(Protocol):
    def list(self) -> list[str]: ...

    def read(self, path: str) -> bytes: ...

    def blob_id(self, path: str) -> str | None: ...


class DirSource:
    """The files of an academy folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # (path, why) of what :meth:`list` found but cannot offer as a file: a
        # folder named like an input file, a folder that cannot be opened.
        self.unlisted: list[tuple[str, str]] = []

    def list(self) -> list[str]:
        self.unlisted = []
        out = [n for n in (ACADEMY_FILE, "competencies.yaml") if (self.root / n).is_file()]
        for top in INPUT_DIRS:
            base = self.root / top
            if not base.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(base, onerror=self._unreadable):
                rel = Path(dirpath).relative_to(self.root).as_posix()
                self.unlisted.extend(
                    (f"{rel}/{d}", "this is a folder named like an input file; rename or remove it")
                    for d in sorted(dirnames) if d.endswith(INPUT_SUFFIXES)
                )
                dirnames[:] = sorted(d for d in dirnames if _walked(d))
                out.extend(f"{rel}/{f}" for f in sorted(filenames) if not f.startswith("."))
        return sorted(out)

    def _unreadable(self, exc: OSError) -> None:
        where = Path(exc.filename or self.root)
        inside = where.is_relative_to(self.root)
        rel = where.relative_to(self.root).as_posix() if inside else str(where)
        why = f"cannot be listed ({exc.strerror or exc}); check its permissions"
        self.unlisted.append((rel, why))

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def blob_id(self, path: str) -> str | None:
        return None


def _walked(folder: str) -> bool:
    """Whether a folder is searched for input files."""
    hidden = folder.startswith(".") or folder in SKIP_DIRS
    return not hidden and not folder.endswith(INPUT_SUFFIXES)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``trainkit.yaml`` (like git)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ACADEMY_FILE).is_file():
            return folder
    return None
