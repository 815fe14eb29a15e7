"""Hostile text in the academy shows as text and runs nothing; broken links fail."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_site_support import build, copy_demo, page, public_texts, source_date_epoch
from trainkit.writers.build import BuildError, BuildOptions, run_build
from trainkit.writers.outputs import MARKER
from trainkit.writers.site import md
from trainkit.writers.site.safety_hook import clean

TITLE = "<script>alert(1)</script> First Aid"
HOSTILE_SVG_BODY = (
    '<script>alert(15)</script>'
    '<a xlink:href=" java&#x09;script:alert(16)" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<text>click</text></a>'
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">alert(17)</div></foreignObject>'
    '<set attributeName="href" to="javascript:alert(18)"/>'
    '<animate attributeName="onbegin" to="alert(19)"/>')


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("hostile") / "academy")
    _edit(root / "trainkit.yaml", "title: Northwind Academy", 'title: "<b>Northwind</b> & Co"')
    program = root / "programs/first-aid/program.yaml"
    _edit(program, "title: First Aid at Work", f'title: "{TITLE}"')
    program.write_text(re.sub(r"\nsummary: .*", '\nsummary: "<img src=x onerror=alert(2)> '
                              '[x](javascript:alert(3)) Two-day"', program.read_text()))
    _edit(program, "description: |\n", "description: |\n  <script>alert(4)</script>\n\n"
          "  [bad link](javascript:alert(5))\n"
          "  <a href=\"javascript:alert(6)\" onclick=\"alert(7)\">a</a>\n\n"
          "  <iframe src=\"https://evil.example/\"></iframe>\n\n")
    _edit(root / "programs/first-aid/cohorts/fa-lon-2027-01.yaml", "title: ",
          'title: "</title><script>alert(8)</script>"\nx-old-title: ')
    module = root / "courses/manual-handling/modules/02-tile.md"
    module.write_text(module.read_text() + "\n<script>alert(9)</script>\n\n"
                      "<p onmouseover=\"alert(10)\">hover</p>\n\n"
                      "```html\n<script>alert('shown as code')</script>\n```\n")
    # an image a contributor "just exported": it runs script when opened directly
    tile = root / "courses/manual-handling/modules/img/tile.svg"
    drawing = tile.read_text().replace("<title", HOSTILE_SVG_BODY + "\n  <title", 1)
    tile.write_text(drawing.replace("<svg ", '<svg onload="alert(12)" ', 1))
    (root / "site-extra" / "img").mkdir(parents=True, exist_ok=True)
    (root / "site-extra" / "img" / "badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(13)</script>'
        '<circle r="4" onclick="alert(14)"/></svg>\n')
    quiz = root / "courses/manual-handling/quizzes/check-1.yaml"
    _edit(quiz, "prompt: In TILE, what does the letter I stand for?",
          'prompt: "<img src=x onerror=alert(11)> In TILE, what does I stand for?"')
    return root


def _drop_old_title(root: Path) -> None:
    path = root / "programs/first-aid/cohorts/fa-lon-2027-01.yaml"
    path.write_text(re.sub(r"\nx-old-title: .*", "", path.read_text()))


@pytest.fixture(scope="module")
def hostile_site(hostile: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _drop_old_title(hostile)
    return build(hostile, tmp_path_factory.mktemp("hostile-out"))


class _Scripts(HTMLParser):
    """Finds anything that would run: script bodies, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.running: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.running.append(f"<{tag} {name}={value}>")
            if name in ("href", "src", "action", "formaction") and re.match(
                    r"\s*(javascript|data|vbscript):", value, re.I):
                self.running.append(f"<{tag} {name}={value}>")
        if name_is_set_href(tag, attrs):
            self.running.append(f"<{tag}>")
        if tag in ("iframe", "object", "embed", "foreignobject"):
            self.running.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.running.append(data.strip()[:80])


def name_is_set_href(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """An SVG animation that would turn a link into ``javascript:``."""
    values = " ".join(v or "" for _n, v in attrs).lower()
    return tag in ("set", "animate") and ("javascript" in values or "alert(" in values)


def test_nothing_hostile_runs_anywhere(hostile_site: Path) -> None:
    checked = 0
    for path, text in public_texts(hostile_site):
        if path.suffix in (".html", ".svg"):
            finder = _Scripts()
            finder.feed(text)
            assert not finder.running, (path, finder.running)
            checked += 1
        if path.suffix in (".json", ".xml"):  # data: hostile text may be there, markup not
            assert not re.search(r"<\s*(script|img|iframe|svg|a\s)", text, re.I), path
    assert checked > 30


def test_hostile_text_shows_as_text(hostile_site: Path) -> None:
    html = page(hostile_site, "programs/first-aid").read_text()
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; First Aid"
    assert "<h1 id=" in html and shown in html
    assert f"<title>{shown} - &lt;b&gt;Northwind&lt;/b&gt; &amp; Co</title>" in html
    assert "&lt;img src=x onerror=alert(2)&gt; [x](javascript:alert(3)) Two-day" in html
    assert "bad link" in html  # the link text survives, its javascript: target does not
    cohort = page(hostile_site, "cohorts/fa-lon-2027-01").read_text()
    assert "&lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;" in cohort
    module = page(hostile_site, "courses/manual-handling/tile").read_text()
    assert "shown as code" in module and "hover" in module
    assert "&lt;img src=x onerror=alert(11)&gt; In TILE" in module


def test_broken_link_in_an_authored_page_fails_and_keeps_old_site(
        hostile: Path, tmp_path: Path) -> None:
    _drop_old_title(hostile)
    extra = hostile / "site-extra" / "broken.md"
    extra.write_text("# Broken\n\nSee [the rules](no-such-page.md).\n")
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "keep.txt").write_text("previous build")
    (site_dir / MARKER).write_text("an earlier build's site")
    try:
        with source_date_epoch(1772323200), pytest.raises(BuildError) as err:
            run_build(hostile, BuildOptions(site_dir=site_dir, reports_dir=tmp_path / "r",
                                            only=("site",)))
    finally:
        extra.unlink()
    assert "no-such-page.md" in str(err.value)
    assert "site-extra/broken.md:1:1: error[site-build]:" in str(err.value)
    assert (site_dir / "keep.txt").read_text() == "previous build"


def test_markdown_text_escaping() -> None:
    assert md.text("a_b *c* [d](e) | <f> & #1") == (
        "a&#95;b &#42;c&#42; &#91;d&#93;&#40;e&#41; &#124; &#60;f&#62; &#38; &#35;1")
    assert md.text("Day 1: CPR, AED - it's fine.") == "Day 1&#58; CPR, AED - it's fine."
    assert md.text("- not a list") == "&#45; not a list"
    assert md.text("12. not a list") == "&#49;&#50;. not a list"
    assert md.text("<b>") == "&#60;b&#62;"
    assert md.text("Multi\nline  text") == "Multi line text"
    assert md.h('"><x') == "&quot;&gt;&lt;x"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x",
                                 "//evil.example", "https://a.example/\"onmouseover=x",
                                 "https:// spaced.example", "vbscript:x", "https:"])
def test_unsafe_urls_are_refused(url: str) -> None:
    assert md.safe_url(url) is None
    assert "](" not in md.ext_link("label", url)


def test_safe_urls_pass() -> None:
    for url in ("https://www.openstreetmap.org/?mlat=1&mlon=2", "mailto:a@b.example",
                "webcal://x.example/a.ics"):
        assert md.safe_url(url) == url


def test_cleaner_keeps_content_markup_and_drops_scripts() -> None:
    html = ('<div class="admonition note" data-x="1"><p onclick="x()">Hi <a href="../a/" '
            'title="t">a</a> <a href="javascript:x()">b</a></p><script>x()</script>'
            '<img src="img/a.svg" alt="A"></div>')
    out = clean(html)
    assert out == ('<div class="admonition note" data-x="1"><p>Hi <a href="../a/" title="t">a</a>'
                   ' <a>b</a></p><img src="img/a.svg" alt="A"></div>')


def test_unknown_nav_entry_names_trainkit_yaml(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    _edit(root / "trainkit.yaml", "about.md]", "abuot.md]")
    with source_date_epoch(1772323200):
        result, _ = run_build(root, BuildOptions(site_dir=tmp_path / "site",
                                                 reports_dir=tmp_path / "r", only=("site",)))
    # the check names the entry's own line, before MkDocs is started
    found = [d.text() for d in result.errors]
    assert len(found) == 1 and "abuot.md" in found[0]
    assert found[0].startswith("trainkit.yaml:26:") and "error[unknown-nav-page]" in found[0]
    assert not (tmp_path / "site").exists()


def test_module_front_matter_is_kept_but_not_its_title() -> None:
    from trainkit.writers.site.courses import split_front_matter

    body, meta = split_front_matter("---\nhide: [toc]\ntitle: <b>x</b>\n---\n# Title\n\nText\n")
    assert body == "# Title\n\nText" and meta == {"hide": ["toc"]}
    assert split_front_matter("# Title\n---\nText") == ("# Title\n---\nText", {})
    page_meta = md.front_matter("<b>x</b>", **meta)
    assert page_meta == "---\nhide:\n- toc\ntitle: '&lt;b&gt;x&lt;/b&gt;'\n---\n\n"


def test_published_svgs_are_inert_and_still_drawings(hostile_site: Path) -> None:
    import xml.etree.ElementTree as ET

    tile = ET.parse(hostile_site / "courses/manual-handling/img/tile.svg").getroot()
    names = [el.tag.rsplit("}", 1)[-1] for el in tile.iter()]
    assert "script" not in names and "foreignObject" not in names and "set" not in names
    assert "animate" not in names
    assert names.count("rect") == 4 and "click" in "".join(tile.itertext())  # the picture stays
    for el in tile.iter():
        for attr, value in el.attrib.items():
            assert not attr.rsplit("}", 1)[-1].startswith("on"), (el.tag, attr)
            assert "script:" not in value.replace("\t", ""), (el.tag, attr, value)
    badge = (hostile_site / "img/badge.svg").read_text()  # from site-extra/
    assert "<circle" in badge and "alert(" not in badge


def test_svg_sanitiser_keeps_harmless_links_and_refuses_entities() -> None:
    from trainkit.writers.site.svg import SvgError, sanitise

    data = (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/">ok</a>'
            b'<a href="mailto:x@example.org">m</a><a href="#top">t</a>'
            b'<image href="data:image/png;base64,AAAA"/><image href="data:image/svg+xml,&lt;svg"/>'
            b'<a href="vbscript:x">v</a></svg>')
    out, removed = sanitise(data)
    assert removed == 2
    for kept in (b"https://example.org/", b"mailto:x@example.org", b'"#top"', b"data:image/png"):
        assert kept in out
    assert b"svg+xml" not in out and b"vbscript" not in out
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY a "aaaa">\n]>\n<svg>&a;</svg>'
    with pytest.raises(SvgError) as err:
        sanitise(bomb)
    assert (err.value.line, err.value.col) == (3, 3)
    with pytest.raises(SvgError) as err:
        sanitise(b"<html><body/></html>")
    assert "not <svg>" in err.value.message


def test_broken_svg_stops_the_build_with_its_place(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    (root / "courses/manual-handling/modules/img/tile.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">\n  <g><rect/>\n</svg>\n')
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "keep.txt").write_text("previous build")
    (site_dir / MARKER).write_text("an earlier build's site")
    with source_date_epoch(1772323200), pytest.raises(BuildError) as err:
        run_build(root, BuildOptions(site_dir=site_dir, reports_dir=tmp_path / "r",
                                     only=("site",)))
    [problem] = err.value.diagnostics
    assert problem.text().startswith(
        "courses/manual-handling/modules/img/tile.svg:3:3: error[site-svg]: the SVG is not "
        "well-formed XML (mismatched tag)")
    assert "save it again" in problem.message
    assert (site_dir / "keep.txt").read_text() == "previous build"


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_a_pages_title_reads_back_as_the_yaml_library_writes_it(title: str) -> None:
    """Front matter is written without the YAML library when the title allows; MkDocs
    reads back exactly the title the library would have written, whatever it holds."""
    import yaml

    head = md.front_matter(title).split("---\n")[1]
    value = md.h(md._SPACE.sub(" ", title).strip())
    assert yaml.safe_load(head) == {"title": value}
    assert yaml.safe_load(head) == yaml.safe_load(yaml.safe_dump({"title": value},
                                                                 allow_unicode=True))
