"""What each writer's output depends on, as one key per writer.

A writer's output is a function of the academy's files, the build's fixed
moment and commit (git history, for feed SEQUENCE), the feed secret, the
output folders, and trainkit itself: its code and templates, the Python
packages it runs on (MkDocs, Material, Markdown, icalendar, time zone data…)
and the Python version. The key of a writer is a digest of all of those,
except the academy files the writer provably never reads (:data:`SLICES`):
the public site and the feeds never read attendance and other records (the
site reads survey responses only, for the opt-in ratings), the
competency framework reads only the settings and the framework. Content, not
modification times, goes into the digests, so a ``git checkout`` that
rewrites a file with the same bytes changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from trainkit.load.sources import ACADEMY_FILE, INPUT_DIRS
from trainkit.load.usercache import toolchain
from trainkit.model import Academy
from trainkit.writers.memo import Memory

_PRIVATE = ("people/learners/", "records/", "organisations/")
PAGES = "(site pages)/"  # files of site-extra/ (but the logo and favicon) are read by the site only


def _never(prefixes: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda rel: not rel.startswith(prefixes)


def _only(names: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda rel: rel in names


# Which academy files each writer reads (relative POSIX paths). A writer that
# is not named reads every file. Learner enrollments live in cohort files, so
# seat counts on the site follow the cohort files, which the site reads.
SLICES: dict[str, Callable[[str], bool]] = {
    # survey responses: a program page may show its average ratings (opt-in)
    "site": lambda rel: rel.startswith("records/surveys/") or not rel.startswith(
        _PRIVATE + ("roles/",)),
    "feeds": _never(("records/", "organisations/", "roles/", PAGES)),
    "framework": _only((ACADEMY_FILE, "competencies.yaml")),
}
_OTHERS = _never((PAGES,))


@dataclass(frozen=True)
class Moment:
    """What a build depends on besides the files: when, which commit, which secret, where."""

    epoch: int
    commit: str | None
    secret: bytes | None
    site: Path
    reports: Path
    personal: bool = True  # personal feeds and learner pages are made (with the secret)

    def text(self) -> str:
        secret = "none" if self.secret is None else hmac.new(
            self.secret, b"trainkit build cache", hashlib.sha256).hexdigest()
        text = f"{self.epoch}|{self.commit}|{secret}|{self.site}|{self.reports}"
        return text if self.personal else f"{text}|no personal outputs"


class Digests:
    """Content digests of files the check did not read (images, attachments), kept by a
    process that builds again (the live preview): a file whose status (modification
    and change times, size, inode) is what it was is not read again. A digest made
    within :data:`RECENT_NS` of the file's last change is not kept (a later change in
    the same clock tick could leave the same times: git's index calls such files racy)."""

    RECENT_NS = 2_000_000_000

    def __init__(self) -> None:
        self.kept = Memory()  # path -> (status, digest)

    def of(self, path: str) -> str:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)
        found = self.kept.get(path)
        if found is not None and found[0] == stamp:
            return found[1]  # type: ignore[no-any-return]
        made = time.time_ns()
        digest = _digest(path)
        if max(st.st_mtime_ns, st.st_ctime_ns) < made - self.RECENT_NS:
            self.kept.put(path, (stamp, digest))
        return digest

    def turn(self) -> None:
        """A look at every file is done: files it did not see go at the end of the next."""
        self.kept.turn()


def _digest(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


class _Look:
    """One look at the files: digests of what the check read, or of the files as they are."""

    def __init__(self, known: Digests | None, read: Mapping[str, str]) -> None:
        self.known, self.read = known, read

    def digest(self, path: str, key: str) -> str:
        found = self.read.get(key)  # the check reads no site-extra/ page (PAGES)
        if found is not None:
            return found
        return self.known.of(path) if self.known is not None else _digest(path)


def _walk(root: Path, rel: str, out: dict[str, str], tag: str, look: _Look) -> None:
    path = root / rel
    if path.is_file():
        out[tag + rel] = look.digest(str(path), tag + rel)
    elif path.is_dir() and not path.is_symlink():
        _folder(str(path), rel, out, tag, look)


def _folder(path: str, rel: str, out: dict[str, str], tag: str, look: _Look) -> None:
    with os.scandir(path) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        sub = f"{rel}/{entry.name}"
        if entry.is_file():  # a link to a file is read, a link to a folder is not followed
            out[tag + sub] = look.digest(entry.path, tag + sub)
        elif entry.is_dir(follow_symlinks=False):
            _folder(entry.path, sub, out, tag, look)


# kept between the builds of a process that builds again (inputs(keep=True))
_KNOWN = Digests()


def inputs(academy: Academy, keep: bool = False,
           read: Mapping[str, str] | None = None) -> dict[str, str]:
    """Content digest of every file a build may read, by path inside the academy.

    The input folders whole (any file a page can link to), the settings and
    framework, the logo and favicon wherever they are, and ``site-extra/``
    (under :data:`PAGES`). ``read``: the digests of the bytes the check used,
    taken as they are, so that a file saved again since the check is seen as
    changed by the next build. With ``keep`` (a process that builds again), a
    file whose status is unchanged since the last call is not read again
    (:class:`Digests`).
    """
    root = Path(academy.root)
    site = academy.settings.site
    names: Iterable[str | None] = (ACADEMY_FILE, "competencies.yaml", *INPUT_DIRS,
                                   site.logo, site.favicon)
    out: dict[str, str] = {}
    look = _Look(_KNOWN if keep else None, read or {})
    for name in names:
        if name and not name.startswith(("/", "..")):
            _walk(root, name.replace("\\", "/").rstrip("/"), out, "", look)
    extra = site.extra_dir.replace("\\", "/").strip("/")
    if extra and not extra.startswith(".."):
        _walk(root, extra, out, PAGES, look)
    if keep:
        _KNOWN.turn()
    return out


def reads(name: str) -> Callable[[str], bool]:
    """Which academy files writer ``name`` reads (relative POSIX paths)."""
    return SLICES.get(name, _OTHERS)


def writer_key(name: str, files: Mapping[str, str], moment: Moment) -> str:
    """The key of writer ``name``: equal keys, equal output."""
    digest = hashlib.sha256(f"{toolchain()}|{name}|{moment.text()}\n".encode())
    add_files(digest, files, reads(name))
    return digest.hexdigest()


def add_files(digest: hashlib._Hash, files: Mapping[str, str],
              wanted: Callable[[str], bool]) -> None:
    """Add to ``digest`` each ``wanted`` file of ``files`` (path -> content digest), by
    path and content, in path order."""
    for rel in sorted(files):
        if wanted(rel):
            digest.update(f"{rel}\0{files[rel]}\n".encode())
