"""Files of the private reports: CSV cells a spreadsheet never runs, JSON, HTML pages."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy
from trainkit.writers.reports.html import ENV
from trainkit.writers.units import same_bytes, scoped, taken_over


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A report table (:func:`csv_report`).

    Keyed by its cells (:func:`taken_over`): rows of plain values are spelled in C,
    which costs a tenth of making the text to compare it with the last build's."""
    rows = rows if isinstance(rows, list) else list(rows)
    if taken_over(path, "csv", header, rows):
        return
    _write(path, csv_report(header, rows))


def csv_report(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A report table's text: every cell neutralised (:func:`safe_cell`), CR and LF
    quoted."""
    return csv_text([safe_cell(c) for c in row] for row in (header, *rows))


def write_scoped(path: Path, key: str | None, make: Callable[[], str]) -> None:
    """A report file keyed by ``key``, the digest of every input it is made from
    (:func:`trainkit.writers.units.scoped`): taken over when the last build's has that
    key, so its text is worked out (``make``) only when it is written."""
    if not scoped(path, key):
        _write(path, make())


def write_json(path: Path, data: Any) -> None:
    _write(path, json_text(data) + "\n")


class Encoded(str):
    """A value already written by :func:`json_text` at the depth where it is placed: a
    learner's row on both the cohort's and the program's file is encoded once."""


def json_text(data: Any, depth: int = 0) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)``, the same text,
    as it reads nested ``depth`` levels deep.

    With ``indent`` the json module encodes in Python, value by value; here a mapping or
    list of plain values (a learner's row) is encoded by its C encoder in one call, the
    indentation given as the separator. Anything unusual (keys that are not text) is left
    to ``json.dumps`` itself.
    """
    return _indented(data, depth)


def _dumped(value: Any, depth: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return text.replace("\n", "\n" + "  " * depth)  # a newline is only ever layout


_PLAIN = {str, int, float, bool, type(None)}  # exactly these: encoded in one call


@cache
def _flat(depth: int) -> json.JSONEncoder:
    """Writes a container of plain values at ``depth``: one value on each line."""
    return json.JSONEncoder(ensure_ascii=False, sort_keys=True,
                            separators=(",\n" + "  " * (depth + 1), ": "))


def _indented(value: Any, depth: int) -> str:
    if type(value) is Encoded:
        return str(value)
    if isinstance(value, str | int | float | type(None)):
        return json.dumps(value, ensure_ascii=False)
    pad, end = "\n" + "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(type(k) is str for k in value):
            return _dumped(value, depth)
        if all(type(v) in _PLAIN for v in value.values()):
            return "{" + pad + _flat(depth).encode(value)[1:-1] + end + "}"
        return "{" + pad + ("," + pad).join(
            json.dumps(k, ensure_ascii=False) + ": " + _indented(v, depth + 1)
            for k, v in sorted(value.items())) + end + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(type(v) in _PLAIN for v in value):
            return "[" + pad + _flat(depth).encode(value)[1:-1] + end + "]"
        return "[" + pad + ("," + pad).join(_indented(v, depth + 1) for v in value) + end + "]"
    return _dumped(value, depth)  # refused as json.dumps refuses it


def write_html(path: Path, template: str, **context: Any) -> None:
    """A report page, keyed by its values (:func:`taken_over`)."""
    if taken_over(path, "html", template, context):
        return
    _write(path, html_report(template, **context))


def html_report(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)


def _write(path: Path, text: str) -> None:
    """``text`` into ``path``, or the last build's file when it holds the same bytes (a
    JSON file is cheaper to compare than to key, as is a CSV file whose cells could not
    be keyed)."""
    data = text.encode("utf-8")
    if same_bytes(path, data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def page(academy: Academy, as_of: datetime, title: str, up: str = "") -> dict[str, Any]:
    """The context every report page shares."""
    return {"lang": academy.settings.locale, "title": title, "academy": academy.settings.name,
            "as_of": f"{as_of:%Y-%m-%d %H:%M} UTC", "up": up}
