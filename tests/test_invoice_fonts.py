"""The reduced DejaVu Sans invoices are set in, and the full fonts when it falls short."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from trainkit.writers import invoice_fonts
from trainkit.writers.invoice_fonts import FULL, covered, reduced, reduced_bytes
from trainkit.writers.invoice_pdf import Page


def test_the_reduced_fonts_are_the_same_bytes_every_time() -> None:
    for style, path in FULL.items():
        once = reduced_bytes(path)
        assert reduced_bytes(path) == once, style
        assert Path(reduced()[style]).read_bytes() == once, style


def test_the_reduced_fonts_cover_their_set_and_little_else() -> None:
    for style, path in FULL.items():
        full = TTFont(path)
        small = TTFont(io.BytesIO(reduced_bytes(path)))
        wanted = covered() & set(full.getBestCmap())
        assert set(small.getBestCmap()) == wanted, style
        assert {"glyf", "loca", "hmtx", "cmap", "name", "post", "OS/2"} <= set(small.keys())
        assert not {"GSUB", "GPOS", "GDEF", "kern"} & set(small.keys()), style
        assert len(small.getGlyphOrder()) < len(full.getGlyphOrder()) // 5, style
        # the same outlines and widths as the full font's
        for char in (ord("A"), ord("€"), ord("Ż")):
            name, big = small.getBestCmap()[char], full.getBestCmap()[char]
            assert small["hmtx"][name] == full["hmtx"][big], (style, chr(char))


def _page(text: str, full: bool = False) -> Page:
    page = Page(date(2026, 1, 10), full=full)
    page.text(9)
    page.pdf.cell(100, 5, text)
    page.text(9, bold=True)
    page.pdf.cell(100, 5, text)
    return page


def test_latin_text_is_complete_in_the_reduced_fonts() -> None:
    assert _page("Łucja Żółć, Ştefan Ţurcanu: 1 755,00 € – “paid”").complete()


def test_greek_or_cyrillic_text_is_not_and_the_full_fonts_have_it() -> None:
    for text in ("Ελένη Παπαδοπούλου", "Иван Петров"):
        assert not _page(text).complete(), text
        page = _page(text, full=True)
        assert page.complete(), text
        reader = PdfReader(io.BytesIO(bytes(page.pdf.output())))
        assert text in reader.pages[0].extract_text(), text


def test_fonts_are_kept_in_the_users_cache_and_never_where_others_can_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = invoice_fonts._stored(b"font bytes")
    assert Path(first).parent == tmp_path / "cache" / "trainkit" / "fonts"
    assert Path(first).read_bytes() == b"font bytes"
    assert invoice_fonts._stored(b"font bytes") == first  # kept: nothing new per run
    assert len(list(Path(first).parent.iterdir())) == 1
    shared = tmp_path / "shared"
    (shared / "trainkit" / "fonts").mkdir(parents=True)
    (shared / "trainkit" / "fonts").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    elsewhere = invoice_fonts._stored(b"font bytes")
    assert not elsewhere.startswith(str(shared))
    assert Path(elsewhere).read_bytes() == b"font bytes"
