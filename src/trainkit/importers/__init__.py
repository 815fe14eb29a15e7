"""Importers: the exports people really have, turned into canonical record files.

Attendance: Zoom participant reports, Microsoft Teams attendance reports and
Google Meet attendance reports. Quiz results: Google Forms quiz responses and
Moodle quiz grades. Each format module has ``NAME``, ``detect(table)`` and
``read(text, path, zone)``.
"""

from __future__ import annotations

from types import ModuleType

from trainkit.importers import google_forms, meet, moodle, teams, zoom
from trainkit.importers.common import rows

# Most specific first: a Teams report also has Zoom's "Join Time"/"Leave Time" columns.
ATTENDANCE: dict[str, ModuleType] = {m.NAME: m for m in (teams, meet, zoom)}
QUIZ_RESULTS: dict[str, ModuleType] = {m.NAME: m for m in (google_forms, moodle)}


def detect(formats: dict[str, ModuleType], text: str, path: str = "") -> str | None:
    """The first format (most specific first) whose header columns the text has."""
    table = rows(text, path)
    return next((name for name, module in formats.items() if module.detect(table)), None)
