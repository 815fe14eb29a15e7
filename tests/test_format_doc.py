"""docs/format.md describes what the schemas really accept.

Every property a schema accepts is named in its section of the page, and every
complete YAML example there (one starting with ``version: 1``) validates
against the schema, so the page and the schemas cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from trainkit.load import schemas
from trainkit.load.yamlio import load_yaml

DOC = (Path(__file__).resolve().parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
SECTIONS = {p.split("\n", 1)[0]: p for p in re.split(r"^## ", DOC, flags=re.M)[1:]}
HEADINGS = {
    "academy": "`trainkit.yaml` (academy)",
    "competencies": "`competencies.yaml`",
    "program": "`programs/<program>/program.yaml`",
    "cohort": "`programs/<program>/cohorts/<cohort>.yaml`",
    "instructor": "`people/instructors/<id>.yaml`",
    "learners": "`people/learners/<any>.yaml`",
    "venue": "`venues/<id>.yaml`",
    "course": "`courses/<course>/course.yaml`",
    "quiz": "`courses/<course>/quizzes/<quiz>.yaml`",
    "attendance-row": "Records",
    "quiz-result-row": "Records",
    "revocations": "Records",
    "evidence-row": "Records",
    "assessment-result-row": "Records",
    "payment-row": "Records",
    "answer-row": "Records",
    "survey-response-row": "Records",
    "survey": "`surveys/<id>.yaml`",
    "role": "`roles/<id>.yaml`",
    "organisation": "`organisations/<id>.yaml`",
    "order": "`records/orders/<id>.yaml`",
    "invoice-ledger": "`records/invoices.yaml`",
}


def _properties(node: Any, path: str, defs: dict[str, Any], seen: tuple[str, ...] = ()
                ) -> list[tuple[str, str]]:
    """(dotted path, key) of every property reachable from ``node``."""
    out: list[tuple[str, str]] = []
    if not isinstance(node, dict):
        return out
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/") and ref[8:] not in seen:
        out += _properties(defs[ref[8:]], path, defs, (*seen, ref[8:]))
    for key, sub in node.get("properties", {}).items():
        dotted = f"{path}.{key}" if path else key
        out.append((dotted, key))
        out += _properties(sub, dotted, defs, seen)
    for key in ("items", "additionalProperties"):
        out += _properties(node.get(key), f"{path}[]", defs, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, []):
            out += _properties(sub, path, defs, seen)
    return out


def test_every_kind_has_a_section() -> None:
    assert set(HEADINGS) == set(schemas.KINDS)
    assert set(HEADINGS.values()) <= set(SECTIONS)


@pytest.mark.parametrize("kind", sorted(HEADINGS))
def test_every_property_is_documented(kind: str) -> None:
    schema = schemas.load_schema(kind)
    section = SECTIONS[HEADINGS[kind]]
    missing = sorted({
        dotted for dotted, key in _properties(schema, "", schema.get("$defs", {}))
        if not re.search(r"(^|[\s`{,\[(|])" + re.escape(key) + r"(\s*:|`|\s*\|)", section)
    })
    assert missing == [], f"docs/format.md does not mention these {kind} keys"


@pytest.mark.parametrize("kind", sorted(k for k in HEADINGS if not k.endswith("-row")))
def test_examples_validate(kind: str) -> None:
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", SECTIONS[HEADINGS[kind]], re.S)
              if b.startswith("version: 1") or "\nversion: 1" in b]
    if kind == "revocations":
        blocks = [b for b in blocks if "revocations:" in b]
    assert blocks, f"no complete {kind} example in docs/format.md"
    for text in blocks:
        doc = load_yaml(f"format.md:{kind}", kind, text.encode())
        found = list(doc.diagnostics) + schemas.validate(doc)
        # '…' marks an elided value in the page, e.g. 'https://…'
        assert [d.text() for d in found if "…" not in d.message] == []
