"""Academy sources read straight from git: a commit's tree, or the working tree.

``trainkit diff`` loads the academy twice. Reading a past revision must not
check anything out (the working tree may be dirty), so :class:`GitSource`
lists a commit's tree with ``git ls-tree`` and reads blobs from the object
database. Both sources report git *blob ids*, so the loader's parse cache
(blob id -> parsed and validated document) parses a file once when it is the
same in both revisions, including an unchanged file of the working tree
(:class:`WorktreeSource` hashes it the way ``git hash-object`` does).
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Container, Iterable
from pathlib import Path, PurePosixPath

import git

from trainkit.load.loader import kind_of
from trainkit.load.sources import ACADEMY_FILE, INPUT_DIRS, SKIP_DIRS, DirSource

TOP_FILES = (ACADEMY_FILE, "competencies.yaml")


def is_input(path: str) -> bool:
    """Whether the loader reads ``path`` (repository-relative to the academy root).

    The same selection as :class:`trainkit.load.sources.DirSource`: the top files,
    and everything below the input folders except hidden and build folders.
    """
    parts = PurePosixPath(path).parts
    if len(parts) == 1:
        return parts[0] in TOP_FILES
    if parts[0] not in INPUT_DIRS:
        return False
    return not any(p in SKIP_DIRS or p.startswith(".") for p in parts[1:])


def blob_sha(content: bytes) -> str:
    """The git blob id of ``content`` (``git hash-object`` without filters)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def cache_key(sha: str, path: str) -> str:
    """The parse-cache key of a file: its blob id and the kind its path gives.

    The kind is part of the key because the same bytes validate differently
    as, say, a cohort and an instructor.
    """
    return f"{sha}:{kind_of(path) or 'other'}"


class GitSource:
    """The academy files of one commit, read from git objects (no checkout)."""

    def __init__(self, repo: git.Repo, commit: git.Commit, prefix: str = "",
                 known: Container[str] = ()) -> None:
        """``known``: cache keys the caller already has parsed; those blobs are not read."""
        self.repo = repo
        self.commit = commit
        self.prefix = prefix.strip("/")
        self._blobs = self._list_tree()
        self._known = known
        self._data: dict[str, bytes] = {}

    def _list_tree(self) -> dict[str, str]:
        args = ["-r", "-z", "--full-tree", self.commit.hexsha]
        if self.prefix:
            args += ["--", self.prefix + "/"]
        out = self.repo.git.ls_tree(*args)
        blobs: dict[str, str] = {}
        cut = len(self.prefix) + 1 if self.prefix else 0
        for entry in out.split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            _mode, kind, sha = meta.split()
            rel = path[cut:]
            if kind == "blob" and is_input(rel):
                blobs[rel] = sha
        return blobs

    def has(self, path: str) -> bool:
        return path in self._blobs

    def list(self) -> list[str]:
        wanted = [p for p in self._blobs if cache_key(self._blobs[p], p) not in self._known]
        self._prefetch(wanted)
        return sorted(self._blobs)

    def read(self, path: str) -> bytes:
        sha = self._blobs[path]
        data = self._data.pop(sha, None)
        if data is None:
            data = self.repo.odb.stream(bytes.fromhex(sha)).read()
        return data

    def _prefetch(self, paths: Iterable[str]) -> None:
        """Read the blobs of ``paths`` with one ``git cat-file --batch`` run.

        One process streaming every blob is several times faster than a
        request per file when a whole revision has to be read.
        """
        shas = sorted({self._blobs[p] for p in paths})
        if len(shas) < 2:
            return
        done = subprocess.run(
            ["git", "--git-dir", str(self.repo.git_dir), "cat-file", "--batch"],
            input="".join(f"{sha}\n" for sha in shas).encode(), capture_output=True, check=True,
        )
        out, pos = done.stdout, 0
        for sha in shas:
            eol = out.index(b"\n", pos)
            size = int(out[pos:eol].split()[2])
            self._data[sha] = out[eol + 1:eol + 1 + size]
            pos = eol + 1 + size + 1  # the content is followed by a newline

    def blob_id(self, path: str) -> str | None:
        sha = self._blobs.get(path)
        return cache_key(sha, path) if sha else None

    def blob_ids(self) -> dict[str, str]:
        """Every listed file's blob id, by path."""
        return dict(self._blobs)


class WorktreeSource(DirSource):
    """The academy folder on disk, with git blob ids so unchanged files hit the cache.

    Hashing means reading each file; a file that then misses the cache is
    read again, from the operating system's page cache, which costs little.
    From then on, its blob id is that of the bytes read to parse it: a file
    saved again in between is not cached under the id of other bytes, and is
    seen as changed by the next check. :meth:`digests` gives the SHA-256 of
    the bytes of each file the check used, for the build's keys.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._ids: dict[str, str] = {}
        self._digests: dict[str, str] = {}
        self._parsed: set[str] = set()  # read to be parsed: the ids are of those bytes

    def read(self, path: str) -> bytes:
        data = super().read(path)
        self._note(path, data)
        self._parsed.add(path)
        return data

    def blob_id(self, path: str) -> str | None:
        if path not in self._parsed:
            try:
                data = super().read(path)
            except OSError:
                return None
            self._note(path, data)
        return cache_key(self._ids[path], path)

    def _note(self, path: str, data: bytes) -> None:
        self._ids[path] = blob_sha(data)
        self._digests[path] = hashlib.sha256(data).hexdigest()

    def blob_ids(self) -> dict[str, str]:
        """The blob ids of the files hashed so far (all the loader read), by path."""
        return dict(self._ids)

    def digests(self) -> dict[str, str]:
        """The SHA-256 of each file the loader used, of the very bytes it used, by path."""
        return dict(self._digests)
