"""``trainkit check`` of what the settings would publish: paths and ``site-extra/``.

The paths in ``trainkit.yaml`` (``site.logo``, ``site.favicon``,
``site.extra_dir``) must stay inside the repository, and the files they name
follow :mod:`trainkit.load.containment`'s rule. Reported at the key in
``trainkit.yaml``, or at the refused file in ``site-extra/``.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from trainkit.diagnostics import Diagnostic, error
from trainkit.load import containment
from trainkit.load.sources import INPUT_DIRS
from trainkit.load.yamlio import Document
from trainkit.model.settings import NAV_PAGES

PATH_KEYS = ("logo", "favicon", "extra_dir")


def _setting(doc: Document, key: str) -> str | None:
    site = doc.data.get("site") if isinstance(doc.data, dict) else None
    value = site.get(key) if isinstance(site, dict) else None
    return value if isinstance(value, str) and value else None


def check_settings(doc: Document, root: Path | None) -> list[Diagnostic]:
    """Problems of the path settings; ``root`` (resolved) also checks the files on disk."""
    out: list[Diagnostic] = []
    bad_extra = False
    for key in PATH_KEYS:
        value = _setting(doc, key)
        found = None if value is None else _problem(root, key, value)
        if found is not None:
            line, col = doc.locate(("site", key))
            out.append(error(doc.path, line, col, found.code, found.message))
            bad_extra = bad_extra or key == "extra_dir"
    if root is not None and not bad_extra:
        extra = _setting(doc, "extra_dir") or "site-extra"
        out.extend(check_extra_dir(root, extra))
        out.extend(check_nav(doc, root, extra))
    return out


def check_nav(doc: Document, root: Path, extra_dir: str) -> list[Diagnostic]:
    """Each entry of ``site.nav`` is one of the site's own pages or a Markdown page of
    ``extra_dir``: MkDocs would otherwise stop the build on it, at no line of the file."""
    site = doc.data.get("site") if isinstance(doc.data, dict) else None
    entries = site.get("nav") if isinstance(site, dict) else None
    if not isinstance(entries, list):
        return []  # the schema says what is wrong with it
    folder = posixpath.normpath(extra_dir.replace("\\", "/"))
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, str) or entry in NAV_PAGES:
            continue
        rel = posixpath.normpath(entry.replace("\\", "/"))
        page = rel.endswith(".md") and not rel.startswith(("../", "/"))  # one of the folder
        if page and (root / folder / rel).is_file():
            continue
        line, col = doc.locate(("site", "nav", i))
        hint = (f"add {folder}/{rel}, or remove it from the list" if page
                else "name a Markdown page of the folder, e.g. 'about.md'")
        out.append(error(doc.path, line, col, "unknown-nav-page",
                         f"site.nav lists {entry!r}, which is neither a page of the site's "
                         f"own ({', '.join(NAV_PAGES)}) nor a Markdown page in {folder}/; "
                         f"{hint}"))
    return out


def _problem(root: Path | None, key: str, value: str) -> containment.Problem | None:
    why = containment.repo_path_problem(value, f"site.{key}")
    if why is not None:
        return containment.Problem("outside-academy", why)
    rel = posixpath.normpath(value.replace("\\", "/"))
    if key == "extra_dir":
        first = rel.split("/")[0]
        if rel == "." or first in INPUT_DIRS or first.startswith(".") or first == "reports":
            return containment.Problem(
                "private-link", f"site.extra_dir {value!r} would publish the academy's own "
                "files; name a folder of your own pages, e.g. 'site-extra'")
        return containment.folder_problem(root, rel) if root is not None else None
    if containment.private(rel):
        return containment.Problem(
            "private-link", f"site.{key} names {rel}, which holds private data and is never "
            "published; name an image, e.g. in site-extra/assets/")
    if root is None or not (root / rel).exists():
        return None  # a missing logo is left out of the site, as before
    return containment.file_problem(root, rel, published=True)


def check_extra_dir(root: Path, extra_dir: str) -> list[Diagnostic]:
    """Every file of ``site-extra/`` that will not be published, located at the file."""
    rel = posixpath.normpath(extra_dir.replace("\\", "/"))
    _, refused = containment.walk_published(root, rel)
    return [error(path, 1, 1, problem.code, problem.message) for path, problem in refused]
