"""The JSON Schemas of every document kind, and validation with positions.

Validation runs in two gears: a compiled validator (jsonschema-rs) answers
"valid?" for the great majority of documents at native speed; only a document
that fails is validated again by the reference ``jsonschema`` implementation,
whose error objects carry what a good message needs (the failing keyword, its
value, the schema path). Messages are rewritten for people editing YAML.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from trainkit.diagnostics import Diagnostic, did_you_mean, error
from trainkit.load.yamlio import Document

try:  # the fast gear is optional: without it every document takes the slow path
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised only without the wheel
    jsonschema_rs = None  # type: ignore[assignment]

KINDS = (
    "academy",
    "competencies",
    "program",
    "cohort",
    "instructor",
    "learners",
    "venue",
    "course",
    "quiz",
    "revocations",
    "role",
    "organisation",
    "order",
    "invoice-ledger",
    "attendance-row",
    "quiz-result-row",
    "evidence-row",
    "assessment-result-row",
    "payment-row",
    "answer-row",
    "survey",
    "survey-response-row",
)

_FORMS = {
    "id": "an id (lower-case letters, digits, '-', '_' or '.', starting with a letter or digit)",
    "date": "a date written YYYY-MM-DD (years 1900 to 2199)",
    "time": "a time written HH:MM (24-hour, quoted)",
    "duration": "a duration such as 3h, 45m or 1h30m (at most 9999h and 99999m)",
    "positive_duration": "a duration longer than zero written like 6h, 30m or 1h30m "
                         "(at most 9999h and 99999m)",
    "site_url": "a site address without a query (?…) or fragment (#…), such as "
                "https://academy.example.org/ (page and feed paths are added to it)",
    "timezone": "an IANA time zone name such as Europe/London",
    "datetime": "a date-time with seconds and offset such as 2026-03-04T10:00:00+01:00 "
                "(years 1900 to 2199)",
    "date_or_datetime": "a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM), "
                        "years 1900 to 2199",
    "url": "an http(s) URL",
    "uri": "an http(s) URL",
    "country": "a two-letter ISO country code such as GB",
    "email": "an e-mail address such as hello@example.org",
    "quiz_key": "a quiz named as <course>/<quiz>, such as fire-safety-basics/final",
}


def schema_dir() -> Path:
    """Where the schemas are: inside the installed package, else the source tree."""
    packaged = Path(str(resources.files("trainkit"))) / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas"


@cache
def load_schema(kind: str) -> dict[str, Any]:
    path = schema_dir() / f"{kind}.schema.json"
    with path.open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _slow(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        load_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _fast(kind: str) -> Any:
    if jsonschema_rs is None:
        return None
    return jsonschema_rs.validator_for(load_schema(kind), validate_formats=True)


def is_valid(kind: str, data: Any) -> bool:
    fast = _fast(kind)
    if fast is not None:
        return bool(fast.is_valid(data))
    return bool(_slow(kind).is_valid(data))


def errors(kind: str, data: Any) -> list[ValidationError]:
    """All validation errors of ``data``, one per failing place."""
    out: list[ValidationError] = []
    for err in _slow(kind).iter_errors(data):
        if err.validator in ("anyOf", "oneOf") and err.context and not _alternatives(err):
            out.append(best_match(err.context))
        else:
            out.append(err)
    return out


def validate(doc: Document) -> list[Diagnostic]:
    """Schema problems of one YAML document, each at the line and column it is at."""
    if doc.data is None:
        return [error(doc.path, 1, 1, "schema", "the file is empty; start it with 'version: 1'")]
    if is_valid(doc.kind, doc.data):
        return []
    out: list[Diagnostic] = []
    seen: set[tuple[Any, ...]] = set()
    for err in errors(doc.kind, doc.data):
        # A bad date fails both its pattern and its format: one message is enough.
        form = "form" if err.validator in ("pattern", "format") else err.validator
        key = (tuple(err.absolute_path), form)
        if key in seen:
            continue
        seen.add(key)
        out.append(_diagnostic(doc, err))
    return out


def _diagnostic(doc: Document, err: ValidationError) -> Diagnostic:
    pointer = list(err.absolute_path)
    message, pointer, on_key = _explain(err, pointer, doc.kind)
    line, col = doc.locate(pointer, key=on_key)
    where = _pointer_text(list(err.absolute_path))
    prefix = f"{where}: " if where else ""
    return error(doc.path, line, col, "schema", prefix + message)


def _pointer_text(pointer: list[Any]) -> str:
    text = ""
    for step in pointer:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


@cache
def _def_names(kind: str) -> dict[int, str]:
    """Identity of each ``$defs`` sub-schema -> its name (errors reached via $ref keep it)."""
    return {id(sub): name for name, sub in load_schema(kind).get("$defs", {}).items()}


def _form_name(err: ValidationError, kind: str) -> str | None:
    name = _def_names(kind).get(id(err.schema))
    return _FORMS.get(name.replace("-", "_")) if name else None


def explain(err: ValidationError, kind: str) -> str:
    """The message for one validation error of a ``kind`` document, worded for people."""
    return _explain(err, list(err.absolute_path), kind)[0]


def _explain(err: ValidationError, pointer: list[Any], kind: str) -> tuple[str, list[Any], bool]:
    v, value, inst = err.validator, err.validator_value, err.instance
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = set(err.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed)
        key = extra[0] if extra else ""
        hint = did_you_mean(key, allowed)
        return f"unknown key {key!r}; {hint}", [*pointer, key], True
    if v == "required":
        missing = str(err.message).split("'")[1] if "'" in err.message else str(value)
        given = _if_given(err, kind)
        if given and isinstance(inst, dict) and given in inst:
            return f"{given!r} is given, so {missing!r} is needed too", [*pointer, given], True
        return f"missing required key {missing!r}", pointer, True
    if v == "oneOf" and not err.context and all(
            isinstance(o, dict) and list(o) == ["required"] for o in value):
        names = [str(o["required"][0]) for o in value]  # more than one alternative given
        return ("give only one of " + " or ".join(repr(n) for n in names) + ", not both",
                pointer, False)
    if _alternatives(err):
        names = list(dict.fromkeys(str(c.validator_value[0]) for c in err.context))
        return "needs " + " or ".join(repr(n) for n in names), pointer, True
    if v == "dependentRequired" and isinstance(inst, dict):
        key, need = next((k, d) for k, deps in value.items() if k in inst
                         for d in deps if d not in inst)
        return f"{key!r} is given, so {need!r} is needed too", [*pointer, key], True
    if v == "type":
        want = _article(value) if isinstance(value, str) else " or ".join(map(_article, value))
        got = _describe(inst)
        quotes = want == "text" and not isinstance(inst, dict | list)
        tail = "; put the value in quotes" if quotes else ""
        return f"expected {want}, got {got}{tail}", pointer, False
    if v in ("enum", "const"):
        options = value if v == "enum" else [value]
        if pointer == ["version"]:  # the format version: say what this trainkit reads
            known = " or ".join(str(o) for o in options)
            return (f"{inst!r} is not a format version this trainkit reads ({known}); write "
                    f"'version: {options[-1]}', or upgrade trainkit if the file is newer",
                    pointer, False)
        return (
            f"{inst!r} is not allowed here; use one of: " + ", ".join(str(o) for o in options),
            pointer,
            False,
        )
    if v in ("pattern", "format"):
        form = _form_name(err, kind) or (_FORMS.get(str(value)) if v == "format" else None)
        if form:
            return f"{inst!r} is not {form}", pointer, False
        described = str(err.schema.get("description", "")).replace("`", "")
        if described:
            return f"{inst!r} is not valid here; expected: {described}", pointer, False
        return f"{inst!r} is not valid here ({err.message})", pointer, False
    if v in ("minItems", "minLength") and not inst:
        return "must not be empty", pointer, False
    if v == "minItems":
        return f"needs at least {value} items, has {len(inst)}", pointer, False
    if v == "not":
        hint = err.schema.get("description") or (
            err.parent.schema.get("description") if err.parent else "")
        hint = str(hint or "").replace("`", "")
        hint = hint[:1].lower() + hint[1:]
        return f"not allowed here{'; ' + hint if hint else ''}", pointer, True
    return str(err.message), pointer, False


def _if_given(err: ValidationError, kind: str) -> str | None:
    """For a ``then: {required: [b]}`` under ``if: {required: [a]}``: the key ``a``."""
    steps = list(err.absolute_schema_path)
    if len(steps) < 2 or steps[-2:] != ["then", "required"]:
        return None
    node: Any = load_schema(kind)
    for step in steps[:-2]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    cond = node.get("if") if isinstance(node, dict) else None
    if not isinstance(cond, dict) or set(cond) != {"required"} or len(cond["required"]) != 1:
        return None  # a condition on values ("status: cancelled") needs the generic message
    return str(cond["required"][0])


def _alternatives(err: ValidationError) -> bool:
    """An ``anyOf`` / ``oneOf`` of "this key or that key is required"."""
    return err.validator in ("anyOf", "oneOf") and bool(err.context) and all(
        c.validator == "required" and not c.path for c in err.context)


def _article(word: str) -> str:
    names = {"object": "a mapping", "array": "a list", "integer": "a whole number",
             "number": "a number", "string": "text", "boolean": "true or false"}
    return names.get(word, word)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the text {value!r}"


def iter_kinds() -> Iterator[tuple[str, Path]]:
    for kind in KINDS:
        yield kind, schema_dir() / f"{kind}.schema.json"
