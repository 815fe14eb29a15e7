"""A document as EN 16931 XML: the UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD).

Built with lxml element by element, in the order the Factur-X EN 16931 XSD
requires; the schema check itself is factur-x's (``xml_check_xsd``, with the
XSDs it ships) and runs in the tests. The XML is the document's canonical
content: the ledger keeps its SHA-256, and the PDF embeds it unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from lxml import etree

from trainkit.model import Academy
from trainkit.model.orders import Parties, Party
from trainkit.outcomes.invoicing import Draft, Line

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
PROFILE = "urn:cen.eu:en16931:2017"
TYPE_CODES = {"invoice": "380", "credit-note": "381"}  # UNTDID 1001


def _el(parent: etree._Element, tag: str, text: str | None = None,
        **attrs: str) -> etree._Element:
    prefix, _, name = tag.partition(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrs)
    if text is not None:
        node.text = text
    return node


def _date(parent: etree._Element, tag: str, day: date, kind: str = "udt") -> None:
    _el(_el(parent, tag), f"{kind}:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _rate(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def category(rate: Decimal) -> str:
    """The VAT category code (UNTDID 5305): standard rated, or zero rated."""
    return "S" if rate > 0 else "Z"


def _address(parent: etree._Element, lines: Sequence[str], country: str) -> None:
    node = _el(parent, "ram:PostalTradeAddress")
    for tag, text in zip(("ram:LineOne", "ram:LineTwo"), lines, strict=False):
        _el(node, tag, text)
    if len(lines) > 2:
        _el(node, "ram:LineThree", ", ".join(lines[2:]))
    _el(node, "ram:CountryID", country)


def _party(parent: etree._Element, tag: str, party: Party) -> None:
    node = _el(parent, tag)
    _el(node, "ram:Name", party.name)
    _address(node, party.address_lines, party.country)
    _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", party.email, schemeID="EM")
    if party.tax_id:
        scheme = "VA" if party.tax_id[:2].isalpha() else "FC"  # VAT id, or national tax id
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.tax_id, schemeID=scheme)


def _line(parent: etree._Element, index: int, line: Line) -> None:
    item = _el(parent, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(index))
    product = _el(item, "ram:SpecifiedTradeProduct")
    _el(product, "ram:SellerAssignedID", line.cohort)
    _el(product, "ram:Name", line.text)
    if line.discount:
        _el(product, "ram:Description", line.discount)
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    gross = _el(agreement, "ram:GrossPriceProductTradePrice")
    _el(gross, "ram:ChargeAmount", str(line.list_price))
    if line.list_price != line.unit_price:
        off = _el(gross, "ram:AppliedTradeAllowanceCharge")
        _el(_el(off, "ram:ChargeIndicator"), "udt:Indicator", "false")
        _el(off, "ram:ActualAmount", str(line.list_price - line.unit_price))
    _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", str(line.unit_price))
    _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", "1", unitCode="C62")
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", category(line.tax_rate))
    _el(tax, "ram:RateApplicablePercent", _rate(line.tax_rate))
    _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
        "ram:LineTotalAmount", str(line.unit_price))


def _agreement(parent: etree._Element, parties: Parties) -> None:
    node = _el(parent, "ram:ApplicableHeaderTradeAgreement")
    _party(node, "ram:SellerTradeParty", parties.seller)
    if parties.buyer is not None:
        _party(node, "ram:BuyerTradeParty", parties.buyer)
    if parties.purchase_order:
        _el(_el(node, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
            parties.purchase_order)


def _settlement(parent: etree._Element, academy: Academy, draft: Draft,
                seller: Party) -> None:
    node = _el(parent, "ram:ApplicableHeaderTradeSettlement")
    _el(node, "ram:PaymentReference", draft.credits or draft.number)
    _el(node, "ram:InvoiceCurrencyCode", draft.order.currency)
    if seller.iban and draft.kind == "invoice":
        means = _el(node, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58" if draft.order.currency == "EUR" else "30")
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", seller.iban)
        if seller.bic:
            _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID",
                seller.bic)
    for r in draft.rates:
        tax = _el(node, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", str(r.tax))
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:BasisAmount", str(r.basis))
        _el(tax, "ram:CategoryCode", category(r.rate))
        _el(tax, "ram:RateApplicablePercent", _rate(r.rate))
    terms = _el(node, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", payment_terms(draft))
    if draft.kind == "invoice":
        _date(terms, "ram:DueDateDateTime", draft.due)
    sums = _el(node, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(sums, "ram:LineTotalAmount", str(draft.net))
    _el(sums, "ram:TaxBasisTotalAmount", str(draft.net))
    _el(sums, "ram:TaxTotalAmount", str(draft.tax), currencyID=draft.order.currency)
    _el(sums, "ram:GrandTotalAmount", str(draft.total))
    _el(sums, "ram:DuePayableAmount", str(draft.total))
    if draft.credits:
        ref = _el(node, "ram:InvoiceReferencedDocument")
        _el(ref, "ram:IssuerAssignedID", draft.credits)
        head = next((d for d in academy.ledger if d.number == draft.credits), None)
        if head is not None:
            _date(ref, "ram:FormattedIssueDateTime", head.issued, "qdt")


def payment_terms(draft: Draft) -> str:
    if draft.kind == "credit-note":
        return f"Credited against invoice {draft.credits}; nothing to pay."
    days = (draft.due - draft.issued).days
    return f"Payment within {days} days, by {draft.due.isoformat()}, quoting {draft.number}."


def cii_xml(academy: Academy, draft: Draft) -> bytes:
    """The EN 16931 CII XML of ``draft`` (deterministic bytes), parties as it keeps them."""
    parties = draft.parties
    if parties is None:
        raise ValueError("the academy has no 'invoicing' settings")
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFILE)
    head = _el(root, "rsm:ExchangedDocument")
    _el(head, "ram:ID", draft.number)
    _el(head, "ram:TypeCode", TYPE_CODES[draft.kind])
    _date(head, "ram:IssueDateTime", draft.issued)
    if draft.reason:
        _el(_el(head, "ram:IncludedNote"), "ram:Content", draft.reason)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for i, line in enumerate(draft.lines, start=1):
        _line(trade, i, line)
    _agreement(trade, parties)
    _el(trade, "ram:ApplicableHeaderTradeDelivery")
    _settlement(trade, academy, draft, parties.seller)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def sha256(xml: bytes) -> str:
    return hashlib.sha256(xml).hexdigest()
