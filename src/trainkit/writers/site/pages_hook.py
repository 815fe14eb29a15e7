"""MkDocs hook: reuse the rendered HTML and search entries of pages that did not change.

Copied into the generated project as ``hooks/trainkit_pages.py``. It does nothing unless the
environment variable ``TRAINKIT_PAGE_CACHE`` names a folder (``trainkit build`` sets it to
``.trainkit-cache/pages/``), so a plain ``mkdocs build`` of the project is a normal build.

Entries are keyed by SHA-256 digests: a page's Markdown conversion (by
``TRAINKIT_PAGE_CACHE_KEY``, trainkit's own key, every file of the project but its pages, the
list of files and the page's source); its final HTML and search entries (also by the navigation,
all a theme template reads of other pages); the theme's 404 page and sitemap; its compiled
templates and its list of files (``docs/architecture.md`` says why). The HTML and converted
content are entries of their own, read only when needed. A page whose key is found is not
converted, rendered or parsed for search; every other page goes through MkDocs and is stored.

Entries are files of the cache folder, kept by ``hooks/trainkit_page_store.py`` (page_store.py),
each sealed with the key in ``TRAINKIT_PAGE_CACHE_SEAL`` (an HMAC with the user's own key):
entries that cannot be read, or whose seal does not match, are misses; without the key nothing
is cached. A build that succeeds removes the entries it did not use, except the project's
compiled templates.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkbuild
import trainkit_page_store as store  # beside this hook: page_store.py
from mkdocs import utils
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.meta import get_data

ENV = "TRAINKIT_PAGE_CACHE"
ENV_KEY = "TRAINKIT_PAGE_CACHE_KEY"
ENV_SEAL = "TRAINKIT_PAGE_CACHE_SEAL"
_ORIGINAL = "_trainkit_original_steps_4"
_state = store.STATE  # for one build (on_config); empty: the hook does nothing
# Set by ``trainkit build`` for one build (``writers.site.writer._give_hooks``); None: not used.
# TAKE_OVER: for a page's output path, ``keyed(rel, key)`` records the key of its HTML and says
# whether the current file made from it was taken over (not written), ``record`` records one
# rendered, ``same`` takes over a current file with exactly these bytes. AHEAD, with cores to
# spare: ``AHEAD(config, files, dirty)`` converts the pages the cache lacks in forked processes
# (``convert``) before MkDocs reads them. KEPT, in a process that builds again: entries kept in
# memory between builds, ``get`` one by name, ``put`` one read from its file or written.
TAKE_OVER: Any = None
AHEAD: Any = None
KEPT: Any = None


def _originals() -> tuple[Any, Any, Any, Any]:
    if not hasattr(mkbuild, _ORIGINAL):
        setattr(mkbuild, _ORIGINAL, (mkbuild._populate_page, mkbuild._build_page,
                                     mkbuild._build_template, Files.add_files_from_theme))
    return getattr(mkbuild, _ORIGINAL)  # type: ignore[no-any-return]


def _restore() -> None:
    mkbuild._populate_page, mkbuild._build_page, mkbuild._build_template, theme = _originals()
    Files.add_files_from_theme = theme  # type: ignore[method-assign]
    logging.getLogger("mkdocs").removeHandler(store.WARNINGS)
    _state.clear()


def _project_key(config: Any) -> str:
    """Everything of the project except the Markdown pages themselves."""
    project = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    h = hashlib.sha256(os.environ.get(ENV_KEY, "").encode())
    for path in sorted(project.rglob("*")):
        if path.is_file() and not (path.suffix == ".md" and path.is_relative_to(docs)):
            h.update(path.relative_to(project).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def on_config(config: Any) -> Any:
    _restore()
    folder = os.environ.get(ENV)
    try:
        seal = bytes.fromhex(os.environ.get(ENV_SEAL, ""))
    except ValueError:
        seal = b""
    if folder and seal:
        Path(folder).mkdir(parents=True, exist_ok=True)
        _state.update(dir=Path(folder), base=_project_key(config), files=None, nav=None,
                      keys={}, used=set(), seal=seal, content={}, read={}, kept=KEPT)
        mkbuild._populate_page, mkbuild._build_page, mkbuild._build_template = \
            _populate, _build, _template
        Files.add_files_from_theme = _theme_files  # type: ignore[method-assign,assignment]
        logging.getLogger("mkdocs").addHandler(store.WARNINGS)
    return config


def on_env(env: Any, config: Any, files: Any) -> Any:
    if _state:
        env.bytecode_cache = store.Templates()
    return env


def on_post_build(config: Any) -> None:
    if _state:
        store.sweep()
    _restore()


def on_build_error(error: Exception) -> None:
    _restore()


def _toc_out(items: Any) -> list[Any]:
    return [[a.title, a.id, a.level, _toc_out(a.children)] for a in items]


def _toc_in(items: list[Any]) -> list[AnchorLink]:
    out = [AnchorLink(title, ident, level) for title, ident, level, _ in items]
    for link, item in zip(out, items, strict=True):
        link.children = _toc_in(item[3])
    return out


# ---------------------------------------------------------------- the steps


def _populate(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
    """MkDocs' ``_populate_page``, with the Markdown conversion taken from the cache."""
    if _state["files"] is None:
        _state["files"] = store.digest(*sorted(
            f"{f.src_uri}|{f.dest_uri}|{f.url}|{f.inclusion}" for f in files))
        if AHEAD is not None:
            AHEAD(config, files, dirty)
    source, key = _state["read"].pop(page.file.src_uri, None) or read_page(page, keep=False)
    _state["keys"][page.file.src_uri] = key
    hit = store.load(key)
    if hit is None:
        convert(page, config, files, dirty, key, source)
        return
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        kept = hit.get("source")
        if kept is None or config.plugins.events["page_read_source"]:
            page.read_source(config)
        else:  # what read_source makes of these very bytes: not read and parsed again
            page.markdown, page.meta = _text(source)[kept[0]:], kept[1]
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config,
                                                        files=files)
        if hit["content"] is True:  # read only if the page is rendered again (_build)
            page.content = None
            name = f"{key}{store.CONTENT}"
            _state["content"][page.file.src_uri] = (name, files)
            _state["used"].add(name)
        else:
            page.content = hit["content"]
        toc = _toc_in(hit["toc"])
        if toc:
            toc[0].active = True  # type: ignore[attr-defined]  # as MkDocs' get_toc does
        page.toc = TableOfContents(toc)
        page._title_from_render = hit["title"]
        page.present_anchor_ids = set(hit["anchors"])
        if hit["links"] is not None:
            page.links_to_anchors = {files.get_file_from_path(k): v
                                     for k, v in hit["links"].items()}
    finally:
        config._current_page = None


def read_page(page: Any, keep: bool = True) -> tuple[bytes, str]:
    """The page's source and the key of its conversion, made of it. ``keep``: kept for MkDocs'
    turn at the page (:func:`_populate`), which then neither reads nor hashes it again."""
    source = Path(page.file.abs_src_path).read_bytes()
    key = store.digest("page", _state["base"], _state["files"], page.file.src_uri, source)
    if keep:
        _state["read"][page.file.src_uri] = source, key
    return source, key


stored = store.stored  # whether a conversion's key has an entry (for AHEAD)


def convert(page: Any, config: Any, files: Any, dirty: bool, key: str, source: bytes) -> None:
    """MkDocs' own conversion of the page, stored under ``key`` unless MkDocs warned."""
    warned = store.WARNINGS.count
    _originals()[0](page, config, files, dirty)
    links, content = getattr(page, "links_to_anchors", None), page.content
    if isinstance(content, str) and store.WARNINGS.count == warned:  # first: the entry names it
        store.write(f"{key}{store.CONTENT}", content.encode("utf-8"))
        content = True
    store.save(key, warned, {"content": content, "toc": _toc_out(page.toc),
                        "title": page._title_from_render,
                        "anchors": sorted(page.present_anchor_ids),
                        "links": None if links is None else
                        {f.src_uri: v for f, v in links.items()}, "source": _source(source)})


def _text(source: bytes) -> str:
    """The page's source as MkDocs reads it (``File.content_string``)."""
    return source.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def _source(source: bytes) -> list[Any] | None:
    """Where ``Page.read_source`` starts the page's Markdown in its source, and the front
    matter it reads; None when the front matter is not plain JSON values (a date, say)."""
    try:
        text = _text(source)
        markdown, meta = get_data(text)
        same = json.loads(json.dumps(meta)) == meta  # a number as a key, say, would not be
    except (ValueError, TypeError):
        return None
    if not same or not text.endswith(markdown):
        return None
    return [len(text) - len(markdown), meta]


def _nav_key(nav: Any, pages: Any) -> str:
    def walk(items: Any) -> list[Any]:
        return [[type(i).__name__, i.title, getattr(i, "url", None),
                 walk(getattr(i, "children", None) or [])] for i in items]
    key: str = store.digest(json.dumps(walk(nav.items)),
                            *(f"{f.src_uri}|{f.page.url}|{f.page.title}" for f in pages))
    return key


def _search(config: Any) -> Any:
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index"):
            return plugin.search_index
    return None


def _build(page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
           excluded: bool = False) -> None:
    """MkDocs' ``_build_page``, with the rendered page and search entries from the cache."""
    build = _originals()[1]
    own = _state["keys"].get(page.file.src_uri)
    if own is None:
        build(page, config, doc_files, nav, env, dirty, excluded=excluded)
        return
    if _state["nav"] is None:
        _state["nav"] = _nav_key(nav, doc_files)
    key = store.digest("html", own, _state["nav"], excluded)
    index, rel, taker = _search(config), page.file.dest_uri, TAKE_OVER
    hit, data = store.load(key), None
    if hit is not None and hit.get("html"):  # the page has a file: taken over, or its bytes
        if taker is not None and taker.keyed(rel, key):
            _state["used"].add(f"{key}.html")  # the current output has it: not even read
        else:
            data = store.read(f"{key}.html")
            hit = None if data is None else hit
    if hit is None:
        _content(page, config, dirty)
        before, warned = len(index.entries) if index is not None else 0, store.WARNINGS.count
        build(page, config, doc_files, nav, env, dirty, excluded=excluded)
        dest = Path(page.file.abs_dest_path)
        if store.WARNINGS.count == warned and dest.is_file():  # the HTML first: the entry names it
            store.write(f"{key}.html", dest.read_bytes())
            if taker is not None:
                taker.record(rel, key)
        store.save(key, warned, {"html": dest.is_file(),
                            "search": index.entries[before:] if index else []})
        return
    if index is not None:
        index.entries.extend(hit["search"])
    if data is not None and (taker is None or not taker.same(rel, data)):
        utils.write_file(data, page.file.abs_dest_path)


def _content(page: Any, config: Any, dirty: bool) -> None:
    """The page's HTML content, which :func:`_populate` left in the cache, for MkDocs to
    render the page with; a page whose entry is gone or damaged is converted again."""
    name, files = _state["content"].pop(page.file.src_uri, (None, None))
    if name is None or page.content is not None:
        return
    body = store.read(name)
    if body is None:
        warned = store.WARNINGS.count
        _originals()[0](page, config, files, dirty)
        if isinstance(page.content, str) and store.WARNINGS.count == warned:
            store.write(name, page.content.encode("utf-8"))  # the same conversion: same key
    else:
        page.content = body.decode("utf-8")


def _template(name: str, template: Any, files: Any, config: Any, nav: Any) -> str:
    """MkDocs' ``_build_template`` (the 404 page, the sitemap) from the cache: it reads the
    navigation and the project alone (the sitemap's date is in trainkit's key)."""
    build = _originals()[2]
    if _state.get("theme nav") is None:  # the same for the 404 page and the sitemap
        _state["theme nav"] = _nav_key(nav, files.documentation_pages())
    key = store.digest("theme page", _state["base"], _state["theme nav"], name)
    hit = store.load(key)
    if isinstance(hit, dict) and isinstance(hit.get("output"), str):
        return hit["output"]  # type: ignore[no-any-return]
    warned = store.WARNINGS.count
    output: str = build(name, template, files, config, nav)
    store.save(key, warned, {"output": output})
    return output


def _theme_files(files: Any, env: Any, config: Any) -> None:
    """MkDocs' ``Files.add_files_from_theme`` (a walk of Material's icons) from the cache;
    a page of the project's own still takes the place of a theme file of its path."""
    key = store.digest("theme files", _state["base"], *config.theme.dirs)
    hit = store.load(key)
    if not (isinstance(hit, list) and all(
            isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)
            for f in hit)):
        every = Files([])  # all of them: the project's pages may change before the next build
        warned = store.WARNINGS.count
        _originals()[3](every, env, config)
        hit = [[f.src_uri, f.src_dir] for f in every]
        store.save(key, warned, hit)
    for path, folder in hit:
        if files.get_file_from_path(path) is None:
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))

