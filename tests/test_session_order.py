"""Sessions of many time zones come out in the order of the instants they start."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from trainkit.pipeline import check_dir

DEMO = Path(__file__).resolve().parents[1]


def test_sessions_are_ordered_by_instant_then_key_across_zones() -> None:
    academy = check_dir(DEMO).academy
    assert academy is not None
    cohorts = list(academy.cohorts.values())[:3]
    # The same instant (09:00 UTC) in three zones, and one an hour later whose wall
    # time reads earliest: comparing wall times would put it first.
    starts = [datetime(2031, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Paris")),
              datetime(2031, 3, 4, 18, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
              datetime(2031, 3, 4, 9, 0, tzinfo=ZoneInfo("UTC")),
              datetime(2031, 3, 4, 5, 0, tzinfo=ZoneInfo("America/New_York"))]
    moved = {}
    for i, c in enumerate(cohorts):
        first = c.sessions[0]
        start = starts[i]
        extra = [replace(first, id="zz-late", start=starts[3], end=starts[3])] if i == 0 else []
        moved[c.id] = replace(c, sessions=(replace(first, start=start, end=start),
                                          *c.sessions[1:], *extra))
    shifted = replace(academy, cohorts={**academy.cohorts, **moved})
    got = [s.key for s in shifted.sessions()]
    # the definition: aware datetimes compare as instants; equal instants by key
    every = [s for c in shifted.cohorts.values() for s in c.sessions]
    assert got == [s.key for s in sorted(every, key=lambda s: (s.start, s.key))]
    at_nine = [k for k in got if k in {f"{c.id}/{c.sessions[0].id}" for c in cohorts}]
    assert at_nine == sorted(at_nine)  # one instant: by key, whatever the zone
    late = f"{cohorts[0].id}/zz-late"
    assert got.index(late) > max(got.index(k) for k in at_nine)
