"""A source that shows edited files over an academy folder, before they are written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping

from trainkit.load.sources import Source


class OverlaySource:
    """``base`` with some files replaced or added (path -> new bytes).

    Blob ids let the loader's parse cache serve every file the edit did not
    touch from an earlier load of the same folder, so checking an edit costs
    parsing the edited files only. An unchanged file's id is its size and
    modification time: a file changed on disk in between is read again.
    """

    def __init__(self, base: Source, changes: Mapping[str, bytes] | None = None) -> None:
        self.base = base
        self.changes = dict(changes or {})
        self.root = getattr(base, "root", None)

    @property
    def unlisted(self) -> list[tuple[str, str]]:
        return list(getattr(self.base, "unlisted", ()))

    def list(self) -> list[str]:
        return sorted(set(self.base.list()) | set(self.changes))

    def read(self, path: str) -> bytes:
        if path in self.changes:
            return self.changes[path]
        return self.base.read(path)

    def blob_id(self, path: str) -> str | None:
        if path in self.changes:
            return "edit:" + hashlib.sha1(self.changes[path]).hexdigest()
        found = self.base.blob_id(path)
        if found is not None or self.root is None:
            return found
        try:
            st = os.stat(os.path.join(self.root, path))
        except OSError:
            return None
        return f"disk:{path}:{st.st_size}:{st.st_mtime_ns}"


class SubsetSource:
    """The files of ``base`` that ``keep`` accepts (blob ids as ``base`` gives them)."""

    def __init__(self, base: Source, keep: Callable[[str], bool]) -> None:
        self.base, self.keep = base, keep
        self.unlisted: list[tuple[str, str]] = []

    def list(self) -> list[str]:
        return [p for p in self.base.list() if self.keep(p)]

    def read(self, path: str) -> bytes:
        return self.base.read(path)

    def blob_id(self, path: str) -> str | None:
        return self.base.blob_id(path)
