"""Round-trip YAML editing that keeps a file as people wrote it.

ruamel.yaml's round-trip mode keeps comments, key order, quoting, flow or
block style and blank lines; this module adds what an edit needs on top:
the file's own indentation, values added in block style, and the blank
lines and comments that follow the last item of a list staying below the
item appended after it (ruamel attaches them to the last value, so an
appended item would otherwise land under them). A file whose layout the
round trip cannot reproduce exactly is refused instead of being re-dumped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError
from ruamel.yaml.tokens import CommentToken

Pointer = Sequence[str | int]

_KEY = re.compile(r"^( *)(- +)?[^\s#:-][^:#]*:(\s|$)")
_DASH = re.compile(r"^( *)- ")


class EditError(Exception):
    """An edit that cannot be made; ``line`` and ``col`` are 1-based (0: the whole file)."""

    def __init__(self, path: str, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.path, self.message, self.line, self.col = path, message, line, col


class YamlDocument:
    """One YAML file opened for editing; :meth:`dump` gives its new text."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.original = path, text
        self._crlf = "\r\n" in text  # a Windows file stays one
        plain = text.replace("\r\n", "\n") if self._crlf else text
        # ruamel.yaml drops comments above a '---' line: they are kept apart, as written.
        self._head, plain = _split_start(plain)
        self._yaml = _round_trip(plain)
        try:
            self.root: Any = self._yaml.load(plain)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            raise EditError(path, f"cannot be edited: {exc.problem}; fix the file first",
                            line, col) from exc
        if self.dump() != text:
            raise EditError(path, "cannot be edited without changing its layout elsewhere "
                            "(unusual indentation or line breaks); make the change by hand")

    def dump(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.root, out)
        text = self._head + out.getvalue()
        return text.replace("\n", "\r\n") if self._crlf else text

    @property
    def changed(self) -> bool:
        return self.dump() != self.original

    # ------------------------------------------------------------ reading

    def get(self, pointer: Pointer, default: Any = None) -> Any:
        """The value at ``pointer`` (keys and list indexes), or ``default``."""
        node = self.root
        for step in pointer:
            if not _has(node, step):
                return default
            node = node[step]
        return node

    def find(self, pointer: Pointer, key: str, value: Any) -> int | None:
        """Index of the first mapping in the list at ``pointer`` whose ``key`` is ``value``."""
        items = self.get(pointer)
        if not isinstance(items, list):
            return None
        return next((i for i, item in enumerate(items)
                     if isinstance(item, Mapping) and item.get(key) == value), None)

    def line_of(self, pointer: Pointer) -> int:
        """1-based line where the value at ``pointer`` starts (0 if unknown)."""
        parent = self.get(pointer[:-1]) if pointer else None
        if isinstance(parent, CommentedMap) and pointer[-1] in parent:
            return int(parent.lc.key(pointer[-1])[0]) + 1
        if isinstance(parent, CommentedSeq) and isinstance(pointer[-1], int):
            return int(parent.lc.item(pointer[-1])[0]) + 1
        return 0

    # ------------------------------------------------------------ changing

    def set(self, pointer: Pointer, value: Any, *, after: Sequence[str] = ()) -> None:
        """Set the value at ``pointer``; a new key goes after the last of ``after`` present.

        Without such a key a new key goes at the end of its mapping.
        """
        parent, step = self._parent(pointer)
        value = _node(value)
        if isinstance(parent, CommentedSeq) and isinstance(step, int):
            parent[step] = value
            return
        if not isinstance(parent, CommentedMap) or not isinstance(step, str):
            raise EditError(self.path, f"{_show(pointer)} is not a place a value can be set")
        if step in parent:
            parent[step] = value
            return
        keys = list(parent)
        before = [keys.index(k) + 1 for k in after if k in parent]
        _insert(parent, max(before) if before else len(keys), step, value)

    def append(self, pointer: Pointer, item: Any, *, after: Sequence[str] = ()) -> int:
        """Append ``item`` to the list at ``pointer`` (made, in block style, when missing).

        Returns the new item's index.
        """
        items = self.get(pointer)
        if items is None:
            self.set(pointer, [item], after=after)
            return 0
        if not isinstance(items, CommentedSeq):
            raise EditError(self.path, f"{_show(pointer)} is not a list")
        if not items:
            items.fa.set_block_style()
        tail = _take_tail(items)
        items.append(_node(item))
        if tail:
            _put_tail(items, tail)
        return len(items) - 1

    def remove(self, pointer: Pointer) -> None:
        """Remove a list item or a mapping key; what followed the last one stays in place."""
        parent, step = self._parent(pointer)
        last = isinstance(parent, list) and step in (len(parent) - 1, -1) or (
            isinstance(parent, CommentedMap) and list(parent)[-1:] == [step])
        tail = _take_tail(parent) if last else None
        del parent[step]
        if tail and parent:
            _put_tail(parent, tail)

    def _parent(self, pointer: Pointer) -> tuple[Any, str | int]:
        if not pointer:
            raise EditError(self.path, "an edit needs a place in the document")
        parent = self.get(pointer[:-1])
        if not isinstance(parent, (CommentedMap, CommentedSeq)):
            raise EditError(self.path, f"{_show(pointer[:-1])} is missing or not a collection")
        return parent, pointer[-1]


def _has(node: Any, step: str | int) -> bool:
    if isinstance(node, Mapping):
        return isinstance(step, str) and step in node
    return isinstance(node, list) and isinstance(step, int) and -len(node) <= step < len(node)


def _round_trip(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never fold a long line the author did not fold
    mapping, sequence, offset = guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _split_start(text: str) -> tuple[str, str]:
    """``(lines up to and including a leading '---' line, the rest)``; no marker: ``("", text)``."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            if line.rstrip() == "---":
                return "".join(lines[: i + 1]), "".join(lines[i + 1:])
            break
    return "", text


def guess_indent(text: str) -> tuple[int, int, int]:
    """``(mapping, sequence, offset)`` indentation as ruamel.yaml counts it.

    Taken from the first nested mapping key and the first list item below a
    key; 2, 4, 2 (the layout of the files trainkit writes) when the file shows none.
    """
    mapping: int | None = None
    dash: tuple[int, int] | None = None
    parent: int | None = None  # indentation of the previous line when it opens a block
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        d = _DASH.match(line)
        if parent is not None and indent >= parent:
            if d and dash is None:
                dash = (indent - parent, len(d.group(0)) - indent)
            elif not d and mapping is None and indent > parent:
                mapping = indent - parent
        opens = not d and _KEY.match(line) and line.split("#")[0].rstrip().endswith(":")
        parent = indent if opens else None
        if mapping is not None and dash is not None:
            break
    offset, width = dash if dash else (2, 2)
    return mapping or 2, offset + width, offset


def _node(value: Any) -> Any:
    """Plain values as round-trip nodes, collections in block style."""
    if isinstance(value, CommentedBase):
        return value
    if isinstance(value, Mapping):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _node(v)
        return out
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(_node(v) for v in value)
        return seq
    if isinstance(value, (str, int, float, bool, date)) or value is None:
        return value
    raise TypeError(f"cannot write a {type(value).__name__} to YAML")


def _insert(parent: CommentedMap, pos: int, key: str, value: Any) -> None:
    tail = _take_tail(parent) if pos == len(parent) else None
    parent.insert(pos, key, value)
    if tail:
        _put_tail(parent, tail)


def _take_tail(node: Any) -> str | None:
    """Remove and return the lines (blank or comments) after the last value of ``node``.

    The end-of-line comment of that value stays where it is.
    """
    if not isinstance(node, (CommentedMap, CommentedSeq)) or not node:
        return None
    last: Any = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    child = node[last]
    if isinstance(child, (CommentedMap, CommentedSeq)) and child and not child.fa.flow_style():
        return _take_tail(child)
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.get(last)
    token = entry[slot] if entry and len(entry) > slot else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return None
    keep, _, moved = token.value.partition("\n")
    if not moved:
        return None
    token.value = keep + "\n"
    return moved


def _put_tail(node: Any, text: str) -> None:
    """Put ``text`` (lines taken by :func:`_take_tail`) after the last value of ``node``."""
    last: Any = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    child = node[last]
    if isinstance(child, (CommentedMap, CommentedSeq)) and child and not child.fa.flow_style():
        _put_tail(child, text)
        return
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.setdefault(last, [None, None, None, None])
    old = entry[slot]
    if isinstance(old, CommentToken):
        old.value = old.value + text if old.value.endswith("\n") else old.value + "\n" + text
    else:
        entry[slot] = CommentToken("\n" + text, CommentMark(0), None)


def _show(pointer: Pointer) -> str:
    return ".".join(str(p) for p in pointer) or "the document"
