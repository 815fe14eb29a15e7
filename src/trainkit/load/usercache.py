"""The user's own cache folder, and the digest of the trainkit that fills it.

What is kept across runs outside the academy (reduced invoice fonts, parsed
input files) lives in ``$XDG_CACHE_HOME/trainkit/<name>`` (``~/.cache`` when
the variable is unset), created with mode 0700. A folder owned by another
user or writable by others is never used: what is read back from it is
trusted (parsed documents are pickles), so nobody else may be able to put
anything there. That is also why none of it lives in the academy folder,
where a pull request could add files.

:func:`toolchain` is the digest of everything such a file, or a build's
output, can depend on besides its inputs: trainkit's own files (code,
templates, schemas), the installed distributions and the Python version.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
import time
from functools import cache
from pathlib import Path

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


def prune(folder: Path, days: int, *, now: float | None = None) -> int:
    """Remove entries of ``folder/<shard>/`` not used for ``days`` days (and stray
    temporary files a day old); how many were removed."""
    now = time.time() if now is None else now
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
    return removed
