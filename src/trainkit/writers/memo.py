"""Text made by a pure, costly function, kept in the build cache by what it was made from.

A chart of a program's completion rates is the same SVG as long as its
labels, numbers and titles are the same; drawing it with matplotlib costs
about a tenth of a second. Inside :func:`kept_in` (the build sets it to the
build cache, ``.trainkit-cache/``), a function wrapped with :func:`remembered`
looks for the text it made from the same arguments before it works:

* the key is a SHA-256 of the function's name, its arguments spelled out as
  the per-file keys spell page values (:func:`trainkit.writers.spelling.spelled`:
  lists, mappings in their order, strings, numbers, a ``Markup`` as such)
  and a salt the caller gives (trainkit's own digest and its packages'
  versions: a new trainkit or matplotlib draws again);
* an entry is written whole (a temporary file renamed into place) and holds
  the seal of its text with this user's key (:func:`trainkit.load.usercache.seal`),
  so an entry cut short, changed by hand or put there by anyone else (a pull
  request adding files to the academy) is drawn again and replaced, never used;
* arguments that cannot be spelled out (any other object) are not keyed: the
  function just runs;
* entries not used for :data:`KEEP_DAYS` days are removed by :func:`prune`.

Outside :func:`kept_in` (tests, ``--no-cache``) the functions just run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from trainkit.load import usercache
from trainkit.writers.spelling import Opaque, spelled

KEEP_DAYS = 30
_FOLDER: ContextVar[tuple[Path, str] | None] = ContextVar("trainkit_memo", default=None)
F = TypeVar("F", bound=Callable[..., str])


def memo_folder(cache: Path | None) -> Path | None:
    """Where a build with the build cache ``cache`` keeps remembered text."""
    return None if cache is None else cache / "memo"


@contextmanager
def kept_in(folder: Path | None, salt: Callable[[], str]) -> Iterator[None]:
    """Remember results in ``folder`` (None: don't) while the block runs."""
    token = _FOLDER.set(None if folder is None else (folder, salt()))
    try:
        yield
    finally:
        _FOLDER.reset(token)


def remembered(fn: F) -> F:
    """``fn``, looking first for what it made from the same arguments."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        where = _FOLDER.get()
        if where is None:
            return fn(*args, **kwargs)
        folder, salt = where
        try:
            made_of = spelled((fn.__module__, fn.__qualname__, args, sorted(kwargs.items())))
        except Opaque:
            return fn(*args, **kwargs)
        key = hashlib.sha256(salt.encode() + b"\n" + made_of).hexdigest()
        return recall(folder, key, lambda: fn(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


class Memory:
    """Entries of a cache folder kept in memory by a process that builds again soon
    after (the live preview): those the last build read or made, and the current
    build's. Each is the entry's checked body, under a key that determines it."""

    def __init__(self) -> None:
        self.last: dict[str, Any] = {}
        self.now: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        found = self.now.get(key)
        if found is None:
            found = self.last.get(key)
            if found is not None:
                self.now[key] = found
        return found

    def put(self, key: str, body: Any) -> None:
        self.now[key] = body

    def had(self, key: str, body: Any) -> None:
        """Keep ``body``, read back from its file, as if the last build had used it."""
        self.last.setdefault(key, body)

    def turn(self) -> None:
        """A build is done: what it did not use goes at the end of the next one."""
        self.last, self.now = self.now, {}


def recall(folder: Path, key: str, make: Callable[[], str], memory: Memory | None = None
           ) -> str:
    """The text kept in ``folder`` under ``key`` (a hex digest that determines it);
    else ``make()``, kept there for the next build (and in ``memory``)."""
    found = memory.get(key) if memory is not None else None
    if found is not None:
        return found  # type: ignore[no-any-return]
    path = folder / key[:2] / f"{key}.txt"
    found = _read(path)
    if found is None:
        found = make()
        _write(path, found)
    if memory is not None:
        memory.put(key, found)
    return found


def _read(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if not usercache.sealed(body, head):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used: kept by prune
    return body.decode("utf-8")


def _write(path: Path, text: str) -> None:
    """Store ``text`` whole or not at all; a cache that cannot be written is no error."""
    body = text.encode("utf-8")
    with contextlib.suppress(OSError):
        usercache.write_whole(path, usercache.seal(body).encode("ascii") + b"\n" + body)


def prune(folder: Path, *, now: float | None = None) -> int:
    """Remove entries not used for :data:`KEEP_DAYS` days (and stray temporary files)."""
    return usercache.prune(folder, KEEP_DAYS, now=now)
