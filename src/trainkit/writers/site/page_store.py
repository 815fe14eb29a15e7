"""The entries of the page cache hook (``pages_hook.py``): sealed files in one folder.

Copied into the generated project as ``hooks/trainkit_page_store.py``, beside the hook, which
imports it: MkDocs puts a hook's folder on the module path while it loads the hook, so the
project still builds with a plain ``mkdocs build`` (where the hook does nothing).

An entry is a file named by its key and kind (``KEY.json``, ``KEY.html``, ``KEY-content.html``,
``PREFIX-KEY.jinja``): the HMAC of its body with the user's own key (``STATE["seal"]``) on its
first line, the body after it. An entry that cannot be read, or whose seal does not match (cut
short, edited, or put into the cache folder by anyone else), is a miss. In a process that builds
again (``trainkit serve``), ``STATE["kept"]`` keeps the bodies in memory from one build to the
next (``get`` one by name, ``put`` one read or written); each is read and checked once.

``STATE`` is the hook's state for one build (``pages_hook.on_config`` fills it, and clears it
when the build ends): empty, nothing is cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

CONTENT = "-content.html"  # the name's end of a page's HTML content, beside its entry
STATE: dict[str, Any] = {}


class Warnings(logging.Handler):
    """Counts MkDocs' warnings: a page that warned is not cached, so it warns again."""

    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


WARNINGS = Warnings(logging.WARNING)


def digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def load(key: str) -> Any:
    """The JSON entry ``key``, or None."""
    body = read(f"{key}.json")
    with contextlib.suppress(ValueError):
        return None if body is None else json.loads(body)
    return None


def read(name: str) -> bytes | None:
    """The body of entry ``name`` (marked used), or None when missing or its seal is wrong."""
    STATE["used"].add(name)
    kept = STATE["kept"]
    if kept is not None and (found := kept.get(name)) is not None:
        return found  # type: ignore[no-any-return]
    try:
        data: bytes = (STATE["dir"] / name).read_bytes()
    except OSError:
        return None
    body = body_of(data, STATE["seal"])
    if body is not None and kept is not None:
        kept.put(name, body)
    return body


def body_of(data: bytes, seal: bytes) -> bytes | None:
    """The body of an entry file that holds ``data``; None when its seal is not ``seal``'s."""
    checksum, _, body = data.partition(b"\n")
    return body if hmac.compare_digest(_seal(body, seal), checksum) else None


def _seal(body: bytes, seal: bytes) -> bytes:
    return hmac.digest(seal, body, "sha256").hex().encode()


def stored(key: str) -> bool:
    """Whether the JSON entry ``key`` exists (it may still prove damaged when read)."""
    name, kept = f"{key}.json", STATE["kept"]
    return kept is not None and kept.get(name) is not None or (STATE["dir"] / name).is_file()


def save(key: str, warned: int, data: Any) -> None:
    """Store ``data`` under ``key``, unless MkDocs warned since the count was ``warned``."""
    if WARNINGS.count != warned:
        return
    try:
        body = json.dumps(data, separators=(",", ":"))  # key order kept: the index keeps it
    except (TypeError, ValueError):  # something only MkDocs can hold: not cached
        return
    write(f"{key}.json", body.encode())


def write(name: str, body: bytes) -> None:
    """Store ``body`` as entry ``name`` (marked used), in one rename."""
    folder = STATE["dir"]
    STATE["used"].add(name)
    if STATE["kept"] is not None:
        STATE["kept"].put(name, body)
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(prefix=".page-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_seal(body, STATE["seal"]) + b"\n" + body)
        os.replace(tmp, folder / name)


def template_prefix() -> str:
    """The start of the names of the project's compiled templates (``Templates``)."""
    return f"{STATE['base'][:32]}-"


def sweep() -> None:
    """Remove the entries this build did not use, except the project's compiled templates."""
    used, folder = STATE["used"], STATE["dir"]
    for name in os.listdir(folder):
        if name in used or name.endswith(".jinja") and name.startswith(template_prefix()):
            continue
        if name.endswith((".json", ".html", ".jinja")):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


class Templates(BytecodeCache):
    """Compiled theme templates, keyed by name and the project but its pages (``sweep``)."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{template_prefix()}{digest('template', STATE['base'], name)[:32]}"

    def load_bytecode(self, bucket: Bucket) -> None:
        body = read(f"{bucket.key}.jinja")
        if body is not None:
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: Bucket) -> None:
        write(f"{bucket.key}.jinja", bucket.bytecode_to_string())
