"""MkDocs hook: clean the HTML of every page before it reaches the theme.

Copied into the generated project as ``hooks/trainkit_safety.py`` and listed
under ``hooks:`` in ``mkdocs.yml``, so the project still builds with a plain
``mkdocs build``.

Policy for Markdown that the academy writes (program descriptions, course
modules, pages in ``site-extra/``): Markdown is rendered and raw HTML is
allowed, but only an allow-list of harmless tags and attributes survives.
``<script>``, ``<style>``, ``<iframe>``, ``<object>``, forms, event-handler
attributes (``onclick`` …), inline ``style`` and every URL scheme other than
http, https, mailto and webcal (so ``javascript:`` and ``data:``) are removed.
Trusted customisation goes in ``site-extra/overrides/`` (theme templates),
which this hook does not touch. The generated pages pass through the same
filter: a mistake in escaping elsewhere still cannot run a script.
"""

from __future__ import annotations

from typing import Any

import nh3

_GLOBAL = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden",
           "aria-disabled"}
_PER_TAG: dict[str, set[str]] = {
    "a": {"href", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "col": {"span"},
}
_DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed"}
URL_SCHEMES = {"http", "https", "mailto", "webcal"}


def clean(html: str) -> str:
    """The allow-listed form of ``html`` (see the module docstring)."""
    attributes = {tag: attrs | _GLOBAL for tag, attrs in _PER_TAG.items()}
    attributes["*"] = set(_GLOBAL)
    return nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS) | {"figure", "figcaption"},
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=attributes,
        generic_attribute_prefixes={"data-"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def on_page_content(html: str, **kwargs: Any) -> str:
    """MkDocs event: runs after Markdown is rendered, before the page template."""
    return clean(html)
