"""Certificates and verification pages in the academy's look: logo, colours, a signature
line, dates in the academy's language."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

from trainkit.writers import branding
from trainkit.writers.certificate_pages import long_date, signature

SMALL = Path(__file__).parent / "cases" / "small"
EXPECTED = SMALL / "expected"


def _one(folder: Path, pattern: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob(pattern))]


def _logo(html: str) -> bytes:
    found = re.search(r'<img class="logo" src="data:image/svg\+xml;base64,([^"]+)"', html) or \
        re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found, "no embedded logo"
    return base64.b64decode(found.group(1))


def test_certificate_carries_logo_colours_and_a_signature_line() -> None:
    pages = _one(EXPECTED / "reports/certificates", "TK-*.html")
    assert pages
    primary, _ = branding._primary("deep-orange")  # primary_color: deep orange
    for html in pages:
        logo = _logo(html)
        assert b"<circle" in logo and b"onload" not in logo  # sanitised like any public SVG
        assert f"border:6px double {primary}" in html and f"color:{primary}" in html
        assert ('<div class="signature"><div class="line"></div>\n'
                '<p class="signer">Dr. Ann Example</p><p class="role">Head of Training</p>'
                in html)
    assert any("has completed <strong>Workplace Safety</strong> on 21 January 2026." in html
               for html in pages)


def test_verification_page_has_the_sites_header_and_footer() -> None:
    pages = _one(EXPECTED / "site/verify", "*/index.html")
    assert len(pages) == 6
    primary, on_primary = branding._primary("deep-orange")
    for html in pages:
        assert f".md-header{{background:{primary};color:{on_primary};" in html
        assert re.search(r'<header class="md-header"><nav><a href="https://academy.test/">'
                         r'<img src="data:image/svg\+xml;base64,[^"]+" alt=""><span>'
                         r'Test Academy &amp; Co</span></a></nav>', html)
        assert '<footer class="md-footer">' in html
        assert "Status as of <span class=\"tk-cert-asof\">1 April 2026</span>." in html
    expired = [h for h in pages if 'class="status expired"' in h]
    assert expired and all(re.search(r"<dt>Expires</dt><dd>\d{1,2} [A-Z][a-z]+ \d{4}</dd>", h)
                           for h in expired)


def test_site_colours_come_from_the_installed_material_palette() -> None:
    assert branding._primary("teal") == ("#009485", "#fff")
    assert branding._primary("amber")[1] == "#000000de"  # dark text on a light colour
    assert branding._accent("amber") == "#fa0"
    assert branding._primary("no-such-colour") == branding.DEFAULT[:2]
    assert "var(" not in branding._primary("white")[0]  # usable outside Material's CSS


def test_dates_in_the_academys_language() -> None:
    day = date(2026, 3, 9)
    assert long_date(day, "en-GB") == "9 March 2026"
    assert long_date(day, "en-US") == "March 9, 2026"
    assert long_date(day, "de-DE") == "9. März 2026"
    assert long_date(day, "xx-nonsense") == "March 9, 2026"
    assert long_date(None, "en-GB") == ""


def test_signatory_name_and_role() -> None:
    assert signature("Dr. Helena Marchetti, Director of Training, London") == (
        "Dr. Helena Marchetti", "Director of Training, London")
    assert signature("Ann Example") == ("Ann Example", "")
    assert signature(None) == ("", "")


def test_missing_or_broken_logo_is_left_out(tmp_path: Path) -> None:
    assert branding.logo_uri(tmp_path, None) == ""
    assert branding.logo_uri(tmp_path, "missing.svg") == ""
    (tmp_path / "bad.svg").write_text("<svg><unclosed></svg>")
    assert branding.logo_uri(tmp_path, "bad.svg") == ""
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert branding.logo_uri(tmp_path, "logo.png").startswith("data:image/png;base64,")
