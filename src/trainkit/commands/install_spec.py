"""The ``requirements.txt`` line with which CI installs the trainkit running now.

trainkit is distributed as ``trainkit-academy`` and is not on the public
package index (the name ``trainkit`` there belongs to an unrelated project), so
a bare version pin cannot work. The line names where this copy came from,
which pip records when it installs a package (PEP 610, ``direct_url.json``):

- a git repository: ``trainkit-academy @ git+URL@REV`` (the tag or commit asked for);
- a wheel or archive on a web server: ``trainkit-academy @ URL``;
- a wheel file on this machine: the wheel is copied into the academy's
  ``vendor/`` folder and the line is ``./vendor/<wheel>``, so CI installs the
  very same file;
- a local checkout (``pip install .`` or ``-e .``) that is a git clone with a
  remote: ``trainkit-academy @ git+REMOTE@COMMIT``, the commit checked out.

Otherwise the line is ``trainkit-academy==VERSION`` with a note: that works
only with a package index that has it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from trainkit import __version__

DIST = "trainkit-academy"  # the distribution name; the command and the package are 'trainkit'
VENDOR = "vendor"
_REMOTE = ("https://", "http://", "ssh://", "git@")


@dataclass(frozen=True)
class Spec:
    line: str  # the requirements.txt line
    wheel: Path | None = None  # a wheel to copy into vendor/ first
    note: str = ""  # what the user should know about it


def fallback() -> Spec:
    return Spec(f"{DIST}=={__version__}", note=(
        f"{DIST} is not on the public package index: unless yours has it, point "
        "requirements.txt at a git tag or a wheel (see --install-spec)"))


def recorded_origin() -> dict[str, object]:
    """What pip recorded about where this trainkit was installed from (may be empty)."""
    from importlib import metadata

    try:
        raw = metadata.distribution(DIST).read_text("direct_url.json")
        origin = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        return {}
    return origin if isinstance(origin, dict) else {}


def default_spec(origin: dict[str, object] | None = None) -> Spec:
    """The line that installs this trainkit again, from ``origin`` (default: pip's record)."""
    origin = recorded_origin() if origin is None else origin
    url = str(origin.get("url", ""))
    vcs = origin.get("vcs_info")
    if url.startswith(_REMOTE) and isinstance(vcs, dict) and vcs.get("vcs"):
        rev = vcs.get("requested_revision") or vcs.get("commit_id")
        return Spec(f"{DIST} @ {vcs['vcs']}+{url}" + (f"@{rev}" if rev else ""))
    if url.startswith(_REMOTE) and "archive_info" in origin:
        return Spec(f"{DIST} @ {url}")
    if url.startswith("file://"):
        path = Path(unquote(urlsplit(url).path))
        if "archive_info" in origin and path.suffix == ".whl" and path.is_file():
            return Spec(f"./{VENDOR}/{path.name}", wheel=path)
        if path.is_dir():
            return checkout_spec(path) or fallback()
    return fallback()


def checkout_spec(folder: Path) -> Spec | None:
    """``git+REMOTE@REV`` for a git clone of trainkit, when it has a remote CI can reach."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                              check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    remote = git("remote", "get-url", "origin")
    commit = git("rev-parse", "HEAD")
    if not remote.startswith(_REMOTE) or not commit:
        return None
    rev = git("describe", "--tags", "--exact-match", "HEAD") or commit
    note = ""
    if git("status", "--porcelain", "--untracked-files=no", "--", "src", "schemas",
           "pyproject.toml"):
        note = (f"your trainkit checkout has uncommitted changes; CI installs {rev} as "
                "pushed, without them")
    return Spec(f"{DIST} @ git+{remote}@{rev}", note=note)


def vendor(spec: Spec, target: Path) -> None:
    """Copy the wheel the line names into ``target/vendor/``."""
    if spec.wheel is not None:
        (target / VENDOR).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec.wheel, target / VENDOR / spec.wheel.name)
