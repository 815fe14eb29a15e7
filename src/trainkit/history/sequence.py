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
  UIDs, change with the file name anyway); the walk remembers the rename so
  the old feed address can stay alive (:attr:`History.moved`).
* A session removed from its file (or whose whole file was deleted) is
  remembered with its last resolved version, its count and the time of the
  removal (:attr:`History.gone`), so the feeds can keep it as cancelled for a
  while instead of letting it vanish from calendars.
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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from trainkit.load.loader import kind_of
from trainkit.load.yamlio import Document, parse, read_text
from trainkit.model import Academy, Cohort, Session
from trainkit.resolve.programs import resolve_cohorts

# How long the feeds keep a removed session as cancelled, after the commit that removed it.
KEEP_REMOVED = timedelta(days=90)

# (start, end, venue, room, online, online link, status): what subscribers act on.
Signature = tuple[datetime, datetime, str | None, str | None, bool, str | None, str]
FileState = dict[str, Signature]  # session id -> signature


@dataclass(frozen=True, slots=True)
class Change:
    sequence: int  # commits that changed the session's time, place or status
    last_modified: datetime | None  # UTC time of the latest such commit (or of creation)


@dataclass(frozen=True, slots=True)
class Gone:
    """A session that was published once and has since been removed from its file."""

    session: Session  # its last version, as resolved then
    cohort: Cohort  # its cohort's last version (the file may be gone too)
    sequence: int  # its count when it was removed
    removed: datetime  # UTC time of the commit that removed it (or the build's, uncommitted)


@dataclass
class History:
    """Per session key (``<cohort>/<session>``): its :class:`Change`."""

    available: bool  # False outside git: every SEQUENCE is 0
    changes: dict[str, Change] = field(default_factory=dict)
    commits: int = 0  # commits read
    parsed: int = 0  # historical blobs parsed
    shallow: bool = False  # a shallow clone: older commits are missing, counts restart
    gone: list[Gone] = field(default_factory=list)  # removed sessions, oldest removal first
    moved: dict[str, str] = field(default_factory=dict)  # old cohort id -> current cohort id

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
    known: dict[tuple[str, str], Cohort]  # (path, blob id) -> cohort, as in the working tree
    reader: object  # GitPython object database
    state: dict[str, FileState] = field(default_factory=dict)  # path -> sessions
    cohorts: dict[str, Cohort] = field(default_factory=dict)  # path -> its latest version
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (path, id) -> n
    stamps: dict[tuple[str, str], datetime] = field(default_factory=dict)
    gone: dict[tuple[str, str], Gone] = field(default_factory=dict)  # (path, id) -> removal
    moved: dict[str, str] = field(default_factory=dict)  # old path -> path it was renamed to
    parsed: int = 0

    def copy(self) -> _Walk:
        """The state so far, to go on from while this one stays as it is."""
        return replace(self, known={}, reader=None, state=dict(self.state),
                       cohorts=dict(self.cohorts), counts=dict(self.counts),
                       stamps=dict(self.stamps), gone=dict(self.gone), moved=dict(self.moved))

    def blob_cohort(self, path: str, blob: str) -> Cohort | None:
        if (path, blob) in self.known:
            return self.known[(path, blob)]
        self.parsed += 1
        try:
            raw = self.reader.stream(bytes.fromhex(blob)).read()  # type: ignore[attr-defined]
            return _parse_cohort(self.academy, path, raw)
        except Exception:  # a broken historical file: it changes nothing
            return None

    def apply(self, path: str, cohort: Cohort | None, when: datetime,
              old_path: str | None = None) -> None:
        if cohort is not None and old_path is None and path in self.state and \
                self.cohorts.get(path) is cohort:
            return  # the state the file already has (an uncommitted file as committed)
        new = cohort_state(cohort) if cohort is not None else {}
        before = self.state.pop(old_path, {}) if old_path else self.state.get(path, {})
        if old_path:
            self._rename(old_path, path, before)
        self._removed(path, before.keys() - new.keys(), when)
        if cohort is not None:
            self.cohorts[path] = cohort
            for sid in new:
                self.gone.pop((path, sid), None)  # back again: a session like any other
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

    def _rename(self, old_path: str, path: str, before: FileState) -> None:
        for sid in before:
            if (old_path, sid) in self.counts:
                self.counts[(path, sid)] = self.counts.pop((old_path, sid))
                self.stamps[(path, sid)] = self.stamps.pop((old_path, sid))
        for (where, sid) in [k for k in self.gone if k[0] == old_path]:
            self.gone[(path, sid)] = self.gone.pop((where, sid))
        if old_path in self.cohorts:
            self.cohorts[path] = self.cohorts.pop(old_path)
        # Earlier names of the file now point at its newest name.
        self.moved = {old: (path if new == old_path else new) for old, new in self.moved.items()}
        self.moved[old_path] = path
        self.moved.pop(path, None)

    def _removed(self, path: str, sids: set[str], when: datetime) -> None:
        cohort = self.cohorts.get(path)
        if cohort is None:
            return
        by_id = {s.id: s for s in cohort.sessions}
        for sid in sids:
            if sid in by_id:
                self.gone[(path, sid)] = Gone(by_id[sid], cohort,
                                              self.counts.get((path, sid), 0), when)

    def delete(self, path: str, when: datetime) -> None:
        self.apply(path, None, when)
        self.state.pop(path, None)
        self.moved.pop(path, None)  # a deleted file's feed is no alias any more


def _parse_cohort(academy: Academy, path: str, raw: bytes) -> Cohort | None:
    data, _ = parse(read_text(path, raw))
    if not isinstance(data, dict):
        return None
    doc = Document(path, "cohort", data)
    cohorts = list(resolve_cohorts([doc], academy.settings, academy.programs, academy.venues, []))
    return cohorts[0] if cohorts else None


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


# The replay of the committed history, kept for the next reading in this process (the
# live preview reads the history at every save): what it depends on, the state after
# the last commit, and the commits read. See :func:`_committed`.
_LAST: tuple[tuple[object, ...], _Walk, int] | None = None


def _read(repo: object, academy: Academy, root: Path, now: datetime) -> History:
    top = Path(repo.working_tree_dir).resolve()  # type: ignore[attr-defined]
    rel = os.path.relpath(Path(root).resolve(), top)
    prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    current = {c.loc.path: c for c in academy.cohorts.values()}
    walk, commits = _committed(repo, academy, root, prefix, current)
    for path, cohort in current.items():  # uncommitted edits count as one more change
        walk.apply(path, cohort, now)
    for path in sorted(walk.state.keys() - current.keys()):  # deleted, not yet committed
        walk.delete(path, now)
    changes = {
        f"{cohort.id}/{sid}": Change(walk.counts[(path, sid)], walk.stamps[(path, sid)])
        for path, cohort in current.items()
        for sid in walk.state.get(path, {})
    }
    shallow = (Path(repo.git_dir) / "shallow").exists()  # type: ignore[attr-defined]
    ids = {path: cohort.id for path, cohort in current.items()}
    moved = {_cohort_id(old): ids[new] for old, new in walk.moved.items()
             if new in ids and old not in ids}
    gone = sorted(walk.gone.values(), key=lambda g: (g.removed, g.cohort.id, g.session.id))
    return History(True, changes, commits, walk.parsed, shallow, gone, moved)


def _committed(repo: object, academy: Academy, root: Path, prefix: str,
               current: dict[str, Cohort]) -> tuple[_Walk, int]:
    """The state after replaying every commit, and the commits read.

    What it depends on: the commits (the one checked out names them all, and the
    list of a shallow clone's cut-off commits which ones are present), and what
    historical files are resolved with (the settings, programs and venues). When
    those are what the last reading in this process had, its state is taken as it
    is: a save in the live preview then costs no ``git log`` and no replay.
    """
    global _LAST
    git_dir = Path(repo.git_dir)  # type: ignore[attr-defined]
    try:
        cut = (git_dir / "shallow").read_bytes()
    except OSError:
        cut = b""
    key = (str(git_dir.resolve()), repo.head.commit.hexsha, prefix, cut,  # type: ignore[attr-defined]
           academy.settings, academy.programs, academy.venues)
    if _LAST is not None and _LAST[0] == key:
        walk = _LAST[1].copy()
        walk.parsed = 0  # History.parsed: the blobs this reading parsed
        return walk, _LAST[2]
    known: dict[tuple[str, str], Cohort] = {}
    for path, cohort in current.items():
        try:
            blob = git_blob_id((Path(root) / path).read_bytes())
            known[(path, blob)] = cohort
        except OSError:
            continue
    walk = _Walk(academy, known, repo.odb)  # type: ignore[attr-defined]
    commits = 0
    for _, when, entries in _log_entries(repo, prefix):
        commits += 1
        for status, blob, *paths in entries:
            _replay(walk, status, blob, paths, when)
    _LAST = (key, walk.copy(), commits)
    return walk, commits


def _cohort_id(path: str) -> str:
    """The cohort id a cohort file's path gives (its name without ``.yaml``)."""
    return PurePosixPath(path).stem


def _replay(walk: _Walk, status: str, blob: str, paths: list[str], when: datetime) -> None:
    old, new = paths[0], paths[-1]
    if status == "D":
        if kind_of(old) == "cohort":
            walk.delete(old, when)
        return
    if kind_of(new) != "cohort":
        if status == "R" and kind_of(old) == "cohort":
            walk.delete(old, when)
        return
    cohort = walk.blob_cohort(new, blob)
    if cohort is None:
        return
    moved_from = old if status == "R" and kind_of(old) == "cohort" else None
    walk.apply(new, cohort, when, old_path=moved_from)
