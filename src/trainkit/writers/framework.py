"""``site/competencies/case.json``: the competency framework as a CASE 1.1 CFPackage.

Public (it names competencies, never people), so the ``alignment`` of every
Open Badge credential resolves. Dated with the build epoch.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from trainkit.outcomes.skills.framework import CASE_PATH, package


def write(ctx: Any) -> None:
    if not ctx.academy.competencies:
        return
    data = package(ctx.academy, ctx.epoch.astimezone(UTC))
    target = ctx.public / CASE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8",
                      newline="\n")
