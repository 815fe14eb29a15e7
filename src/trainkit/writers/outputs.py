"""Where a build may write: the output folders are checked before anything is deleted.

A build replaces ``site/`` and ``reports/`` wholesale, so a mistyped
``--site-dir .`` or ``--reports-dir records`` must be refused, not obeyed.
An output folder may not be the academy folder, lie inside or above an
input folder (``programs/``, ``people/``, ``records/``, ``courses/``,
``venues/``, the ``site-extra/`` folder, ``.git``), be or hold the other
output, or be a folder trainkit did not write: it must be missing, empty or
marked by the :data:`MARKER` file every build leaves in its outputs.
"""

from __future__ import annotations

import os
from pathlib import Path

from trainkit.load.sources import ACADEMY_FILE, INPUT_DIRS

MARKER = ".trainkit-output"
MARKER_TEXT = ("This folder is written by 'trainkit build' ({kind}) and replaced at every "
               "build:\nkeep nothing of your own in it.\n")
# Folders written by trainkit before it marked its outputs, known by what they hold.
_LEGACY = {"site": ("assets/trainkit/trainkit.js",), "reports": ("index.html", "attendance.csv")}


def write_marker(folder: Path, kind: str) -> None:
    """Mark ``folder`` as an output."""
    write_new(folder / MARKER, MARKER_TEXT.format(kind=kind))


def write_new(path: Path, text: str) -> None:
    """``text`` into ``path`` as a new file: never written through a hard link, since in a
    staging folder or a spare tree (:mod:`trainkit.writers.spare`) the file at ``path``
    may be a current output's."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _inputs(root: Path, extra_dir: str) -> list[Path]:
    names = [*INPUT_DIRS, ".git", extra_dir, ACADEMY_FILE, "competencies.yaml"]
    return [_real(root / name) for name in names]


def _written_by_trainkit(folder: Path, kind: str) -> bool:
    try:
        entries = os.listdir(folder)
    except OSError:
        return False
    if not entries or MARKER in entries:
        return True
    return all((folder / name).exists() for name in _LEGACY[kind])


def _where(out: Path, root: Path, inputs: list[Path]) -> str | None:
    """Why ``out`` overlaps the academy's own files."""
    if out == root or root.is_relative_to(out):
        return "is the academy folder or holds it"
    for folder in inputs:
        name = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else folder
        if out == folder:
            return f"is {name}, one of the academy's inputs"
        if out.is_relative_to(folder):
            return f"is inside {name}, one of the academy's inputs"
        if folder.is_relative_to(out):
            return f"holds {name}, one of the academy's inputs"
    return None


def _shape(out: Path, kind: str) -> str | None:
    """Why ``out`` cannot be (re)written: a file, below a file, someone else's folder."""
    if out.exists():
        if not out.is_dir():
            return "is a file, not a folder"
        if not _written_by_trainkit(out, kind):
            return (f"holds files trainkit did not write (no {MARKER} file), which a build "
                    "would delete; name an empty or new folder")
        return None
    for parent in out.parents:
        if parent.exists():
            return None if parent.is_dir() else f"would be inside {parent}, which is a file"
    return None


def problem(root: Path, site: Path, reports: Path, extra_dir: str) -> str | None:
    """Why a build must not write ``site`` and ``reports``; ``None`` when it may."""
    root = _real(root)
    inputs = _inputs(root, extra_dir)
    outs = {"site": _real(site), "reports": _real(reports)}
    for kind, out in outs.items():
        why = _where(out, root, inputs)
        if why is not None:
            return (f"the {kind} folder {out} {why}; a build replaces its output folder "
                    "entirely, so it must be a folder of its own (the default is "
                    f"{kind}/ in the academy)")
    if outs["site"] == outs["reports"]:
        return (f"the site and the reports would both go to {outs['site']}; the private "
                "reports must never land in the public site: give them different folders")
    if outs["site"].is_relative_to(outs["reports"]) or outs["reports"].is_relative_to(
            outs["site"]):
        return (f"the site folder {outs['site']} and the reports folder {outs['reports']} "
                "are inside one another; give them separate folders")
    for kind, out in outs.items():
        why = _shape(out, kind)
        if why is not None:
            return f"the {kind} folder {out} {why}"
    return None
