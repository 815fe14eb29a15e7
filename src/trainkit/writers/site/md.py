"""Escaping for the places YAML text lands: Markdown text, HTML, attributes, URLs.

Plain text from YAML (titles, names, notes, reasons) must show as typed and
never become markup. Backslash escapes depend on which Markdown extensions
are enabled, so significant characters are written as numeric character
references instead: every CommonMark and Python-Markdown renderer passes them
through as the literal character, and none of them starts emphasis, a link,
a table cell or an HTML tag. Characters that only matter at the start of a
line (``-``, ``+``, ``1.``) are escaped there. Everything else stays as it is,
so the generated Markdown is readable and cheap to render.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit

_ALWAYS = re.compile(r"[\\`*_{}\[\]()<>&|~^=!#$%:]")
_LEADING = re.compile(r"^(?:[-+]|\d+(?=[.)]))")
_SPACE = re.compile(r"\s+")
# what a YAML double-quoted scalar holds as itself, written by json.dumps
_PRINTABLE = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
SAFE_SCHEMES = ("http", "https", "mailto", "webcal")


def text(value: object) -> str:
    """Inline Markdown that renders exactly ``value`` on one line."""
    flat = _SPACE.sub(" ", str(value)).strip()
    out = _ALWAYS.sub(lambda m: f"&#{ord(m.group(0))};", flat)
    lead = _LEADING.match(out)
    if lead:  # "- x", "+ x", "1. x" would start a list; a character reference is inert
        out = "".join(f"&#{ord(c)};" for c in lead.group(0)) + out[lead.end():]
    return out


def paragraphs(value: str) -> str:
    """Multi-line plain text as Markdown paragraphs (blank lines separate them)."""
    parts = [p for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]
    return "\n\n".join(text(p) for p in parts)


def h(value: object) -> str:
    """Text or attribute value inside raw HTML."""
    return html.escape(str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s)/mailto/webcal URL, else ``None``.

    ``javascript:``, ``data:`` and friends are refused, as are URLs with
    control characters or spaces that browsers would quietly strip.
    """
    if not url or any(ord(c) < 33 or c in '<>"\'`\\' for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url


def link(label: str, target: str) -> str:
    """A Markdown link; ``label`` is plain text, ``target`` a checked URL or a docs path."""
    return f"[{text(label)}]({quote(target, safe='/:#?&=%@+,;~.-_')})"


def ext_link(label: str, url: str | None) -> str:
    """A link to an outside URL, or just the label when the URL is not safe."""
    good = safe_url(url)
    return link(label, good) if good else text(label)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be escaped Markdown (see :func:`text`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("\n", " ") or " " for c in row) + " |" for row in rows]
    return "\n".join(lines)


def stacked(table_md: str) -> str:
    """A table that turns into labelled blocks on phones (see trainkit.css and .js)."""
    return f'<div class="tk-stack" markdown>\n\n{table_md}\n\n</div>'


def front_matter(title: str, **extra: object) -> str:
    """YAML front matter with a title that is safe in Material's templates.

    Material writes ``page.meta.title`` unescaped into ``<title>``, the header
    and the navigation, so the value given here is already HTML-escaped.
    """
    value = h(_SPACE.sub(" ", title).strip())
    if not extra and _PRINTABLE.fullmatch(value):
        # A double-quoted YAML scalar, written as JSON writes a string: YAML's escapes
        # include JSON's, and every character left is one YAML reads as itself (no line
        # breaks such as U+2028, no byte order mark). About 0.1 ms less than the YAML
        # library a page, for the 700 pages a large academy's site makes every build.
        return f"---\ntitle: {json.dumps(value, ensure_ascii=False)}\n---\n\n"
    import yaml

    meta = {**extra, "title": value}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n"


def join_words(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
