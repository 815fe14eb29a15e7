"""One invoice or credit note as a Factur-X PDF: readable by people, bookable by machines.

The page is laid out with fpdf2; factur-x (Akretion) embeds the EN 16931 XML
and writes the PDF/A-3 identification and Factur-X XMP metadata. Every date
in the file comes from the document's issue date, never from the clock, so
the same document always gives the same bytes.

The file is PDF/A-3 (level B), as Factur-X requires: text is set in DejaVu
Sans (which matplotlib ships), embedded as a subset in every document,
whatever its script (the standard Helvetica is never embedded, so PDF/A may
not use it); it is first the font reduced once per process
(``invoice_fonts``), then, for a document with a character outside it, the
full font; colours are sRGB, declared by an output intent with the sRGB
ICC profile fpdf2 ships; factur-x writes the XMP metadata (uncompressed)
with ``pdfaid:part`` 3 and ``pdfaid:conformance`` B, and every entry of the
document information dictionary has its XMP equivalent (``pdf:Keywords`` is
added to the XMP factur-x writes). ``tests/test_invoice_pdfa.py`` checks
each clause of ISO 19005-3 that applies, with another PDF parser.

Numbers are formatted by Babel in the academy's ``locale``, never by the
process's locale: the same ledger gives the same bytes on any machine.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import facturx
from babel.numbers import format_decimal
from fpdf import FPDF
from fpdf.drawing_primitives import Transform
from fpdf.enums import OutputIntentSubType
from fpdf.fonts import CoreFont, TTFFont
from fpdf.output import PDFICCProfile, ResourceCatalog
from fpdf.svg import SVGObject
from fpdf.util import builtin_srgb2014_bytes
from lxml import etree

from trainkit.model import Academy
from trainkit.outcomes.cii import payment_terms
from trainkit.outcomes.invoicing import Draft
from trainkit.writers.invoice_fonts import FULL, reduced

# fpdf2 logs each SVG element it does not draw (a logo's <title>, say) once per page.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
TITLES = {"invoice": "Invoice", "credit-note": "Credit note"}


class _Clock(datetime):
    """``datetime`` whose ``now`` is one fixed moment (see :func:`_fixed_now`)."""

    moment: datetime = datetime(2000, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return cls.moment if tz is None else cls.moment.astimezone(tz)


@contextlib.contextmanager
def _facturx_for(moment: datetime, keywords: str) -> Iterator[None]:
    """factur-x as PDF/A needs it, for one document.

    factur-x stamps its metadata with the clock: it gets the issue date
    instead. It writes ``/Keywords`` in the document information dictionary
    but not in the XMP: its XMP gets ``pdf:Keywords`` too, so that the two
    agree.
    """
    module: Any = facturx.facturx
    saved = module.datetime, module.generate_xmp_bytes
    _Clock.moment = moment

    def xmp(*args: Any, **kwargs: Any) -> bytes:
        return _with_keywords(bytes(saved[1](*args, **kwargs)), keywords)

    module.datetime, module.generate_xmp_bytes = _Clock, xmp
    try:
        yield
    finally:
        module.datetime, module.generate_xmp_bytes = saved


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDF_NS = "http://ns.adobe.com/pdf/1.3/"


def _with_keywords(packet: bytes, keywords: str) -> bytes:
    """The XMP ``packet`` with ``pdf:Keywords`` beside ``pdf:Producer``."""
    start, end = packet.index(b"<x:xmpmeta"), packet.rindex(b"</x:xmpmeta>") + 12
    root = etree.fromstring(packet[start:end])
    producer = root.find(f".//{{{_PDF_NS}}}Producer")
    if producer is None:
        raise ValueError("factur-x wrote XMP without pdf:Producer")
    keywords_node = etree.Element(f"{{{_PDF_NS}}}Keywords")
    keywords_node.text, keywords_node.tail = keywords, producer.tail
    producer.tail = producer.getparent().text
    producer.addnext(keywords_node)
    body = bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=False))
    return packet[:start] + body + packet[end:]


def money(value: Decimal, locale: str) -> str:
    return format_decimal(value, format="#,##0.00##", locale=locale)


@functools.cache
def _srgb() -> PDFICCProfile:
    return PDFICCProfile(contents=builtin_srgb2014_bytes(), n=3, alternate="DeviceRGB")


class _EmbeddedFonts(ResourceCatalog):
    """fpdf2's resources, where every family a drawing asks for is DejaVu Sans.

    A logo's SVG ``<text>`` names its own fonts (``Helvetica, Arial,
    sans-serif``), which fpdf2 would set in a standard font it does not
    embed; PDF/A embeds every font, so each is the embedded DejaVu Sans
    (bold when asked; there is no italic).
    """

    def get_font_from_family(self, font_family: str, font_style: str = ""
                             ) -> CoreFont | TTFFont:
        return self.font_registry["dejavu" + ("B" if "B" in font_style.upper() else "")]


class Page:
    """The fpdf2 document being laid out, with the academy's fonts chosen once.

    Its fonts are the reduced DejaVu Sans, or the full one when ``full``.
    """

    def __init__(self, issued: date, full: bool = False) -> None:
        pdf = FPDF(format="A4")
        pdf._resource_catalog = _EmbeddedFonts()  # before any resource is added
        pdf.set_creation_date(datetime(issued.year, issued.month, issued.day, tzinfo=UTC))
        pdf.set_auto_page_break(True, margin=18)
        # PDF/A: colours are sRGB (the profile fpdf2 ships)
        pdf.add_output_intent(OutputIntentSubType.PDFA, output_condition_identifier="sRGB",
                              output_condition="IEC 61966-2-1:1999",
                              registry_name="http://www.color.org",
                              dest_output_profile=_srgb(), info="sRGB2014 (v2)")
        # PDF/A: every font embedded (fpdf2 subsets it to the glyphs used)
        for style, path in (FULL if full else reduced()).items():
            pdf.add_font("dejavu", style, path)
        self.font = "dejavu"
        pdf.add_page()
        self.pdf = pdf

    def complete(self) -> bool:
        """Whether the fonts had a glyph for every character set so far."""
        return not any(isinstance(f, TTFFont) and f.missing_glyphs for f in self.pdf.fonts.values())

    def text(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.font, "B" if bold else "", size)

    def row(self, cells: list[tuple[float, str, str]], height: float = 6) -> None:
        for width, text, align in cells:
            self.pdf.cell(width, height, text, align=align)
        self.pdf.ln(height)


def texts_of(academy: Academy, draft: Draft) -> dict[str, Any]:
    """Everything the page prints, as text (also what the tests read back)."""
    parties = draft.parties
    assert parties is not None
    buyer: list[str] = []
    if (b := parties.buyer) is not None:
        buyer = [b.name, *b.address_lines, b.country]
        buyer += [f"VAT / tax id: {b.tax_id}"] if b.tax_id else []
        buyer += [f"Attn. {b.contact}"] if b.contact else []
    seller = parties.seller
    sell = [seller.name, *seller.address_lines, seller.country, seller.email]
    sell += [f"VAT: {seller.tax_id}"] if seller.tax_id else []
    lines = [x.text for x in draft.lines]
    return {"seller": sell, "buyer": buyer, "lines": lines}


Logo = SVGObject | bytes | None


def logo_image(data: bytes | None, name: str) -> Logo:
    """The logo as fpdf2 takes it: an SVG parsed once for every page, else the bytes."""
    if data is None or not name.lower().endswith(".svg"):
        return data
    try:
        return SVGObject(data)
    except Exception:  # a broken logo leaves its space empty  # noqa: BLE001
        return None


def render_page(academy: Academy, draft: Draft, logo: Logo) -> bytes:
    """The printable PDF of ``draft`` (without the embedded XML).

    Laid out with the reduced fonts; again with the full ones when a
    character is not in the reduced set.
    """
    page = _laid_out(academy, draft, logo, Page(draft.issued))
    if not page.complete():
        page = _laid_out(academy, draft, logo, Page(draft.issued, full=True))
    return bytes(page.pdf.output())


def _laid_out(academy: Academy, draft: Draft, logo: Logo, page: Page) -> Page:
    locale = academy.settings.locale.replace("-", "_")
    texts = texts_of(academy, draft)
    pdf = page.pdf
    if isinstance(logo, SVGObject):
        draw_svg(pdf, logo, 10, 10, 16)
    elif logo:
        with contextlib.suppress(Exception):  # a broken logo leaves the space empty
            pdf.image(io.BytesIO(logo), x=10, y=10, h=16)
    page.text(18, bold=True)
    pdf.set_xy(110, 10)
    pdf.cell(90, 10, f"{TITLES[draft.kind]} {draft.number}", align="R")
    page.text(8)
    pdf.set_xy(110, 21)
    pdf.multi_cell(90, 4, "\n".join(texts["seller"]), align="R")
    _header(page, draft, texts["buyer"], max(50.0, pdf.get_y() + 6))
    _table(page, draft, texts["lines"], locale)
    _totals(page, draft, locale)
    _terms(page, draft)
    return page


def draw_svg(pdf: FPDF, svg: SVGObject, x: float, y: float, height: float) -> None:
    """Draw a parsed SVG ``height`` high at ``(x, y)``; the same object serves every page."""
    box = svg.viewbox or (0, 0, svg.width, svg.height)
    if not box[2] or not box[3]:
        return
    width = height * float(box[2]) / float(box[3])
    _, _, path = svg.transform_to_rect_viewport(scale=1, width=width, height=height,
                                                ignore_svg_top_attrs=True)
    path.transform = (path.transform or Transform.identity()) @ Transform.translation(x, y)
    old = pdf.x, pdf.y
    pdf.set_xy(0, 0)
    try:
        pdf.draw_path(path)
    finally:
        pdf.set_xy(*old)


def _header(page: Page, draft: Draft, buyer: list[str], top: float) -> None:
    """Buyer on the left, the document's facts on the right, below the seller's block."""
    pdf = page.pdf
    pdf.set_xy(10, top)
    page.text(9, bold=True)
    pdf.cell(90, 5, "Bill to")
    pdf.ln(5)
    page.text(9)
    pdf.multi_cell(90, 4.5, "\n".join(buyer))
    facts = [("Issue date", draft.issued.isoformat()), ("Order", draft.order.id)]
    if draft.kind == "invoice":
        facts.insert(1, ("Due date", draft.due.isoformat()))
    if _purchase_order(draft):
        facts.append(("Your PO number", _purchase_order(draft)))
    if draft.credits:
        facts.append(("Credits invoice", draft.credits))
    if draft.reason:
        facts.append(("Reason", draft.reason))
    y = top
    for label, value in facts:
        pdf.set_xy(120, y)
        page.text(9, bold=True)
        pdf.cell(35, 5, label)
        page.text(9)
        pdf.cell(45, 5, value, align="R")
        y += 5
    pdf.set_y(max(pdf.get_y(), y) + 8)


def _purchase_order(draft: Draft) -> str:
    return (draft.parties.purchase_order if draft.parties else None) or ""


def _table(page: Page, draft: Draft, names: list[str], locale: str) -> None:
    pdf = page.pdf
    page.text(9, bold=True)
    cur = draft.order.currency
    page.row([(8, "#", "L"), (112, "Description", "L"), (22, "List", "R"),
              (22, f"Net {cur}", "R"), (26, "Tax", "R")])
    pdf.line(10, pdf.get_y(), 200, pdf.get_y())
    page.text(8.5)
    for i, (line, name) in enumerate(zip(draft.lines, names, strict=True), start=1):
        label = f"{name} ({line.discount})" if line.discount else name
        y = pdf.get_y()
        pdf.set_xy(18, y)
        pdf.multi_cell(112, 5, label)
        bottom = pdf.get_y()
        pdf.set_xy(10, y)
        pdf.cell(8, 5, str(i))
        pdf.set_xy(130, y)
        page.row([(22, money(line.list_price, locale), "R"),
                  (22, money(line.unit_price, locale), "R"),
                  (26, f"{line.tax_label} {line.tax_rate.normalize():f}%", "R")], 5)
        pdf.set_y(max(bottom, pdf.get_y()))
    pdf.line(10, pdf.get_y() + 1, 200, pdf.get_y() + 1)
    pdf.ln(4)


def _totals(page: Page, draft: Draft, locale: str) -> None:
    cur = draft.order.currency
    page.text(9)
    for r in draft.rates:
        page.row([(140, f"{r.label} {r.rate.normalize():f}% on {money(r.basis, locale)}", "R"),
                  (50, f"{money(r.tax, locale)} {cur}", "R")], 5)
    page.row([(140, "Net total", "R"), (50, f"{money(draft.net, locale)} {cur}", "R")], 5)
    page.row([(140, "Tax total", "R"), (50, f"{money(draft.tax, locale)} {cur}", "R")], 5)
    page.text(11, bold=True)
    label = "Total credited" if draft.kind == "credit-note" else "Total due"
    page.row([(140, label, "R"), (50, f"{money(draft.total, locale)} {cur}", "R")], 7)
    page.pdf.ln(4)


def _terms(page: Page, draft: Draft) -> None:
    assert draft.parties is not None
    seller = draft.parties.seller
    page.text(9)
    text = payment_terms(draft)
    if draft.kind == "invoice" and seller.iban:
        text += f"\nBank transfer to IBAN {seller.iban}" + (
            f", BIC {seller.bic}" if seller.bic else "") + "."
    page.pdf.multi_cell(190, 5, text)


def embed(pdf: bytes, xml: bytes, draft: Draft, seller_name: str, lang: str) -> bytes:
    """``pdf`` as Factur-X (EN 16931 profile) with ``xml`` embedded."""
    moment = datetime(draft.issued.year, draft.issued.month, draft.issued.day, tzinfo=UTC)
    keywords = "Factur-X, EN 16931"
    metadata = {"author": seller_name, "keywords": keywords,
                "title": f"{seller_name}: {TITLES[draft.kind]} {draft.number}",
                "subject": f"{TITLES[draft.kind]} {draft.number} of {draft.issued.isoformat()}"}
    with _facturx_for(moment, keywords):
        return bytes(facturx.generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=False,
            pdf_metadata=metadata, lang=lang, xmp_compression=False))


def render(academy: Academy, draft: Draft, xml: bytes, logo: Logo) -> bytes:
    """The Factur-X PDF of ``draft`` whose XML is ``xml``."""
    assert draft.parties is not None
    page = render_page(academy, draft, logo)
    return embed(page, xml, draft, draft.parties.seller.name, academy.settings.locale)
