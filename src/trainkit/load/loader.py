"""Read every input file of an academy and check it against its schema.

This is the *gather* half of the pipeline: files are listed, read, parsed
(YAML with positions, CSV with row numbers) and validated. Nothing is
resolved here; :mod:`trainkit.resolve.academy` turns the documents into the model.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

from trainkit.diagnostics import Diagnostic, Severity, error, warning
from trainkit.load import records as records_io
from trainkit.load import rowchecks, schemas
from trainkit.load.sources import Source
from trainkit.load.yamlcore import YamlError
from trainkit.load.yamlio import Document, load_yaml, read_text

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
    (re.compile(r"^records/evidence/.+\.csv$"), "evidence"),
    (re.compile(r"^records/assessments/.+\.csv$"), "assessments"),
    (re.compile(r"^records/payments/.+\.csv$"), "payments"),
    (re.compile(r"^records/answers/.+\.csv$"), "answers"),
    (re.compile(r"^records/surveys/.+\.csv$"), "surveys"),
    (re.compile(r"^surveys/[^/]+\.ya?ml$"), "survey"),
    (re.compile(r"^roles/[^/]+\.ya?ml$"), "role"),
    (re.compile(r"^organisations/[^/]+\.ya?ml$"), "organisation"),
    (re.compile(r"^records/orders/[^/]+\.ya?ml$"), "order"),
    (re.compile(r"^records/invoices\.ya?ml$"), "invoice-ledger"),
]
_ROW_KIND = rowchecks.ROW_KIND
CSV_COLUMNS = rowchecks.CSV_COLUMNS
MAX_CSV_ERRORS = rowchecks.MAX_CSV_ERRORS


_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# The path segment that is the id of what a file declares (-1: file stem, -2: folder).
_ID_SEGMENT = {"program": -2, "cohort": -1, "instructor": -1, "venue": -1, "course": -2,
               "quiz": -1, "role": -1, "organisation": -1, "survey": -1,
               "order": -1}


def id_problem(path: str, kind: str) -> Diagnostic | None:
    """An error when the file or folder name that gives ``kind`` its id is not an id.

    Ids end up in URLs, calendar UIDs and references typed by hand, so
    ``First Aid`` or ``FA-Lon.yaml`` is refused rather than quietly used.
    """
    segment = _ID_SEGMENT.get(kind)
    if segment is None:
        return None
    parts = path.split("/")
    name = parts[segment].rsplit(".", 1)[0] if segment == -1 else parts[segment]
    if _ID.match(name):
        return None
    what = "file" if segment == -1 else "folder"
    return error(
        path, 1, 1, "id-name",
        f"the {what} name {name!r} is the {kind}'s id and ids use lower-case letters, digits, "
        f"'-', '_' and '.' only; rename the {what} (e.g. {_suggest(name)!r})",
    )


def _suggest(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "x"


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


ParseCache = MutableMapping[str, Document]


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
            if path.startswith("courses/") and not path.endswith((".yaml", ".yml")):
                _read_course_file(source, path, out)
            elif path.endswith((".yaml", ".yml")):
                out.diagnostics.append(warning(
                    path, 1, 1, "unknown-file",
                    "trainkit does not read this file; see docs/format.md for where each "
                    "kind of file goes",
                ))
            continue
        bad_id = id_problem(path, kind)
        if bad_id is not None:
            out.diagnostics.append(bad_id)
        if cache is not None:
            blob = source.blob_id(path)
            if blob is not None and blob in cache:
                hit = cache[blob]
                doc = Document(path, kind, hit.data, list(hit.diagnostics))
                doc.diagnostics = [_repath(d, path) for d in hit.diagnostics]
                out.documents.setdefault(kind, []).append(doc)
                continue
        data = _read(source, path, out, kind)
        if data is not None:
            raw[path] = (kind, data)
    for path, why in getattr(source, "unlisted", ()):
        _unreadable(out, path, why, kind_of(path))
    for path, refused in getattr(source, "refused", ()):
        problem = Diagnostic(path, 1, 1, Severity.ERROR, refused.code, refused.message)
        _keep_unusable(out, path, problem, kind_of(path))
        if path.startswith("courses/") and path.endswith((".md", ".markdown")):
            out.texts[path] = ""  # the module file is there: one error, not "missing" too
    t1 = time.perf_counter()
    out.timings["read"] = t1 - t0
    if progress:
        progress(f"read {len(raw)} files")
    # Record files first: their cells are the bulk of what stays in memory, and
    # made before the YAML parse leaves its garbage, they lie together in fresh
    # memory, which makes every later pass over them (checks, evaluation) faster.
    records = {path: _load_csv(path, kind, data) for path, (kind, data) in raw.items()
               if kind in CSV_COLUMNS}
    parsed = [records[path] if path in records else load_yaml(path, kind, data)
              for path, (kind, data) in raw.items()]
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


def _read(source: Source, path: str, out: Loaded, kind: str | None = None) -> bytes | None:
    """The bytes of ``path``, or ``None`` after reporting why it cannot be read."""
    try:
        return source.read(path)
    except OSError as exc:  # a broken link, a permission, a link loop, a folder
        reason = exc.strerror or type(exc).__name__
        _unreadable(out, path, f"the file cannot be read ({reason}); fix its permissions "
                    "or, for a link, its target", kind)
        return None


def _unreadable(out: Loaded, path: str, why: str, kind: str | None) -> None:
    """Report ``path``; an input file is kept as a document without data.

    So the resolver knows the file is there (see ``resolve.unusable``) and does
    not report every reference to it as unknown.
    """
    _keep_unusable(out, path, error(path, 1, 1, "unreadable", why), kind)


def _keep_unusable(out: Loaded, path: str, problem: Diagnostic, kind: str | None) -> None:
    if kind is None:
        out.diagnostics.append(problem)
    else:
        out.documents.setdefault(kind, []).append(Document(path, kind, None, [problem]))


def _read_course_file(source: Source, path: str, out: Loaded) -> None:
    if path.endswith((".md", ".markdown")):
        data = _read(source, path, out)
        if data is None:
            return
        try:
            out.texts[path] = read_text(path, data)
        except YamlError as exc:
            out.diagnostics.append(error(path, exc.line, exc.col, exc.code, exc.message))
    else:
        out.assets.append(path)


def _validate(doc: Document) -> list[Diagnostic]:
    if doc.kind in _ROW_KIND:
        return []  # checked while parsing, see records_io
    return schemas.validate(doc)


def _load_csv(path: str, kind: str, raw: bytes) -> Document:
    # Record files are parsed and checked row by row in records_io (fast path);
    # bad rows are reported there and left out of the data.
    return records_io.load_csv(path, kind, raw)
