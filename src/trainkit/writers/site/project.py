"""Assemble the MkDocs project: pages, copied files, author extras and ``mkdocs.yml``."""

from __future__ import annotations

import os
import posixpath
import shutil
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from trainkit.diagnostics import Diagnostic, Severity, error
from trainkit.load import containment
from trainkit.load.schemas import schema_dir
from trainkit.model import Academy, Loc
from trainkit.writers.build import BuildError
from trainkit.writers.site import catalog, cohorts, courses, md, people, svg
from trainkit.writers.site.common import Recall, Site

ASSETS = "assets/trainkit"  # docs folder of the site's own CSS and script
# Pages for learners come into the navigation even when ``site.nav`` leaves them out; the
# staff page on editing the academy only when named there (the footer links to it anyway).
LEARNER_PAGES = ("catalog", "courses", "instructors", "venues")


# Material's own 404 page is a bare heading. MkDocs renders 404.html with
# URLs from the site root (site_url's path), since the host serves it at any
# depth; the ``url`` filter makes links that work from there.
NOT_FOUND = """\
{% extends "main.html" %}
{% block content %}
  <h1>Page not found</h1>
  <p>There is no page at this address. It may have moved, or the program or
  cohort it described is no longer published.</p>
  <ul>
    <li><a href="{{ 'catalog/' | url }}">Browse the catalog</a> of programs and their upcoming
    cohorts</li>
    <li><a href="{{ 'courses/' | url }}">Self-paced courses</a></li>
    <li><a href="{{ base_url.rstrip('/') }}/">Home page</a>, with the next sessions</li>
  </ul>
  <p>Or search this site with the search box at the top of the page.</p>
{% endblock %}
"""

# Material's footer partial, plus a link to the page for staff: every page reaches it, and
# it stays out of the learners' navigation. An author's own partial of this name replaces it.
COPYRIGHT = """\
<div class="md-copyright">
  {% if config.copyright %}
    <div class="md-copyright__highlight">{{ config.copyright }}</div>
  {% endif %}
  <a class="tk-editing-link" href="{{ 'editing/' | url }}">How to edit this academy</a>
  {% if not config.extra.generator == false %}
    · Made with
    <a href="https://squidfunk.github.io/mkdocs-material/" target="_blank" rel="noopener">
      Material for MkDocs
    </a>
  {% endif %}
</div>
"""


def generate(academy: Academy, epoch: datetime, recall: Recall | None = None) -> Site:
    """Every generated page and file of the site, in memory (``recall``: where text made
    by an earlier build from the same cohorts is found)."""
    site = Site(academy=academy, epoch=epoch, recall=recall)
    catalog.home(site)
    catalog.catalog(site)
    cohorts.cohort_pages(site)
    people.instructor_pages(site)
    people.venue_pages(site)
    courses.course_pages(site)
    editing_page(site)
    for schema in sorted(schema_dir().glob("*.json")):
        site.copies[f"schemas/{schema.name}"] = schema
    return site


SCHEMA_FILES = {
    "academy": "`trainkit.yaml`", "program": "`programs/<program>/program.yaml`",
    "cohort": "`programs/<program>/cohorts/<cohort>.yaml`",
    "competencies": "`competencies.yaml`", "course": "`courses/<course>/course.yaml`",
    "quiz": "`courses/<course>/quizzes/<quiz>.yaml`",
    "instructor": "`people/instructors/<id>.yaml`", "learners": "`people/learners/*.yaml`",
    "venue": "`venues/<id>.yaml`", "revocations": "`records/revocations.yaml`",
    "attendance-row": "one row of `records/attendance/*.csv`",
    "quiz-result-row": "one row of `records/quiz-results/*.csv`",
    "role": "`roles/<id>.yaml`", "evidence-row": "one row of `records/evidence/*.csv`",
    "assessment-result-row": "one row of `records/assessments/*.csv`",
    "payment-row": "one row of `records/payments/*.csv`",
    "answer-row": "one row of `records/answers/*.csv`",
    "organisation": "`organisations/<id>.yaml`",
    "survey": "`surveys/<id>.yaml`", "survey-response-row": "one row of `records/surveys/*.csv`",
    "order": "`records/orders/<id>.yaml`", "invoice-ledger": "`records/invoices.yaml`",
}


def _schema_url(site: Site, name: str) -> str:
    """The published schema's URL: absolute when the academy has a base URL."""
    base = site.academy.settings.base_url or ""
    path = f"schemas/{name}.schema.json"
    return base.rstrip("/") + "/" + path if md.safe_url(base) else "/" + path


def editing_page(site: Site) -> None:
    s = site.academy.settings
    repo = ""
    if s.site.repo_url:
        repo = f" in {md.ext_link('the academy repository', s.site.repo_url)}"
    schemas = sorted(p.name for p in schema_dir().glob("*.json"))
    lines = [md.front_matter("How to edit this academy"), "# How to edit this academy\n",
             f"Everything on this site is generated from YAML and Markdown files{repo}. "
             "Change a file, run `trainkit check` to see any problem with its file, line and "
             "column, then `trainkit build` (or open a pull request and let CI build it).\n",
             "| What | Where |", "|---|---|",
             "| Academy settings, site title, colours, navigation | `trainkit.yaml` |",
             "| A program and its session plan | `programs/<program>/program.yaml` |",
             "| A cohort and its sessions | `programs/<program>/cohorts/<cohort>.yaml` |",
             "| Instructors | `people/instructors/<id>.yaml` |",
             "| Venues and rooms | `venues/<id>.yaml` |",
             "| Self-paced courses, modules, quizzes | `courses/<course>/` |",
             "| Your own pages and theme overrides | `site-extra/` |\n",
             "## Markdown and HTML\n",
             "Program descriptions, course modules and pages in `site-extra/` are Markdown. "
             "HTML inside them is allowed but cleaned: scripts, styles, iframes, forms, event "
             "handlers such as `onclick` and links other than http, https, mailto and webcal "
             "are removed. Every other value (titles, names, notes) is shown exactly as typed. "
             "Theme templates in `site-extra/overrides/` are used as they are. A link to a page "
             "or image that does not exist stops the build with the file to fix.\n",
             "## Images\n",
             "Put an image beside the file that shows it and link it relatively: "
             "`![Floor plan](img/plan.png)` in `programs/<program>/program.yaml` uses "
             "`programs/<program>/img/plan.png`; in a course module, the path is relative to "
             "the module's Markdown file. Only files a page links are published. Images for "
             "your own pages go in `site-extra/`. Files that are links out of the repository "
             "or to private data, and `.html` files, are refused with their path. "
             "SVG images are published without scripts, event handlers (`onload` …), "
             "`<foreignObject>` or `javascript:` links, so a drawing can never run code on "
             "this site; an SVG that is not well-formed XML, or declares entities in a "
             "`<!DOCTYPE>`, stops the build with its line and column: save it again as plain "
             "SVG.\n",
             "## Schemas\n",
             "Editors that understand JSON Schema (for example VS Code with the YAML "
             "extension) complete and check these files as you type. Start a file with a "
             "modeline naming its schema by URL, for example:\n",
             f"```yaml\n# yaml-language-server: $schema={_schema_url(site, 'program')}\n```\n",
             "| Schema | Checks |", "|---|---|"]
    lines += [f"| [{name}](schemas/{name}) | {SCHEMA_FILES.get(name.split('.')[0], '')} |"
              for name in schemas]
    lines.append("")
    site.add("editing.md", "\n".join(lines) + "\n")


def write_project(site: Site, project: Path, kept: bool = False) -> dict[str, Any]:
    """Write docs/, hooks/ and mkdocs.yml under ``project``; returns the config.

    Author files from ``site-extra/`` are copied last, so a page there with
    the path of a generated one replaces it. With ``kept``, ``project`` holds
    the project of an earlier build: only files whose bytes differ are written,
    and files this project no longer has are removed.
    """
    _write = _Files(kept)
    docs = project / "docs"
    root = Path(site.academy.root)
    extra_dir = posixpath.normpath(site.academy.settings.site.extra_dir)
    extra = root / extra_dir
    extra_files, refused = containment.walk_published(root.resolve(), extra_dir)
    if refused:
        raise BuildError(f"{extra_dir} holds files that cannot be published", [
            error(path, 1, 1, problem.code, problem.message) for path, problem in refused])
    extra_pages = [p for p in extra_files if p.endswith(".md") and not p.startswith("overrides/")]
    for relpath in extra_pages:
        site.sources[relpath] = Loc(f"{site.academy.settings.site.extra_dir.rstrip('/')}/{relpath}")
    overrides = any(p.startswith("overrides/") for p in extra_files)
    config = mkdocs_config(site.academy, site, extra_pages, overrides)
    for path, content in sorted(site.pages.items()):
        _write(docs / path, content.encode())
    for path, blob in sorted(site.blobs.items()):
        _write(docs / path, blob)
    for path, source in sorted(site.copies.items()):
        _write(docs / path, published_bytes(source, root))
    package = resources.files("trainkit.writers.site")
    for name in ("trainkit.css", "trainkit.js", "live.css", "live.js"):
        _write(docs / ASSETS / name, (package / "assets" / name).read_bytes())
    _write(project / "hooks" / "trainkit_safety.py", (package / "safety_hook.py").read_bytes())
    _write(project / "hooks" / "trainkit_pages.py", (package / "pages_hook.py").read_bytes())
    # imported by trainkit_pages.py (MkDocs puts the hooks' folder on the path as it loads it)
    _write(project / "hooks" / "trainkit_page_store.py", (package / "page_store.py").read_bytes())
    _write(project / "overrides" / "404.html", NOT_FOUND.encode())  # an author's 404 replaces it
    _write(project / "overrides" / "partials" / "copyright.html", COPYRIGHT.encode())
    for relpath in extra_files:
        target = project / relpath if relpath.startswith("overrides/") else docs / relpath
        _write(target, published_bytes(extra / relpath, root,
                                       template=relpath.startswith(containment.OVERRIDES)))
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    _write(project / "mkdocs.yml", text.encode())
    _write.remove_others(project)
    return config


def published_bytes(source: Path, root: Path, template: bool = False) -> bytes:
    """The bytes of an author's file as published: SVG images are made inert first.

    The file must pass :func:`trainkit.load.containment.file_problem` (inside the
    academy, no link to private data, no raw HTML); trainkit's own files (the
    JSON Schemas) are the only others. A file refused, or one the SVG
    sanitiser cannot read, stops the build with its place and what to do.
    """
    if source.is_relative_to(root):
        shown = source.relative_to(root).as_posix()
        refused = containment.file_problem(root.resolve(), shown, published=True,
                                           template=template)
        if refused is not None:
            problem = error(shown, 1, 1, refused.code, refused.message)
            raise BuildError(f"{shown} cannot be published", [problem])
    elif not source.is_relative_to(schema_dir()):
        raise BuildError(f"{source} is outside the academy and cannot be published")
    else:
        shown = source.name
    data = source.read_bytes()
    if source.suffix.lower() != ".svg":
        return data
    try:
        return svg.sanitise(data)[0]
    except svg.SvgError as exc:
        problem = Diagnostic(shown, exc.line, exc.col, Severity.ERROR, "site-svg", exc.message)
        raise BuildError(f"{shown} cannot be published as an image", [problem]) from None


class _Files:
    """Writes a project's files; in a kept project, only those whose bytes differ (making a
    file costs far more than reading one)."""

    def __init__(self, kept: bool) -> None:
        self.kept = kept
        self.written: set[str] = set()

    def __call__(self, path: Path, data: bytes) -> None:
        if self.kept:
            self.written.add(str(path))
            if path.is_symlink():
                path.unlink()
            try:
                if path.read_bytes() == data:
                    return
            except OSError:  # missing, or not a file
                if path.is_dir():
                    shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def remove_others(self, project: Path) -> None:
        """In a kept project, remove every file not written this time (a page gone)."""
        if not self.kept:
            return
        for folder, _, names in os.walk(project):
            for name in names:
                path = os.path.join(folder, name)
                if path not in self.written:
                    os.unlink(path)


def nav(site: Site, extra_pages: list[str]) -> list[Any]:
    """Home, then the order of ``site.nav``, then the learners' pages it did not name.

    Only index pages and courses are in the navigation: programs, cohorts,
    instructors and venues are reached from their index pages, so every page
    carries a navigation of the same small size however big the academy is.
    """
    sections: dict[str, Any] = {
        "catalog": {"Catalog": "catalog.md"},
        "courses": {"Courses": ["courses/index.md"] + [
            {md.h(c.title): [f"courses/{c.id}/index.md"]
             + [f"courses/{c.id}/{m.id}.md" for m in c.modules]}
            for c in site.academy.courses.values()]},
        "instructors": {"Instructors": "instructors/index.md"},
        "venues": {"Venues": "venues/index.md"},
        "editing": {"How to edit": "editing.md"},
    }
    if not site.academy.courses:
        sections["courses"] = {"Courses": "courses/index.md"}
    order = list(site.academy.settings.site.nav)
    order += [k for k in LEARNER_PAGES if k not in order]
    order += [p for p in extra_pages if p not in order and p != "index.md"]
    out: list[Any] = [{"Home": "index.md"}]
    for entry in order:
        out.append(sections.get(entry, entry))
    return out


def _theme_file(academy: Academy, site: Site, value: str | None) -> str | None:
    """A logo or favicon path as MkDocs wants it: relative to docs/."""
    if not value:
        return None
    extra = academy.settings.site.extra_dir.rstrip("/") + "/"
    if containment.repo_path_problem(value, "") is not None:
        return None  # reported by check: an absolute path or one out of the repository
    if value.startswith(extra):
        return value[len(extra):]
    source = Path(academy.root) / value
    if not source.is_file():
        return None
    target = f"{ASSETS}/{source.name}"
    site.copies[target] = source
    return target


def _language(locale: str) -> str:
    lang = locale.split("-")[0].lower() or "en"
    partial = resources.files("material") / "templates" / "partials" / "languages" / f"{lang}.html"
    return lang if partial.is_file() else "en"


def mkdocs_config(academy: Academy, site: Site, extra_pages: list[str],
                  overrides: bool) -> dict[str, Any]:
    s = academy.settings
    palette = {"primary": s.site.primary_color.replace(" ", "-").lower(),
               "accent": s.site.accent_color.replace(" ", "-").lower()}
    theme: dict[str, Any] = {
        "name": "material",
        "language": _language(s.locale),
        "palette": palette,
        # system fonts: no request to Google Fonts reveals a visitor's address to a third party
        "font": False,
        "features": ["navigation.indexes", "navigation.prune", "navigation.footer",
                     "navigation.top", "content.code.copy", "search.highlight"],
    }
    for key, value in (("logo", s.site.logo), ("favicon", s.site.favicon)):
        path = _theme_file(academy, site, value)
        if path:
            theme[key] = path
    theme["custom_dir"] = "overrides"  # the generated 404 page, plus the author's overrides
    config: dict[str, Any] = {
        "site_name": md.h(s.site.title or s.name),
        "site_url": s.base_url,
        "site_description": md.h(s.description),
        "docs_dir": "docs",
        "use_directory_urls": True,
        "strict": True,
        "theme": theme,
        "plugins": ["search"],
        "hooks": ["hooks/trainkit_safety.py", "hooks/trainkit_pages.py"],
        "markdown_extensions": [
            "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
            {"tables": {"use_align_attribute": True}},
            {"toc": {"permalink": True}},
            "pymdownx.details", "pymdownx.superfences", "pymdownx.inlinehilite",
            {"pymdownx.highlight": {"anchor_linenums": False}},
        ],
        "extra_css": [f"{ASSETS}/trainkit.css", f"{ASSETS}/live.css"],
        "extra_javascript": [f"{ASSETS}/trainkit.js", f"{ASSETS}/live.js"],
        "validation": {
            "nav": {"omitted_files": "info", "not_found": "warn"},
            "links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "info"},
        },
        "nav": nav(site, extra_pages),
    }
    if s.site.repo_url and md.safe_url(s.site.repo_url):
        config["repo_url"] = s.site.repo_url
    return config
