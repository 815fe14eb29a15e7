"""Parsed input files kept between builds: the same academy, problems and output, faster."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from test_site_support import EPOCH_MARCH, copy_demo, source_date_epoch
from trainkit.load import usercache
from trainkit.load.gitsource import WorktreeSource
from trainkit.load.parsecache import StoredParses
from trainkit.pipeline import check_dir, check_source
from trainkit.writers.build import BuildOptions, run_build


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _entries(home: Path) -> list[Path]:
    return sorted((home / "trainkit" / "parsed").rglob("*.pickle"))


def _texts(result: object) -> list[str]:
    return [d.text() for d in result.diagnostics]  # type: ignore[attr-defined]


def _broken(root: Path) -> None:
    """An academy with a schema error, an unknown reference and a YAML syntax error."""
    cohort = sorted((root / "programs").glob("*/cohorts/*.yaml"))[0]
    with cohort.open("a", encoding="utf-8") as fh:
        fh.write("seats_left: many\n")
    (root / "people/instructors/broken.yaml").write_text("id: broken\nname: [unclosed\n",
                                                        encoding="utf-8")


def test_a_cached_load_is_the_same_academy_and_the_same_problems(
        tmp_path: Path, cache_home: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    _broken(root)
    plain = check_dir(root)
    first = check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    stored = _entries(cache_home)
    assert stored, "nothing was kept"
    again = check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    assert _texts(plain) == _texts(first) == _texts(again)
    assert any("broken.yaml" in t for t in _texts(again))
    assert any("seats_left" in t for t in _texts(again))
    assert plain.academy == again.academy
    assert _entries(cache_home) == stored  # nothing new: every file came from the cache


def test_a_changed_file_is_parsed_again(tmp_path: Path, cache_home: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    before = set(_entries(cache_home))
    _broken(root)
    result = check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    assert _texts(result) == _texts(check_dir(root))
    assert len(set(_entries(cache_home)) - before) == 2  # the edited cohort and the new file


@pytest.mark.parametrize("damage", ["cut", "flip", "not a document"])
def test_a_damaged_entry_is_parsed_again(tmp_path: Path, cache_home: Path, damage: str) -> None:
    root = copy_demo(tmp_path / "academy")
    check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    import pickle

    for entry in _entries(cache_home):
        data = entry.read_bytes()
        if damage == "cut":
            entry.write_bytes(data[:-5])
        elif damage == "flip":
            entry.write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
        else:
            body = pickle.dumps({"a": "dict"})
            entry.write_bytes(hashlib.sha256(body).digest() + body)
    result = check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    plain = check_dir(root)
    assert _texts(result) == _texts(plain)
    assert result.academy == plain.academy


def test_a_folder_others_can_write_to_is_not_used(tmp_path: Path, cache_home: Path) -> None:
    folder = cache_home / "trainkit" / "parsed"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert usercache.private_folder("parsed") is None
    assert StoredParses.for_user().folder is None
    root = copy_demo(tmp_path / "academy")
    result = check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    assert not result.errors and not _entries(cache_home)


def test_the_cache_is_new_for_another_trainkit(tmp_path: Path, cache_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    before = set(_entries(cache_home))
    monkeypatch.setattr("trainkit.load.parsecache.toolchain", lambda: "another trainkit")
    check_source(WorktreeSource(root), str(root), cache=StoredParses.for_user())
    after = set(_entries(cache_home))
    assert before < after and len(after) == 2 * len(before)


def test_builds_with_the_parse_cache_write_what_builds_without_it(
        tmp_path: Path, cache_home: Path) -> None:
    root = copy_demo(tmp_path / "academy")

    def build(out: Path, cache: bool) -> dict[str, str]:
        with source_date_epoch(EPOCH_MARCH):
            result, _ = run_build(root, BuildOptions(site_dir=out / "site",
                                                     reports_dir=out / "reports",
                                                     secret=b"s", cache=cache, jobs=1))
        assert not result.errors
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*")) if p.is_file()}

    cached = build(tmp_path / "a", True)
    assert _entries(cache_home)
    stamp = max(os.stat(p).st_mtime_ns for p in _entries(cache_home))
    again = build(tmp_path / "b", True)  # every file from the cache
    assert max(os.stat(p).st_mtime_ns for p in _entries(cache_home)) >= stamp
    assert cached == again == build(tmp_path / "c", False)


def test_the_users_key_is_private_and_stable(cache_home: Path) -> None:
    usercache.local_key.cache_clear()
    try:
        key = usercache.local_key()
        assert key is not None and len(key) == 32
        path = cache_home / "trainkit" / "key" / "local"
        assert path.stat().st_mode & 0o777 == 0o600
        usercache.local_key.cache_clear()
        assert usercache.local_key() == key
        body = b"what a cache keeps"
        assert usercache.sealed(body, usercache.seal(body))
        assert not usercache.sealed(body, hashlib.sha256(body).hexdigest())
        assert not usercache.sealed(body + b"!", usercache.seal(body))
        path.chmod(0o644)  # readable by others: not a secret any more, not used
        usercache.local_key.cache_clear()
        assert usercache.local_key() is None
        assert usercache.seal(body) == "" and not usercache.sealed(body, "")
    finally:
        usercache.local_key.cache_clear()


def test_trainkit_check_keeps_parses_and_reports_the_same(
        tmp_path: Path, cache_home: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``trainkit check`` shares the build's parse cache (the pre-commit hook parses only
    changed files), says the same either way, and ``--no-cache`` keeps nothing."""
    from trainkit.cli import main

    root = copy_demo(tmp_path / "academy")
    _broken(root)
    argv = ["check", "--root", str(root), "--format", "json"]
    assert main([*argv, "--no-cache"]) == 1
    plain = capsys.readouterr().out
    assert not _entries(cache_home), "--no-cache kept parsed files"
    assert main(argv) == 1
    first = capsys.readouterr().out
    stored = _entries(cache_home)
    assert stored, "trainkit check kept nothing"
    from trainkit.load import loader

    parsed: list[str] = []
    real = loader.load_yaml

    def counted(path: str, *args: object) -> object:
        parsed.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_yaml", counted)
    assert main(argv) == 1
    again = capsys.readouterr().out
    assert plain == first == again and "broken.yaml" in again and "seats_left" in again
    assert parsed == [] and _entries(cache_home) == stored  # every file came from the cache
    (root / "people/instructors/broken.yaml").write_text("id: broken\nname: [still\n",
                                                        encoding="utf-8")
    assert main(argv) == 1
    assert parsed == ["people/instructors/broken.yaml"]
    assert "broken.yaml" in capsys.readouterr().out
    # the academy folder is only read: nothing was added to it
    assert not list(root.rglob(".trainkit-cache"))
