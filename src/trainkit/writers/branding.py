"""The academy's look outside the MkDocs pages: logo and colours for certificates and the
verification pages, the same as the site's.

Colours are read from the palette stylesheet of the installed Material theme
(the one the site is built with), so "teal" on a certificate is the teal of the
site's header, whatever Material version is installed. The logo is embedded as
a ``data:`` URI: a printed certificate and a verification page show it without
fetching anything, and SVG logos pass through the same sanitiser as every
published SVG.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from trainkit.load import containment
from trainkit.model import Academy
from trainkit.writers.site import svg

# Material's own defaults (indigo on white), used when a palette name is unknown.
DEFAULT = ("#4051b5", "#ffffff", "#526cfe")
# Material writes white and black with hsla(var(--md-hue) …); its default hue.
HUE = "225"


@dataclass(frozen=True, slots=True)
class Brand:
    """What a page needs to look like the site."""

    title: str  # the site's title
    home: str  # the site's address
    primary: str  # header background, headings
    on_primary: str  # text on the primary colour
    accent: str
    logo: str  # a data: URI, or "" without a logo


def brand(academy: Academy) -> Brand:
    s = academy.settings
    primary, on_primary = _primary(_name(s.site.primary_color))
    return Brand(title=s.site.title or s.name, home=s.base_url, primary=primary,
                 on_primary=on_primary, accent=_accent(_name(s.site.accent_color)),
                 logo=logo_uri(Path(academy.root), s.site.logo))


def _name(colour: str) -> str:
    return colour.replace(" ", "-").lower()


@cache
def _palette() -> str:
    folder = resources.files("material") / "templates" / "assets" / "stylesheets"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("palette.") and entry.name.endswith(".min.css"):
            return entry.read_text(encoding="utf-8")
    return ""


def _declarations(selector: str) -> dict[str, str]:
    """Custom properties of every rule whose selector list names ``selector`` alone."""
    found: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", _palette()):
        if selector in (part.strip() for part in selectors.split(",")):
            for name, value in re.findall(r"(--md-[\w-]+):([^;]+)", body):
                found[name] = value.strip().replace("var(--md-hue)", HUE)
    return found


def _primary(name: str) -> tuple[str, str]:
    found = _declarations(f"[data-md-color-primary={name}]")
    if "--md-primary-fg-color" not in found:
        return DEFAULT[0], DEFAULT[1]
    return found["--md-primary-fg-color"], found.get("--md-primary-bg-color", DEFAULT[1])


def _accent(name: str) -> str:
    return _declarations(f"[data-md-color-accent={name}]").get("--md-accent-fg-color",
                                                                DEFAULT[2])


def logo_uri(root: Path, logo: str | None) -> str:
    """The logo file as a ``data:`` URI; "" when there is none or it cannot be read."""
    if not logo or containment.repo_path_problem(logo, "site.logo") is not None:
        return ""  # ``trainkit check`` reports a path out of the repository
    path = root / logo
    rel = posixpath.normpath(logo)
    if not path.is_file() or containment.private(rel) or containment.file_problem(
            root.resolve(), rel, published=True) is not None:
        return ""
    stat = path.stat()  # in the key: ``trainkit serve`` rebuilds after the logo changes
    return _logo_uri(path, stat.st_mtime_ns, stat.st_size)


@cache
def _logo_uri(path: Path, mtime_ns: int, size: int) -> str:
    """Cached: every certificate and verification page of a build carries the logo."""
    data = path.read_bytes()
    kind = mimetypes.guess_type(path.name)[0] or ""
    if path.suffix.lower() == ".svg":
        kind = "image/svg+xml"
        try:
            data = svg.sanitise(data)[0]
        except svg.SvgError:
            return ""  # the site build names the file and the problem
    if not kind.startswith("image/"):
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
