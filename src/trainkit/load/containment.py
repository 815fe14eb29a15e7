"""What trainkit may read and publish: one rule for every file.

An academy repository is edited through pull requests and built in CI with
secrets in the environment, so a file's *name* inside the repository must
not let a build read or publish something else:

* every file trainkit reads or copies is resolved (links followed) and must
  lie inside the academy folder, and be a regular file: a link to
  ``/proc/self/environ``, ``/etc/passwd`` or a folder outside the academy,
  a FIFO or a device is refused (``outside-academy``, ``special-file``);
* a published file (course modules and their files, files beside programs,
  ``site-extra/``, the logo and favicon) that is a link must point at a file
  that could be published itself: never a learner, record or other data
  file (``private-link``);
* raw HTML files (``.html``, ``.xhtml`` …) are never copied verbatim: they
  would run their scripts on the site's own origin (``raw-html``). Theme
  templates under ``site-extra/overrides/`` are the one place for HTML.

Each problem names the file or link and says what to do; :mod:`trainkit.load.loader`
and :mod:`trainkit.pipeline` report them with ``trainkit check``, and the site
writer refuses them again when it copies, so nothing relies on one caller.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Where the academy's private data lives: never the target of a published link.
PRIVATE_TOPS = ("people", "records", "reports")
DATA_SUFFIXES = (".yaml", ".yml", ".csv")
RAW_HTML = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
OVERRIDES = "overrides/"  # theme templates in site-extra: HTML on purpose


@dataclass(frozen=True)
class Problem:
    """Why a file may not be read or published: a diagnostic code and the message."""

    code: str
    message: str


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def private(rel: str) -> bool:
    """Whether a repository-relative path holds data that must never be published."""
    parts = rel.split("/")
    return (any(p.startswith(".") and p not in (".", "..") for p in parts)
            or parts[0] in PRIVATE_TOPS or rel.lower().endswith(DATA_SUFFIXES))


def is_raw_html(rel: str) -> bool:
    return rel.lower().endswith(RAW_HTML)


def _outside(link: str, target: str) -> Problem:
    return Problem("outside-academy",
                   f"{link} is a link to {target}, outside the academy folder; trainkit reads "
                   "and publishes only files inside the academy: put a copy of the file in "
                   "the repository instead of the link")


def _shown_target(path: Path, real: Path) -> str:
    """The link as written (``/proc/self/environ``), with where it leads when relative."""
    if not path.is_symlink():
        return str(real)
    written = os.readlink(path)
    return written if os.path.isabs(written) else f"{written} ({real})"


def _special(rel: str, mode: int) -> Problem:
    return Problem("special-file",
                   f"{rel} is {_kind(mode)}, not a regular file; trainkit reads only regular "
                   "files: remove it or replace it by the file it stands for")


def file_problem(root: Path, rel: str, *, published: bool = False,
                 walked: bool = False, template: bool = False) -> Problem | None:
    """Why ``root/rel`` may not be read (or, with ``published``, published); ``None``: fine.

    ``root`` must be resolved. ``walked``: the folders above the file are known
    not to be links (found by a walk that does not follow them), so only the
    file itself is looked at; otherwise the whole path is resolved. ``template``:
    a theme template, where HTML is expected. A broken
    link is left to the reader, which reports it as unreadable.
    """
    path = root / rel
    try:
        st = os.lstat(path)
    except OSError:
        return None
    linked = stat.S_ISLNK(st.st_mode)
    if linked or not walked:
        try:
            real = Path(os.path.realpath(path, strict=True))
            st = os.stat(real)
        except (OSError, RuntimeError):
            return None  # a broken link or a loop: reading it says so
        if not real.is_relative_to(root):
            return _outside(rel, _shown_target(path, real))
        target = real.relative_to(root).as_posix()
        linked = target != rel
        if stat.S_ISDIR(st.st_mode):
            return None  # folders are walked, not read: their files are checked
        if published and linked and private(target):
            return Problem("private-link",
                           f"{rel} is a link to {target}, which holds private data and is "
                           "never published; link to an image or page, not to a data file")
    if not stat.S_ISREG(st.st_mode):
        return _special(rel, st.st_mode)
    if published and not template and is_raw_html(rel):
        return Problem("raw-html",
                       f"{rel} is an HTML file, which trainkit does not publish as it is (its "
                       "scripts would run on the site); write the page in Markdown (HTML "
                       "inside Markdown is cleaned), or put theme templates in "
                       "site-extra/overrides/")
    return None


def folder_problem(root: Path, rel: str, *, published: bool = False) -> Problem | None:
    """A linked folder leading out of the academy, or (``published``) into private data.

    Linked folders are never walked; what they hold is refused where it is
    read through them (see :func:`file_problem`), and reported here up front.
    """
    path = root / rel
    if not path.is_symlink():
        return None
    try:
        real = Path(os.path.realpath(path, strict=True))
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root):
        return _outside(rel, _shown_target(path, real))
    target = real.relative_to(root).as_posix()
    if published and (target == "." or private(target)):
        return Problem("private-link",
                       f"{rel} is a link to the folder {target}, which holds private data and "
                       "is never published; link to images or pages, not to data")
    return None


def walk_published(root: Path, folder: str, *, published: bool = True
                   ) -> tuple[list[str], list[tuple[str, Problem]]]:
    """The files of ``root/folder`` that may be published, and the refused ones.

    Paths are relative to ``folder``; linked folders are not followed (a link
    out of the academy is refused, one inside is left alone). Without
    ``published``, the files are only read (templates trainkit renders), so
    the rules about private data and raw HTML do not apply.
    """
    base = root / folder
    files: list[str] = []
    refused: list[tuple[str, Problem]] = []
    top = folder_problem(root, folder)
    if top is not None:
        return [], [(folder, top)]
    for rel, is_dir in _walk(base):
        repo_rel = posixpath.join(folder, rel)
        found = folder_problem(root, repo_rel, published=published) if is_dir else file_problem(
            root, repo_rel, published=published, walked=True, template=rel.startswith(OVERRIDES))
        if found is not None:
            refused.append((repo_rel, found))
        elif not is_dir:
            files.append(rel)
    return files, refused


def _walk(base: Path) -> Iterator[tuple[str, bool]]:
    """(relative path, is a linked folder) of every file and linked folder, sorted."""
    if not base.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath).relative_to(base).as_posix()
        dirnames.sort()
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                yield posixpath.normpath(posixpath.join(here, name)), True
        for name in sorted(filenames):
            yield posixpath.normpath(posixpath.join(here, name)), False


def repo_path_problem(value: str, what: str) -> str | None:
    """Why a path written in ``trainkit.yaml`` does not stay inside the repository."""
    if value.startswith(("/", "\\", "~")) or (len(value) > 1 and value[1] == ":"):
        return (f"{what} {value!r} is an absolute path; write a path relative to the "
                "academy folder, e.g. 'site-extra/assets/logo.svg'")
    norm = posixpath.normpath(value.replace("\\", "/"))
    if norm == ".." or norm.startswith("../"):
        return (f"{what} {value!r} leads out of the academy folder; keep the file inside "
                "the repository, e.g. in site-extra/")
    return None
