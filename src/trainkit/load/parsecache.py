"""Parsed and validated input files kept between runs, in the user's own cache folder.

Parsing the YAML of a large academy (thousands of cohort and learner files,
every value with its line and column) is most of what loading costs, and
between two builds most files have not changed. :class:`StoredParses` is a
:data:`trainkit.load.loader.ParseCache` (the loader's blob id -> document
mapping) that also keeps each document on disk:

* the entry's name is a digest of the blob id (the file's content and path)
  and of :func:`trainkit.load.usercache.toolchain` (trainkit's own files, its
  packages, Python): another trainkit reads nothing a former one wrote;
* an entry is a pickle, so it lives only in the user's private cache folder
  (:func:`trainkit.load.usercache.private_folder`), never in the academy,
  where a pull request could plant one; it holds the digest of its bytes,
  and an entry that is cut short, changed or unreadable is parsed again;
* entries not used for :data:`KEEP_DAYS` days are removed by
  :func:`trainkit.load.usercache.prune`.

Without a usable cache folder it is a plain in-memory mapping.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from trainkit.load.usercache import private_folder, prune, toolchain, write_whole
from trainkit.load.yamlio import Document

KEEP_DAYS = 30


class StoredParses(MutableMapping[str, Document]):
    """Documents by blob id, in memory and (when it can be used) on disk."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, Document] = {}
        self.salt = toolchain().encode() if folder is not None else b""

    @classmethod
    def for_user(cls) -> StoredParses:
        return cls(private_folder("parsed"))

    def prune(self) -> None:
        """Remove the entries on disk not used for :data:`KEEP_DAYS` days."""
        if self.folder is not None:
            prune(self.folder, KEEP_DAYS)

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        name = hashlib.sha256(self.salt + b"\0" + key.encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.pickle"

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self.memory:
            return True
        if self.folder is None:
            return False
        found = _read(self._path(key))
        if found is None:
            return False
        self.memory[key] = found
        return True

    def __getitem__(self, key: str) -> Document:
        if key not in self:
            raise KeyError(key)
        return self.memory[key]

    def __setitem__(self, key: str, doc: Document) -> None:
        new = key not in self.memory
        self.memory[key] = doc
        if new and self.folder is not None:
            _write(self._path(key), doc)

    def __delitem__(self, key: str) -> None:
        del self.memory[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)


def _read(path: Path) -> Document | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, body = data[:32], data[32:]
    if hashlib.sha256(body).digest() != digest:
        return None
    try:
        doc = pickle.loads(body)  # noqa: S301 - the user's own private folder, checked digest
    except Exception:  # noqa: BLE001 - an entry that does not load is parsed again
        return None
    if not isinstance(doc, Document):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used: kept by prune
    return doc


def _write(path: Path, doc: Document) -> None:
    """Store ``doc`` whole or not at all; a cache that cannot be written is no error."""
    try:
        body = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a document that does not pickle is not kept
        return
    with contextlib.suppress(OSError):
        write_whole(path, hashlib.sha256(body).digest() + body, folder_mode=0o700)
