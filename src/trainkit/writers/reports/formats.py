"""Files of the private reports: CSV cells a spreadsheet never runs, JSON, HTML pages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy
from trainkit.writers.reports.html import ENV
from trainkit.writers.units import taken_over


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A report table: every cell neutralised (:func:`safe_cell`), CR and LF quoted."""
    cells = ([safe_cell(c) for c in row] for row in (header, *rows))
    _write(path, csv_text(cells))


def write_json(path: Path, data: Any) -> None:
    _write(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def write_html(path: Path, template: str, **context: Any) -> None:
    if taken_over(path, "html", template, context):
        return
    _write(path, ENV.get_template(template).render(**context))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def page(academy: Academy, as_of: datetime, title: str, up: str = "") -> dict[str, Any]:
    """The context every report page shares."""
    return {"lang": academy.settings.locale, "title": title, "academy": academy.settings.name,
            "as_of": f"{as_of:%Y-%m-%d %H:%M} UTC", "up": up}
