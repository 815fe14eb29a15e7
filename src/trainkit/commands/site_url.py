"""Where the site will live: the placeholder ``base_url`` check, and how to look at a build."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from trainkit.diagnostics import Diagnostic, Severity
from trainkit.load.yamlcore import YamlError
from trainkit.load.yamlio import MarkedDict, parse

# What 'trainkit init' writes until told the real address (RFC 2606 names).
PLACEHOLDER_HOSTS = frozenset(f"{www}example.{tld}" for www in ("", "www.")
                              for tld in ("org", "com", "net"))
CODE = "base-url-placeholder"


def in_ci() -> bool:
    """True on a CI runner (GitHub Actions, GitLab CI and most others set ``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def is_placeholder(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in PLACEHOLDER_HOSTS


def placeholder_check(root: Path, *, error: bool) -> Diagnostic | None:
    """A diagnostic at ``base_url`` in trainkit.yaml while it is still the example address.

    Every subscribe button, feed link and certificate link is built from
    ``base_url``, so a deployed site with the placeholder points at someone
    else's domain. Unreadable files are left to the build's own checks.
    """
    try:
        data, _ = parse((root / "trainkit.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError):
        return None
    if not isinstance(data, MarkedDict) or not isinstance(data.get("base_url"), str):
        return None
    if not is_placeholder(data["base_url"]):
        return None
    _, _, line, col = data.marks["base_url"]
    return Diagnostic(
        "trainkit.yaml", line, col, Severity.ERROR if error else Severity.WARNING, CODE,
        f"base_url is still the placeholder {data['base_url']}: feed, calendar and certificate "
        "links would point there; set it to the address the site is published at (for "
        "GitHub Pages https://OWNER.github.io/REPO/, or your own domain)")


def how_to_look(site_dir: Path, reports_dir: Path) -> str:
    """What to do with the output, said after every build."""
    return (f"to look at it, run 'python -m http.server -d {shlex.quote(str(site_dir))}' and open "
            "http://localhost:8000/ ('trainkit serve' rebuilds as you edit); opened straight "
            "from disk its links show folder listings, not pages. To publish it, upload "
            f"{site_dir} as it is to a static web host. {reports_dir} is private: never "
            "upload it")
