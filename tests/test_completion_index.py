"""The shortcut that tells which sessions have ended agrees with exact comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainkit.outcomes.completion_index import _HeldTest

ZONES = ["Europe/London", "America/New_York", "Pacific/Apia", "Australia/Lord_Howe", "UTC"]


def _ends_around(as_of: datetime, zone: ZoneInfo) -> list[datetime]:
    """Wall times every 15 minutes within three days of ``as_of``, both folds."""
    wall = as_of.astimezone(zone).replace(tzinfo=None)
    out = []
    for quarter in range(-3 * 96, 3 * 96 + 1):
        naive = wall + timedelta(minutes=15 * quarter)
        out += [naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)]
    return out


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("as_of", [
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Europe springs forward
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # Europe falls back: a repeated hour
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York falls back
    datetime(2011, 12, 30, 10, 0, tzinfo=UTC),  # Samoa skipped a whole day
    datetime(2026, 6, 1, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
])
def test_held_matches_exact_comparison_near_transitions(zone_name: str, as_of: datetime) -> None:
    zone = ZoneInfo(zone_name)
    ended = _HeldTest(as_of).before(zone)
    ends = _ends_around(as_of, zone)
    assert [ended(e) for e in ends] == [e <= as_of for e in ends]
    assert any(ended(e) for e in ends) and not all(ended(e) for e in ends)


def test_ends_in_another_zone_than_the_cohort_are_compared_exactly() -> None:
    as_of = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    ended = _HeldTest(as_of).before(ZoneInfo("Europe/London"))
    tokyo = ZoneInfo("Asia/Tokyo")
    ends = [as_of.astimezone(tokyo) + timedelta(minutes=m) for m in range(-90, 91, 15)]
    assert [ended(e) for e in ends] == [e <= as_of for e in ends]


def test_as_of_at_the_end_of_the_calendar_still_works() -> None:
    as_of = datetime.max.replace(tzinfo=UTC) - timedelta(hours=1)
    zone = ZoneInfo("Europe/London")
    end = datetime(2026, 1, 5, 12, tzinfo=zone)
    assert _HeldTest(as_of).before(zone)(end) is True
