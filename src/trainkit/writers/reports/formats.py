"""Files of the private reports: CSV cells a spreadsheet never runs, JSON, HTML pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from trainkit.model import Academy
from trainkit.writers.reports.html import ENV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    _write(path, buf.getvalue())


def write_json(path: Path, data: Any) -> None:
    _write(path, json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def write_html(path: Path, template: str, **context: Any) -> None:
    _write(path, ENV.get_template(template).render(**context))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def page(academy: Academy, as_of: datetime, title: str, up: str = "") -> dict[str, Any]:
    """The context every report page shares."""
    return {"lang": academy.settings.locale, "title": title, "academy": academy.settings.name,
            "as_of": f"{as_of:%Y-%m-%d %H:%M} UTC", "up": up}
