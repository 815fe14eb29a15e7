"""Invoice PDFs are PDF/A-3, level B (ISO 19005-3:2012), as Factur-X requires.

No PDF/A validator installs from the registries the project uses (veraPDF
is Java, fetched from its own site; the PyPI and npm packages that mention
it only call it). So every clause of ISO 19005-3 that can apply to what
trainkit writes is checked here with pikepdf (qpdf), a parser independent
of the ones that wrote the file (fpdf2, pypdf inside factur-x), and fontTools
for the embedded font programs. Each assertion names its clause. Ghostscript
and qpdf then re-read every file as a second, independent route.

The files: the demo's ledger, and a copy of the demo that issues new
invoices with a buyer and learner names outside Latin-1 and a PNG logo
with transparency (an image XObject with a soft mask).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from invoice_support import demo_copy, edit, invoice
from test_site_support import DEMO, source_date_epoch
from trainkit.writers.build import BuildOptions, run_build

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP_NS = {"rdf": RDF, "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
          "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
          "xmp": "http://ns.adobe.com/xap/1.0/",
          "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
          "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#"}
PREDEFINED = {XMP_NS[k] for k in ("rdf", "pdfaid", "dc", "pdf", "xmp", "pdfaExtension",
                                  "pdfaSchema")} | {
    "http://www.aiim.org/pdfa/ns/property#", "http://www.aiim.org/pdfa/ns/type#",
    "http://www.aiim.org/pdfa/ns/field#", "adobe:ns:meta/",
    "http://www.w3.org/XML/1998/namespace"}
# ISO 32000-1 Annex A: every content stream operator (6.2.2: no others outside BX/EX)
OPERATORS = frozenset({
    "b", "b*", "B", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0",
    "d1", "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i", "ID",
    "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri", "s", "S",
    "SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL", "Tm",
    "Tr", "Ts", "Tw", "Tz", "v", "w", "W", "W*", "y", "'", '"'})
FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide",
                     "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}


def _build(root: Path, out: Path) -> Path:
    with source_date_epoch(1772323200):
        result, _ = run_build(root, BuildOptions(site_dir=out / "site",
                                                 reports_dir=out / "reports",
                                                 only=("invoices",)))
    assert not result.errors, [d.text() for d in result.errors]
    return out / "reports" / "invoices"


def _png_logo() -> bytes:
    image = Image.new("RGBA", (60, 30), (0, 0, 0, 0))
    for x in range(10, 50):
        for y in range(5, 25):
            image.putpixel((x, y), (0, 121, 107, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    demo = _build(DEMO, tmp_path_factory.mktemp("demo"))
    root = demo_copy(tmp_path_factory.mktemp("unicode"))
    edit(root, "people/learners/meridian-software.yaml", "Philippa Northcote", "Łucja Żółć")
    edit(root, "records/orders/northcote-lt-2026-10.yaml", "Philippa Northcote",
         "Łucja Żółć")
    # a Greek address line is outside the reduced fonts: that file has the full ones
    edit(root, "records/orders/northcote-lt-2026-10.yaml", "18 Lime Grove", "Οδός Ερμού 18")
    (root / "site-extra/assets/logo.png").write_bytes(_png_logo())
    edit(root, "trainkit.yaml", "logo: site-extra/assets/logo.svg",
         "logo: site-extra/assets/logo.png")
    assert invoice(root, "--as-of", "2026-09-30") == 0
    issued = _build(root, tmp_path_factory.mktemp("unicode-out"))
    new = sorted(issued.glob("*.pdf"))[3:]
    assert new, "the copy issued no new invoice"
    assert any(_text_has(p, "Łucja Żółć") for p in new)
    assert any(_text_has(p, "Οδός Ερμού 18") for p in new)
    return sorted(demo.glob("*.pdf")) + new


def _text_has(path: Path, word: str) -> bool:
    from pypdf import PdfReader  # a third parser, only to find the file with the name
    return word in PdfReader(path).pages[0].extract_text()


def _objects(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    return list(pdf.objects)


def _dicts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary | pikepdf.Stream]:
    out: list[pikepdf.Dictionary | pikepdf.Stream] = []
    for obj in _objects(pdf):
        if isinstance(obj, pikepdf.Stream | pikepdf.Dictionary):
            out.append(obj)
    return out


def _xmp(pdf: pikepdf.Pdf) -> etree._Element:
    data = pdf.Root.Metadata.read_bytes()
    body = data[data.index(b"<x:xmpmeta"):data.rindex(b"</x:xmpmeta>") + 12]
    return etree.fromstring(body)


def _open(path: Path) -> tuple[pikepdf.Pdf, bytes]:
    return pikepdf.Pdf.open(path), path.read_bytes()


def test_the_files_cover_both_scripts_and_both_logo_kinds(pdfs: list[Path]) -> None:
    assert len(pdfs) >= 4
    opened = [(p, pikepdf.Pdf.open(p)) for p in pdfs]  # kept open while read
    images = [p for p, pdf in opened if any(str(x.get("/Subtype")) == "/Image"
                                            for x in _dicts(pdf))]
    assert images, "no file draws the PNG logo"


def test_file_header_trailer_and_structure(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, data = _open(path)
        # 6.1.2: %PDF-1.n at byte 0, then a comment of at least four bytes above 127
        assert re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data), (path.name, data[:16])
        # 6.1.3: the trailer has an ID, no Encrypt; nothing after the last %%EOF but an EOL
        assert len(pdf.trailer.ID) == 2, path.name
        assert "/Encrypt" not in pdf.trailer, path.name
        assert re.search(rb"%%EOF\r?\n?$", data), path.name
        # 6.1.7.1: stream keyword followed by an EOL; endstream preceded by one
        assert not re.search(rb"stream(?!\r?\n)[^\r\n]", data.replace(b"endstream", b"")), \
            path.name
        assert not re.search(rb"[^\r\n]endstream", data), path.name
        for obj in _objects(pdf):
            if isinstance(obj, pikepdf.Stream):
                # 6.1.7.1: no external stream data
                assert not {"/F", "/FFilter", "/FDecodeParms"} & set(obj.keys()), path.name
                # 6.1.7.2: no LZW, no Crypt filter
                filters = obj.get("/Filter")
                names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) \
                    else [str(filters)] if filters is not None else []
                assert not {"/LZWDecode", "/Crypt"} & set(names), path.name
                obj.read_bytes()  # every stream decodes


def test_implementation_limits(pdfs: list[Path]) -> None:
    """6.1.13: integers, names and strings within the limits of ISO 32000-1 Annex C."""
    for path in pdfs:
        pdf, _ = _open(path)
        for obj in _objects(pdf):
            for value in _leaves(obj):
                if isinstance(value, int):
                    assert -(2 ** 31) <= value <= 2 ** 31 - 1, path.name
                elif isinstance(value, pikepdf.Name):
                    assert len(str(value).encode()) - 1 <= 127, path.name
                elif isinstance(value, pikepdf.String):
                    assert len(bytes(value)) <= 32767, path.name


def _leaves(obj: pikepdf.Object, depth: int = 0) -> list[object]:
    if depth > 20:
        return []
    if isinstance(obj, pikepdf.Array):
        return [v for item in obj for v in _leaves(item, depth + 1)]
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        keys = [pikepdf.Name(k) for k in obj]
        values = [obj[k] for k in obj]
        return keys + [v for x in values
                       if not (isinstance(x, pikepdf.Object) and x.is_indirect)
                       for v in _leaves(x, depth + 1)]
    return [obj]


def test_output_intent_with_an_embedded_srgb_profile(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        intents = [i for i in pdf.Root.OutputIntents if i.S == "/GTS_PDFA1"]
        # 6.2.3: one PDF/A output intent (all with the same profile), an ICC profile
        assert len(intents) == 1, path.name
        intent = intents[0]
        profile = intent.DestOutputProfile
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp", path.name  # an ICC profile
        assert icc[16:20] == b"RGB ", path.name  # 6.2.3: its colour space matches N
        assert int(profile.N) == 3, path.name
        assert icc[12:16] in (b"mntr", b"prtr"), path.name  # output or monitor class
        assert icc[8] <= 4, path.name  # 6.2.3: ICC version 4 or lower
        assert int.from_bytes(icc[:4], "big") == len(icc), path.name
        # 6.2.4.3: DeviceRGB is used only because the output intent is RGB
        assert str(intent.OutputConditionIdentifier) == "sRGB", path.name


def test_graphics_states_images_and_xobjects(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        for obj in _dicts(pdf):
            kind, sub = str(obj.get("/Type", "")), str(obj.get("/Subtype", ""))
            if kind == "/ExtGState" or any(k in obj for k in ("/TR", "/TR2", "/HTP")):
                # 6.2.5: no transfer functions, halftone phases or origins
                assert "/TR" not in obj and "/HTP" not in obj and "/HTO" not in obj
                assert str(obj.get("/TR2", "/Default")) == "/Default", path.name
                # 6.2.10: blend modes of ISO 32000-1 only
                assert str(obj.get("/BM", "/Normal")) in {
                    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
                    "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
                    "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color",
                    "/Luminosity"}, path.name
            if sub == "/Image":
                # 6.2.8: no Alternates, no OPI, Interpolate false, BitsPerComponent 1-16
                assert "/Alternates" not in obj and "/OPI" not in obj, path.name
                assert not bool(obj.get("/Interpolate", False)), path.name
                assert int(obj.get("/BitsPerComponent", 8)) in (1, 2, 4, 8, 16), path.name
            # 6.2.9: no PostScript XObjects, no reference XObjects, no OPI
            assert sub != "/PS" and "/PS" not in obj, path.name
            if kind == "/XObject" and sub == "/Form":
                assert "/Ref" not in obj and "/OPI" not in obj, path.name


def test_content_streams_use_defined_operators_and_rendering_intents(pdfs: list[Path]
                                                                     ) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                # 6.2.2: only the operators of ISO 32000-1
                assert str(op) in OPERATORS, (path.name, str(op))
                if str(op) == "ri":  # 6.2.6: standard rendering intents only
                    assert str(operands[0]) in {"/RelativeColorimetric", "/Perceptual",
                                                "/AbsoluteColorimetric", "/Saturation"}


def test_every_font_is_embedded_complete_and_with_its_widths(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        page = pdf.pages[0]
        fonts = page.Resources.Font
        assert fonts, path.name
        used = _glyphs_used(page)
        for name, font in fonts.items():
            # 6.2.11.4.1: every font embedded (no standard 14 font left to the reader)
            assert str(font.Subtype) == "/Type0", (path.name, name, str(font.get("/BaseFont")))
            cid = font.DescendantFonts[0]
            descriptor = cid.FontDescriptor
            assert "/FontFile2" in descriptor, (path.name, name)
            # 6.2.11.3.2: a CIDFontType2 has a CIDToGIDMap (Identity or a stream)
            assert str(cid.Subtype) == "/CIDFontType2" and "/CIDToGIDMap" in cid
            # 6.2.11.3.1/3: Identity-H needs no embedded CMap and fits any CIDSystemInfo
            assert str(font.Encoding) == "/Identity-H", (path.name, name)
            program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
            to_gid = _cid_to_gid(cid)
            widths = _widths(cid)
            glyph_order = program.getGlyphOrder()
            scale = 1000 / program["head"].unitsPerEm
            cids = used.get(name, set())
            assert cids, (path.name, name)
            for c in cids:
                gid = to_gid(c)
                # 6.2.11.8: never the .notdef glyph; 6.2.11.4.1: the glyph is in the program
                assert gid != 0, (path.name, name, c)
                assert gid < len(glyph_order), (path.name, name, c)
                glyph = glyph_order[gid]
                # 6.2.11.5: the width in the font dictionary is the program's
                advance = program["hmtx"][glyph][0] * scale
                width = widths.get(c, float(cid.get("/DW", 1000)))
                assert abs(width - advance) <= 1, (path.name, name, c, width, advance)
            # 6.2.11.4.2: a CIDSet, when present, lists every CID of the subset
            if "/CIDSet" in descriptor:
                bits = descriptor.CIDSet.read_bytes()
                assert all(bits[c // 8] & (0x80 >> (c % 8)) for c in cids), (path.name, name)


def _glyphs_used(page: pikepdf.Page) -> dict[str, set[int]]:
    used: dict[str, set[int]] = {}
    current = ""
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "Tf":
            current = str(operands[0])
        elif str(op) in ("Tj", "'", '"', "TJ"):
            strings = operands[-1] if str(op) == "TJ" else [operands[-1]]
            for s in strings:
                if isinstance(s, pikepdf.String):
                    raw = bytes(s)
                    used.setdefault(current, set()).update(
                        int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2))
    return used


def _cid_to_gid(cid: pikepdf.Dictionary):  # type: ignore[no-untyped-def]
    mapping = cid.CIDToGIDMap
    if isinstance(mapping, pikepdf.Name):
        return lambda c: c
    data = mapping.read_bytes()
    return lambda c: int.from_bytes(data[2 * c:2 * c + 2], "big")


def _widths(cid: pikepdf.Dictionary) -> dict[int, float]:
    out: dict[int, float] = {}
    items = list(cid.get("/W", []))
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for k, w in enumerate(items[i + 1]):
                out[first + k] = float(w)
            i += 2
        else:
            for c in range(first, int(items[i + 1]) + 1):
                out[c] = float(items[i + 2])
            i += 3
    return out


def test_no_javascript_forbidden_actions_or_hidden_annotations(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        # 6.5.1: no JavaScript name tree; 6.5.2: no additional-actions
        assert "/JavaScript" not in pdf.Root.get("/Names", {}), path.name
        assert "/AA" not in pdf.Root, path.name
        for obj in _dicts(pdf):
            # 6.5.1: no Launch, Sound, Movie, ResetForm, ImportData, Hide, JavaScript …
            if str(obj.get("/Type", "")) == "/Action" or "/S" in obj and "/JS" in obj:
                assert str(obj.get("/S")) not in FORBIDDEN_ACTIONS, path.name
            assert "/JS" not in obj, path.name
            if str(obj.get("/Type", "")) == "/Page":
                assert "/AA" not in obj, path.name  # 6.5.2: no additional actions
            if str(obj.get("/Type", "")) == "/Annot":
                # 6.3.2: annotations printable, not hidden
                flags = int(obj.get("/F", 0))
                assert flags & 4 and not flags & (1 | 2 | 32), path.name
        # 6.4 (forms) and 6.9 (optional content) do not apply: there are none
        assert "/AcroForm" not in pdf.Root and "/OCProperties" not in pdf.Root, path.name
        # 6.1.12: permissions only UR3 / DocMDP; no encryption at all here
        assert "/Perms" not in pdf.Root, path.name


def test_xmp_metadata_identifies_pdfa_3b(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        stream = pdf.Root.Metadata
        # 6.6.2.1: the catalog's Metadata is an XMP stream, Type Metadata, Subtype XML
        assert str(stream.Type) == "/Metadata" and str(stream.Subtype) == "/XML", path.name
        data = stream.read_bytes()
        header = re.match(rb"<\?xpacket ([^?]*)\?>", data)
        # 6.6.2.1: no bytes or encoding attribute in the packet header
        assert header and b"bytes=" not in header[1] and b"encoding=" not in header[1]
        xmp = _xmp(pdf)
        # 6.6.4: pdfaid:part 3 and pdfaid:conformance B
        assert xmp.findtext(".//pdfaid:part", namespaces=XMP_NS) == "3", path.name
        assert xmp.findtext(".//pdfaid:conformance", namespaces=XMP_NS) == "B", path.name


def test_xmp_properties_are_predefined_or_described_by_an_extension_schema(
        pdfs: list[Path]) -> None:
    """6.6.2.3.1: a property outside the XMP schemas has an extension schema."""
    for path in pdfs:
        pdf, _ = _open(path)
        xmp = _xmp(pdf)
        described = {x.text for x in xmp.iterfind(".//pdfaSchema:namespaceURI",
                                                  namespaces=XMP_NS)}
        schemas = xmp.find(".//pdfaExtension:schemas", XMP_NS)
        for description in xmp.iterfind(f"{{{RDF}}}RDF/{{{RDF}}}Description"):
            for prop in description:
                ns = etree.QName(prop).namespace
                if prop is schemas:
                    continue
                assert ns in PREDEFINED or ns in described, (path.name, prop.tag)
        for schema in xmp.iterfind(".//pdfaSchema:namespaceURI", namespaces=XMP_NS):
            names = [p.text for p in schema.getparent().iter(
                "{http://www.aiim.org/pdfa/ns/property#}name")]
            used = {etree.QName(p).localname for p in xmp.iter(f"{{{schema.text}}}*")}
            assert used <= set(names), (path.name, used - set(names))


def test_the_information_dictionary_agrees_with_the_xmp(pdfs: list[Path]) -> None:
    """The Info entries with an XMP equivalent hold the same values.

    ISO 19005-3 6.6.2.1 only asks for the XMP; ISO 19005-1 6.7.3 asks for
    this equivalence, and some validators check it for parts 2 and 3 too.
    """
    for path in pdfs:
        pdf, _ = _open(path)
        info, xmp = pdf.docinfo, _xmp(pdf)

        alt = ".//{}/rdf:Alt/rdf:li"
        expected = {"/Title": xmp.findtext(alt.format("dc:title"), namespaces=XMP_NS),
                    "/Subject": xmp.findtext(alt.format("dc:description"), namespaces=XMP_NS),
                    "/Author": xmp.findtext(".//dc:creator/rdf:Seq/rdf:li", namespaces=XMP_NS),
                    "/Keywords": xmp.findtext(".//pdf:Keywords", namespaces=XMP_NS),
                    "/Producer": xmp.findtext(".//pdf:Producer", namespaces=XMP_NS),
                    "/Creator": xmp.findtext(".//xmp:CreatorTool", namespaces=XMP_NS)}
        for key, value in info.items():
            if key in expected:
                assert str(value) == expected[key], (path.name, key)
            elif key in ("/CreationDate", "/ModDate"):
                tag = "xmp:CreateDate" if key == "/CreationDate" else "xmp:ModifyDate"
                assert _same_moment(str(value), xmp.findtext(f".//{tag}", namespaces=XMP_NS)), \
                    (path.name, key)
        assert "/Title" in info and "/Keywords" in info, path.name


def _same_moment(pdf_date: str, xmp_date: str | None) -> bool:
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d\d'\d\d'?)?", pdf_date)
    if m is None or xmp_date is None:
        return False
    zone = (m[7] or "Z").replace("'", "")
    zone = "+00:00" if zone in ("Z", "+0000", "-0000") else f"{zone[:3]}:{zone[3:5]}"
    return xmp_date == f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}{zone}"


def test_the_embedded_xml_is_an_associated_file(pdfs: list[Path]) -> None:
    for path in pdfs:
        pdf, _ = _open(path)
        names = list(pdf.Root.Names.EmbeddedFiles.Names)
        specs = names[1::2]
        assert [str(n) for n in names[0::2]] == ["factur-x.xml"], path.name
        af = list(pdf.Root.AF)
        for spec in specs:
            # 6.8: F and UF, AFRelationship, Desc; the spec is in the catalog's AF
            assert str(spec.F) == str(spec.UF) == "factur-x.xml", path.name
            assert str(spec.AFRelationship) in ("/Data", "/Alternative", "/Source"), path.name
            assert str(spec.Desc), path.name
            assert any(spec.objgen == a.objgen for a in af), path.name
            stream = spec.EF.F
            # 6.8: the embedded file's MIME type and modification date
            assert str(stream.Subtype) == "/text/xml", path.name
            assert str(stream.Type) == "/EmbeddedFile", path.name
            assert re.fullmatch(r"D:\d{14}.*", str(stream.Params.ModDate)), path.name
            assert stream.read_bytes().startswith(b"<?xml"), path.name


gs = shutil.which("gs")
qpdf = shutil.which("qpdf")


def test_qpdf_finds_no_structural_error(pdfs: list[Path]) -> None:
    assert qpdf is not None, "qpdf is part of the test setup: apt-get install qpdf"
    for path in pdfs:
        run = subprocess.run([str(qpdf), "--check", str(path)], capture_output=True,
                             text=True, check=False)
        assert run.returncode == 0, (path.name, run.stdout, run.stderr)
        assert "No syntax or stream encoding errors found" in run.stdout, path.name
        assert "WARNING" not in run.stdout + run.stderr, path.name


def test_ghostscript_renders_every_file_without_a_warning(pdfs: list[Path],
                                                          tmp_path: Path) -> None:
    assert gs is not None, "Ghostscript is part of the test setup: apt-get install ghostscript"
    for path in pdfs:
        run = subprocess.run([str(gs), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                              "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING", "-sDEVICE=txtwrite",
                              f"-sOutputFile={tmp_path / (path.stem + '.txt')}", str(path)],
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0 and not run.stderr.strip(), (path.name, run.stderr)
        assert "Total" in (tmp_path / (path.stem + ".txt")).read_text(errors="replace")
