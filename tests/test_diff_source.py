"""Git sources for ``trainkit diff``: blob ids, the parse cache, and sources without an academy."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git

from test_diff import FA9, Repo
from trainkit.load.gitsource import GitSource, WorktreeSource, blob_sha, is_input
from trainkit.load.loader import ParseCache
from trainkit.load.sources import DirSource
from trainkit.pipeline import check_source


def test_blob_ids_match_git_hash_object(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "a")
    expected = repo.git("hash-object", FA9).strip()
    assert blob_sha((repo.root / FA9).read_bytes()) == expected
    source = GitSource(git.Repo(repo.root), git.Repo(repo.root).head.commit)
    assert source.blob_id(FA9) == WorktreeSource(repo.root).blob_id(FA9)
    assert source.blob_id(FA9).startswith(expected + ":")  # type: ignore[union-attr]


def test_lists_the_same_files_as_the_folder(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "a")
    (repo.root / "notes.yaml").write_text("not an input\n")
    repo.commit("a stray file at the top")
    source = GitSource(git.Repo(repo.root), git.Repo(repo.root).head.commit)
    assert source.list() == DirSource(repo.root).list()
    assert source.read(FA9) == (repo.root / FA9).read_bytes()
    assert not is_input("notes.yaml") and is_input("people/learners/x/y.yaml")
    assert not is_input("programs/.hidden/program.yaml")


def test_unchanged_files_of_the_working_tree_are_parsed_once(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "a")
    repo.edit(FA9, "room: quay", "room: dock")
    cache: ParseCache = {}
    handle = git.Repo(repo.root)
    base = check_source(GitSource(handle, handle.head.commit, known=cache), str(repo.root),
                        cache=cache)
    parsed_once = len(cache)
    head = check_source(WorktreeSource(repo.root), str(repo.root), cache=cache)
    assert len(cache) == parsed_once + 1  # only the edited cohort was parsed again
    assert base.academy is not None and head.academy is not None
    assert head.academy.cohorts["fa-2026-09"].room == "dock"
    assert base.academy.cohorts["fa-2026-09"].room == "quay"


def test_a_revision_without_an_academy_means_everything_is_added(tmp_path: Path, capsys) -> None:
    from test_diff import changes

    repo = Repo(tmp_path / "a", commit=False)
    (repo.root / "README.md").write_text("an empty start\n")
    subprocess.run(["git", "add", "README.md"], cwd=repo.root, check=True)
    repo.git("commit", "-q", "-m", "readme only")
    first = repo.git("rev-parse", "HEAD").strip()
    data = changes(repo, capsys, first)
    assert data["base"]["label"].endswith("which has no academy")
    assert len([c for c in data["changes"] if c["kind"] == "cohort-added"]) == 3
