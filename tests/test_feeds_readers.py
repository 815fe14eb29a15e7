"""Every feed, read by icalendar, ical.js and libical, gives the instants the YAML means.

Two academies are built for real and every feed they hold (public and
personal) is read by the three readers of :mod:`calendar_readers`:

* the demo academy in the repository root;
* an academy with sessions at and around every clock change of three calendar
  years in zones with unusual rules: a 30-minute change (Australia/Lord_Howe),
  negative daylight saving (Europe/Dublin), changes at midnight
  (America/Santiago, Asia/Beirut, America/Havana), daylight saving abolished
  (America/Sao_Paulo in 2019, Europe/Istanbul in 2016), 45-minute offsets
  (Asia/Kathmandu, and Pacific/Chatham, which also changes its clocks), and
  London and New York. Sessions start before, in, and after each skipped or
  repeated hour, and end by a written ``end`` or a ``duration`` that crosses
  the change.

The instants expected for the test academy are computed here, from the same
numbers the YAML is written from, with ``zoneinfo``: a wall time reads as its
first occurrence (in a skipped hour: with the offset before the change, as
RFC 5545 says), a duration is elapsed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendar_readers import check_every_feed, libical_program
from conftest import write_academy
from trainkit.history.sequence import session_history
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, build_epoch, run_build
from trainkit.writers.feeds.departed import ghosts
from trainkit.writers.feeds.ics import session_uid

REPO = Path(__file__).resolve().parents[1]
SECRET = b"reader-test-secret"
ZONES = {  # zone -> first of its three years
    "Australia/Lord_Howe": 2026,
    "Europe/Dublin": 2026,
    "America/Santiago": 2026,
    "Asia/Beirut": 2022,
    "America/Havana": 2026,
    "America/Sao_Paulo": 2018,
    "Europe/Istanbul": 2015,
    "Asia/Kathmandu": 2026,
    "Pacific/Chatham": 2026,
    "Europe/London": 2026,
    "America/New_York": 2026,
}
# Minutes from the wall time of a change to a session's start, and the lengths tried.
STARTS = (-90, -60, -30, 0, 15, 30, 60, 90)
DURATIONS = (30, 90, 180)
ENDS = (60, 120)  # written ends: wall-clock minutes after the start, same day only


@dataclass(frozen=True)
class Planned:
    id: str
    day: date
    start: time
    end: time | None
    minutes: int | None  # duration

    def yaml(self) -> str:
        length = (f'end: "{self.end:%H:%M}"' if self.end is not None
                  else f"duration: {self.minutes // 60}h{self.minutes % 60}m"  # type: ignore[operator]
                  if self.minutes and self.minutes >= 60 else f"duration: {self.minutes}m")
        return (f"  - id: {self.id}\n    date: {self.day}\n    start: \"{self.start:%H:%M}\"\n"
                f"    {length}\n")

    def instants(self, zone: ZoneInfo) -> tuple[int, int]:
        start = datetime.combine(self.day, self.start, tzinfo=zone)  # fold=0: first reading
        if self.end is not None:
            end = datetime.combine(self.day, self.end, tzinfo=zone)
            return int(start.timestamp()), int(end.timestamp())
        return int(start.timestamp()), int(start.timestamp()) + 60 * (self.minutes or 0)


def changes(zone: ZoneInfo, first_year: int) -> list[datetime]:
    """The wall time (naive, as the clock showed just before) of each change in three years."""
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(first_year + 3, 1, 1, tzinfo=UTC)
    found, before = [], moment.astimezone(zone).utcoffset()
    while moment < end:
        step = moment + timedelta(hours=1)
        after = step.astimezone(zone).utcoffset()
        if after != before and before is not None:
            while (moment + timedelta(minutes=1)).astimezone(zone).utcoffset() == before:
                moment += timedelta(minutes=1)  # to the minute of the change
            found.append((moment + timedelta(minutes=1) + before).replace(tzinfo=None))
        moment, before = step, after
    return found


def plan(zone: ZoneInfo, first_year: int) -> list[Planned]:
    # Every zone also meets on ordinary days, and across each new year.
    out = [Planned(f"y{year}-{tag}", date(year, month, day), time(hour, 0), None, minutes)
           for year in range(first_year, first_year + 3)
           for tag, month, day, hour, minutes in (("jan", 1, 15, 9, 120), ("jul", 7, 15, 9, 120),
                                                  ("eve", 12, 31, 23, 120))]
    for n, wall in enumerate(changes(zone, first_year)):
        for offset in STARTS:
            begin = wall + timedelta(minutes=offset)
            tag = f"c{n}-{'m' if offset < 0 else 'p'}{abs(offset)}"
            for minutes in DURATIONS:
                out.append(Planned(f"{tag}-d{minutes}", begin.date(), begin.time(), None, minutes))
            for minutes in ENDS:
                finish = begin + timedelta(minutes=minutes)
                candidate = Planned(f"{tag}-e{minutes}", begin.date(), begin.time(),
                                    finish.time(), None)
                if finish.date() == begin.date():
                    first, last = candidate.instants(zone)
                    if last > first:  # a reversed or empty session is an error, reported as such
                        out.append(candidate)
    return out


ACADEMY = """\
version: 1
id: clockacademy
name: Clock Academy
base_url: https://clock.example.org/
timezone: Europe/London
feeds:
  refresh: 1h
"""
PROGRAM = "version: 1\ntitle: Clock Changes\ncapacity: 10\n"
LEARNERS = """\
version: 1
learners:
  - {id: l-1, name: Rowan Example, email: rowan@example.org}
"""


def cohort_id(zone: str) -> str:
    return zone.lower().replace("/", "-").replace("_", "-")


def clock_academy(root: Path) -> dict[str, tuple[int, int]]:
    """Write the academy; return the expected instants by UID."""
    files: dict[str, str | None] = {
        "trainkit.yaml": ACADEMY, "programs/clock/program.yaml": PROGRAM,
        "people/learners/all.yaml": LEARNERS,
    }
    expected = {}
    for name, first_year in ZONES.items():
        zone, cid = ZoneInfo(name), cohort_id(name)
        planned = plan(zone, first_year)
        assert planned, name
        enrol = "enrollments:\n  - {learner: l-1}\n" if name == "Pacific/Chatham" else ""
        files[f"programs/clock/cohorts/{cid}.yaml"] = (
            f"version: 1\ntitle: {name}\ntimezone: {name}\n{enrol}sessions:\n"
            + "".join(p.yaml() for p in planned))
        for p in planned:
            expected[session_uid("clockacademy", f"{cid}/{p.id}")] = p.instants(zone)
    write_academy(root, files, base=False)
    return expected


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libical_program(tmp_path_factory.mktemp("libical"))


def _build(root: Path, out: Path) -> Path:
    result, _ = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                             secret=SECRET, only=("feeds",)))
    assert result.errors == []
    return out / "site"


def test_clock_changes_in_unusual_zones_read_alike_everywhere(tmp_path: Path,
                                                              program: Path) -> None:
    expected = clock_academy(tmp_path / "academy")
    site = _build(tmp_path / "academy", tmp_path / "out")
    events = check_every_feed(site, expected, program)
    # The academy feed, the program's, one per cohort and the learner's personal feed.
    assert events >= 3 * len(expected)
    assert len(expected) > 1500


def test_the_demo_academy_reads_alike_everywhere(tmp_path: Path, program: Path) -> None:
    result = check_dir(REPO)
    assert result.academy is not None
    academy = result.academy
    # Sessions removed from the demo in the last 90 days of its history are kept, cancelled.
    kept = ghosts(session_history(academy, REPO, build_epoch(REPO)[0]), academy,
                  build_epoch(REPO)[0])
    expected = {session_uid(academy.settings.id, s.key):
                (int(s.start.timestamp()), int(s.end.timestamp()))
                for s in [*academy.sessions(), *(g.session for g in kept)]}
    site = _build(REPO, tmp_path / "out")
    assert len(list((site / "calendars").rglob("*.ics"))) > 100  # public and personal feeds
    assert check_every_feed(site, expected, program) > len(expected)
