"""The user's own cache folder, and the digest of the trainkit that fills it.

What is kept across runs outside the academy (reduced invoice fonts, parsed
input files, the key that seals the caches kept inside it) lives in
``$XDG_CACHE_HOME/trainkit/<name>`` (``~/.cache`` when the variable is
unset), created with mode 0700. A folder owned by another
user or writable by others is never used: what is read back from it is
trusted (parsed documents are pickles), so nobody else may be able to put
anything there. That is also why none of it lives in the academy folder,
where a pull request could add files.

:func:`toolchain` is the digest of everything such a file, or a build's
output, can depend on besides its inputs: trainkit's own files (code,
templates, schemas), the installed distributions and the Python version.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import trainkit

FORMAT = "trainkit-build-cache/1"


def private_folder(name: str) -> Path | None:
    """``$XDG_CACHE_HOME/trainkit/<name>``, made private to this user; None if unusable."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(home) / "trainkit" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
    except OSError:
        return None
    return folder


@cache
def local_key() -> bytes | None:
    """This user's own random key (``$XDG_CACHE_HOME/trainkit/key/local``, mode 0600).

    Caches kept in the academy folder (``.trainkit-cache/``: rendered pages,
    charts, serialised events, the build manifest) are sealed with it
    (:func:`seal`): a file that a pull request adds there, or that another
    machine wrote, does not carry this key's seal and is not used. None when
    the private folder cannot be used: then no cache is trusted.
    """
    folder = private_folder("key")
    if folder is None:
        return None
    path = folder / "local"
    try:
        if not path.exists():
            tmp = folder / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
            try:
                os.link(tmp, path)  # never over a key another process made first
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            key = fh.read(33)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or len(key) != 32:
        return None
    return key


def seal(body: bytes | memoryview) -> str:
    """The seal of ``body`` with :func:`local_key` (empty without one)."""
    key = local_key()
    return "" if key is None else hmac.digest(key, body, "sha256").hex()  # one call, in C


def sealed(body: bytes | memoryview, mark: str | bytes) -> bool:
    """Whether ``mark`` is ``body``'s seal with this user's key."""
    if isinstance(mark, bytes):
        mark = mark.decode("ascii", "replace")
    expected = seal(body)
    return bool(expected) and hmac.compare_digest(expected, mark)


@cache
def toolchain() -> str:
    """Digest of trainkit's own files, the installed packages and the Python version."""
    digest = hashlib.sha256(f"{FORMAT}|{trainkit.__version__}|{platform.python_version()}"
                            .encode())
    package = Path(trainkit.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update("\n".join(_distributions()).encode())
    return digest.hexdigest()


def _distributions() -> list[str]:
    """Every installed distribution as its metadata folder's name (``name-version.dist-info``).

    Reading the folder names is far cheaper than parsing each distribution's
    metadata, and says the same: which packages, at which versions.
    """
    found: set[str] = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


def write_whole(path: Path, data: bytes, folder_mode: int = 0o777) -> None:
    """``data`` into ``path``, whole or not at all: written to a temporary file
    beside it (``.tmp-…``, which :func:`prune` clears) and renamed into place, so a
    reader, or another process writing the same entry, never sees half of it.
    Raises :class:`OSError`; the temporary file is removed when the rename fails."""
    path.parent.mkdir(mode=folder_mode, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


PRUNE_EVERY = 86400  # seconds: a cache folder is looked through at most once a day
PRUNED = ".pruned"  # beside the shards: its modification time is the last look


def prune(folder: Path, days: int, *, now: float | None = None) -> int:
    """Remove entries of ``folder/<shard>/`` not used for ``days`` days (and stray
    temporary files a day old); how many were removed.

    Looking at every entry costs a ``stat`` each (thousands in a large academy's
    caches), and an entry can only have aged a day since the last look a day ago:
    so a folder looked through less than :data:`PRUNE_EVERY` seconds ago (the
    modification time of its :data:`PRUNED` file, not in the future) is left alone.
    """
    now = time.time() if now is None else now
    stamp = folder / PRUNED
    with contextlib.suppress(OSError):
        if now - PRUNE_EVERY < os.stat(stamp).st_mtime <= now:
            return 0
    limit, stray = now - days * 86400, now - 86400
    removed = 0
    try:
        shards = list(os.scandir(folder))
    except OSError:
        return 0
    for shard in shards:
        if not shard.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(shard.path):
            try:
                age = entry.stat(follow_symlinks=False).st_mtime
                if age < limit or (entry.name.startswith(".tmp-") and age < stray):
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                continue
    with contextlib.suppress(OSError):
        stamp.touch()
        os.utime(stamp, (now, now))
    return removed


@contextmanager
def claimed(kind: str, root: Path, keep_days: int) -> Iterator[Path | None]:
    """This user's own folder of ``kind`` for the academy at ``root``, held while the
    block runs: ``$XDG_CACHE_HOME/trainkit/<kind>/<digest of root's real path>``.

    Held means an exclusive lock on ``<digest>.lock`` beside it, so two processes never
    work in one folder. None (use a fresh folder) when the cache folder cannot be used,
    locks are not available (Windows), or another process holds it. Folders of ``kind``
    that nobody has held for ``keep_days`` days go, each under its own lock.
    """
    folder = private_folder(kind)
    if folder is None:
        yield None
        return
    name = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:24]
    try:
        import fcntl

        lock = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except (ImportError, OSError):
        yield None
        return
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process of this academy is using it
            yield None
            return
        os.utime(lock)
        _prune_claims(folder, keep_days, fcntl)
        yield folder / name
    finally:
        os.close(lock)


def _prune_claims(folder: Path, keep_days: int, fcntl: Any) -> None:
    limit = time.time() - keep_days * 86400
    for lockfile in folder.glob("*.lock"):
        with contextlib.suppress(OSError):
            if lockfile.stat().st_mtime >= limit:
                continue
            fd = os.open(lockfile, os.O_RDWR | os.O_NOFOLLOW)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder / lockfile.stem, ignore_errors=True)
                lockfile.unlink()
            finally:
                os.close(fd)
