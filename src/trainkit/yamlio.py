"""Safe YAML reading that keeps the position of every value.

PyYAML's default (YAML 1.1) resolution turns ``2026-03-01`` into a date,
``09:30`` into the integer 570 and ``NO`` into ``False``. trainkit resolves
plain scalars by the YAML 1.2 *core* schema instead: only ``true``/``false``,
``null``/``~``, decimal, octal (``0o``) and hex (``0x``) integers and floats
are typed; everything else (dates, times, ``yes``/``no``, ``NO``, and
``.inf``/``.nan``, which JSON cannot hold) stays a string for the JSON Schema
to check.

Mappings and sequences come back as :class:`MarkedDict` / :class:`MarkedList`,
which behave as ``dict`` / ``list`` and also remember where each key and item
is, so any pointer into the data can be turned into ``line:col`` later.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainkit.diagnostics import Diagnostic, error, warning

MAX_FILE_BYTES = 64 * 1024 * 1024

Pos = tuple[int, int]
Pointer = Sequence["str | int"]


class MarkedDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the 1-based positions of its keys and values."""

    __slots__ = ("pos", "marks")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        # key -> (key line, key col, value line, value col)
        self.marks: dict[str, tuple[int, int, int, int]] = {}


class MarkedList(list):  # type: ignore[type-arg]
    """A sequence that knows the 1-based position of every item."""

    __slots__ = ("pos", "marks")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.marks: list[Pos] = []


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


def _too_deep(node: Node) -> YamlError:
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


def _stack_room() -> None:
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
            raise _too_deep(parent)

    def ascend_resolver(self) -> None:
        self._depth -= 1


# libyaml composes the node tree in C; PyYAML's pure-Python parser is 10x slower.
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
WITH_LIBYAML: bool = _CParser is not None and getattr(yaml, "__with_libyaml__", False)

if WITH_LIBYAML:

    class _Composer(_DepthGuard, _CParser, CoreResolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            CoreResolver.__init__(self)

        resolve = _resolve

else:  # pragma: no cover - exercised only without libyaml

    class _Composer(  # type: ignore[no-redef]
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


def _scalar(node: ScalarNode) -> Any:
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
    raise _tag_error(node)


def _tag_error(node: Node) -> YamlError:
    return YamlError(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        "yaml-tag",
        f"the YAML tag {node.tag!r} is not allowed; remove it so the value is plain text",
    )


class _Builder:
    """Turns a composed node tree into Marked* containers, guarding aliases."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.depth = 0  # nesting of the built value, aliases and merges expanded
        self.duplicates: list[tuple[int, int, str]] = []

    def build(self, node: Node) -> Any:
        """The value of ``node``; deeper than :data:`MAX_DEPTH` once expanded is an error.

        The composer's guard counts the nesting written in the file; an alias
        or a ``<<`` merge repeats a whole subtree where it stands, so a chain
        of anchors each holding the previous one nests far deeper than it looks.
        """
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _too_deep(node)
            return self._build(node)
        finally:
            self.depth -= 1

    def _build(self, node: Node) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlError(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "yaml-too-large",
                "anchors and aliases expand to far more data than the file holds "
                "(an alias bomb?); write the values out instead of nesting aliases",
            )
        if isinstance(node, ScalarNode):
            return _scalar(node)
        mark = node.start_mark
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise _tag_error(node)
            seq = MarkedList((mark.line + 1, mark.column + 1))
            for item in node.value:
                m = item.start_mark
                seq.marks.append((m.line + 1, m.column + 1))
                seq.append(self.build(item))
            return seq
        if isinstance(node, MappingNode):
            return self._mapping(node)
        raise YamlError(mark.line + 1, mark.column + 1, "yaml-syntax", "unsupported YAML node")

    def _mapping(self, node: MappingNode) -> MarkedDict:
        if node.tag != MAP:
            raise _tag_error(node)
        mark = node.start_mark
        out = MarkedDict((mark.line + 1, mark.column + 1))
        merged: list[MarkedDict] = []
        for knode, vnode in node.value:
            km, vm = knode.start_mark, vnode.start_mark
            if knode.tag == MERGE:
                merged.extend(self._merge_sources(vnode))
                continue
            if not isinstance(knode, ScalarNode):
                raise YamlError(
                    km.line + 1, km.column + 1, "yaml-key", "a key must be plain text"
                )
            key = knode.value
            if key in out:
                self.duplicates.append((km.line + 1, km.column + 1, key))
            out.marks[key] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
            out[key] = self.build(vnode)
        for source in merged:  # explicit keys win over merged ones
            for key, value in source.items():
                if key not in out:
                    out[key] = value
                    out.marks[key] = source.marks[key]
        return out

    def _merge_sources(self, vnode: Node) -> list[MarkedDict]:
        value = self.build(vnode)
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, MarkedDict) for s in sources):
            m = vnode.start_mark
            raise YamlError(
                m.line + 1, m.column + 1, "yaml-merge",
                "'<<' must merge a mapping or a list of mappings",
            )
        return list(sources)


def parse(text: str) -> tuple[Any, list[tuple[int, int, str]]]:
    """Parse one YAML document; return the data and duplicate-key positions."""
    loader = _Composer(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            m = exc.problem_mark or exc.context_mark
            if "expected a single document" in str(exc.context or ""):
                raise YamlError(
                    m.line + 1 if m else 1,
                    m.column + 1 if m else 1,
                    "yaml-syntax",
                    "the file holds more than one YAML document ('---'); keep one per file",
                ) from None
            # libyaml appends 'in "<unicode string>", position N': the position is given already
            problem = (exc.problem or str(exc)).split("\n")[0].strip()
            line, col = _inside(text, (m.line + 1, m.column + 1) if m else (1, 1))
            raise YamlError(line, col, "yaml-syntax", f"invalid YAML: {problem}") from None
        except yaml.YAMLError as exc:
            first = str(exc).split("\n")[0].strip()  # drop libyaml's 'in "<unicode string>"'
            # A reader error (a control character such as NUL) knows its character index.
            line, col = text_position(text, getattr(exc, "position", 0) or 0)
            raise YamlError(line, col, "yaml-syntax", f"invalid YAML: {first}") from None
    finally:
        loader.dispose()
    if node is None:
        return None, []
    if ("&" in text and "*" in text) or "<<" in text:
        # Aliases (an anchor and a reference) or merge keys: the guarded builder.
        _stack_room()
        builder = _Builder(budget=max(10_000, len(text)))
        return builder.build(node), builder.duplicates
    duplicates: list[tuple[int, int, str]] = []
    return _build_tree(node, duplicates), duplicates


def _build_tree(node: Node, duplicates: list[tuple[int, int, str]]) -> Any:
    """The fast path of :class:`_Builder` for a tree without aliases or merges.

    Without aliases every node is built once, so the node count is bounded by
    the text and needs no budget; plain-text values, the vast majority, are
    taken without a call. The result is identical to ``_Builder``'s.
    """
    cls = node.__class__
    if cls is ScalarNode:
        return node.value if node.tag == STR else _scalar(node)  # type: ignore[arg-type]
    mark = node.start_mark
    if cls is MappingNode:
        if node.tag != MAP:  # a tagged mapping (``!!python/object``) is never constructed
            raise _tag_error(node)
        out = MarkedDict((mark.line + 1, mark.column + 1))
        marks = out.marks
        for knode, vnode in node.value:
            km, vm = knode.start_mark, vnode.start_mark
            if knode.__class__ is not ScalarNode:
                raise YamlError(km.line + 1, km.column + 1, "yaml-key", "a key must be plain text")
            key = knode.value
            if key in out:
                duplicates.append((km.line + 1, km.column + 1, key))
            marks[key] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
            if vnode.__class__ is ScalarNode and vnode.tag == STR:
                out[key] = vnode.value
            else:
                out[key] = _build_tree(vnode, duplicates)
        return out
    if cls is SequenceNode:
        if node.tag != SEQ:
            raise _tag_error(node)
        seq = MarkedList((mark.line + 1, mark.column + 1))
        positions = seq.marks
        for item in node.value:
            m = item.start_mark
            positions.append((m.line + 1, m.column + 1))
            if item.__class__ is ScalarNode and item.tag == STR:
                seq.append(item.value)
            else:
                seq.append(_build_tree(item, duplicates))
        return seq
    _stack_room()
    builder = _Builder(budget=1 << 30)  # node subclasses: the general path
    value = builder.build(node)
    duplicates.extend(builder.duplicates)
    return value


@dataclass
class Document:
    """One input file: its repository-relative path, data and positions."""

    path: str
    kind: str
    data: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def locate(self, pointer: Pointer, key: bool = False) -> Pos:
        """``(line, col)`` of the value at ``pointer`` (or of its key).

        A pointer that runs past the data (a missing property) lands on the
        closest enclosing value, which is where the fix belongs.
        """
        node = self.data
        pos: Pos = getattr(node, "pos", (1, 1))
        for i, step in enumerate(pointer):
            if isinstance(node, MarkedDict) and isinstance(step, str) and step in node.marks:
                kl, kc, vl, vc = node.marks[step]
                pos = (kl, kc) if key and i == len(pointer) - 1 else (vl, vc)
                node = node[step]
            elif isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < len(node):
                pos = node.marks[step]
                node = node[step]
            elif isinstance(node, CsvRows) and isinstance(step, int):
                return node.locate(step, pointer[i + 1 :])
            else:
                break
        return pos


class CsvRows(list):  # type: ignore[type-arg]
    """Rows of a CSV file with the physical line of each row and its header."""

    __slots__ = ("header", "lines")

    def __init__(self, header: list[str]) -> None:
        super().__init__()
        self.header = header
        self.lines: list[int] = []

    def locate(self, index: int, rest: Pointer = ()) -> Pos:
        line = self.lines[index] if 0 <= index < len(self.lines) else 1
        col = 1
        if rest and isinstance(rest[0], str) and rest[0] in self.header:
            col = self.header.index(rest[0]) + 1
        return (line, col)


def read_text(path: str, raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(
            1,
            1,
            "file-too-large",
            f"the file is {len(raw) // (1024 * 1024)} MiB; split it into files under "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB",
        )
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(body, exc.start)
        raise YamlError(
            line, col, "encoding",
            f"the file is not UTF-8 (byte 0x{body[exc.start]:02x} here); save it as UTF-8",
        ) from None


_BREAK = re.compile(r"\r\n|\r|\n")


def _inside(text: str, pos: Pos) -> Pos:
    """``pos``, or the end of the text when past it.

    libyaml reports a problem at the end of a file without a final line break
    on the line after the last one.
    """
    lines = _BREAK.split(text)
    if pos[0] <= len(lines):
        return pos
    return len(lines), len(lines[-1]) + 1


def byte_position(raw: bytes, offset: int) -> Pos:
    """1-based ``(line, column)`` of byte ``offset``; the column counts characters."""
    start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", errors="replace")) + 1


def text_position(text: str, index: int) -> Pos:
    """1-based ``(line, column)`` of character ``index`` of ``text``."""
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def load_yaml(path: str, kind: str, raw: bytes) -> Document:
    """Read one YAML file into a :class:`Document`; problems become diagnostics."""
    doc = Document(path, kind, None)
    try:
        data, dups = parse(read_text(path, raw))
    except YamlError as exc:
        doc.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
        return doc
    for line, col, key in dups:
        doc.diagnostics.append(
            warning(path, line, col, "duplicate-key",
                    f"key {key!r} appears twice; the last one wins")
        )
    doc.data = data
    return doc
