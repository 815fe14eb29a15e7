"""The spare tree: the output before the current one, kept to stage the next build in.

After a swap, the folder that was ``site/`` is not deleted: it is renamed to
``.site.spare`` beside it (``.reports.spare`` for the reports). Its files
that did not change in that build are hard links to the current output's
files. The next build claims it (an atomic rename to a staging name) and
builds in it instead of a fresh folder: a file taken over from the current
output is already there when the spare's file at that place is the current
file (same inode), the files the writers made replace the spare's, and
whatever the new output does not hold is removed from it before the merge.
So an unchanged file costs nothing in staging, and nothing has to be
deleted after the swap.

What the spare holds never decides a byte of the output: a file is only
left in place when it is the current output's very file, and everything
else is replaced or removed. So the spare is only checked for what could
make writing into it unsafe: it must be a real folder of this user that
others cannot write to, and hold only folders and regular files, no
symbolic links. Anything else, and it is removed and a fresh folder is used.

A process with time on its hands before its next build (the preview, waiting
for a save after it started) can :func:`lay` the spare from the current
output when there is none yet: its folders, and hard links to its files. The
next build then finds each unchanged file already in place instead of linking
it into a fresh folder.

A killed build leaves its claimed spare under a staging name, which
:func:`trainkit.writers.swap.recover` removes like any other staging folder.
The spare carries a ``.gitignore`` (``*``) and a ``CACHEDIR.TAG``, so git
and backup tools leave it alone.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from trainkit.writers.outputs import write_new
from trainkit.writers.settle import FOLDER, Stat, entries
from trainkit.writers.swap import remove, stage

DIRECTORY = -1  # in an index: a folder
_MARKS = ((".gitignore", "# trainkit's spare output tree: never commit it\n*\n"),
          ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                           "# trainkit's spare output tree: safe to delete\n"))


@dataclass
class Claimed:
    folder: Path  # the staging folder the spare became
    index: dict[str, int]  # relative POSIX path -> inode of each file; DIRECTORY for folders


def spare_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.spare")


def claim(target: Path, skip: str) -> Claimed | None:
    """Take the spare beside ``target`` as this build's staging folder; None: there is
    none, or it is not fit (it is removed). ``skip``, a folder at the top (the writers'
    own folders), is removed from it."""
    staged = target.with_name(f".{target.name}.new-{os.getpid()}-s{secrets.token_hex(4)}")
    try:
        os.rename(spare_path(target), staged)
    except OSError:
        return None
    index = _index(staged, skip)
    if index is None:
        remove(staged)
        return None
    return Claimed(staged, index)


def _index(folder: Path, skip: str) -> dict[str, int] | None:
    """Every file and folder under ``folder``; None when it is not safe to write into."""
    try:
        st = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
        return None
    with contextlib.suppress(OSError):
        shutil.rmtree(folder / skip)
    out: dict[str, int] = {}
    try:
        for name, entry in entries(folder):
            if entry.is_symlink():
                return None
            if entry.is_dir(follow_symlinks=False):
                out[name] = DIRECTORY
            elif entry.is_file(follow_symlinks=False):
                out[name] = entry.inode()
            else:  # a socket, a pipe, a device
                return None
    except OSError:
        return None
    return out


def prune(folder: Path, index: dict[str, int], tree: dict[str, Stat]) -> None:
    """Remove from ``folder``, a claimed spare that held ``index``, whatever ``tree`` (the
    new output) does not hold as the same kind of entry, so the writers' files can be
    moved in."""
    base = str(folder)
    # nearly everything stays: only what goes is sorted (a folder before what it holds)
    going = [rel for rel, inode in index.items()
             if (now := tree.get(rel)) is None or (now == FOLDER) != (inode == DIRECTORY)]
    gone = ""  # a folder removed whole: skip what was under it
    for rel in sorted(going):
        if gone and rel.startswith(gone):
            continue
        was_dir = index[rel] == DIRECTORY
        path = f"{base}/{rel}"
        with contextlib.suppress(FileNotFoundError):  # under a folder removed before
            if was_dir:
                shutil.rmtree(path)
                gone = f"{rel}/"
            else:
                os.unlink(path)


def keep(folder: Path, target: Path) -> None:
    """Keep ``folder`` (an output that is no longer current, or a staged one that was not
    needed) as the spare of ``target``; removed when there already is one."""
    spare = spare_path(target)
    if os.path.lexists(spare):
        remove(folder)
        return
    try:
        os.rename(folder, spare)
        for name, text in _MARKS:
            write_new(spare / name, text)
    except OSError:
        remove(spare if os.path.lexists(spare) else folder)


def lay(target: Path) -> bool:
    """Make the spare of ``target`` from the current output, when there is none: the
    output's folders, and hard links to its regular files (anything else is left out).
    Whether it was laid; False when there is a spare already, without an output, or
    where hard links fail (the next build then stages in a fresh folder)."""
    if os.path.lexists(spare_path(target)) or not os.path.isdir(target) \
            or os.path.islink(target):
        return False
    folder = stage(target)  # under a staging name until it is whole
    try:
        for name, entry in entries(target):  # a folder comes before what it holds
            if entry.is_dir(follow_symlinks=False):
                os.mkdir(f"{folder}/{name}")
            elif entry.is_file(follow_symlinks=False):
                os.link(entry.path, f"{folder}/{name}", follow_symlinks=False)
    except OSError:
        remove(folder)
        return False
    keep(folder, target)
    return True
