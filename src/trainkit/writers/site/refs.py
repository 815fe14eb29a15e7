"""The local files a page of Markdown refers to: what gets published beside it.

Only files a page links (Markdown images and links, reference definitions,
raw HTML ``src=``/``href=``) are copied into the site; an unreferenced file
beside a module stays private, whatever it is.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_HTML = re.compile(r"""\b(?:src|href|poster|data)\s*=\s*["']([^"']+)""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def targets(text: str) -> Iterator[str]:
    """Every link target written in ``text``, without fragment or query, unquoted."""
    for rx in (_INLINE, _DEFINITION, _HTML):
        for found in rx.finditer(text):
            target = found.group(1).split("#", 1)[0].split("?", 1)[0]
            if target and not _SCHEME.match(target) and not target.startswith("/"):
                yield unquote(target)


def local_files(text: str, here: str) -> set[str]:
    """Repository-relative paths that ``text``, written in folder ``here``, links to."""
    out = set()
    for target in targets(text):
        path = posixpath.normpath(posixpath.join(here, target))
        if not path.startswith("../"):
            out.add(path)
    return out
