"""MkDocs + Material against Zensical on the same generated project.

    python benchmarks/bench_engines.py [--scale 0.1] [--repeat 3] [--demo] [--work DIR]
        [--zensical PATH]

Makes the MkDocs project ``trainkit build`` generates (of the synthetic
academy at ``--scale``, or of the demo academy with ``--demo``), then, in
alternating rounds and in CPU time of the child processes:

* full build: ``mkdocs build --strict`` against ``zensical build --strict
  --clean`` (Zensical's cache emptied);
* one-cohort rebuild: one session of one cohort moves, the project is made
  again and only the files whose bytes changed are written (the pages that
  show that cohort); MkDocs has no correct incremental mode (``--dirty``
  skips the pages that link to the changed one and writes a search index of
  only the rebuilt pages), so its rebuild is a full build; Zensical rebuilds
  with its cache;

then the parity of the two outputs (pages, search index, quiz and live
scripts, subscribe links, trainkit's page markers, the HTML safety hook) and
whether each engine builds byte-identical output twice.

Zensical is not a dependency of trainkit: install it beside (``pip install
zensical``) or name its command with ``--zensical``. Zensical's templates
are MiniJinja, which has no ``str.rstrip``: the copy it builds has the one
place trainkit's 404 template uses it rewritten (reported below).

This benchmark informs a decision (docs/architecture.md, "Site engine");
it has no target and exits 1 only when an engine fails to build.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import re
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_engines import html_pages, mkdocs_project  # noqa: E402
from synth import generate  # noqa: E402
from timing import alternate, cpu_of_child, environment  # noqa: E402

EPOCH = datetime(2026, 3, 1, tzinfo=UTC)
REPO = Path(__file__).resolve().parent.parent
UNSAFE = """---
title: Unsafe
---
# Unsafe

<div onclick="steal()">click</div>

<script>alert(1)</script>

[a link](javascript:alert(2))
"""


def zensical_compatible(project: Path) -> None:
    """The one template construct MiniJinja lacks, written the way both engines read."""
    page = project / "overrides/404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("base_url.rstrip('/')", "base_url"),
                    encoding="utf-8")


def sync(fresh: Path, project: Path) -> int:
    """Copy the files of ``fresh`` whose bytes differ into ``project``; how many."""
    changed = 0
    for path in fresh.rglob("*"):
        if not path.is_file():
            continue
        target = project / path.relative_to(fresh)
        if not target.is_file() or not filecmp.cmp(path, target, shallow=False):
            shutil.copyfile(path, target)
            changed += 1
    return changed


def move_one_session(root: Path, forward: bool) -> Path:
    """Move the first listed session of the first cohort by half an hour (or back)."""
    for path in sorted((root / "programs").glob("*/cohorts/*.yaml")):
        text = path.read_text(encoding="utf-8")
        pattern = (r'(    start: ")(\d\d):00(")', r"\g<1>\g<2>:30\3") if forward else \
            (r'(    start: ")(\d\d):30(")', r"\g<1>\g<2>:00\3")
        moved = re.sub(pattern[0], pattern[1], text, count=1)
        if moved != text:
            path.write_text(moved, encoding="utf-8")
            return path
    raise SystemExit("no cohort with a listed session to move")


def mkdocs(project: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    env = environment(SOURCE_DATE_EPOCH=str(int(EPOCH.timestamp())), NO_MKDOCS_2_WARNING="1")
    return cpu_of_child([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                         str(project / "mkdocs.yml"), "-d", str(out)], env=env).cpu


def zensical(command: str, project: Path, clean: bool) -> float:
    argv = [command, "build", "--strict", *(["--clean"] if clean else [])]
    return cpu_of_child(argv, cwd=project).cpu


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def markers(site: Path) -> Counter[str]:
    """What trainkit's pages carry, counted over the whole site."""
    found: Counter[str] = Counter()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r'class="(tk-[a-z-]+)', text))
        found["webcal links"] += text.count('href="webcal://')
        found["google links"] += text.count('href="https://calendar.google.com')
        found["trainkit.js"] += text.count("assets/trainkit/trainkit.js")
        found["live.js"] += text.count("assets/trainkit/live.js")
    return found


def search_index(site: Path) -> str:
    for name in ("search/search_index.json", "search.json"):
        if (site / name).is_file():
            return f"{name} ({(site / name).stat().st_size / 1e3:,.0f} kB)"
    return "none"


def hook_runs(project: Path, command: str, work: Path) -> tuple[bool, bool]:
    """Does each engine run the HTML safety hook? (script, handler and link removed)"""
    copy = work / "unsafe"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".cache"))
    (copy / "docs/unsafe.md").write_text(UNSAFE, encoding="utf-8")
    mkdocs(copy, copy / "mk")
    zensical(command, copy, True)
    clean = []
    for out in (copy / "mk", copy / "site"):
        html = (out / "unsafe/index.html").read_text(encoding="utf-8")
        clean.append(not any(s in html for s in ("onclick", "<script>alert", "javascript:")))
    return clean[0], clean[1]


def parity(project: Path, command: str, work: Path) -> None:
    mk, zs = work / "mkdocs-site", project / "site"
    mkdocs(project, mk)  # the project as Zensical last built it
    print(f"pages: MkDocs {html_pages(mk)}, Zensical {html_pages(zs)}")
    print(f"search index: MkDocs {search_index(mk)}, Zensical {search_index(zs)}")
    a, b = markers(mk), markers(zs)
    differ = {k: (a[k], b[k]) for k in sorted(set(a) | set(b)) if a[k] != b[k]}
    print(f"trainkit markers, scripts and subscribe links: {sum(a.values())} in MkDocs' output, "
          f"{sum(b.values())} in Zensical's; differing: {differ or 'none'}")
    safe_mk, safe_zs = hook_runs(project, command, work)
    print(f"HTML safety hook (hooks/trainkit_safety.py) applied: MkDocs {safe_mk}, "
          f"Zensical {safe_zs}")


def determinism(project: Path, command: str, work: Path) -> None:
    mkdocs(project, work / "mk-a")
    mkdocs(project, work / "mk-b")
    zensical(command, project, True)
    first = digest(project / "site")
    zensical(command, project, True)
    print(f"byte-identical twice: MkDocs {digest(work / 'mk-a') == digest(work / 'mk-b')}, "
          f"Zensical {first == digest(project / 'site')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1,
                        help="synthetic academy size (1.0: 2,000 cohorts, 2,727 pages)")
    parser.add_argument("--demo", action="store_true", help="the demo academy instead")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--work", type=Path, help="keep generated files here")
    parser.add_argument("--zensical", default="zensical", help="the zensical command")
    args = parser.parse_args(argv)
    if shutil.which(args.zensical) is None:
        print(f"{args.zensical} not found: pip install zensical (or --zensical PATH)")
        return 1
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    if args.demo:
        root = work / "academy"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
            ".git", "site", "reports", "tests", "benchmarks", "src", ".ci", "__pycache__"))
    else:
        root = work / "academy"
        if not (root / "trainkit.yaml").is_file():
            s = args.scale
            generate(root, programs=max(1, int(200 * s)), cohorts=max(1, int(2000 * s)),
                     sessions=max(1, int(20000 * s)), instructors=max(1, int(500 * s)),
                     learners=max(1, int(100000 * s)))
    project = work / "project"
    pages = mkdocs_project(root, project, EPOCH)
    zensical_compatible(project)
    print(f"generated MkDocs project: {pages} Markdown pages ({'demo' if args.demo else root})")
    zensical(args.zensical, project, True)  # a first build, so the edit rounds have a cache
    edits = {"forward": True, "changed": 0}

    def edit_then_zensical() -> float:
        move_one_session(root, edits["forward"])
        edits["forward"] = not edits["forward"]
        fresh = work / "fresh"
        mkdocs_project(root, fresh, EPOCH)
        zensical_compatible(fresh)
        edits["changed"] = sync(fresh / "docs", project / "docs")
        return zensical(args.zensical, project, False)

    full = alternate(args.repeat, [
        ("MkDocs + Material, full build", lambda: mkdocs(project, work / "mkdocs-site")),
        ("Zensical, full build (cache cleaned)", lambda: zensical(args.zensical, project, True)),
    ])
    edit = alternate(args.repeat, [
        ("Zensical, one-cohort rebuild (cache kept)", edit_then_zensical),
        ("MkDocs + Material, one-cohort rebuild (= full)",
         lambda: mkdocs(project, work / "mkdocs-site")),
    ])
    for samples in [*full.values(), *edit.values()]:
        print(samples.line())
    mk, zs = (s.median for s in full.values())
    print(f"full build: Zensical / MkDocs = {zs / mk:.2f} (median CPU)")
    ze, mke = (s.median for s in edit.values())
    print(f"one-cohort rebuild ({edits['changed']} pages changed): Zensical / MkDocs = "
          f"{ze / mke:.2f} (median CPU)")
    parity(project, args.zensical, work)
    determinism(project, args.zensical, work)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
