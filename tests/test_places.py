"""Addresses in each country's postal order, and time zones that say which clock they mean."""

from __future__ import annotations

import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from trainkit.model import Address
from trainkit.writers.places import address_lines, utc_offset, zone_city, zone_label


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails: the address data must ship with the package."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("offline")
@pytest.mark.parametrize(("address", "lines"), [
    (Address("200 Water Street, Suite 1400", "New York", "10038", "US", "NY"),
     ["200 Water Street, Suite 1400", "New York, NY 10038", "United States"]),
    (Address("27 Turnmill Street", "London", "EC1M 5RR", "GB", "ENG"),
     ["27 Turnmill Street", "London", "EC1M 5RR", "United Kingdom"]),
    (Address("Hauptstraße 1", "Berlin", "10115", "DE"),
     ["Hauptstraße 1", "10115 Berlin", "Germany"]),
    (Address("12 MG Road", "Bengaluru", "560001", "IN", "KA"),  # ISO code, unknown to postal data
     ["12 MG Road", "Bengaluru 560001", "India"]),
    (Address("1 Main Road", "Pristina", "10000", "XK"),  # no postal data: the common order
     ["1 Main Road", "10000 Pristina", "Kosovo"]),
])
def test_address_in_its_countrys_order(address: Address, lines: list[str]) -> None:
    assert address_lines(address, "en-GB") == lines


def test_country_in_the_academys_language() -> None:
    address = Address("Hauptstraße 1", "Berlin", "10115", "DE")
    assert address_lines(address, "de-DE")[-1] == "Deutschland"
    assert address_lines(address, "not-a-locale")[-1] == "Germany"


@pytest.mark.parametrize(("zone", "when", "label"), [
    ("Asia/Kolkata", "2026-11-10T18:30", "IST (UTC+5:30)"),
    ("Europe/Dublin", "2026-07-10T09:00", "IST (UTC+1)"),
    ("Asia/Jerusalem", "2026-03-10T09:00", "IST (UTC+2)"),
    ("Europe/London", "2026-01-10T09:00", "GMT (UTC+0)"),
    ("America/New_York", "2026-01-10T09:00", "EST (UTC-5)"),
    ("Asia/Dubai", "2026-01-10T09:00", "UTC+4"),  # tzdata's abbreviation is just "+04"
    ("UTC", "2026-01-10T09:00", "UTC+0"),
])
def test_zone_label_tells_the_three_ists_apart(zone: str, when: str, label: str) -> None:
    assert zone_label(datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(zone))) == label


def test_offsets_and_cities() -> None:
    assert utc_offset(None) == "UTC+0"
    assert zone_city("America/New_York") == "New York"
    assert zone_city("UTC") == "UTC"
