"""Safe YAML reading that keeps the position of every value.

Plain scalars are resolved by the YAML 1.2 core schema
(:mod:`trainkit.load.yamlcore`): dates, times and ``yes``/``no`` stay text for
the JSON Schema to check.

Mappings and sequences come back as :class:`MarkedDict` / :class:`MarkedList`,
which behave as ``dict`` / ``list`` and also remember where each key and item
is, so any pointer into the data can be turned into ``line:col`` later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainkit.diagnostics import Diagnostic, error, warning
from trainkit.load.yamlcore import (
    MAP,
    MAX_DEPTH,
    MERGE,
    SEQ,
    STR,
    Composer,
    YamlError,
    byte_position,
    inside,
    scalar_value,
    stack_room,
    tag_error,
    text_position,
    too_deep,
)

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


class _Builder:
    """Turns a composed node tree into Marked* containers, guarding aliases."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.depth = 0  # nesting of the built value, aliases and merges expanded
        self.duplicates: list[tuple[int, int, str]] = []

    def build(self, node: Node) -> Any:
        """The value of ``node``; deeper than ``MAX_DEPTH`` once expanded is an error.

        The composer's guard counts the nesting written in the file; an alias
        or a ``<<`` merge repeats a whole subtree where it stands, so a chain
        of anchors each holding the previous one nests far deeper than it looks.
        """
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise too_deep(node)
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
            return scalar_value(node)
        mark = node.start_mark
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise tag_error(node)
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
            raise tag_error(node)
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
    loader = Composer(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:  # an undefined alias (a ComposerError) included
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
            line, col = inside(text, (m.line + 1, m.column + 1) if m else (1, 1))
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
        stack_room()
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
        return node.value if node.tag == STR else scalar_value(node)  # type: ignore[arg-type]
    mark = node.start_mark
    if cls is MappingNode:
        if node.tag != MAP:  # a tagged mapping (``!!python/object``) is never constructed
            raise tag_error(node)
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
            raise tag_error(node)
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
    stack_room()
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
