"""Values spelled out completely, as bytes that key a file or a chart.

:func:`spelled` is what :mod:`trainkit.writers.units` hashes to key a file by
the values it is made from, and :mod:`trainkit.writers.memo` to key a chart by
its arguments. Two values that could give different bytes must never have the
same spelling: a ``Markup`` is not a ``str`` (it renders unescaped), a tuple is
not a list, ``True`` is not ``1``, and every field of a dataclass counts,
shown or not. A value that cannot be spelled out completely raises
:class:`Opaque`, and the file is not keyed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import marshal
import operator
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import Enum


class Opaque(Exception):
    """A value :func:`canonical` cannot spell out completely: the file is not keyed."""


_PLAIN = (int, float, bool, type(None), date, datetime, time, timedelta)


def spelled(value: object) -> bytes:
    """:func:`canonical` as bytes, in C when it can be.

    ``marshal`` (format 2: no back-references, so equal values give equal
    bytes) writes exactly the plain types, each with its own code (a tuple is
    not a list, ``True`` is not ``1``), and refuses anything else, a ``str``
    subclass such as ``Markup`` or an enum included; those values, and
    dataclasses, are spelled by :func:`canonical`. The two spellings have
    different prefixes.
    """
    try:
        return b"M\0" + marshal.dumps(value, 2)  # type: ignore[arg-type]
    except ValueError:
        return b"C\0" + canonical(value).encode()


def canonical(value: object) -> str:
    """A text that determines ``value`` completely, or :class:`Opaque`.

    Plain values, lists, tuples, dicts, enums, dataclasses (every field,
    shown or not) and numpy numbers; the type is spelled out for ``str`` subclasses (a
    ``Markup`` renders unescaped) and for containers; ``bytes`` by their
    SHA-256 (a file written as it is: its digest is its content). Anything else (an
    object whose ``repr`` may leave something out) raises :class:`Opaque`.
    """
    parts: list[str] = []
    _spell(value, parts)
    return "".join(parts)


_LEAF = frozenset({str, int, float, bool, type(None)})  # exact types: repr says it all


def _spell(value: object, out: list[str]) -> None:
    kind = type(value)
    how = _HOW.get(kind) or _how(kind)
    if how == "leaf":
        out.append(f"{kind.__name__}:{value!r};")
    # A container of plain values only (most of a page's values: rows of text and
    # numbers) is spelled by its repr, done in C; the tags keep the two spellings apart.
    elif how == "dict" or how == "mapping":
        if how == "dict" and all(type(k) in _LEAF and type(v) in _LEAF
                                 for k, v in value.items()):  # type: ignore[attr-defined]
            out.append(f"D{value!r};")
            return
        out.append("{")
        for k, v in value.items():  # type: ignore[attr-defined]
            _spell(k, out)
            _spell(v, out)
        out.append("}")
    elif how == "list" or how == "sequence":
        if how == "list" and all(type(v) in _LEAF for v in value):  # type: ignore[attr-defined]
            out.append(f"{'L' if kind is list else 'T'}{value!r};")
            return
        out.append(f"{kind.__name__}[")
        for item in value:  # type: ignore[attr-defined]
            _spell(item, out)
        out.append("]")
    elif how == "dataclass":
        fields = _field_values(kind)(value)  # type: ignore[arg-type]
        if all(type(v) in _LEAF for v in fields):  # every field plain: one repr, in C
            out.append(f"{kind.__module__}.{kind.__qualname__}={fields!r};")
            return
        out.append(f"{kind.__module__}.{kind.__qualname__}(")
        for name, field_value in zip(_field_names(kind), fields,  # type: ignore[arg-type]
                                     strict=True):
            out.append(name + "=")
            _spell(field_value, out)
        out.append(")")
    elif how == "plain":
        out.append(f"{kind.__name__}:{value!r};")
    elif how == "str":
        out.append(f"{kind.__module__}.{kind.__qualname__}:{str.__repr__(value)};")  # type: ignore[arg-type]
    elif how == "bytes":
        out.append(f"bytes:{hashlib.sha256(value).hexdigest()};")  # type: ignore[arg-type]
    elif how == "enum":
        out.append(f"{kind.__module__}.{kind.__qualname__}.{value.name};")  # type: ignore[attr-defined]
    elif how == "number" and getattr(value, "shape", None) == ():
        # a numpy number: its value as Python's, under its own type's name
        out.append(f"{kind.__module__}.{kind.__qualname__}:{value.item()!r};")  # type: ignore[attr-defined]
    else:
        raise Opaque(kind.__qualname__)


_HOW: dict[type, str] = {}  # how each type is spelled, found once per type


def _how(kind: type) -> str:
    if kind in _LEAF:
        how = "leaf"
    elif kind is dict:
        how = "dict"
    elif kind is list or kind is tuple:
        how = "list"
    elif issubclass(kind, _PLAIN) and not issubclass(kind, Enum):
        how = "plain"
    elif issubclass(kind, str):
        how = "str"
    elif kind is bytes:
        how = "bytes"
    elif issubclass(kind, Enum):
        how = "enum"
    elif issubclass(kind, list | tuple):
        how = "sequence"  # a subclass: its repr may be its own
    elif issubclass(kind, dict):
        how = "mapping"
    elif dataclasses.is_dataclass(kind):
        how = "dataclass"
    elif callable(getattr(kind, "item", None)):
        how = "number"
    else:
        how = "opaque"
    _HOW[kind] = how
    return how


@functools.cache
def _field_values(kind: type) -> Callable[[object], tuple[object, ...]]:
    """A function giving every field's value of a ``kind`` dataclass, as a tuple."""
    names = _field_names(kind)
    if len(names) == 1:
        only = operator.attrgetter(names[0])
        return lambda value: (only(value),)
    if not names:
        return lambda value: ()
    return operator.attrgetter(*names)  # type: ignore[return-value]


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))
