"""What the working tree does to published calendars, compared with the last commit.

``trainkit check`` runs before a change is committed (in the editor, in
pre-commit, in CI on a pull request). Three edits change what subscribers'
calendars hold in ways the YAML alone does not show, so they are reported
as warnings (codes not tied to a rule module, since they need git):

* **cohort-renamed**: a cohort file has a new name. The cohort id, its feed
  address and its events' ids come from the file name. Once the rename is
  committed as one (``git mv``, or any rename git detects), the build keeps
  the old feed address alive with the cohort's events and the new address
  in its description; subscribers should still be told the new one.
* **cohort-removed**: a cohort file was deleted. Its sessions stay in the
  feeds as cancelled ("removed from the schedule") for 90 days; to tell
  people why, keep the file and set ``status: cancelled`` with a ``reason``.
* **session-removed**: a session was removed from its cohort file. It stays
  in the feeds as cancelled for 90 days; prefer ``status: cancelled`` with a
  ``reason``.

Only cohort files whose bytes differ from the last commit are read again, so
this costs one ``git ls-tree`` and hashing the cohort files.
"""

from __future__ import annotations

import os
from pathlib import Path

from trainkit.diagnostics import Diagnostic, warning
from trainkit.history.sequence import KEEP_REMOVED, _parse_cohort, _repo, git_blob_id
from trainkit.load.loader import kind_of
from trainkit.model import Academy, Cohort
from trainkit.writers.feedlinks import cohort_feed_path

DAYS = KEEP_REMOVED.days


def calendar_warnings(root: Path, academy: Academy) -> list[Diagnostic]:
    """Renamed or deleted cohort files and removed sessions since the last commit."""
    repo = _repo(root)
    if repo is None:
        return []
    import git

    try:
        return _compare(root, academy, _head_cohorts(repo, root), repo)
    except git.exc.GitError:
        return []
    finally:
        repo.close()  # type: ignore[attr-defined]


class _Reader:
    def __init__(self, repo: object, academy: Academy) -> None:
        self.odb = repo.odb  # type: ignore[attr-defined]
        self.academy = academy

    def cohort(self, path: str, blob: str) -> Cohort | None:
        try:
            return _parse_cohort(self.academy, path, self.odb.stream(bytes.fromhex(blob)).read())
        except Exception:  # a broken committed file: nothing to compare with
            return None


def _head_cohorts(repo: object, root: Path) -> dict[str, str]:
    """Cohort file path (relative to the academy) -> blob id, in HEAD."""
    top = Path(repo.working_tree_dir).resolve()  # type: ignore[attr-defined]
    rel = os.path.relpath(Path(root).resolve(), top)
    prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    out = repo.git.ls_tree("-r", "-z", "HEAD", "--", f"{prefix}programs")  # type: ignore[attr-defined]
    head = {}
    for entry in out.split("\0"):
        meta, _, path = entry.partition("\t")
        local = path[len(prefix):]
        if path and kind_of(local) == "cohort":
            head[local] = meta.split()[2]
    return head


def _compare(root: Path, academy: Academy, head: dict[str, str],
             repo: object) -> list[Diagnostic]:
    reader = _Reader(repo, academy)
    current = {c.loc.path: c for c in academy.cohorts.values()}
    blobs = {path: _blob(root / path) for path in current}
    out: list[Diagnostic] = []
    added = [p for p in current if p not in head]
    for path in sorted(head.keys() - current.keys()):
        old = reader.cohort(path, head[path])
        if old is None:
            continue
        twin = next((p for p in added if blobs[p] == head[path]
                     or _plan(current[p]) == _plan(old)), None)
        if twin is not None:
            added.remove(twin)
            out.append(_renamed(old, current[twin]))
        else:
            out.append(warning(path, 1, 1, "cohort-removed", _removed_text(old)))
    for path, cohort in sorted(current.items()):
        if path in head and blobs[path] != head[path]:
            old = reader.cohort(path, head[path])
            if old is not None:
                out += _sessions_removed(old, cohort)
    return out


def _blob(path: Path) -> str:
    try:
        return git_blob_id(path.read_bytes())
    except OSError:
        return ""


def _plan(cohort: Cohort) -> tuple[tuple[str, float, float], ...]:
    return tuple(sorted((s.id, s.start.timestamp(), s.end.timestamp()) for s in cohort.sessions))


def _renamed(old: Cohort, new: Cohort) -> Diagnostic:
    return warning(
        new.loc.path, 1, 1, "cohort-renamed",
        f"cohort file {old.loc.path} is renamed to {new.loc.path}: the cohort's id, its feed "
        f"address and its events' ids change with the name. Commit it as a rename (git mv) so "
        f"the build keeps {cohort_feed_path(old.id)} alive with the cohort's events, and tell "
        f"subscribers the new address {cohort_feed_path(new.id)}; or keep the old name")


def _removed_text(old: Cohort) -> str:
    live = [s for s in old.sessions if not s.cancelled]
    return (f"cohort file {old.loc.path} is deleted: calendars that hold its {len(live)} "
            f"scheduled session(s) will show them cancelled, 'removed from the schedule', for "
            f"{DAYS} days; to tell people why, keep the file and set 'status: cancelled' with a "
            "'reason'")


def _sessions_removed(old: Cohort, new: Cohort) -> list[Diagnostic]:
    kept = {s.id for s in new.sessions}
    out = []
    for s in old.sessions:
        if s.id in kept or s.cancelled:
            continue
        out.append(warning(
            new.loc.path, 1, 1, "session-removed",
            f"session {s.id} ({s.start:%Y-%m-%d %H:%M} {s.timezone}) is removed from cohort "
            f"{new.id!r}: calendars that hold it will show it cancelled, 'removed from the "
            f"schedule', for {DAYS} days; to tell people why, keep it with 'status: cancelled' "
            "and a 'reason'"))
    return out
