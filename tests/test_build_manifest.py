"""The build manifest keeps every output file's stat exactly, and refuses what it did not write."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainkit.load import usercache
from trainkit.writers import buildcache
from trainkit.writers.buildcache import Manifest, Part
from trainkit.writers.settle import FOLDER


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    usercache.local_key.cache_clear()
    yield
    usercache.local_key.cache_clear()


def _manifest() -> Manifest:
    public = {"index.html": (5120, 1_772_323_200_123_456_789, 2**64 - 1),  # largest inode
              "calendars": FOLDER, "calendars/p": FOLDER,
              "calendars/p/a.ics": (0, -86_400_000_000_000, 12),  # before 1970
              "ünïcode päge/index.html": (7, 1, 2**63)}
    private = {"index.html": (1, 2, 3)}
    parts = {"site": Part("k1", ["index.html", "calendars"], [], ["a note"], [],
                          {"site/index.html": "ab" * 32})}
    return Manifest(parts, public, private)


def test_every_stat_comes_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "build-x.bin"
    buildcache.save(path, _manifest())
    back = buildcache.load(path)
    assert back is not None
    assert back.public == _manifest().public and back.private == _manifest().private
    assert all(type(n) is int for st in back.public.values() for n in st)
    assert back.parts["site"] == _manifest().parts["site"]
    empty = Manifest({}, {}, {})
    buildcache.save(path, empty)
    assert buildcache.load(path) == empty


def _resealed(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite the manifest at ``path`` with ``change`` made to its data, sealed again (as
    only this user's own trainkit could): the shape is checked after the seal."""
    body = path.read_bytes().partition(b"\n")[2]
    data = marshal.loads(body)
    change(data)
    body = marshal.dumps(data)
    path.write_bytes(usercache.seal(body).encode("ascii") + b"\n" + body)


@pytest.mark.parametrize("change", [
    lambda d: d["public"].__setitem__("index.html", [1, "2", 3]),  # a time that is text
    lambda d: d["public"].__setitem__("index.html", [1, 2]),  # a number missing
    lambda d: d["parts"]["site"]["units"].__setitem__("site/index.html", 7),  # a digest
    lambda d: d["parts"]["site"].__setitem__("public", "index.html"),  # not a list
    lambda d: d.__setitem__("format", "trainkit-build-cache/0"),  # another trainkit's
], ids=["text-time", "short-stat", "digest", "files", "format"])
def test_a_manifest_of_another_shape_is_not_used(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "build-x.bin"
    buildcache.save(path, _manifest())
    assert buildcache.load(path) is not None
    _resealed(path, change)
    assert buildcache.load(path) is None
