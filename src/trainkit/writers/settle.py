"""Keep what did not change: files of a new output tree that equal the old ones become them.

Before a staged output replaces the current one, every staged file whose
bytes equal the file at the same place in the current output is replaced by
a hard link to that file. After the swap, an unchanged file is the very same
file as before (same inode, same modification time), so ``rsync``, CDNs and
anything watching modification times see only the files whose bytes
changed. When every file is unchanged and no file was added or removed, the
staged tree is dropped and the output is not touched at all.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

# (size, modification time in ns, inode) of a file; (-1, -1, -1) for a folder
Stat = tuple[int, int, int]
FOLDER: Stat = (-1, -1, -1)
_CHUNK = 1 << 20


def entries(folder: Path | str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``folder`` with its relative POSIX path, a folder before what it
    holds; symbolic links are not followed."""
    stack = [("", str(folder))]
    while stack:
        rel, path = stack.pop()
        with os.scandir(path) as found:
            for entry in found:
                name = f"{rel}{entry.name}"
                yield name, entry
                if entry.is_dir(follow_symlinks=False):
                    stack.append((f"{name}/", entry.path))


def snapshot(folder: Path) -> dict[str, Stat]:
    """Every file and folder under ``folder`` by relative POSIX path (empty if missing)."""
    out: dict[str, Stat] = {}
    if not folder.is_dir():
        return out
    for name, entry in entries(folder):
        if entry.is_dir(follow_symlinks=False):
            out[name] = FOLDER
        else:
            st = entry.stat(follow_symlinks=False)
            out[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def stat_of(path: Path) -> Stat:
    st = os.stat(path, follow_symlinks=False)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(_CHUNK)
            if chunk != fb.read(_CHUNK):
                return False
            if not chunk:
                return True


def adopt(old: str, new: str) -> bool:
    """Make ``new`` a hard link to ``old`` (in place of whatever file ``new`` was), where
    the file system allows it; fails on a folder at ``new``."""
    tmp = f"{new}.link-{os.getpid()}"
    try:
        os.link(old, tmp, follow_symlinks=False)
    except OSError:
        return False
    try:
        os.replace(tmp, new)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def link_unchanged(staged: Path, current: Path, old: dict[str, Stat] | None = None,
                   new: dict[str, Stat] | None = None) -> tuple[bool, dict[str, Stat]]:
    """Hard-link unchanged files of ``staged`` to ``current``.

    Returns whether the trees are equal (the same files and folders, every
    file with the same bytes) and the snapshot of what the output holds once
    the build is done: ``current``'s when they are equal (it stays), else what
    ``staged`` holds now (it is swapped in). ``old`` and ``new`` are the
    snapshots of ``current`` and ``staged`` when the caller already has them.
    """
    new = snapshot(staged) if new is None else new
    old = snapshot(current) if old is None else old
    equal = new.keys() == old.keys()
    for rel, stat in new.items():
        before = old.get(rel)
        if stat == FOLDER or before is None or before == FOLDER:
            equal = equal and stat == before
            continue
        if stat[2] == before[2]:
            continue  # already the same file (taken over from the current output)
        a, b = os.path.join(current, rel), os.path.join(staged, rel)
        if stat[0] != before[0] or os.path.islink(a) or os.path.islink(b) or not _same_bytes(a, b):
            equal = False
        elif adopt(a, b):
            new[rel] = before
        # without hard links the copy stays: same bytes, a new file
    return equal, old if equal else new
