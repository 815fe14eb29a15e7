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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
