"""The documents themselves: EN 16931 XML valid against the Factur-X schema, golden
XML and PDF text, totals recomputed another way, byte-identical rebuilds.

Refresh the golden files after a deliberate change, and review their diff::

    UPDATE_GOLDEN=1 python -m pytest tests/test_invoice_documents.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import facturx
import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from invoice_support import LEDGER, demo_copy, edit, invoice
from test_site_support import DEMO, source_date_epoch
from trainkit.outcomes.cii import NS
from trainkit.outcomes.invoicing import draft_of
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, run_build

GOLDEN = Path(__file__).parent / "cases" / "invoices" / "expected"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _build(root: Path, out: Path, epoch: int = 1772323200) -> Path:
    with source_date_epoch(epoch):
        result, _ = run_build(root, BuildOptions(site_dir=out / "site",
                                                 reports_dir=out / "reports",
                                                 only=("invoices",)))
    assert not result.errors, [d.text() for d in result.errors]
    return out / "reports" / "invoices"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(DEMO, tmp_path_factory.mktemp("invoices"))


def _ledger() -> list[dict]:  # read without trainkit: the second way
    return yaml.safe_load((DEMO / LEDGER).read_text(encoding="utf-8"))["documents"]


def test_every_document_of_the_ledger_is_built(built: Path) -> None:
    numbers = [d["number"] for d in _ledger()]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003"]
    assert sorted(p.name for p in built.iterdir()) == sorted(
        f"{n}.{ext}" for n in numbers for ext in ("pdf", "xml"))


def test_the_xml_validates_against_the_en16931_schema(built: Path) -> None:
    for path in sorted(built.glob("*.xml")):
        assert facturx.xml_check_xsd(path.read_bytes(), flavor="factur-x", level="en16931")


def test_the_schema_check_does_reject_a_broken_document(built: Path) -> None:
    root = etree.fromstring((built / "2026-0001.xml").read_bytes())
    currency = root.find(".//ram:InvoiceCurrencyCode", NS)
    currency.getparent().remove(currency)
    with pytest.raises(Exception, match="InvoiceCurrencyCode|XSD|valid"):
        facturx.xml_check_xsd(etree.tostring(root), flavor="factur-x", level="en16931")


def test_golden_xml_byte_for_byte(built: Path) -> None:
    for path in sorted(built.glob("*.xml")):
        expected = GOLDEN / path.name
        if UPDATE:
            expected.parent.mkdir(parents=True, exist_ok=True)
            expected.write_bytes(path.read_bytes())
        assert path.read_bytes() == expected.read_bytes(), path.name


def test_golden_pdf_text(built: Path) -> None:
    for path in sorted(built.glob("*.pdf")):
        reader = PdfReader(path)
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text() + "\n"
        expected = GOLDEN / f"{path.stem}.txt"
        if UPDATE:
            expected.write_text(text, encoding="utf-8")
        assert text == expected.read_text(encoding="utf-8"), path.name


def test_the_pdf_embeds_the_xml_the_ledger_hashed(built: Path) -> None:
    for entry in _ledger():
        pdf = (built / f"{entry['number']}.pdf").read_bytes()
        name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
        assert name == "factur-x.xml"
        assert xml == (built / f"{entry['number']}.xml").read_bytes()
        assert hashlib.sha256(xml).hexdigest() == entry["sha256"]
        info = PdfReader(io.BytesIO(pdf)).metadata
        day = entry["issued"].replace("-", "")
        assert info["/CreationDate"].startswith(f"D:{day}") and \
            info["/ModDate"].startswith(f"D:{day}")


def _money(text: str) -> Decimal:
    return Decimal(text)


def test_totals_and_tax_computed_a_second_way(built: Path) -> None:
    """From the ledger's seats (read with PyYAML) and from the XML's own lines."""
    for entry in _ledger():
        seats = entry["seats"]
        net = sum(Decimal(s["unit_price"]) for s in seats)
        rate = {Decimal(s["tax_rate"]) for s in seats}
        assert len(rate) == 1
        tax = (net * rate.pop() / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert (Decimal(entry["net"]), Decimal(entry["tax"]), Decimal(entry["total"])) == (
            net, tax, net + tax)
        root = etree.fromstring((built / f"{entry['number']}.xml").read_bytes())
        lines = [_money(x.text) for x in root.iterfind(
            ".//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", NS)]
        sums = root.find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
        assert sum(lines) == _money(sums.findtext("ram:LineTotalAmount", namespaces=NS)) == net
        assert _money(sums.findtext("ram:TaxTotalAmount", namespaces=NS)) == tax
        assert _money(sums.findtext("ram:GrandTotalAmount", namespaces=NS)) == net + tax
        assert len(lines) == len(seats)


def test_the_credit_note_references_its_invoice(built: Path) -> None:
    root = etree.fromstring((built / "2026-0002.xml").read_bytes())
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) == "381"
    ref = root.find(".//ram:InvoiceReferencedDocument", NS)
    assert ref.findtext("ram:IssuerAssignedID", namespaces=NS) == "2026-0001"
    assert ref.findtext(".//qdt:DateTimeString", namespaces=NS) == "20260210"


def test_a_rebuild_is_byte_identical_whatever_the_build_time(built: Path,
                                                             tmp_path: Path) -> None:
    again = _build(DEMO, tmp_path, epoch=1893456000)  # 2030
    for path in sorted(built.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_names_outside_latin_1_embed_a_unicode_font(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    edit(root, "people/learners/meridian-software.yaml", "Philippa Northcote", "Łucja Żółć")
    edit(root, "records/orders/northcote-lt-2026-10.yaml", "Philippa Northcote", "Łucja Żółć")
    assert invoice(root, "--as-of", "2026-09-30") == 0
    out = _build(root, tmp_path / "out")
    reader = PdfReader(out / "2026-0004.pdf")
    assert "Łucja Żółć" in reader.pages[0].extract_text()
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f for f in fonts), fonts


def test_names_outside_the_reduced_fonts_are_set_in_the_full_ones(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    edit(root, "people/learners/meridian-software.yaml", "Philippa Northcote", "Ксения Орлова")
    edit(root, "records/orders/northcote-lt-2026-10.yaml", "Philippa Northcote",
         "Ксения Орлова")
    assert invoice(root, "--as-of", "2026-09-30") == 0
    out = _build(root, tmp_path / "out")
    reader = PdfReader(out / "2026-0004.pdf")
    assert "Ксения Орлова" in reader.pages[0].extract_text()
    assert "Philippa" not in reader.pages[0].extract_text()


def test_learner_names_on_lines_can_be_left_out() -> None:
    from trainkit.outcomes.invoicing import order_lines
    academy = check_dir(DEMO).academy
    order = academy.orders["acme-fa-2026-10"]
    seats = order.seats()[:1]
    named = order_lines(academy, order, seats)
    assert named is not None and named[0].text.endswith(": Dariusz Kowalczyk")
    settings = dataclasses.replace(academy.invoicing, learner_names=False)
    anonymous = order_lines(dataclasses.replace(academy, invoicing=settings), order, seats)
    assert anonymous is not None
    assert anonymous[0].text == "First Aid at Work, London, October 2026, from 2026-10-22"


def test_one_parsed_logo_draws_the_same_on_every_page() -> None:
    from trainkit.writers.invoice_pdf import logo_image, render_page
    academy = check_dir(DEMO).academy
    first, second = (draft_of(academy, d, i) for i, d in enumerate(academy.ledger[:2]))
    svg = (DEMO / "site-extra/assets/logo.svg").read_bytes()
    shared = logo_image(svg, "logo.svg")
    without = render_page(academy, second, None)
    render_page(academy, first, shared)
    after_another = render_page(academy, second, shared)
    assert after_another == render_page(academy, second, logo_image(svg, "logo.svg"))
    assert len(after_another) > len(without)  # the logo is drawn


def _german_locale() -> str | None:
    """A locale with a decimal comma this machine has, if any."""
    import locale
    for name in ("de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"):
        try:
            locale.setlocale(locale.LC_NUMERIC, name)
        except locale.Error:
            continue
        locale.setlocale(locale.LC_NUMERIC, "C")
        return name
    return None


def test_numbers_do_not_follow_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same document gives the same bytes under a German locale.

    Everything a locale can reach is set to German: the environment (Babel
    falls back to LC_ALL / LC_NUMERIC / LANG), Python's ``locale`` module
    conventions, and the C library's LC_NUMERIC when the machine has such a
    locale (``locale -a``).
    """
    import locale

    from trainkit.outcomes.cii import cii_xml
    from trainkit.writers.invoice_pdf import render
    academy = check_dir(DEMO).academy
    draft = draft_of(academy, academy.ledger[0], 0)
    xml = cii_xml(academy, draft)
    before = render(academy, draft, xml, None)
    assert "3,159.00" in PdfReader(io.BytesIO(before)).pages[0].extract_text()
    for name in ("LC_ALL", "LC_NUMERIC", "LC_MONETARY", "LANG", "LANGUAGE"):
        monkeypatch.setenv(name, "de_DE.UTF-8")
    german = dict(locale.localeconv(), decimal_point=",", thousands_sep=".",
                  mon_decimal_point=",", mon_thousands_sep=".", grouping=[3, 3, 0])
    monkeypatch.setattr(locale, "localeconv", lambda: german)
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert locale.format_string("%.2f", 3159, grouping=True) == "3.159,00"  # the patch bites
    name = _german_locale()
    if name is not None:
        monkeypatch.undo()  # the real conventions of the real locale
        for var in ("LC_ALL", "LC_NUMERIC", "LANG"):
            monkeypatch.setenv(var, name)
        locale.setlocale(locale.LC_ALL, name)
    try:
        after = render(academy, draft, cii_xml(academy, draft), None)
    finally:
        locale.setlocale(locale.LC_ALL, "C")
    assert after == before
