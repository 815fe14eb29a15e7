"""The build cache: what the last build of a pair of output folders wrote, and from what.

It lives in ``.trainkit-cache/`` in the academy (a folder that ignores
itself in git and may be deleted at any time): one manifest per pair of
output folders, holding each writer's key (:mod:`trainkit.writers.fingerprint`),
the files and folders it wrote, its notes and warnings, and the size,
modification time and inode of every file in the outputs just after the
build. A manifest that cannot be read, does not match its checksum or has
the wrong shape is ignored: the build then runs every writer, as without a
cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainkit.diagnostics import Diagnostic, Severity
from trainkit.load import usercache
from trainkit.load.usercache import FORMAT
from trainkit.writers.settle import Stat

CACHE_DIR = ".trainkit-cache"
KEEP = 8  # manifests kept (one per pair of output folders: site/, previews, tests)
_IGNORE = "# written by trainkit build; safe to delete\n*\n"
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This folder is trainkit's build cache; it can be deleted at any time.\n")


@dataclass
class Part:
    """One writer's share of the outputs."""

    key: str
    public: list[str] = field(default_factory=list)  # files and folders, relative
    private: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)  # per-file digests (writers.units)


@dataclass
class Manifest:
    parts: dict[str, Part]
    public: dict[str, Stat]  # every file and folder of site/ after the build
    private: dict[str, Stat]  # every file and folder of reports/ after the build


def location(root: Path, site: Path, reports: Path) -> Path:
    pair = hashlib.sha256(f"{site}\0{reports}".encode()).hexdigest()[:16]
    return root / CACHE_DIR / f"build-{pair}.bin"


def _diag(d: Diagnostic) -> list[object]:
    return [d.path, d.line, d.col, d.severity.value, d.code, d.message]


def _undiag(v: list[Any]) -> Diagnostic:
    path, line, col, severity, code, message = v
    if not (isinstance(path, str) and isinstance(line, int) and isinstance(col, int)
            and isinstance(code, str) and isinstance(message, str)):
        raise TypeError("diagnostic")
    return Diagnostic(path, line, col, Severity(severity), code, message)


def _stats(data: dict[str, Any]) -> dict[str, Stat]:
    out: dict[str, Stat] = {}
    for rel, value in data.items():
        size, mtime, ino = value
        if not all(isinstance(n, int) for n in (size, mtime, ino)):
            raise TypeError("stat")
        out[rel] = (size, mtime, ino)
    return out


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("strings")
    return value


def _part(data: dict[str, Any]) -> Part:
    key = data["key"]
    if not isinstance(key, str):
        raise TypeError("key")
    units = data.get("units", {})
    if not isinstance(units, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in units.items()):
        raise TypeError("units")
    return Part(key, _strings(data["public"]), _strings(data["private"]),
                _strings(data["notes"]), [_undiag(d) for d in data["diagnostics"]], units)


def _body(manifest: Manifest) -> bytes:
    parts = {name: {"key": p.key, "public": p.public, "private": p.private, "notes": p.notes,
                    "diagnostics": [_diag(d) for d in p.diagnostics], "units": p.units}
             for name, p in sorted(manifest.parts.items())}
    # marshal, in C: a manifest at the benchmark scale holds 200,000 paths and digests, and
    # JSON cost about 1.5 CPU s to write and read back per build, marshal 0.6. It is read
    # only after its seal is checked, so only this user's own builds ever wrote what it reads.
    return marshal.dumps({"format": FORMAT, "parts": parts, "public": manifest.public,
                          "private": manifest.private})


def load(path: Path) -> Manifest | None:
    """The manifest at ``path``; ``None`` when missing, damaged or of another version."""
    try:
        checksum, _, body = path.read_bytes().partition(b"\n")
        if not usercache.sealed(body, checksum.decode("ascii")):
            return None
        data = marshal.loads(body)
        if data["format"] != FORMAT:
            return None
        parts = {str(name): _part(p) for name, p in data["parts"].items()}
        return Manifest(parts, _stats(data["public"]), _stats(data["private"]))
    except (OSError, UnicodeDecodeError, ValueError, EOFError, KeyError, TypeError,
            AttributeError):
        return None


def save(path: Path, manifest: Manifest) -> None:
    """Write ``manifest`` atomically; a cache that cannot be written is left out silently."""
    body = _body(manifest)
    with contextlib.suppress(OSError):
        folder = path.parent
        folder.mkdir(exist_ok=True)
        for name, text in ((".gitignore", _IGNORE), ("CACHEDIR.TAG", _TAG)):
            if not (folder / name).is_file():
                (folder / name).write_text(text, encoding="utf-8")
        usercache.write_whole(path, usercache.seal(body).encode("ascii") + b"\n" + body)
        _prune(folder)


def _prune(folder: Path) -> None:
    found = sorted(folder.glob("build-*.bin"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in [*found[KEEP:], *folder.glob("build-*.json")]:  # JSON: an older trainkit's
        old.unlink(missing_ok=True)
