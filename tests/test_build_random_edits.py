"""Random edits, each rebuilt incrementally to the bytes of a build from scratch.

``test_build_incremental`` walks a fixed list of edits; this one makes
edits of many kinds at random places of the demo academy (a fixed seed, so
the same ones every run): a date, time, number, status or name in a YAML
file changed, an item of a list removed, a row of a record file removed, a
Markdown page extended, a cohort file renamed, a file deleted. An edit that
makes the academy invalid is undone and does not count. After each of the
others, the same output folders are rebuilt with the build cache and
compared, byte for byte, with a build from scratch.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from test_build_incremental import _build, _tree
from test_site_support import copy_demo
from trainkit.pipeline import check_dir

SEED = 5
EDITS = 8  # valid edits made and rebuilt
TRIES = 60
STATUSES = ("enrolled", "withdrawn", "waitlisted", "scheduled", "cancelled", "present",
            "late", "absent", "open", "closed")
SCALAR = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*): (\S.*)$")
IDS = {"id", "learner", "program", "venue", "room", "course", "quiz", "cohort", "lead",
       "version", "organisation", "competency"}


def _changed(rng: random.Random, value: str) -> str | None:
    quote = value[0] if value[:1] in "'\"" and value[-1:] == value[:1] else ""
    bare = value[1:-1] if quote else value
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", bare):
        new = (dt.date(*map(int, m.groups())) + dt.timedelta(days=rng.choice((-7, 1, 2, 30))))
        return f"{quote}{new.isoformat()}{quote}"
    if m := re.fullmatch(r"(\d\d):(\d\d)", bare):
        minutes = (int(m[1]) * 60 + int(m[2]) + rng.choice((-60, -30, 30))) % 1440
        return f"{quote}{minutes // 60:02d}:{minutes % 60:02d}{quote}"
    if bare.isdigit():
        return f"{quote}{int(bare) + 1}{quote}"
    if bare in STATUSES:
        return f"{quote}{rng.choice(STATUSES)}{quote}"
    if bare[:1] in "[{" or " #" in bare:
        return None
    return f"{quote}{bare} (revised){quote}"


def _edit(rng: random.Random, root: Path) -> str | None:
    """One random edit of a file under ``root``; what it did, or None when none applied."""
    files = sorted(p for p in root.rglob("*") if p.is_file()
                   and p.suffix in (".yaml", ".csv", ".md")
                   and not any(part.startswith(".") or part == "docs"
                               for part in p.relative_to(root).parts))
    # cohorts (sessions, enrollments, staff) are where most edits land
    cohorts = [p for p in files if p.parent.name == "cohorts"]
    path = rng.choice(cohorts if cohorts and rng.random() < 0.35 else files)
    rel = path.relative_to(root).as_posix()
    kind = rng.random()
    if kind < 0.06:
        path.unlink()
        return f"{rel}: deleted"
    if kind < 0.12 and "/cohorts/" in rel:
        path.rename(path.with_name(f"{path.stem}-b.yaml"))
        return f"{rel}: renamed"
    lines = path.read_text(encoding="utf-8").split("\n")
    if path.suffix == ".md":
        lines.append("Another paragraph, added.\n")
        what = "paragraph added"
    elif path.suffix == ".csv":
        rows = [i for i, line in enumerate(lines) if i and line.strip()]
        if not rows:
            return None
        what = f"row removed: {lines.pop(rng.choice(rows))[:60]}"
    elif kind < 0.3:  # a list item and what it holds
        starts = [i for i, line in enumerate(lines) if re.match(r"\s*- \w[\w-]*: ", line)]
        if not starts:
            return None
        i = rng.choice(starts)
        indent = len(lines[i]) - len(lines[i].lstrip())
        end = i + 1
        while end < len(lines) and lines[end].strip() and not lines[end].lstrip().startswith(
                "- ") and len(lines[end]) - len(lines[end].lstrip()) > indent:
            end += 1
        what = f"item removed: {lines[i].strip()}"
        del lines[i:end]
    else:
        places = [i for i, line in enumerate(lines) if SCALAR.match(line)]
        rng.shuffle(places)
        for i in places:
            m = SCALAR.match(lines[i])
            assert m is not None
            new = None if m[2] in IDS else _changed(rng, m[3])
            if new is not None:
                what = f"{m[2]}: {m[3]} -> {new}"
                lines[i] = f"{m[1]}{m[2]}: {new}"
                break
        else:
            return None
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{rel}: {what}"


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".trainkit-cache" not in p.parts}


def _restore(root: Path, saved: dict[Path, bytes]) -> None:
    for p in root.rglob("*"):
        if p.is_file() and ".trainkit-cache" not in p.parts and p not in saved:
            p.unlink()
    for p, data in saved.items():
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)


def test_random_edits_rebuild_to_the_bytes_of_a_build_from_scratch(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    out = tmp_path / "out"
    _build(root, out)
    rng = random.Random(SEED)
    made: list[str] = []
    for _ in range(TRIES):
        saved = _snapshot(root)
        what = _edit(rng, root)
        if what is None or check_dir(root).errors:
            _restore(root, saved)  # not an edit the academy takes: undone, not counted
            continue
        made.append(what)
        _build(root, out)
        scratch = tmp_path / f"scratch-{len(made)}"
        _build(root, scratch, cache=False, jobs=1)
        for side in ("site", "reports"):
            assert _tree(out / side) == _tree(scratch / side), f"after {made}: {side}/ differs"
        if len(made) == EDITS:
            break
    assert len(made) == EDITS, made  # the seed makes enough valid edits to mean something
