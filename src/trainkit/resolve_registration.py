"""The ``registration:`` settings of the academy, a program or a cohort."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from trainkit.model import Loc, Registration
from trainkit.yamlio import Document

_DAYS_BEFORE = re.compile(r"^(\d+) days? before$")


def registration(doc: Document, data: dict[str, Any]) -> Registration:
    """The settings written in ``doc`` (unset ones are ``None``); the schema checked the shape."""
    r = data.get("registration")
    if not isinstance(r, dict):
        return Registration()
    line, col = doc.locate(("registration",))
    return Registration(
        channel=r.get("channel"),
        opens=window_edge(r.get("opens")),
        closes=window_edge(r.get("closes")),
        approval=r.get("approval"),
        email=r.get("email"),
        form_url=r.get("form_url"),
        repository=r.get("repository"),
        loc=Loc(doc.path, line, col),
    )


def window_edge(text: str | None) -> date | int | None:
    """``2026-08-01`` as a date, ``3 days before`` as 3, nothing as ``None``."""
    if text is None:
        return None
    m = _DAYS_BEFORE.match(text)
    return int(m.group(1)) if m else date.fromisoformat(text)
