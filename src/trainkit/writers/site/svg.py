"""SVG images made inert before they are published.

An SVG opened directly (not through ``<img>``) is a document of the site's
own origin: a ``<script>``, an ``onload=`` attribute or a ``javascript:``
link inside it would run with the site's cookies and storage (the quiz
progress, for one). Course images and files under ``site-extra/`` are
written by many hands and reviewed as pictures, not code, so every SVG the
site publishes goes through :func:`sanitise`:

- ``<script>``, ``<foreignObject>`` (arbitrary HTML inside SVG) and the
  embedding elements ``<iframe>``, ``<embed>``, ``<object>``, ``<handler>``,
  ``<listener>`` are removed with their content;
- every event-handler attribute (``onload``, ``onclick`` …) is removed;
- links (``href``, ``xlink:href``, ``src``) survive only when relative or
  http, https or mailto; ``data:`` is kept for embedded bitmaps only;
- animations (``<set>``, ``<animate>``, ``<animateMotion>``,
  ``<animateTransform>`` …) are removed when they would rewrite a link or an
  event handler (``attributeName`` ``href``, ``xlink:href``, ``src`` or
  ``on…``, whatever its prefix) or when any of their ``to``, ``from``,
  ``by`` or ``values`` is a link that is not safe (``javascript:`` …);
- comments and processing instructions (``<?xml-stylesheet?>``) are dropped,
  since the file is re-serialised from its parsed tree.

A file that is not well-formed XML, or that declares entities (the
"billion laughs" expansion), is refused with its line and column, because
a browser would show it broken anyway and it cannot be checked.

Python's ElementTree never fetches external entities, so parsing is safe.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_DROP = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor", "discard"}
_ANIMATION_VALUES = ("to", "from", "by", "values")
_LINKS = {"href", "src"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_BITMAP = re.compile(r"^data:image/(png|jpeg|gif|webp|avif);", re.I)
_JUNK = re.compile(r"[\x00-\x20]+")


class SvgError(Exception):
    """An SVG that cannot be published: where and why (line and column are 1-based)."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def safe_link(value: str) -> bool:
    """Relative, fragment, http(s), mailto, or a ``data:`` bitmap."""
    flat = _JUNK.sub("", value).lower()  # browsers ignore spaces and controls in schemes
    scheme = _SCHEME.match(flat)
    if scheme is None:
        return True
    if scheme.group(1) == "data":
        return bool(_BITMAP.match(flat))
    return scheme.group(1) in ("http", "https", "mailto")


def _clean_element(element: ET.Element) -> int:
    """Clean ``element``'s attributes and children in place; returns what was removed."""
    removed = 0
    for name in list(element.attrib):
        local = _local(name)
        if local.startswith("on") or (local in _LINKS and not safe_link(element.attrib[name])):
            del element.attrib[name]
            removed += 1
    for child in list(element):
        tag = _local(child.tag) if isinstance(child.tag, str) else ""
        if tag in _DROP or (tag in _ANIMATIONS and _unsafe_animation(child)):
            element.remove(child)
            removed += 1
        else:
            removed += _clean_element(child)
    return removed


def _unsafe_animation(element: ET.Element) -> bool:
    """An animation that targets a link or handler, or animates to an unsafe link.

    ``attributeName`` is plain text to the parser: ``xlink:href`` (or any other
    prefix) names the same link as ``href``, so the prefix is dropped first.
    """
    names = [v for k, v in element.attrib.items() if _local(k) == "attributename"]
    targets = [_local(n).rsplit(":", 1)[-1].strip() for n in names]
    if any(t in _LINKS or t.startswith("on") for t in targets):
        return True
    values = [v for k, v in element.attrib.items() if _local(k) in _ANIMATION_VALUES]
    return any(not safe_link(part) for v in values for part in v.split(";"))


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def sanitise(data: bytes) -> tuple[bytes, int]:
    """The inert form of an SVG file and how many elements or attributes were removed.

    Raises :class:`SvgError` when the file cannot be parsed or declares entities.
    """
    text = data.decode("utf-8", errors="replace")
    entity = text.find("<!ENTITY")
    if entity >= 0:
        line, col = _position(text, entity)
        raise SvgError(line, col, "the SVG declares an XML entity, which is not allowed in "
                       "published images: remove the <!DOCTYPE …> block (editors add it; "
                       "browsers do not need it)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        why = str(exc).rsplit(":", 1)[0]  # the position is reported separately
        raise SvgError(line, col + 1, f"the SVG is not well-formed XML ({why}): open it "
                       "in an editor and save it again as plain SVG") from None
    if _local(root.tag) != "svg":
        raise SvgError(1, 1, f"the file's root element is <{_local(root.tag)}>, not <svg>: "
                       "save it as an SVG image or give it its real extension")
    removed = _clean_element(root)
    out = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out + b"\n", removed
