"""An invitation names the same instants as the feed, even in a repeated or skipped hour."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from test_site_support import copy_demo
from trainkit.notify.itip import Itip
from trainkit.notify.notice import Recipient
from trainkit.pipeline import check_dir

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("start", "hours"), [
    (datetime(2027, 10, 30, 23, 30, tzinfo=LONDON), 3),  # ends in the repeated hour
    (datetime(2027, 3, 27, 23, 30, tzinfo=LONDON), 2),   # ends after the skipped hour
])
def test_invitation_times_are_the_instants_of_the_yaml(tmp_path: Path, start: datetime,
                                                      hours: int) -> None:
    academy = check_dir(copy_demo(tmp_path / "demo")).academy
    assert academy is not None
    cohort = next(c for c in academy.cohorts.values() if c.timezone == "Europe/London")
    end = (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)
    session = replace(cohort.sessions[0], start=start, end=end)
    person = Recipient("l-x", "learner", "Test Person", "test@example.org", None)
    text = Itip(academy, ("Academy", "academy@example.org"),
                datetime(2027, 1, 1, tzinfo=UTC)).calendar(session, "REQUEST", 1, person)
    event = next(c for c in icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert event.decoded("DTSTART").astimezone(UTC) == start.astimezone(UTC)
    assert event.decoded("DTEND").astimezone(UTC) == end.astimezone(UTC)
    if end.replace(fold=0).utcoffset() != end.replace(fold=1).utcoffset():
        assert f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%S}Z".encode() in text
