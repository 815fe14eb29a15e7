"""Atomic writes of input files: the new content appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class Exists(Exception):
    """The file is already there and the command was not told to replace it."""


def write_text(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder.

    A reader (or a crash) never sees half a file: the temporary file is
    renamed over ``path`` only once it is complete. An existing ``path`` is
    replaced only with ``force``; otherwise :class:`Exists` is raised and
    nothing is touched.
    """
    if path.exists() and not force:
        raise Exists(f"{path} already exists; pass --force to replace it")
    tmp = write_temp(path, text.encode("utf-8"))
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_temp(target: Path, data: bytes) -> str:
    """``data`` in a complete temporary file beside ``target``, ready to be renamed over it.

    The bytes are on disk (fsync) before the name is returned, and the file
    has ``target``'s permissions (0644 for a new file), so the rename changes
    nothing but the content.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temp, mode)
    except BaseException:
        os.unlink(temp)
        raise
    return temp
