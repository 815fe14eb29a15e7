"""One side of a comparison: a revision of the academy read from git (or the working
tree), checked, with the blob ids of its files; and the two revisions a diff compares.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import git

from trainkit import rules
from trainkit.diagnostics import Diagnostic
from trainkit.history.scope import restrict, scope
from trainkit.load.gitsource import GitSource, WorktreeSource
from trainkit.load.loader import ParseCache
from trainkit.model import Academy
from trainkit.pipeline import Result, check_source


@dataclass
class Side:
    label: str  # what the reader sees: "main (1a2b3c4)", "working tree"
    commit: str | None
    result: Result | None
    blobs: dict[str, str] = field(default_factory=dict)  # path -> git blob id


def rule_problems(old: Academy | None, new: Academy | None,
                  files: set[str]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The cross-file rules' problems of both sides, run only where the change can matter."""
    if new is None:
        return [], []
    if old is None:
        return [], rules.run(new)
    cohorts = scope(old, new, files)
    if cohorts is None:
        return rules.run(old), rules.run(new)
    return rules.run(restrict(old, cohorts)), rules.run(restrict(new, cohorts))


def revisions(repo: git.Repo, base: str | None,
               head: str | None) -> tuple[git.Commit | None, git.Commit | None, str]:
    """The two commits (``None`` head: the working tree; ``None`` base: nothing).

    The third value names the default branch the base was derived from.
    """
    head_commit = _commit(repo, head) if head else None
    if base:
        return _commit(repo, base), head_commit, ""
    tip = head_commit or _head_or_none(repo)
    if tip is None:
        return None, head_commit, "the default branch"
    for name in _default_branches(repo):
        try:
            branch = repo.commit(name)
        except (git.BadName, ValueError):
            continue
        found = repo.merge_base(branch, tip)
        return (found[0] if found else None), head_commit, name.removeprefix("refs/remotes/")
    return None, head_commit, "the default branch"


def _commit(repo: git.Repo, rev: str) -> git.Commit:
    try:
        return repo.commit(rev)
    except (git.BadName, ValueError) as exc:
        hint = "a branch, tag or commit; 'git log --oneline' lists commits"
        if (Path(str(repo.git_dir)) / "shallow").exists():
            hint = ("this is a shallow clone, which may not have it: fetch the whole history, "
                    "e.g. 'git fetch --unshallow' or fetch-depth: 0 in CI")
        raise ValueError(f"{rev!r} is not a revision of this repository ({hint})") from exc


def _head_or_none(repo: git.Repo) -> git.Commit | None:
    try:
        return repo.head.commit
    except ValueError:  # a repository without commits
        return None


def _default_branches(repo: git.Repo) -> list[str]:
    out = []
    with contextlib.suppress(git.GitCommandError):
        out.append(repo.git.symbolic_ref("-q", "refs/remotes/origin/HEAD").strip())
    return [*out, "main", "master", "origin/main", "origin/master"]


def load_revision(repo: git.Repo, commit: git.Commit | None, prefix: str, root: Path,
          cache: ParseCache, name: str) -> Side:
    if commit is None and name:  # no base at all: a new repository
        label = "nothing (no common ancestor with the default branch)"
        if _head_or_none(repo) is None:
            label = "nothing (no commits yet)"
        elif (Path(str(repo.git_dir)) / "shallow").exists():
            label = ("nothing (this is a shallow clone: fetch the whole history, e.g. "
                     "fetch-depth: 0, to compare with the default branch)")
        return Side(label, None, None)
    if commit is None:
        worktree = WorktreeSource(root)
        result = check_source(worktree, str(root), cache=cache, select=_no_rules)
        return Side("working tree", None, result, worktree.blob_ids())
    source = GitSource(repo, commit, prefix, known=cache)
    short = commit.hexsha[:7]
    label = short if not name or commit.hexsha.startswith(name) else f"{name} ({short})"
    if not source.has("trainkit.yaml"):
        return Side(f"{label}, which has no academy", commit.hexsha, None)
    result = check_source(source, str(root), cache=cache, select=_no_rules)
    return Side(label, commit.hexsha, result, source.blob_ids())


def _no_rules(name: str) -> bool:
    # Rules run later, on both sides at once, limited to what the change touches.
    return False
