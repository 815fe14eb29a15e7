"""The generated MkDocs project of an academy, and the same pages for other engines.

Shared by ``bench_build.py`` (Hugo) and ``bench_engines.py`` (MkDocs against
Zensical). The project is what ``trainkit build`` hands to MkDocs
(``writers/site/project.py``: ``docs/``, ``hooks/``, ``overrides/`` and
``mkdocs.yml``); the site writer makes it in its scratch folder and drops it
after the build, so it is made here with the same two calls.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from trainkit.pipeline import check_dir
from trainkit.writers.site.project import generate, write_project

HUGO_CONFIG = """\
baseURL = "https://academy.example.org/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = true
[markup.tableOfContents]
startLevel = 2
"""

# One template for every page: the content, its title and a table of contents, no theme.
HUGO_LAYOUT = """\
<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main></body></html>
"""


def mkdocs_project(root: Path, out: Path, epoch: datetime) -> int:
    """Write the generated MkDocs project of the academy at ``root``; its page count."""
    result = check_dir(root)
    if result.academy is None or result.errors:
        raise SystemExit(f"{root} has errors: {result.errors[:3]}")
    shutil.rmtree(out, ignore_errors=True)
    site = generate(result.academy, epoch)
    write_project(site, out)
    return sum(1 for _ in (out / "docs").rglob("*.md"))


def hugo_site(project: Path, out: Path) -> int:
    """The project's Markdown pages as a minimal Hugo site; returns the page count.

    ``index.md`` becomes ``_index.md`` (a Hugo branch bundle, which may hold
    other pages below it as MkDocs folders do), so every page keeps its URL.
    Other files of ``docs/`` (schemas, CSS, images) go to ``static/``.
    """
    shutil.rmtree(out, ignore_errors=True)
    (out / "layouts/_default").mkdir(parents=True)
    (out / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for kind in ("single", "list"):
        (out / f"layouts/_default/{kind}.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (out / "layouts/index.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    docs = project / "docs"
    pages = 0
    for path in sorted(docs.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(docs)
        if path.suffix == ".md":
            name = "_index.md" if rel.name == "index.md" else rel.name
            target = out / "content" / rel.parent / name
            pages += 1
        else:
            target = out / "static" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return pages


def html_pages(site: Path) -> int:
    """Pages a built site serves (``404.html`` aside)."""
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")
