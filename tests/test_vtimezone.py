"""The VTIMEZONE form, and times without a unique wall time, on the examples that went wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from trainkit.writers.feeds.ics import instant, unique_wall_time
from trainkit.writers.feeds.vtimezone import transitions, vtimezone

LONDON = ZoneInfo("Europe/London")


def _observances(tzid: str, first: int, last: int) -> list[tuple[str, str, str, str]]:
    text = (b"BEGIN:VCALENDAR\r\n" + vtimezone(tzid, first, last) + b"END:VCALENDAR\r\n")
    tz = Calendar.from_ical(text).walk("VTIMEZONE")[0]
    assert "COMMENT" not in tz  # RFC 5545 allows COMMENT only inside an observance
    return [(sub.name, _text(sub["DTSTART"]), _text(sub["TZOFFSETFROM"]),
             _text(sub["TZOFFSETTO"])) for sub in tz.subcomponents]


def _text(prop: object) -> str:
    raw = prop.to_ical()  # type: ignore[attr-defined]
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def test_spring_forward_onset_is_the_local_time_before_the_jump() -> None:
    # 02:00 EST (-05:00) is 07:00Z, when New York's clocks jump to 03:00 EDT.
    assert _observances("America/New_York", 2026, 2026) == [
        ("STANDARD", "20260101T000000", "-0500", "-0500"),
        ("DAYLIGHT", "20260308T020000", "-0500", "-0400"),
        ("STANDARD", "20261101T020000", "-0400", "-0500"),
    ]


def test_each_onset_is_its_own_observance_over_several_years() -> None:
    found = _observances("Europe/London", 2026, 2028)
    assert len(found) == 1 + 2 * 3
    assert [f[1] for f in found[1:]] == [
        "20260329T010000", "20261025T020000", "20270328T010000", "20271031T020000",
        "20280326T010000", "20281029T020000"]
    assert b"RDATE" not in vtimezone("Europe/London", 2026, 2028)


def test_unusual_zones() -> None:
    # Lord Howe moves its clocks by 30 minutes; Dublin's winter time is a negative save,
    # written as the standard period, with summer as daylight, as clients expect.
    assert _observances("Australia/Lord_Howe", 2026, 2026)[1] == (
        "STANDARD", "20260405T020000", "+1100", "+1030")
    assert [f[0] for f in _observances("Europe/Dublin", 2026, 2026)] == [
        "STANDARD", "DAYLIGHT", "STANDARD"]
    # Sao Paulo's last change was in February 2019.
    assert [t.at for t in transitions("America/Sao_Paulo", 2019, 2020)][1:] == [
        datetime(2019, 2, 17, 2, tzinfo=UTC)]


def test_a_time_in_the_repeated_or_skipped_hour_is_written_in_utc() -> None:
    # 23:30 BST + 3h ends at 01:30 GMT, the second 01:30 of 31 October 2027.
    start = datetime(2027, 10, 30, 23, 30, tzinfo=LONDON)
    end = (start.astimezone(UTC) + timedelta(hours=3)).astimezone(LONDON)
    assert (end.hour, end.minute, end.fold) == (1, 30, 1)
    assert not unique_wall_time(end)
    assert instant(end).to_ical() == b"20271031T013000Z"
    assert instant(start).to_ical() == b"20271030T233000"
    assert instant(start).params["TZID"] == "Europe/London"
    # The first 01:30 (BST), and 01:30 on the spring-forward day (skipped), in UTC as well.
    assert instant(datetime(2027, 10, 31, 1, 30, tzinfo=LONDON)).to_ical() == b"20271031T003000Z"
    assert instant(datetime(2027, 3, 28, 1, 30, tzinfo=LONDON)).to_ical() == b"20270328T013000Z"
    assert unique_wall_time(datetime(2027, 3, 28, 2, 30, tzinfo=LONDON))
