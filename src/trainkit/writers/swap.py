"""Replace ``site/`` and ``reports/`` together, so that no kill loses or mixes them.

Both outputs are staged completely beside their targets first
(``.site.new-<pid>-…``, ``.reports.new-<pid>-…``). Then a journal
(``.site.swap-<pid>.json`` beside the site) records, for each output, the
staged folder's inode; only after it is on disk is anything renamed. Each
output is swapped in one step where the system can (Linux ``renameat2``
with ``RENAME_EXCHANGE``: ``site/`` exists at every instant), otherwise by
two renames back to back. The journal goes, then the old folders.

If a build is killed part way, the next build (any trainkit command that
writes the outputs) finds the journal of a process that no longer runs and
rolls the swap forward, so the final state is always both old or both new;
staging folders, old folders and scratch folders of dead builds are removed.
Folders are only ever removed when their name is one trainkit gives and the
process id in it is not running, so concurrent builds leave each other alone;
swaps themselves take a lock on the site's parent folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

WORK_PREFIX = "trainkit-work-"
_STALE = re.compile(r"^\.(?P<name>.+)\.(?:new|old|swap)-(?P<pid>\d+)(?:[-.].*)?$")


@dataclass(frozen=True)
class Entry:
    target: Path
    staged: Path
    old: Path
    inode: int


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a process of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def stage(target: Path) -> Path:
    """A fresh staging folder beside ``target`` (same file system: renames are atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))


def work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))


def journal_path(site: Path, pid: int | None = None) -> Path:
    return site.with_name(f".{site.name}.swap-{pid or os.getpid()}.json")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (a directory) while swapping or cleaning up."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): concurrent builds are not serialised
        yield
        return
    if not folder.is_dir():  # nothing to lock: nothing was ever written there
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); ``False`` where not supported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _write_journal(path: Path, entries: list[Entry]) -> None:
    data = [{"target": str(e.target), "staged": str(e.staged), "old": str(e.old),
             "inode": e.inode} for e in entries]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_journal(path: Path) -> list[Entry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Entry(Path(d["target"]), Path(d["staged"]), Path(d["old"]), int(d["inode"]))
            for d in data]


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path, follow_symlinks=False).st_ino
    except OSError:
        return None


def _swap_one(entry: Entry) -> None:
    """``entry.staged`` becomes ``entry.target``; the previous target ends at ``entry.old``."""
    if os.path.lexists(entry.target):
        if _exchange(entry.staged, entry.target):
            with contextlib.suppress(OSError):  # if not, the old content goes with the staging
                os.rename(entry.staged, entry.old)
            return
        os.rename(entry.target, entry.old)
    os.rename(entry.staged, entry.target)


def _undo(entry: Entry) -> None:
    """Put the previous ``entry.target`` back, however far its swap got."""
    if _inode(entry.target) != entry.inode:  # not swapped, or only moved away
        if not os.path.lexists(entry.target) and os.path.lexists(entry.old):
            os.rename(entry.old, entry.target)
        return
    if os.path.lexists(entry.old):
        os.rename(entry.target, entry.staged)
        os.rename(entry.old, entry.target)
    elif os.path.lexists(entry.staged):  # exchanged; the old content is still at staged
        if not _exchange(entry.staged, entry.target):
            raise OSError(errno.EIO, "cannot put the previous output back", str(entry.target))
    else:
        os.rename(entry.target, entry.staged)


def commit(pairs: list[tuple[Path, Path]], site: Path,
           keep: Callable[[Path, Path], None] | None = None) -> None:
    """Swap every (staged, target) pair in; on failure the old outputs are put back.

    Raises :class:`OSError` either way; when putting back failed too, the
    journal stays, and the next build finishes the swap. ``keep(old, target)``,
    when given, is handed each replaced output instead of its being removed.
    """
    entries = []
    for staged, target in pairs:
        os.chmod(staged, 0o755)
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        remove(old)
        entries.append(Entry(target, staged, old, os.stat(staged).st_ino))
    journal = journal_path(site)
    _write_journal(journal, entries)
    done = 0
    try:
        for entry in entries:
            _swap_one(entry)
            done += 1
    except OSError:
        for entry in reversed(entries[:done + 1]):
            _undo(entry)
        journal.unlink()
        raise
    journal.unlink()
    for entry in entries:
        if keep is not None and os.path.isdir(entry.old):
            keep(entry.old, entry.target)
        else:
            remove(entry.old)


def roll_forward(journal: Path) -> list[str]:
    """Finish the swap a killed build recorded in ``journal``; notes of what was done."""
    try:
        entries = _read_journal(journal)
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return [f"removed the unreadable swap journal {journal}"]
    notes = [note for entry in entries if (note := _forward(entry))]
    journal.unlink(missing_ok=True)
    return notes


def _forward(entry: Entry) -> str | None:
    note = None
    if _inode(entry.target) == entry.inode:
        pass  # this output was already swapped
    elif _inode(entry.staged) == entry.inode:
        if os.path.lexists(entry.target):
            remove(entry.old)
            os.rename(entry.target, entry.old)
        os.rename(entry.staged, entry.target)
        note = f"finished replacing {entry.target}, interrupted in an earlier build"
    elif not os.path.lexists(entry.target) and os.path.lexists(entry.old):
        os.rename(entry.old, entry.target)
        note = f"restored {entry.target} from an interrupted build"
    remove(entry.old)
    if _inode(entry.staged) not in (None, entry.inode):
        remove(entry.staged)  # the previous output, left there by an exchange
    return note


def recover(targets: list[Path]) -> list[str]:
    """Finish swaps of dead builds, then remove their leftovers beside ``targets``."""
    notes: list[str] = []
    names = {t.name for t in targets}
    for parent in sorted({t.parent for t in targets}):
        for path in _stale(parent, names):
            if path.name.endswith(".json"):
                notes += roll_forward(path)
    for parent in sorted({t.parent for t in targets}):
        for path in _stale(parent, names):
            target = parent / _STALE.match(path.name).group("name")  # type: ignore[union-attr]
            if ".old-" in path.name and not os.path.lexists(target):
                os.rename(path, target)  # killed between the two renames: the old one is back
                notes.append(f"restored {target} from an interrupted build")
            else:
                remove(path)
    _clean_work()
    return notes


def _stale(parent: Path, names: set[str]) -> list[Path]:
    """Leftovers of dead builds beside the outputs: only names trainkit gives."""
    try:
        entries = sorted(os.listdir(parent))
    except OSError:
        return []
    out = []
    for name in entries:
        found = _STALE.match(name)
        if found and found.group("name") in names and not alive(int(found.group("pid"))):
            out.append(parent / name)
    return out


def _clean_work() -> None:
    """Scratch folders of dead builds in the temporary folder (our own only)."""
    tmp = Path(tempfile.gettempdir())
    rx = re.compile(rf"^{WORK_PREFIX}(\d+)-")
    try:
        names = os.listdir(tmp)
    except OSError:
        return
    for name in names:
        found = rx.match(name)
        if not found or alive(int(found.group(1))):
            continue
        path = tmp / name
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid():
                shutil.rmtree(path, ignore_errors=True)


def remove(path: Path) -> None:
    """Remove ``path`` (a folder whole; a link, not what it points to); errors ignored."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            path.unlink()
