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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from trainkit.load.sources import ACADEMY_FILE, INPUT_DIRS
from trainkit.load.usercache import toolchain
from trainkit.model import Academy

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


def _walk(root: Path, rel: str, out: dict[str, str], tag: str = "") -> None:
    path = root / rel
    if path.is_file():
        out[tag + rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        return
    if not path.is_dir() or path.is_symlink():
        return
    for name in sorted(os.listdir(path)):
        _walk(root, f"{rel}/{name}", out, tag)


def inputs(academy: Academy) -> dict[str, str]:
    """Content digest of every file a build may read, by path inside the academy.

    The input folders whole (any file a page can link to), the settings and
    framework, the logo and favicon wherever they are, and ``site-extra/``
    (under :data:`PAGES`).
    """
    root = Path(academy.root)
    site = academy.settings.site
    names: Iterable[str | None] = (ACADEMY_FILE, "competencies.yaml", *INPUT_DIRS,
                                   site.logo, site.favicon)
    out: dict[str, str] = {}
    for name in names:
        if name and not name.startswith(("/", "..")):
            _walk(root, name.replace("\\", "/").rstrip("/"), out)
    extra = site.extra_dir.replace("\\", "/").strip("/")
    if extra and not extra.startswith(".."):
        _walk(root, extra, out, PAGES)
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
