"""Where academy files come from: a folder on disk, or (for ``diff``) a git tree.

A source lists repository-relative POSIX paths and reads their bytes; the
loader never touches the file system itself, so the same loading code reads a
working tree and a past revision.
"""

from __future__ import annotations

import builtins
import os
import stat
from pathlib import Path
from typing import Protocol

from trainkit.load import containment

ACADEMY_FILE = "trainkit.yaml"
# Folders the loader reads; anything else in the repository is left alone.
INPUT_DIRS = ("programs", "people", "venues", "courses", "records", "roles", "organisations",
              "surveys")
# Names of the files the loader reads: a folder named so is a mistake worth reporting.
INPUT_SUFFIXES = (".yaml", ".yml", ".csv")
ROOT_FILES = (ACADEMY_FILE, "competencies.yaml")
SKIP_DIRS = {".git", "site", "reports", "node_modules", ".venv", "venv", "__pycache__", ".cache"}


class Source(Protocol):
    def list(self) -> list[str]: ...

    def read(self, path: str) -> bytes: ...

    def blob_id(self, path: str) -> str | None: ...


class DirSource:
    """The files of an academy folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real = root.resolve()
        # (path, why) of what :meth:`list` found but cannot offer as a file: a
        # folder named like an input file, a folder that cannot be opened.
        self.unlisted: list[tuple[str, str]] = []
        # (path, problem) of files :mod:`trainkit.load.containment` does not let be read
        self.refused: list[tuple[str, containment.Problem]] = []

    def list(self) -> list[str]:
        self.unlisted = []
        self.refused = []
        out = [n for n in ROOT_FILES if (self.root / n).is_file()]
        for name in tuple(out):
            self._check(name, out)
        for top in INPUT_DIRS:
            outside = containment.folder_problem(self.real, top)
            if outside is not None:
                self.refused.append((top, outside))
            elif (self.root / top).is_dir():
                self._walk(self.root / top, top, out)
        return sorted(out)

    def _walk(self, folder: Path, rel: str, out: builtins.list[str]) -> None:
        """Files below ``folder``; linked folders are not followed (one out is refused).

        The entries' types come with the listing, so only links and special
        files cost a look of their own (see :mod:`trainkit.load.containment`).
        """
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self._unreadable(exc)
            return
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if entry.is_dir():  # a folder, or a link to one
                if entry.name.endswith(INPUT_SUFFIXES):
                    self.unlisted.append((path, "this is a folder named like an input file; "
                                                "rename or remove it"))
                if entry.is_symlink():
                    self._check_folder(path)
                elif _walked(entry.name):
                    self._walk(Path(entry.path), path, out)
            elif entry.name.startswith("."):
                continue
            elif entry.is_file(follow_symlinks=False) and not (
                    published(path) and containment.is_raw_html(path)):
                out.append(path)
            else:  # a link to a file, a broken link, a special file, raw HTML
                self._check(path, out, walked=True)

    def _check(self, path: str, out: builtins.list[str], walked: bool = False) -> None:
        found = containment.file_problem(self.real, path, published=published(path),
                                         walked=walked)
        if found is not None:
            self.refused.append((path, found))
            if path in out:
                out.remove(path)
        elif path not in out:
            out.append(path)

    def _check_folder(self, path: str) -> None:
        found = containment.folder_problem(self.real, path, published=published(path + "/"))
        if found is not None:
            self.refused.append((path, found))

    def _unreadable(self, exc: OSError) -> None:
        where = Path(exc.filename or self.root)
        inside = where.is_relative_to(self.root)
        rel = where.relative_to(self.root).as_posix() if inside else str(where)
        why = f"cannot be listed ({exc.strerror or exc}); check its permissions"
        self.unlisted.append((rel, why))

    def read(self, path: str) -> bytes:
        full = os.path.join(self.root, path)
        if not stat.S_ISREG(os.lstat(full).st_mode):  # a link or special file: look closer
            found = containment.file_problem(self.real, path, walked=path not in ROOT_FILES)
            if found is not None:
                raise PermissionError(13, found.message, path)
        with open(full, "rb") as fh:
            return fh.read()

    def blob_id(self, path: str) -> str | None:
        return None


def published(path: str) -> bool:
    """Whether a listed file may end up in the public site (course and program files)."""
    return path.startswith(("courses/", "programs/")) and not path.endswith(INPUT_SUFFIXES)


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
