"""How often each session's time, place or status changed, read from git history.

Calendar clients only replace an event they already have when its SEQUENCE
grows, so every commit that moved a session, changed its room or venue, its
online link or its status bumps that session's count. The history is read in
ONE pass: ``git log --raw`` over the ``programs/`` folder (oldest first,
first-parent, renames followed) lists every commit and the blob id of each
cohort file it changed. Each changed blob is parsed with the same YAML reader
and cohort resolver as a build, and the resulting sessions are compared one
by one with the previous version of the same file. A blob identical to the
working-tree file is not parsed at all: the current model already says what
it holds. So the cost grows with the number of file changes, not with
commits times files.

Decisions worth knowing:

* Creating a session is not a change (SEQUENCE 0) but sets LAST-MODIFIED;
  a session created already cancelled starts at 1, and a cancelled event is
  never written with SEQUENCE 0, so a cancellation always supersedes the
  confirmed copy a calendar may hold.
* A merge counts as one change per session it changed (``--first-parent``).
* A renamed cohort file keeps its sessions' counts (the cohort id, and so the
  UIDs, change with the file name anyway).
* Uncommitted edits in the working tree count as one more change, with the
  build's fixed time as LAST-MODIFIED, so a local preview shows what
  subscribers will see after the commit.
* Historical files are resolved with today's programs, venues and academy
  settings: only edits to the cohort file itself count.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trainkit.load.loader import kind_of
from trainkit.load.yamlio import Document, parse, read_text
from trainkit.model import Academy, Cohort, Session
from trainkit.resolve.programs import resolve_cohorts

# (start, end, venue, room, online, online link, status): what subscribers act on.
Signature = tuple[datetime, datetime, str | None, str | None, bool, str | None, str]
FileState = dict[str, Signature]  # session id -> signature


@dataclass(frozen=True, slots=True)
class Change:
    sequence: int  # commits that changed the session's time, place or status
    last_modified: datetime | None  # UTC time of the latest such commit (or of creation)


@dataclass
class History:
    """Per session key (``<cohort>/<session>``): its :class:`Change`."""

    available: bool  # False outside git: every SEQUENCE is 0
    changes: dict[str, Change] = field(default_factory=dict)
    commits: int = 0  # commits read
    parsed: int = 0  # historical blobs parsed
    shallow: bool = False  # a shallow clone: older commits are missing, counts restart

    def of(self, key: str) -> Change:
        return self.changes.get(key, Change(0, None))


def effective_status(session: Session, cohort: Cohort) -> str:
    """A session of a cancelled cohort is cancelled too."""
    return "cancelled" if cohort.status == "cancelled" else session.status


def signature(session: Session, cohort: Cohort) -> Signature:
    return (session.start.astimezone(UTC), session.end.astimezone(UTC), session.venue,
            session.room, session.online, session.online_url, effective_status(session, cohort))


def _first_sequence(sig: Signature) -> int:
    """A session that appears already cancelled starts at 1, see :func:`event_sequence`."""
    return 1 if sig[6] == "cancelled" else 0


def event_sequence(change: Change, cancelled: bool) -> int:
    """The SEQUENCE to write: a cancelled event never has 0.

    A client that holds the confirmed event with SEQUENCE 0 (from a shallow
    clone's build, a build outside git, or a session that was announced before
    its cohort file was committed) replaces it only with a higher SEQUENCE. The
    history walk starts a session that first appears cancelled at 1 too, so
    reinstating it later still raises SEQUENCE (to 2).
    """
    return max(change.sequence, 1) if cancelled else change.sequence


def cohort_state(cohort: Cohort) -> FileState:
    return {s.id: signature(s, cohort) for s in cohort.sessions}


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes (``git hash-object``), to spot unchanged files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class _Walk:
    """The running state while replaying history, oldest commit first."""

    academy: Academy
    known: dict[tuple[str, str], FileState]  # (path, blob id) -> state, as in the working tree
    reader: object  # GitPython object database
    state: dict[str, FileState] = field(default_factory=dict)  # path -> sessions
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (path, id) -> n
    stamps: dict[tuple[str, str], datetime] = field(default_factory=dict)
    parsed: int = 0

    def blob_state(self, path: str, blob: str) -> FileState | None:
        if (path, blob) in self.known:
            return self.known[(path, blob)]
        self.parsed += 1
        try:
            raw = self.reader.stream(bytes.fromhex(blob)).read()  # type: ignore[attr-defined]
            return _parse_cohort(self.academy, path, raw)
        except Exception:  # a broken historical file: it changes nothing
            return None

    def apply(self, path: str, new: FileState, when: datetime, old_path: str | None = None) -> None:
        before = self.state.pop(old_path, {}) if old_path else self.state.get(path, {})
        if old_path:
            for sid in before:
                if (old_path, sid) in self.counts:
                    self.counts[(path, sid)] = self.counts.pop((old_path, sid))
                    self.stamps[(path, sid)] = self.stamps.pop((old_path, sid))
        for sid, sig in new.items():
            if sid not in before:
                self.counts[(path, sid)] = _first_sequence(sig)
                self.stamps[(path, sid)] = when
            elif before[sid] != sig:
                self.counts[(path, sid)] = self.counts.get((path, sid), 0) + 1
                self.stamps[(path, sid)] = when
        for sid in before.keys() - new.keys():
            self.counts.pop((path, sid), None)
            self.stamps.pop((path, sid), None)
        self.state[path] = new

    def delete(self, path: str) -> None:
        self.apply(path, {}, datetime.min.replace(tzinfo=UTC))
        self.state.pop(path, None)


def _parse_cohort(academy: Academy, path: str, raw: bytes) -> FileState | None:
    data, _ = parse(read_text(path, raw))
    if not isinstance(data, dict):
        return None
    doc = Document(path, "cohort", data)
    cohorts = list(resolve_cohorts([doc], academy.settings, academy.programs, academy.venues, []))
    return cohort_state(cohorts[0]) if cohorts else None


def _repo(root: Path) -> object | None:
    try:
        import git

        repo = git.Repo(root, search_parent_directories=True)
        repo.head.commit  # noqa: B018  (raises when there are no commits yet)
        return repo
    except Exception:  # not a repository, no commits, git missing
        return None


def _log_entries(repo: object, prefix: str) -> Iterator[tuple[str, datetime, list[list[str]]]]:
    """Yield ``(commit, time, [[status, blob, path, (new path)], ...])`` oldest first."""
    out = repo.git.log(  # type: ignore[attr-defined]
        "--reverse", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev",
        "-M", "-z", "--format=%x01%H %ct", "--", f"{prefix}programs",
    )
    commit, when = "", datetime.min
    entries: list[list[str]] = []
    tokens = iter(out.split("\0"))
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            if commit:
                yield commit, when, entries
            sha, _, stamp = token[1:].partition(" ")
            commit, when, entries = sha, datetime.fromtimestamp(int(stamp), tz=UTC), []
        elif token.startswith(":"):
            fields = token[1:].split()
            status, blob = fields[4][0], fields[3]
            paths = [next(tokens)] + ([next(tokens)] if status in "RC" else [])
            entries.append([status, blob, *(p[len(prefix):] for p in paths)])
    if commit:
        yield commit, when, entries


def session_history(academy: Academy, root: Path, now: datetime) -> History:
    """Replay the git history of every cohort file; ``now`` stamps uncommitted edits."""
    repo = _repo(root)
    if repo is None:
        return History(available=False)
    import git

    try:
        return _read(repo, academy, root, now)
    except git.exc.GitError:  # the git program is missing or refused (e.g. a shallow clone)
        return History(available=False)
    finally:
        repo.close()  # type: ignore[attr-defined]  # ends git's cat-file helpers


def _read(repo: object, academy: Academy, root: Path, now: datetime) -> History:
    top = Path(repo.working_tree_dir).resolve()  # type: ignore[attr-defined]
    rel = os.path.relpath(Path(root).resolve(), top)
    prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    current = {c.loc.path: c for c in academy.cohorts.values()}
    known: dict[tuple[str, str], FileState] = {}
    for path, cohort in current.items():
        try:
            blob = git_blob_id((Path(root) / path).read_bytes())
            known[(path, blob)] = cohort_state(cohort)
        except OSError:
            continue
    walk = _Walk(academy, known, repo.odb)  # type: ignore[attr-defined]
    commits = 0
    for _, when, entries in _log_entries(repo, prefix):
        commits += 1
        for status, blob, *paths in entries:
            _replay(walk, status, blob, paths, when)
    for path, cohort in current.items():  # uncommitted edits count as one more change
        walk.apply(path, cohort_state(cohort), now)
    changes = {
        f"{cohort.id}/{sid}": Change(walk.counts[(path, sid)], walk.stamps[(path, sid)])
        for path, cohort in current.items()
        for sid in walk.state.get(path, {})
    }
    shallow = (Path(repo.git_dir) / "shallow").exists()  # type: ignore[attr-defined]
    return History(True, changes, commits, walk.parsed, shallow)


def _replay(walk: _Walk, status: str, blob: str, paths: list[str], when: datetime) -> None:
    old, new = paths[0], paths[-1]
    if status == "D":
        if kind_of(old) == "cohort":
            walk.delete(old)
        return
    if kind_of(new) != "cohort":
        if status == "R" and kind_of(old) == "cohort":
            walk.delete(old)
        return
    state = walk.blob_state(new, blob)
    if state is None:
        return
    moved_from = old if status == "R" and kind_of(old) == "cohort" else None
    walk.apply(new, state, when, old_path=moved_from)
