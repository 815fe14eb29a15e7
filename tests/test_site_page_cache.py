"""The MkDocs page cache: unchanged pages come from the cache, with the same bytes.

The generated project is built by MkDocs itself, in a child process, as a
user would run it: without ``TRAINKIT_PAGE_CACHE`` the hook does nothing; with
it, a second build takes every page from the cache and writes the same bytes,
search index included; after a page changes only that page is rendered
again; damaged cache entries are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_site_golden import CASE
from trainkit.pipeline import check_dir
from trainkit.writers.site.project import generate, write_project
from trainkit.writers.site.writer import PAGE_CACHE_ENV, PAGE_CACHE_KEY_ENV, PAGE_CACHE_SEAL_ENV

EPOCH = datetime(2026, 4, 1, tzinfo=UTC)


SEAL = "ab" * 32  # the user's key, as trainkit build passes it


def _mkdocs(project: Path, site: Path, cache: Path | None, seal: str = SEAL) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in (PAGE_CACHE_ENV, PAGE_CACHE_KEY_ENV, PAGE_CACHE_SEAL_ENV)}
    env["SOURCE_DATE_EPOCH"] = str(int(EPOCH.timestamp()))
    if cache is not None:
        env[PAGE_CACHE_ENV] = str(cache)
        env[PAGE_CACHE_SEAL_ENV] = seal
    # not --quiet: it silences the warnings that strict mode counts
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                    str(project / "mkdocs.yml"), "-d", str(site)], env=env, check=True,
                   capture_output=True)


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_from_the_cache_are_the_pages_mkdocs_renders(tmp_path: Path) -> None:
    result = check_dir(CASE / "input")
    assert result.academy is not None
    project = tmp_path / "project"
    write_project(generate(result.academy, EPOCH), project)
    cache = tmp_path / "cache"
    _mkdocs(project, tmp_path / "plain", None)  # a plain MkDocs build of the project
    assert not cache.exists()
    _mkdocs(project, tmp_path / "first", cache)
    entries = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(entries) >= 2 * len(list((project / "docs").rglob("*.md")))
    assert any(name.endswith(".jinja") for name in entries)  # the compiled theme templates
    _mkdocs(project, tmp_path / "second", cache)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == entries  # all reused
    reference = _tree(tmp_path / "plain")
    assert _tree(tmp_path / "first") == reference
    assert _tree(tmp_path / "second") == reference
    assert "search/search_index.json" in reference

    page = next(p for p in sorted((project / "docs").rglob("*.md")) if "cohorts" in p.parts)
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    for entry in list(cache.iterdir())[::2]:  # damaged entries count as missing
        entry.write_bytes(entry.read_bytes()[:-10])
    _mkdocs(project, tmp_path / "edited", cache)
    _mkdocs(project, tmp_path / "edited-plain", None)
    assert _tree(tmp_path / "edited") == _tree(tmp_path / "edited-plain")
    assert "One more line." in (tmp_path / "edited" / "search" / "search_index.json").read_text()
    assert len(list(cache.iterdir())) == len(entries)  # entries no build uses are removed

    # a page retitled: every other page's navigation changes, not its conversion; the
    # conversions kept apart are read to render them again, and a damaged one is made again
    contents = sorted(cache.glob("*-content.html"))
    assert len(contents) >= len(list((project / "docs").rglob("*.md"))) // 2
    damaged = {}
    for entry in contents[::2]:
        damaged[entry] = entry.read_bytes()[:-10]
        entry.write_bytes(damaged[entry])
    page.write_text(page.read_text(encoding="utf-8").replace('title: "', 'title: "Renamed ', 1),
                    encoding="utf-8")
    assert 'title: "Renamed ' in page.read_text(encoding="utf-8")
    _mkdocs(project, tmp_path / "retitled", cache)
    _mkdocs(project, tmp_path / "retitled-plain", None)
    assert _tree(tmp_path / "retitled") == _tree(tmp_path / "retitled-plain")
    # the damaged conversions were read (every page was rendered again), and made again
    assert all(e.read_bytes() != body for e, body in damaged.items() if e.exists())
    assert sum(e.exists() for e in damaged) >= len(damaged) - 1  # all but the retitled page's

    # a page added: the sitemap (kept in the cache like the pages) lists it
    (project / "docs" / "one-more.md").write_text("# One more page\n", encoding="utf-8")
    _mkdocs(project, tmp_path / "added", cache)
    _mkdocs(project, tmp_path / "added-plain", None)
    assert _tree(tmp_path / "added") == _tree(tmp_path / "added-plain")
    assert "one-more/" in (tmp_path / "added" / "sitemap.xml").read_text(encoding="utf-8")
    assert "one-more/" not in (tmp_path / "edited" / "sitemap.xml").read_text(encoding="utf-8")


def test_a_page_that_warned_warns_again(tmp_path: Path) -> None:
    """A broken link fails the strict build every time, not only while the page is new."""
    result = check_dir(CASE / "input")
    assert result.academy is not None
    project = tmp_path / "project"
    write_project(generate(result.academy, EPOCH), project)
    page = next(p for p in sorted((project / "docs").rglob("*.md")) if "cohorts" in p.parts)
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](missing.md)\n", encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(subprocess.CalledProcessError):
            _mkdocs(project, tmp_path / "site", cache)


@pytest.mark.parametrize("how", ["plain digest", "another key"])
def test_entries_not_sealed_with_the_users_key_are_not_used(tmp_path: Path, how: str) -> None:
    """A page entry someone else wrote (a pull request adding .trainkit-cache/pages/ to the
    academy, another machine) is not taken into the site, however well it is formed."""
    result = check_dir(CASE / "input")
    assert result.academy is not None
    project = tmp_path / "project"
    write_project(generate(result.academy, EPOCH), project)
    cache = tmp_path / "cache"
    _mkdocs(project, tmp_path / "first", cache)
    planted = 0
    for entry in cache.glob("*.html"):
        body = entry.read_text(encoding="utf-8").partition("\n")[2]
        body = body.replace("</body>", "<script>alert('planted')</script></body>", 1)
        mark = (hashlib.sha256(body.encode()).hexdigest() if how == "plain digest"
                else hmac.new(b"\xcd" * 32, body.encode(), hashlib.sha256).hexdigest())
        entry.write_text(mark + "\n" + body, encoding="utf-8")
        planted += 1
    assert planted
    templates = [entry for entry in cache.iterdir() if entry.suffix == ".jinja"]
    assert templates
    for entry in templates:  # compiled templates: their bodies as they were, sealed otherwise
        body = entry.read_bytes().partition(b"\n")[2]
        mark = (hashlib.sha256(body).hexdigest() if how == "plain digest"
                else hmac.new(b"\xcd" * 32, body, hashlib.sha256).hexdigest())
        entry.write_bytes(mark.encode() + b"\n" + body)
    _mkdocs(project, tmp_path / "second", cache)
    for entry in templates:  # not used: compiled again, and stored with the user's seal
        body = entry.read_bytes().partition(b"\n")[2]
        assert entry.read_bytes().partition(b"\n")[0] == \
            hmac.new(bytes.fromhex(SEAL), body, hashlib.sha256).hexdigest().encode()
    assert _tree(tmp_path / "second") == _tree(tmp_path / "first")
    assert not any("planted" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (tmp_path / "second").rglob("*.html"))
