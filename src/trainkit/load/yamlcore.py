"""The YAML 1.2 core schema on PyYAML's composer, with a guard on nesting depth.

PyYAML's default (YAML 1.1) resolution turns ``2026-03-01`` into a date,
``09:30`` into the integer 570 and ``NO`` into ``False``. trainkit resolves
plain scalars by the YAML 1.2 *core* schema instead: only ``true``/``false``,
``null``/``~``, decimal, octal (``0o``) and hex (``0x``) integers and floats
are typed; everything else (dates, times, ``yes``/``no``, ``NO``, and
``.inf``/``.nan``, which JSON cannot hold) stays a string for the JSON Schema
to check. The composer is libyaml's when PyYAML has it.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode


class YamlError(Exception):
    """A problem that stops one file from being read."""

    def __init__(self, line: int, col: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message = line, col, code, message


STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"


class CoreResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema resolution of plain scalars."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_CORE = [
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    (MERGE, r"^(?:<<)$", ["<"]),
]

for _tag, _rx, _first in _CORE:
    CoreResolver.add_implicit_resolver(_tag, re.compile(_rx), _first)

# One alternation with the same patterns, tried in the order they were added:
# resolving a scalar is one dictionary-free regex match instead of a loop.
_IMPLICIT = re.compile(
    "(?:" + "|".join(f"(?P<g{i}>{rx[1:-1]})" for i, (_, rx, _) in enumerate(_CORE)) + ")$"
)
_GROUP_TAG = {f"g{i}": tag for i, (tag, _, _) in enumerate(_CORE)}
_FIRST = frozenset(c for _, _, first in _CORE for c in first if c)
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


def _resolve(self: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    """:meth:`CoreResolver.resolve`, without its per-call list building."""
    if kind is ScalarNode:
        if implicit[0]:
            if not value:
                return NULL
            if value[0] in _FIRST:
                m = _IMPLICIT.match(value)
                if m is not None:
                    return _GROUP_TAG[m.lastgroup]  # type: ignore[index]
        return STR
    return SEQ if kind is SequenceNode else MAP


MAX_DEPTH = 500  # nesting levels; real academy files use fewer than ten


def too_deep(node: Node) -> YamlError:
    m = node.start_mark
    return YamlError(
        m.line + 1, m.column + 1, "yaml-too-deep",
        f"values are nested more than {MAX_DEPTH} levels deep (aliases and '<<' merges "
        "counted where they are used); write the data flatter",
    )


# The general builder takes up to four Python frames a level (build, _build,
# _mapping, _merge_sources): MAX_DEPTH levels must fit under the recursion limit.
# Python frames do not grow the C stack (3.11+), so a higher limit is safe.
_FRAMES_NEEDED = 5 * MAX_DEPTH + 1000


def stack_room() -> None:
    """Raise the recursion limit (never lower it) so MAX_DEPTH levels can be built."""
    if sys.getrecursionlimit() < _FRAMES_NEEDED:
        sys.setrecursionlimit(_FRAMES_NEEDED)


class _DepthGuard:
    """Counts nesting while composing, in place of the (unused) path resolvers.

    libyaml's composer recurses on the C stack: a file of 100,000 ``[`` would
    crash the interpreter, not raise. The composer calls these two hooks on
    entering and leaving every node, so the guard stops it early instead.
    """

    _depth = 0

    def descend_resolver(self, parent: Node | None, index: object) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH and parent is not None:
            raise too_deep(parent)

    def ascend_resolver(self) -> None:
        self._depth -= 1


# libyaml composes the node tree in C; PyYAML's pure-Python parser is 10x slower.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
WITH_LIBYAML: bool = _CParser is not None and getattr(yaml, "__with_libyaml__", False)

if WITH_LIBYAML:

    class Composer(_DepthGuard, _CParser, CoreResolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            CoreResolver.__init__(self)

        resolve = _resolve

else:  # pragma: no cover - exercised only without libyaml

    class Composer(  # type: ignore[no-redef]
        _DepthGuard,
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        CoreResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            CoreResolver.__init__(self)

        resolve = _resolve


def scalar_value(node: ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    try:
        return _typed(node, tag, value)
    except ValueError:  # an explicit ``!!int abc`` or ``!!float x``: the value does not fit
        m = node.start_mark
        raise YamlError(
            m.line + 1, m.column + 1, "yaml-tag",
            f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}; remove the '!!' tag "
            "and write the value plainly",
        ) from None


_MAX_DIGITS = 40


def _typed(node: ScalarNode, tag: str, value: str) -> Any:
    if tag == INT:
        if len(value) > _MAX_DIGITS:
            # No count or size is this large, and int() refuses past 4300 digits:
            # as text, the schema reports "expected a whole number".
            return value
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    if tag == FLOAT:
        if value.lower().endswith(("inf", "nan")):
            # JSON (and so JSON Schema) has no infinity or NaN: as text, the schema
            # reports "expected a number" instead of a rule failing on infinity.
            return value
        number = float(value)
        # 1e999 reads as infinity, which JSON cannot hold either: keep the text.
        return number if math.isfinite(number) else value
    if tag == BOOL:
        if value.lower() not in ("true", "false"):
            raise ValueError(value)
        return value[0] in "tT"
    if tag == NULL:
        if value not in ("", "~", "null", "Null", "NULL"):
            raise ValueError(value)
        return None
    # An explicit tag (``!!python/object`` and friends) is never constructed.
    if tag.startswith("tag:yaml.org,2002:") and tag[18:] in ("str", "binary", "timestamp"):
        return value
    raise tag_error(node)


def tag_error(node: Node) -> YamlError:
    return YamlError(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        "yaml-tag",
        f"the YAML tag {node.tag!r} is not allowed; remove it so the value is plain text",
    )


_BREAK = re.compile(r"\r\n|\r|\n")


def inside(text: str, pos: tuple[int, int]) -> tuple[int, int]:
    """``pos``, or the end of the text when past it.

    libyaml reports a problem at the end of a file without a final line break
    on the line after the last one.
    """
    lines = _BREAK.split(text)
    if pos[0] <= len(lines):
        return pos
    return len(lines), len(lines[-1]) + 1


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of byte ``offset``; the column counts characters."""
    start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of character ``index`` of ``text``."""
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
