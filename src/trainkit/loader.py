"""Read every input file of an academy and check it against its schema.

This is the *gather* half of the pipeline: files are listed, read, parsed
(YAML with positions, CSV with row numbers) and validated. Nothing is
resolved here; :mod:`trainkit.resolve` turns the documents into the model.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from trainkit import schemas
from trainkit.diagnostics import Diagnostic, error, warning
from trainkit.sources import Source
from trainkit.yamlio import CsvRows, Document, YamlError, load_yaml, read_text

_KIND_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^trainkit\.ya?ml$"), "academy"),
    (re.compile(r"^competencies\.ya?ml$"), "competencies"),
    (re.compile(r"^programs/[^/]+/program\.ya?ml$"), "program"),
    (re.compile(r"^programs/[^/]+/cohorts/[^/]+\.ya?ml$"), "cohort"),
    (re.compile(r"^people/instructors/[^/]+\.ya?ml$"), "instructor"),
    (re.compile(r"^people/learners/.+\.ya?ml$"), "learners"),
    (re.compile(r"^venues/[^/]+\.ya?ml$"), "venue"),
    (re.compile(r"^courses/[^/]+/course\.ya?ml$"), "course"),
    (re.compile(r"^courses/[^/]+/quizzes/[^/]+\.ya?ml$"), "quiz"),
    (re.compile(r"^records/revocations\.ya?ml$"), "revocations"),
    (re.compile(r"^records/attendance/.+\.csv$"), "attendance"),
    (re.compile(r"^records/quiz-results/.+\.csv$"), "quiz-results"),
]
_ROW_KIND = {"attendance": "attendance-row", "quiz-results": "quiz-result-row"}
CSV_COLUMNS = {
    "attendance": (("session", "learner", "status"), ("minutes", "note")),
    "quiz-results": (("learner", "quiz", "score", "max", "submitted_at", "attempt"), ()),
}
MAX_CSV_ERRORS = 200


def kind_of(path: str) -> str | None:
    for rx, kind in _KIND_RULES:
        if rx.match(path):
            return kind
    return None


@dataclass
class Loaded:
    """Everything read from a source, grouped by kind, before resolution."""

    documents: dict[str, list[Document]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # Markdown and other course files
    assets: list[str] = field(default_factory=list)  # binary course files (images …)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def of(self, kind: str) -> list[Document]:
        return self.documents.get(kind, [])


ParseCache = dict[str, Document]


def load(source: Source, cache: ParseCache | None = None,
         progress: Callable[[str], None] | None = None) -> Loaded:
    """Read, parse and validate every input file of ``source``.

    ``cache`` (blob id -> validated document) lets callers that load several
    revisions parse an unchanged file once.
    """
    out = Loaded()
    t0 = time.perf_counter()
    raw: dict[str, tuple[str, bytes]] = {}
    for path in source.list():
        kind = kind_of(path)
        if kind is None:
            if path.startswith("courses/"):
                _read_course_file(source, path, out)
            elif path.endswith((".yaml", ".yml")):
                out.diagnostics.append(warning(
                    path, 1, 1, "unknown-file",
                    "trainkit does not read this file; see docs/format.md for where each kind of file goes",
                ))
            continue
        if cache is not None:
            blob = source.blob_id(path)
            if blob is not None and blob in cache:
                hit = cache[blob]
                doc = Document(path, kind, hit.data, list(hit.diagnostics))
                doc.diagnostics = [_repath(d, path) for d in hit.diagnostics]
                out.documents.setdefault(kind, []).append(doc)
                continue
        raw[path] = (kind, source.read(path))
    t1 = time.perf_counter()
    out.timings["read"] = t1 - t0
    if progress:
        progress(f"read {len(raw)} files")
    parsed: list[Document] = []
    for path, (kind, data) in raw.items():
        if kind in CSV_COLUMNS:
            parsed.append(_load_csv(path, kind, data))
        else:
            parsed.append(load_yaml(path, kind, data))
    t2 = time.perf_counter()
    out.timings["parse"] = t2 - t1
    for doc in parsed:
        if doc.data is not None or not doc.diagnostics:
            doc.diagnostics.extend(_validate(doc))
        if cache is not None:
            blob = source.blob_id(doc.path)
            if blob is not None:
                cache[blob] = doc
        out.documents.setdefault(doc.kind, []).append(doc)
    out.timings["validate"] = time.perf_counter() - t2
    for docs in out.documents.values():
        docs.sort(key=lambda d: d.path)
        for doc in docs:
            out.diagnostics.extend(doc.diagnostics)
    return out


def _repath(d: Diagnostic, path: str) -> Diagnostic:
    return Diagnostic(path, d.line, d.col, d.severity, d.code, d.message)


def _read_course_file(source: Source, path: str, out: Loaded) -> None:
    if path.endswith((".md", ".markdown")):
        try:
            out.texts[path] = read_text(path, source.read(path))
        except YamlError as exc:
            out.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
    else:
        out.assets.append(path)


def _validate(doc: Document) -> list[Diagnostic]:
    if doc.kind in _ROW_KIND:
        return _validate_rows(doc)
    return schemas.validate(doc)


def _load_csv(path: str, kind: str, raw: bytes) -> Document:
    doc = Document(path, kind, None)
    try:
        text = read_text(path, raw)
    except YamlError as exc:
        doc.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
        return doc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        doc.diagnostics.append(error(path, 1, 1, "csv-header", "the file is empty; add a header row"))
        return doc
    header = [h.strip() for h in header]
    required, optional = CSV_COLUMNS[kind]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(unknown))
        expected = ",".join(required + optional)
        doc.diagnostics.append(error(
            path, 1, 1, "csv-header", "; ".join(parts) + f"; the header must be: {expected}"
        ))
        return doc
    rows = CsvRows(header)
    width = len(header)
    all_columns = required + optional
    line = reader.line_num
    for record in reader:
        start = line + 1
        line = reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != width:
            doc.diagnostics.append(error(
                path, start, 1, "csv-row",
                f"row has {len(record)} cells but the header has {width}; check for a stray comma",
            ))
            continue
        row = dict(zip(header, record, strict=True))
        for c in all_columns:
            row.setdefault(c, "")
        rows.append(row)
        rows.lines.append(start)
    doc.data = rows
    return doc


def _validate_rows(doc: Document) -> list[Diagnostic]:
    rows = doc.data
    if not isinstance(rows, CsvRows):
        return []
    row_kind = _ROW_KIND[doc.kind]
    out: list[Diagnostic] = []
    for i, row in enumerate(rows):
        if schemas.is_valid(row_kind, row):
            continue
        for err in schemas.errors(row_kind, row):
            column = next((str(p) for p in err.absolute_path), "")
            line, col = rows.locate(i, [column] if column else [])
            value = row.get(column, "")
            message = f"column {column!r}: {value!r} is not valid ({err.message})" if column else err.message
            out.append(error(doc.path, line, col, "csv-row", message))
        if len(out) >= MAX_CSV_ERRORS:
            out.append(error(doc.path, rows.lines[i], 1, "csv-row",
                             f"more than {MAX_CSV_ERRORS} bad rows; fix these first"))
            break
    return out
