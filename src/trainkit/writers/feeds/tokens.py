"""Personal feed tokens kept in the build cache: 100,000 keyed hashes computed once.

A person's feed token (:func:`trainkit.writers.feeds.personal.feed_token`)
is a keyed hash (HMAC-SHA256) of their id with the feed secret. At 100,000
learners computing them costs about 0.3 CPU s, and two writers need them:
the feeds writer (the feed's file name) and the learner pages writer (the
page beside it). So the feeds writer keeps the tokens of its build in one
file of the build cache:

* the file is named by a digest of the secret: with another secret there is
  no file, and every token is computed again (the file of the other secret
  is removed when the new one is written);
* it carries the seal of its contents with this user's key
  (:func:`trainkit.load.usercache.seal`): a file cut short, edited by hand
  or written by anyone else (one a pull request adds to the academy) is
  ignored whole, and every token is computed;
* it holds the tokens used by the last build, written whole (a temporary
  file renamed into place) and only when they changed; the learner pages
  writer reads it and never writes it.

The addresses it holds are the ones the build's own outputs (and the build
cache's manifest) hold already, in the same private, git-ignored folder.
Without the build cache (``--no-cache``, tests) every token is computed.
"""

from __future__ import annotations

import contextlib
import hmac
import marshal
from pathlib import Path

from trainkit.load import usercache
from trainkit.writers.feeds.personal import feed_token

FOLDER = "feeds"
MAGIC = b"trainkit feed tokens 1"


def store_path(cache: Path | None, secret: bytes) -> Path | None:
    """The token file of ``secret`` in the build cache ``cache``."""
    if cache is None:
        return None
    tag = hmac.digest(secret, b"trainkit feed token file", "sha256").hex()[:16]
    return cache / FOLDER / f"tokens-{tag}.bin"


class Tokens:
    """Feed tokens: as kept by the last build, or computed now."""

    def __init__(self, cache: Path | None, secret: bytes) -> None:
        self.secret = secret
        self.path = store_path(cache, secret)
        self.known = _load(self.path) if self.path is not None else {}
        self.used: dict[str, str] = {}
        self.made = 0  # tokens computed in this build (not found in the file)

    def __call__(self, kind: str, person: str) -> str:
        key = f"{kind}:{person}"
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = feed_token(self.secret, kind, person)
            self.made += 1
        self.used[key] = found
        return found

    def save(self) -> None:
        """Keep this build's tokens, when they are not exactly those kept already."""
        if self.path is None or (not self.made and len(self.used) == len(self.known)):
            return
        body = marshal.dumps(self.used)
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            usercache.write_whole(self.path, MAGIC + b"\n" + usercache.seal(body).encode()
                                  + b"\n" + body)
            for other in self.path.parent.glob("tokens-*.bin"):
                if other != self.path:
                    other.unlink(missing_ok=True)


def _load(path: Path) -> dict[str, str]:
    try:
        magic, _, rest = path.read_bytes().partition(b"\n")
    except OSError:
        return {}
    mark, _, body = rest.partition(b"\n")
    if magic != MAGIC or not usercache.sealed(body, mark):
        return {}
    try:
        found = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    if type(found) is not dict or not all(
            type(k) is str and type(v) is str for k, v in found.items()):
        return {}
    return found
