"""Costs and payments: documents to :mod:`trainkit.model.costs` and payment rows.

Instructor ``rates``, venue and room ``hire``, ``materials_per_learner`` of a
program or cohort and a cohort's ``costs`` are quoted decimal strings (the
schema refuses numbers) made :class:`~decimal.Decimal` here. An unknown
currency and an amount with more decimals than its currency has are reported
at the value. A materials line or cost without ``currency`` is in the
cohort's price currency.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import get_currency_name, get_currency_precision

from trainkit.diagnostics import Diagnostic, error
from trainkit.load.yamlio import Document
from trainkit.model import Cohort, Cost, Instructor, Loc, Payment, Program, Rate, Venue
from trainkit.resolve.common import loc


def cost_instructors(instructors: Mapping[str, Instructor], docs: Iterable[Document],
                     problems: list[Diagnostic]) -> dict[str, Instructor]:
    """``instructors`` with the ``rates`` their files give."""
    out = dict(instructors)
    for doc in docs:
        found = next((i for i in out.values() if i.loc.path == doc.path), None)
        if found is not None and "rates" in doc.data:
            out[found.id] = dataclasses.replace(
                found, rates=_rate(doc, ("rates",), problems))
    return out


def cost_venues(venues: Mapping[str, Venue], docs: Iterable[Document],
                problems: list[Diagnostic]) -> dict[str, Venue]:
    """``venues`` with the ``hire`` of the venue and of each room."""
    out = dict(venues)
    for doc in docs:
        venue = next((v for v in out.values() if v.loc.path == doc.path), None)
        if venue is None:
            continue
        raw_rooms = doc.data.get("rooms", [])
        rooms = tuple(dataclasses.replace(room, hire=_rate(doc, ("rooms", i, "hire"), problems))
                      if i < len(raw_rooms) and "hire" in raw_rooms[i] else room
                      for i, room in enumerate(venue.rooms))
        hire = _rate(doc, ("hire",), problems) if "hire" in doc.data else None
        out[venue.id] = dataclasses.replace(venue, rooms=rooms, hire=hire)
    return out


def cost_programs(programs: Mapping[str, Program], docs: Iterable[Document],
                  problems: list[Diagnostic]) -> dict[str, Program]:
    """``programs`` with their ``materials_per_learner``."""
    out = dict(programs)
    for doc in docs:
        program = next((p for p in out.values() if p.loc.path == doc.path), None)
        if program is not None and "materials_per_learner" in doc.data:
            # No currency: each cohort's price currency (a program may sell in several).
            materials = _cost(doc, ("materials_per_learner",), "materials", "", problems)
            out[program.id] = dataclasses.replace(program, materials=materials)
    return out


def cost_cohorts(cohorts: Mapping[str, Cohort], programs: Mapping[str, Program],
                 docs: Iterable[Document], problems: list[Diagnostic]) -> dict[str, Cohort]:
    """``cohorts`` with their materials (theirs, else their program's) and other costs."""
    by_path = {doc.path: doc for doc in docs}
    out: dict[str, Cohort] = {}
    for cid, cohort in cohorts.items():
        program = programs.get(cohort.program)
        doc = by_path.get(cohort.loc.path)
        data: dict[str, Any] = doc.data if doc is not None else {}
        default = cohort.price.currency if cohort.price else ""
        materials = program.materials if program else None
        if doc is not None and "materials_per_learner" in data:
            materials = _cost(doc, ("materials_per_learner",), "materials", default, problems)
        elif materials is not None and not materials.currency:
            materials = dataclasses.replace(materials, currency=default)
        costs = tuple(_cost(doc, ("costs", i), c["label"], default, problems)
                      for i, c in enumerate(data.get("costs", []))) if doc else ()
        out[cid] = dataclasses.replace(cohort, materials=materials, costs=costs)
    return out


def _rate(doc: Document, pointer: tuple[str | int, ...], problems: list[Diagnostic]) -> Rate:
    raw: Any = doc.data
    for key in pointer:
        raw = raw[key]
    currency = raw["currency"]
    known = _known_currency(doc, (*pointer, "currency"), currency, problems)
    amounts = {k: _amount(doc, (*pointer, k), raw[k], currency if known else "", problems)
               if k in raw else None for k in ("day", "hour")}
    return Rate(amounts["day"], amounts["hour"], currency, loc(doc, *pointer))


def _cost(doc: Document, pointer: tuple[str | int, ...], label: str, default: str,
          problems: list[Diagnostic]) -> Cost:
    raw: Any = doc.data
    for key in pointer:
        raw = raw[key]
    currency = raw.get("currency", default)
    known = "currency" not in raw or _known_currency(doc, (*pointer, "currency"), currency,
                                                     problems)
    amount = _amount(doc, (*pointer, "amount"), raw["amount"], currency if known else "",
                     problems)
    return Cost(label, amount, currency, loc(doc, *pointer))


def _known_currency(doc: Document, pointer: tuple[str | int, ...], currency: str,
                    problems: list[Diagnostic]) -> bool:
    if get_currency_name(currency, locale="en") != currency:  # Babel knows its name
        return True
    where = loc(doc, *pointer)
    problems.append(error(doc.path, where.line, where.col, "currency",
                          f"{currency!r} is not an ISO 4217 currency code; write one such as "
                          "GBP, EUR or USD"))
    return False


def _amount(doc: Document, pointer: tuple[str | int, ...], text: str, currency: str,
            problems: list[Diagnostic]) -> Decimal:
    value = Decimal(text)
    digits = get_currency_precision(currency) if currency else None
    if digits is not None and -int(value.as_tuple().exponent) > digits:
        where = loc(doc, *pointer)
        rounded = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        problems.append(error(doc.path, where.line, where.col, "money-precision",
                              f"{text!r} has more decimals than {currency}'s {digits}; "
                              f"round it to {rounded}"))
    return value


def resolve_payments(docs: Iterable[Document]) -> tuple[Payment, ...]:
    """Every good row of ``records/payments/*.csv``, in file and row order."""
    out = []
    for doc in docs:
        c = doc.data.columns
        for i, line in enumerate(doc.data.lines):
            out.append(Payment(
                date=date.fromisoformat(c["date"][i]), invoice=c["invoice"][i],
                amount=Decimal(c["amount"][i]), currency=c["currency"][i],
                reference=c["reference"][i], payer=c["payer"][i], note=c["note"][i],
                loc=Loc(doc.path, line, 1)))
    return tuple(out)
