"""Property-based fuzzing: no input makes trainkit crash, every problem has a place.

Hypothesis mutates the files of a small academy (YAML documents, record
CSVs) and the export fixtures of every importer (Zoom, Teams, Meet, Google
Forms, Moodle, and identity maps), then runs the real commands in-process:

* ``trainkit check`` never exits 3, and every diagnostic is located:
  ``path:line:col`` with a path that exists, ``line >= 1`` and ``col >= 1``,
  and a line inside the file;
* a ``trainkit build`` of an academy with errors exits 1 and leaves the
  previous ``site/`` and ``reports/`` byte for byte as they were; one whose
  numbers sit at the edge of their bounds builds;
* ``trainkit import`` exits 0 or 1; on 1 it names the export (and a line
  inside it, when it gives one) and writes nothing; on 0 the file it wrote
  passes ``trainkit check`` without an error.

CI runs a fixed, derandomised set of examples (well under a minute); run
``python -m pytest tests/test_fuzz.py --fuzz-long`` (or set
``TRAINKIT_FUZZ=long``) for a long randomised run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainkit.cli import main
from trainkit.diagnostics import Severity
from trainkit.importers.common import ImportProblem, decode
from trainkit.pipeline import check_dir

HERE = Path(__file__).parent
SMALL = HERE / "cases" / "small" / "input"
FIX = HERE / "fixtures" / "imports"
LONG = os.environ.get("TRAINKIT_FUZZ", "") == "long"


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings: ``examples`` fixed ones in CI, fifty times as many random ones long."""
    return settings(
        max_examples=examples * 50 if LONG else examples,
        derandomize=not LONG,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much],
    )


# ---------------------------------------------------------------- running commands


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def academy(changes: dict[str, bytes] | None = None) -> Iterator[Path]:
    """A copy of the small academy (s1 attendance left out) with ``changes`` written over it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "academy"
        shutil.copytree(SMALL, root)
        saf_a = root / "records/attendance/saf-a.csv"
        saf_a.write_text("".join(line for line in saf_a.read_text().splitlines(True)
                                 if not line.startswith("saf-a/s1,")))
        for rel, data in (changes or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root


def check_located(root: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run ``trainkit check``: never exit 3, every diagnostic inside an existing file."""
    code, out, err = run("check", "--root", str(root), "--format", "json")
    assert code in (0, 1, 2), err
    assert "Traceback" not in err, err
    problems = json.loads(out) if out.strip() else []
    for d in problems:
        path = root / d["path"]
        assert path.is_file(), d
        lines = physical_lines(path.read_bytes())
        assert 1 <= d["line"] <= lines and d["col"] >= 1, d
    return code, problems


def physical_lines(data: bytes) -> int:
    """Lines as editors count them: CR LF, CR and LF each end one; the last may be empty."""
    return len(re.split(rb"\r\n|\r|\n", data))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_fails_cleanly(root: Path) -> None:
    """A build of an academy with errors exits 1 and leaves the old outputs as they were."""
    site, reports = root.parent / "out/site", root.parent / "out/reports"
    for folder, name in ((site, "index.html"), (reports, "index.csv")):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("previous build\n")
    before = (snapshot(site), snapshot(reports))
    code, _, err = run("build", "--root", str(root), "--site-dir", str(site),
                       "--reports-dir", str(reports), "-q")
    assert code == 1, err
    assert (snapshot(site), snapshot(reports)) == before


# ---------------------------------------------------------------- YAML documents

YAML_FILES = sorted(p.relative_to(SMALL).as_posix() for p in SMALL.rglob("*.yaml"))
NASTY_SCALARS = [
    "99999999h", "9999h", "99999m", "0m", "1e999", "-1e999", ".nan", ".inf", "9" * 60,
    "9" * 5000, "-0", "0x7fffffffffffffff", "0o777777777777777777777", "2199-12-31",
    "1900-01-01", "2026-02-30", "'23:59'", "'24:00'", '"09:00"', "null", "~", "[]", "{}",
    "true", "&a [1, 2]", "*a", "*nowhere", "!!python/object:os.system", '"\\x00"',
    '"\\r=1+1"', "'", '"', "[" * 600, "{a: " * 20, "- - - -", "\t", "１２", "1200", "1201",
    "100000", "100001", "1000", "-5", "0", "99999999", "javascript:alert(1)",
    "../../../etc/passwd", "Europe/Nowhere", "[first-aid, first-aid]", "|\n  block",
    "{<<: {<<: {<<: {x: 1}}}}", "[*a, *a, *a]", "intro", "safety", "basics", "basics/final",
]
KEYS = ["prerequisites", "programs", "courses", "duration", "capacity", "validity_months",
        "refresh", "count", "interval", "attempts", "points", "pass_mark", "date", "start",
        "end", "timezone", "id", "<<", "x", "version", "sessions", "recurrence", "learner"]


@st.composite
def yaml_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """One file of the academy with one to three edits of the kinds people make."""
    rel = draw(st.sampled_from(YAML_FILES))
    lines = (SMALL / rel).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        op = draw(st.sampled_from(["value", "insert", "delete", "duplicate", "text"]))
        value = draw(st.sampled_from(NASTY_SCALARS) | st.text(max_size=30))
        if op == "value" and lines and ":" in lines[at]:
            head = lines[at].split(":", 1)[0]
            lines[at] = f"{head}: {value}"
        elif op == "insert":
            indent = "  " * draw(st.integers(0, 3))
            lines.insert(at, f"{indent}{draw(st.sampled_from(KEYS))}: {value}")
        elif op == "delete" and lines:
            del lines[at:at + draw(st.integers(1, 4))]
        elif op == "duplicate" and lines:
            lines.insert(at, lines[at])
        else:
            lines.insert(at, value)
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass") + b"\n"
    if draw(st.booleans()) and draw(st.booleans()):  # now and then, bytes no editor writes
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\x00", b"\r", b"\xef\xbb\xbf",
                                                  b"\xc3", b"\x1b[31m"])) + data[cut:]
    return rel, data


@fuzz(60)
@given(yaml_mutation())
def test_mutated_yaml_never_crashes_and_every_problem_is_located(
        change: tuple[str, bytes]) -> None:
    rel, data = change
    with academy({rel: data}) as root:
        code, problems = check_located(root)
        if code == 1:
            assert any(p["severity"] == Severity.ERROR.value for p in problems)
            build_fails_cleanly(root)


# Values at the edge of what each bound accepts: check passes and the build must too.
EDGES = {
    "programs/safety/program.yaml": [("duration: 2h", "duration: 9999h"),
                                     ("capacity: 10", "capacity: 100000")],
    "programs/intro/program.yaml": [("validity_months: 3", "validity_months: 1200")],
    "trainkit.yaml": [("locale: en-GB", "locale: en-GB\nfeeds:\n  refresh: 9999h")],
    "programs/safety/cohorts/saf-a.yaml": [
        ('date: 2026-01-20, start: "10:00", end: "12:00"',
         'date: 2199-12-31, start: "23:59", duration: 9999h')],
}


def test_values_at_their_bounds_build() -> None:
    texts = {f: (SMALL / f).read_text(encoding="utf-8") for f in EDGES}
    for f, edits in EDGES.items():
        for old, new in edits:
            assert old in texts[f], (f, old)
            texts[f] = texts[f].replace(old, new, 1)
    with academy({f: t.encode() for f, t in texts.items()}) as root:
        code, problems = check_located(root)
        assert code == 0, problems
        out = root.parent / "out"
        code, _, err = run("build", "--root", str(root), "--site-dir", str(out / "site"),
                           "--reports-dir", str(out / "reports"), "-q", "--only", "reports",
                           "--only", "certificates", "--only", "feeds")
        assert code == 0, err
        feed = (out / "site/calendars/cohorts/saf-a.ics").read_text(encoding="utf-8")
        assert "21991231T2359" in feed


# ---------------------------------------------------------------- record CSVs

CELL_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',"\r\n\x00\t='),
                    max_size=20)
ATTENDANCE_CELLS = {
    "session": st.sampled_from(["saf-a/s1", "saf-a/s2", "nope/x", "saf-a", ""]),
    "learner": st.sampled_from(["l-01", "l-02", "l-99", "L-01", ""]),
    "status": st.sampled_from(["present", "late", "excused", "absent", "gone", ""]),
    "minutes": st.sampled_from(["", "95", "92.5", "-1", "9" * 7, "9" * 400, "1e3", "nan"]),
    "note": CELL_TEXT,
}
QUIZ_CELLS = {
    "learner": ATTENDANCE_CELLS["learner"],
    "quiz": st.sampled_from(["basics/final", "basics/none", "x"]),
    "score": st.sampled_from(["8", "7.5", "11", "-1", "9" * 10, "9" * 400, "inf", ""]),
    "max": st.sampled_from(["10", "0", "9" * 10, "nan"]),
    "submitted_at": st.sampled_from(["2026-01-21T10:00:00Z", "2026-02-30T10:00:00Z",
                                     "2199-12-31T23:59:59+14:00", "1900-01-01T00:00:00-12:00",
                                     "9999-01-01T00:00:00Z", "2026-01-21", ""]),
    "attempt": st.sampled_from(["1", "2", "0", "999999", "1000000", "9" * 5000, "x"]),
}


@st.composite
def record_file(draw: st.DrawFn) -> tuple[str, bytes]:
    kind, cells = draw(st.sampled_from([("attendance", ATTENDANCE_CELLS),
                                        ("quiz-results", QUIZ_CELLS)]))
    header = list(cells)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 5)) == 0:
        header = header[:-1] + [draw(st.sampled_from(["extra", "", "note"]))]
    rows = [[draw(cells.get(h, CELL_TEXT)) for h in header]
            for _ in range(draw(st.integers(0, 6)))]
    buf = io.StringIO()
    csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        [header, *rows])
    data = buf.getvalue().encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b'"', b"\x00", b"\r",
                                                  b'"' + b"x" * 140_000])) + data[cut:]
    if draw(st.integers(0, 4)) == 0:
        data = b"\xef\xbb\xbf" + data
    return f"records/{kind}/fuzz.csv", data


@fuzz(60)
@given(record_file())
def test_record_csv_never_crashes_and_every_problem_is_located(
        change: tuple[str, bytes]) -> None:
    with academy(dict([change])) as root:
        code, _ = check_located(root)
        if code == 1:
            build_fails_cleanly(root)


# ---------------------------------------------------------------- importers

EXPORTS = {  # fixture -> (kind, target)
    "zoom-new.csv": ("attendance", "saf-a/s1"), "zoom-old.csv": ("attendance", "saf-a/s1"),
    "zoom-unique.csv": ("attendance", "saf-a/s1"), "teams.csv": ("attendance", "saf-a/s1"),
    "teams-2021.csv": ("attendance", "saf-a/s1"), "teams-legacy.csv": ("attendance", "saf-a/s1"),
    "meet.csv": ("attendance", "saf-a/s1"), "google-forms.csv": ("quiz-results", "basics/final"),
    "moodle.csv": ("quiz-results", "basics/final"),
}
NASTY_CELLS = [
    "", "-", "n/a", "nan", "inf", "-inf", "1e999", "9" * 400, "7 / 0", "nan / 10",
    "10 / 10", "1 / " + "9" * 30, "GMT+99", "2026/01/21 10:15:02 AM GMT+99",
    "2026/01/21 10:15:02 AM GMT-13:30", "0001-01-01 00:00", "9999-12-31 23:59", "31/31/2026",
    "99:99", "25:00 PM", "1 hr 99999999999999 min", "99999999999:00:00", "Finished",
    "In progress", "Joined", "Left", "Rejoined", "=1+2", "\x00", "\r", '"', "Zoë\r=cmd",
    "priya.shah@acme.test", "tom.late@acme.test", "Grade/0.00", "Grade/abc",
    "Grade/" + "9" * 400, "12:00 PM", "10:01 AM", "1/6/26, 9:55:02 AM", "2026-01-06 10:00",
    "x" * 200,
]


def _delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.count(",") or ln.count("\t")), "")
    return "\t" if first.count("\t") > first.count(",") else ","


@st.composite
def export(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(EXPORTS)))
    text = decode((FIX / name).read_bytes())
    delim = _delimiter(text)
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    for _ in range(draw(st.integers(1, 4))):
        if not table:
            break
        i = draw(st.integers(0, len(table) - 1))
        op = draw(st.sampled_from(["cell", "cell", "drop-row", "drop-cell", "copy-row"]))
        row = table[i]
        if op == "cell" and row:
            row[draw(st.integers(0, len(row) - 1))] = draw(
                st.sampled_from(NASTY_CELLS) | CELL_TEXT)
        elif op == "drop-row":
            del table[i]
        elif op == "drop-cell" and row:
            del row[draw(st.integers(0, len(row) - 1))]
        else:
            table.insert(i, list(row))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(table)
    out = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    data = out.encode(encoding, errors="surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\x00", b'"', b"\r",
                                                  b'"' + b"x" * 140_000])) + data[cut:]
    return name, data


def _lines_of(data: bytes) -> int:
    try:
        text = decode(data)
    except ImportProblem:  # a UTF-8 byte-order mark before bytes that are not UTF-8
        text = data.decode("utf-8", errors="replace")
    return physical_lines(text.encode("utf-8", errors="surrogatepass"))


_LOCATED = re.compile(r"^trainkit import: (?P<path>.+?)(?::(?P<line>\d+))?: ", re.M)


def import_and_check(root: Path, file: Path, kind: str, target: str,
                     *extra: str) -> None:
    """Run one import; exit 0 writes a file check accepts, exit 1 names the file and line."""
    output = root / "records" / kind / "fuzz-import.csv"
    before = snapshot(root / "records")
    flag = "--session" if kind == "attendance" else "--quiz"
    code, _, err = run("import", kind, str(file), flag, target, "--output", str(output),
                       "--root", str(root), *extra)
    assert code in (0, 1), err
    assert "Traceback" not in err, err
    if code == 1:
        assert snapshot(root / "records") == before
        m = _LOCATED.search(err)
        assert m is not None, err
        named = Path(m.group("path"))
        assert named in (file, *(Path(e) for e in extra)), err
        if m.group("line"):
            assert 1 <= int(m.group("line")) <= _lines_of(named.read_bytes()), err
        return
    assert output.is_file()
    result = check_dir(root)
    wrong = [d.text() for d in result.diagnostics
             if d.path == output.relative_to(root).as_posix() and d.severity is Severity.ERROR]
    assert wrong == [], (wrong, output.read_text(encoding="utf-8"))


@fuzz(75)
@given(export())
def test_every_importer_turns_a_broken_export_into_exit_1_or_a_valid_file(
        case: tuple[str, bytes]) -> None:
    name, data = case
    kind, target = EXPORTS[name]
    with academy() as root:
        file = root.parent / name
        file.write_bytes(data)
        extra = ("--identity-map", str(FIX / "identity.yaml"))
        import_and_check(root, file, kind, target, *extra)


@fuzz(25)
@given(st.sampled_from(["identity.yaml", "identity.csv"]),
       st.lists(st.tuples(st.integers(0, 400), st.sampled_from(NASTY_SCALARS) | CELL_TEXT),
                min_size=1, max_size=3))
def test_a_broken_identity_map_is_exit_1_with_its_line_or_is_used(
        name: str, edits: list[tuple[int, str]]) -> None:
    text = (FIX / name).read_text(encoding="utf-8")
    for at, piece in edits:
        cut = min(at, len(text))
        text = text[:cut] + piece + text[cut:]
    with academy() as root:
        identity = root.parent / name
        identity.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        import_and_check(root, FIX / "moodle.csv", "quiz-results", "basics/final",
                         "--identity-map", str(identity))

