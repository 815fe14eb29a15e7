"""Personal feed tokens kept in the build cache (:mod:`trainkit.writers.feeds.tokens`):
computed once, never trusted when the file is not this user's own, and a new secret's
tokens never mixed with the old ones."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from test_build_incremental import SECRET, _build, _tree
from test_site_support import copy_demo
from trainkit.writers import buildcache
from trainkit.writers.feeds import personal, tokens


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = personal.feed_token

    def counted(secret: bytes, kind: str, person: str) -> str:
        made.append(f"{kind}:{person}")
        return real(secret, kind, person)

    monkeypatch.setattr(tokens, "feed_token", counted)
    return made


def _file(academy: Path, secret: bytes = SECRET) -> Path:
    found = tokens.store_path(academy / buildcache.CACHE_DIR, secret)
    assert found is not None
    return found


def test_tokens_are_computed_once_and_kept(academy: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    made = _counted(monkeypatch)
    _build(academy, tmp_path / "out", jobs=1)
    people = set(made)
    assert any(p.startswith("learner:") for p in people)
    assert any(p.startswith("instructor:") for p in people)
    assert _file(academy).is_file()
    made.clear()
    _build(academy, tmp_path / "out", jobs=1, cache=True)  # nothing changed: nothing ran
    (academy / "people" / "learners").joinpath("extra.yaml").write_text(
        "version: 1\nlearners:\n  - id: l-9999\n    name: Ada Extra\n    email: ada@example.org\n",
        encoding="utf-8")
    _build(academy, tmp_path / "out", jobs=1)
    assert made == ["learner:l-9999"]  # only the new learner's
    _build(academy, tmp_path / "scratch", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(tmp_path / "out" / kind) == _tree(tmp_path / "scratch" / kind)


def test_a_token_file_that_is_not_this_users_own_is_ignored(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(academy, tmp_path / "out", jobs=1)
    path = _file(academy)
    magic, mark, body = path.read_bytes().split(b"\n", 2)
    kept = marshal.loads(body)
    a, b = sorted(k for k in kept if k.startswith("learner:"))[:2]
    kept[a], kept[b] = kept[b], kept[a]  # two learners' addresses swapped, seal not redone
    path.write_bytes(magic + b"\n" + mark + b"\n" + marshal.dumps(kept))
    made = _counted(monkeypatch)
    _build(academy, tmp_path / "other", jobs=1)  # other folders: every writer runs
    assert a in made and b in made  # computed again, not read from the file
    _build(academy, tmp_path / "scratch", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(tmp_path / "other" / kind) == _tree(tmp_path / "scratch" / kind)


def test_another_secret_gets_its_own_file(academy: Path, tmp_path: Path) -> None:
    _build(academy, tmp_path / "out", jobs=1)
    first = _file(academy)
    _build(academy, tmp_path / "out", jobs=1, secret=b"another secret entirely")
    second = _file(academy, b"another secret entirely")
    assert second.is_file() and second != first and not first.exists()
    assert SECRET.hex() not in second.read_bytes().hex()
