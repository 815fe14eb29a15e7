"""Prices and client organisations: documents to :mod:`trainkit.model.commerce`.

Amounts are quoted decimal strings in YAML (the schema refuses numbers) and
become :class:`~decimal.Decimal` here; an amount with more decimals than its
currency has, an unknown currency, and a tax id that fails its country's
check digits are reported at the value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import Any

from babel.numbers import get_currency_name, get_currency_precision
from stdnum import get_cc_module
from stdnum.exceptions import ValidationError as TaxIdError

from trainkit.diagnostics import Diagnostic, error
from trainkit.load.yamlio import Document
from trainkit.model.commerce import EarlyBird, GroupDiscount, Organisation, Price
from trainkit.model.common import Loc
from trainkit.model.programs import Cohort, Program
from trainkit.resolve.common import Declared, loc

# The identifier kinds tried for a country, in order (python-stdnum module names).
TAX_ID_KINDS = ("vat", "ein", "tin")


def price_programs(programs: dict[str, Program], docs: Iterable[Document],
                   problems: list[Diagnostic]) -> dict[str, Program]:
    """``programs`` with the ``price`` their files give."""
    out = dict(programs)
    for doc in docs:
        pid = PurePosixPath(doc.path).parent.name
        raw = doc.data.get("price")
        if raw is not None and pid in out and out[pid].loc.path == doc.path:
            price = _price(doc, raw, None, problems)
            out[pid] = dataclasses.replace(out[pid], price=price)
    return out


def price_cohorts(cohorts: dict[str, Cohort], programs: Mapping[str, Program],
                  docs: Iterable[Document], problems: list[Diagnostic]) -> dict[str, Cohort]:
    """``cohorts`` with their price: the program's, with the cohort's keys over it."""
    by_path = {doc.path: doc for doc in docs}
    out: dict[str, Cohort] = {}
    for cid, cohort in cohorts.items():
        program = programs.get(cohort.program)
        base = program.price if program else None
        doc = by_path.get(cohort.loc.path)
        raw = doc.data.get("price") if doc is not None else None
        price = base if raw is None or doc is None else _price(doc, raw, base, problems)
        out[cid] = dataclasses.replace(cohort, price=price) if price is not None else cohort
    return out


def _price(doc: Document, raw: dict[str, Any], base: Price | None,
           problems: list[Diagnostic]) -> Price | None:
    where = loc(doc, "price")
    if base is None and not {"amount", "currency"} <= raw.keys():
        problems.append(error(doc.path, where.line, where.col, "price",
                              "this price needs 'amount' and 'currency': its program has no "
                              "price to take them from"))
        return None
    currency = raw.get("currency", base.currency if base else "")
    if not _known_currency(doc, currency, problems):
        return None
    digits = get_currency_precision(currency)
    basis = raw.get("basis", base.basis if base else "seat")
    price = Price(
        basis=basis,
        amount=_money(doc, raw, ("amount",), digits, problems, base.amount if base else None),
        currency=currency,
        tax_rate=Decimal(raw["tax_rate"]) if "tax_rate" in raw else (
            base.tax_rate if base else Decimal("0")),
        tax_label=raw.get("tax_label", base.tax_label if base else "VAT"),
        seats=raw.get("seats", base.seats if base else None),
        early_bird=_early_bird(doc, raw["early_bird"], digits, problems)
        if "early_bird" in raw else (base.early_bird if base else None),
        group=tuple(sorted((GroupDiscount(g["min_seats"], Decimal(g["percent"]))
                            for g in raw["group"]), key=lambda g: g.min_seats))
        if "group" in raw else (base.group if base else ()),
        loc=where,
    )
    if price.basis == "cohort" and price.seats is None:
        problems.append(error(doc.path, where.line, where.col, "price",
                              "a closed-cohort price (basis: cohort) needs 'seats', the most "
                              "people the flat fee covers, e.g. 'seats: 12'"))
    return price


def _known_currency(doc: Document, currency: str, problems: list[Diagnostic]) -> bool:
    if get_currency_name(currency, locale="en") != currency:  # Babel knows its name
        return True
    pointer = ("price", "currency") if "currency" in doc.data["price"] else ("price",)
    where = loc(doc, *pointer)
    problems.append(error(doc.path, where.line, where.col, "currency",
                          f"{currency!r} is not an ISO 4217 currency code; write one such as "
                          "GBP, EUR or USD"))
    return False


def _money(doc: Document, raw: dict[str, Any], pointer: tuple[str, ...], digits: int,
           problems: list[Diagnostic], default: Decimal | None = None) -> Decimal:
    text = raw.get(pointer[-1])
    if text is None:
        return default if default is not None else Decimal("0")
    value = Decimal(text)
    if -value.as_tuple().exponent > digits:  # type: ignore[operator]
        where = loc(doc, "price", *pointer)
        rounded = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        problems.append(error(doc.path, where.line, where.col, "money-precision",
                              f"{text!r} has more decimals than the currency's {digits}; "
                              f"round it to {rounded}"))
    return value


def _early_bird(doc: Document, raw: dict[str, Any], digits: int,
                problems: list[Diagnostic]) -> EarlyBird:
    amount = (_money(doc, raw, ("early_bird", "amount"), digits, problems)
              if "amount" in raw else None)
    return EarlyBird(date.fromisoformat(raw["until"]),
                     Decimal(raw["percent"]) if "percent" in raw else None, amount)


def resolve_organisations(docs: Iterable[Document], declared: Declared,
                          problems: list[Diagnostic]) -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for doc in docs:
        org = _organisation(doc, problems)
        if declared.add("organisation", org.id, org.loc):
            out[org.id] = org
    return dict(sorted(out.items()))


def _organisation(doc: Document, problems: list[Diagnostic]) -> Organisation:
    d = doc.data
    address, contact = d["billing_address"], d["billing_contact"]
    tax_id = d.get("tax_id")
    if tax_id is not None:
        problem = tax_id_problem(tax_id, address["country"])
        if problem:
            where = loc(doc, "tax_id")
            problems.append(error(doc.path, where.line, where.col, "tax-id", problem))
    return Organisation(
        id=PurePosixPath(doc.path).stem, name=d["name"], legal_name=d["legal_name"],
        country=address["country"], address_lines=tuple(address["lines"]),
        tax_id=tax_id.strip() if tax_id else None,
        billing_name=contact["name"], billing_email=contact["email"],
        purchase_order_required=d.get("purchase_order_required", False),
        payment_terms_days=d.get("payment_terms_days", 30),
        currency=d.get("currency", ""), loc=Loc(doc.path, 1, 1),
    )


def tax_id_problem(tax_id: str, country: str) -> str | None:
    """Why ``tax_id`` is not a valid identifier of ``country``; ``None`` when it is.

    The check digits and formats are python-stdnum's, per country; a country
    it has no module for is accepted as written.
    """
    modules = [m for kind in TAX_ID_KINDS if (m := get_cc_module(country.lower(), kind))]
    if not modules:
        return None
    reasons = []
    for module in modules:
        try:
            module.validate(tax_id)
        except TaxIdError as exc:
            reasons.append(str(exc).rstrip("."))
        else:
            return None
    kind = str(modules[0].__doc__ or "").split("(", 1)[0].strip() or "tax id"
    return (f"{tax_id!r} is not a valid {country} {kind} ({reasons[0].lower()}); copy it "
            "from the client's invoice or registration record, check digits included")
