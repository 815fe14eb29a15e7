"""Report JSON is the text ``json.dumps(indent=2, sort_keys=True)`` writes, made faster."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from markupsafe import Markup

from trainkit.writers.reports.formats import Encoded, json_text

TEXTS = ["", "a", "é ü", "line\nbreak", 'q"uote', "back\\slash", "\u2028", "tab\t", "{x}",
         ",\n  ", "💡", "</script>"]


def _dumps(value: Any, depth: int = 0) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return text.replace("\n", "\n" + "  " * depth)


def _value(rnd: random.Random, depth: int) -> Any:
    kind = rnd.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return rnd.choice(TEXTS)
    if kind == 1:
        return rnd.randrange(-5, 10**6)
    if kind == 2:
        return rnd.choice([0.1, 1e20, -0.0, 3.0, float("nan"), float("inf"), 1 / 3])
    if kind == 3:
        return rnd.choice([True, False, None])
    if kind == 4:
        return rnd.choice(TEXTS) + str(rnd.random())
    if kind in (5, 6):
        return {rnd.choice(TEXTS) + str(i): _value(rnd, depth + 1) for i in range(rnd.randrange(4))}
    if kind == 7:
        return [_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    return tuple(_value(rnd, depth + 1) for _ in range(rnd.randrange(3)))


def test_the_same_text_as_json_dumps_at_any_depth() -> None:
    rnd = random.Random(7)
    for _ in range(5000):
        value, depth = _value(rnd, 0), rnd.randrange(3)
        assert json_text(value, depth) == _dumps(value, depth), value


def test_unusual_values_are_written_or_refused_as_json_dumps_does() -> None:
    for odd in [{1: "a"}, {"a": {2: 3}}, {"a": {True: 1}}, [{None: 1}],
                {"x": [1, {"b": 2, "a": [], "c": {}}]}, {"m": Markup("<b>")}]:
        assert json_text(odd) == _dumps(odd), odd
    for bad in [{"a": object()}, [{1, 2}]]:
        with pytest.raises(TypeError):
            json_text(bad)


def test_rows_encoded_once_read_as_if_encoded_in_place() -> None:
    rows = [{"name": "Ann", "share": "50%", "n": 3}, {"name": "Bo \"B\"", "share": "", "n": None}]
    whole = {"as_of": "2026-01-01", "counts": {"completed": 1}, "learners": rows}
    placed = dict(whole, learners=[Encoded(json_text(r, 2)) for r in rows])
    assert json_text(placed) == _dumps(whole)
