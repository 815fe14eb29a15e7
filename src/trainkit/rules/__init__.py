"""Cross-file rules.

Each rule is a module in this package with ``CODES`` (the diagnostic codes it
reports, with their default severity), a docstring that is its user
documentation (``trainkit check --list-rules`` prints it) and
``check(academy) -> Iterator[Diagnostic]``. Rules only read the model.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy

MODULES = (
    "duplicate_ids",
    "references",
    "records",
    "timezones",
    "session_times",
    "instructor_overlap",
    "instructor_availability",
    "instructor_hours",
    "instructor_qualification",
    "room_overlap",
    "capacity",
    "learner_overlap",
    "holidays",
    "recurrence",
    "staffing",
    "planning",
    "cohort_status",
    "registration",
    "skills",
    "prerequisites",
    "requirement_cycles",
    "assessments",
    "organisations",
    "finance",
    "answers",
    "quiz_stage",
    "surveys",
    "orders",
    "ledger",
)


@dataclass(frozen=True)
class Rule:
    name: str
    codes: dict[str, str]
    doc: str
    check: Callable[[Academy], Iterator[Diagnostic]]


def _rule(module: ModuleType) -> Rule:
    name = module.__name__.rsplit(".", 1)[-1].replace("_", "-")
    return Rule(name, dict(module.CODES), (module.__doc__ or "").strip(), module.check)


def all_rules() -> list[Rule]:
    return [_rule(importlib.import_module(f"trainkit.rules.{m}")) for m in MODULES]


def run(academy: Academy, select: Callable[[str], bool] | None = None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in all_rules():
        if select is None or select(rule.name):
            out.extend(rule.check(academy))
    return out
