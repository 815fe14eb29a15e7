"""A small academy for the feed tests, written into a temporary folder.

It holds exactly the cases the feeds must get right: sessions in the weeks
the clocks change in Europe (2026-03-29) and North America (2026-03-08), an
online cohort in Asia/Kolkata (+05:30) with a private meeting link, a
cancelled session, a title full of characters iCalendar must escape, an
enrolled, a waitlisted and a withdrawn learner.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from trainkit.pipeline import check_dir

ACADEMY = """\
version: 1
id: testacademy
name: Test Academy
description: |-
  Safety training.
  Second line; with a semicolon, and a comma.
base_url: https://academy.test.example/
timezone: Europe/London
locale: en-GB
holidays:
  - country: GB
    subdivision: ENG
site:
  title: Test Academy
feeds:
  refresh: 6h
  require_secret: {require_secret}
  secret_env: TEST_FEED_SECRET
certificates:
  issuer_name: Test Academy Ltd
  issuer_url: https://academy.test.example/
"""

PROGRAM = """\
version: 1
title: Fire Warden
summary: Fire safety for wardens.
delivery: blended
capacity: 10
tags: [safety, fire]
session_plan:
  - id: day1
    title: 'Fire safety; part 2, "evacuation"'
    duration: 3h
    agenda:
      - Alarms
      - 'Routes \\ doors, stairs; lifts'

    preparation: Bring your building's fire plan.
"""

VENUE_LONDON = """\
version: 1
name: Test London
timezone: Europe/London
address: {street: 1 Test Street, city: London, postcode: EC1A 1AA, country: GB, subdivision: ENG}
directions: Ring the bell.
latitude: 51.5205
longitude: -0.0977
map_url: https://maps.test.example/london
rooms:
  - {id: thames, name: Thames Room, capacity: 12, accessible: true}
  - {id: fleet, name: Fleet Room, capacity: 12, accessible: false}
"""

VENUE_NYC = """\
version: 1
name: Test New York
timezone: America/New_York
address: {street: 2 Water Street, city: New York, postcode: "10038", country: US, subdivision: NY}
rooms:
  - {id: hudson, name: Hudson Room, capacity: 12, accessible: true}
"""

INSTRUCTOR = """\
version: 1
name: {name}
email: {email}
timezone: {tz}
qualifications:
  - id: fire-warden
"""

LEARNERS = """\
version: 1
organisation: Example Ltd
learners:
  - {id: l-1, name: Zephyrine Quillfeather, email: zephyrine.q@learners.example}
  - {id: l-2, name: Bartholomew Wexley, email: bart.wexley@learners.example}
  - {id: l-3, name: Ottoline Marchbanks, email: ottoline.m@learners.example}
  - {id: l-4, name: Idle Learner, email: idle.learner@learners.example}
  - {id: l-5, name: Quiet Learner, email: quiet.learner@learners.example}
"""

LONDON = """\
version: 1
title: London, March 2026
venue: london
room: thames
instructors: {lead: [alice]}
enrollments:
  - {learner: l-1, status: enrolled}
  - {learner: l-2, status: waitlisted}
  - {learner: l-3, status: withdrawn}
sessions:
  - {id: day1, template: day1, date: "2026-03-27", start: "09:00"}
  - {id: day2, template: day1, date: "2026-03-30", start: "09:00"}
  - {id: day3, template: day1, date: "2026-03-31", start: "09:00", status: cancelled,
     reason: Trainer ill}
"""

NEW_YORK = """\
version: 1
title: "New York — évacuation, première cohorte 🔥 (mars 2026), Ünïcödé ✓ everywhere"
venue: nyc
room: hudson
instructors: {lead: [bob]}
enrollments:
  - {learner: l-2, status: enrolled}
sessions:
  - {id: day1, template: day1, date: "2026-03-06", start: "09:00", end: "12:00"}
  - {id: day2, template: day1, date: "2026-03-09", start: "09:00", end: "12:00"}
"""

ONLINE = """\
version: 1
title: Online, India evenings
timezone: Asia/Kolkata
online_url: https://meet.test.example/j/private-room-8c1f
instructors: {lead: [alice]}
enrollments:
  - {learner: l-1, status: enrolled}
  - {learner: l-3, status: enrolled}
sessions:
  - {id: s1, template: day1, date: "2026-11-10", start: "18:30", end: "20:30"}
  - {id: s2, template: day1, date: "2026-11-17", start: "18:30", end: "20:30"}
"""

SECRET = b"test-secret-for-feeds"
LEARNER_NAMES = ("Zephyrine Quillfeather", "Bartholomew Wexley", "Ottoline Marchbanks",
                 "Idle Learner", "Quiet Learner")
LEARNER_EMAILS = ("zephyrine.q@learners.example", "bart.wexley@learners.example",
                  "ottoline.m@learners.example", "idle.learner@learners.example",
                  "quiet.learner@learners.example")
PRIVATE_LINK = "https://meet.test.example/j/private-room-8c1f"

# Session key -> (start, end) instants the YAML above describes.
LON, NY, IST = ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")


def _span(zone: ZoneInfo, day: tuple[int, int, int], start: tuple[int, int],
          end: tuple[int, int]) -> tuple[datetime, datetime]:
    return (datetime(*day, *start, tzinfo=zone), datetime(*day, *end, tzinfo=zone))


EXPECTED = {
    "lon-2026-03/day1": _span(LON, (2026, 3, 27), (9, 0), (12, 0)),
    "lon-2026-03/day2": _span(LON, (2026, 3, 30), (9, 0), (12, 0)),
    "lon-2026-03/day3": _span(LON, (2026, 3, 31), (9, 0), (12, 0)),
    "nyc-2026-03/day1": _span(NY, (2026, 3, 6), (9, 0), (12, 0)),
    "nyc-2026-03/day2": _span(NY, (2026, 3, 9), (9, 0), (12, 0)),
    "ist-2026-11/s1": _span(IST, (2026, 11, 10), (18, 30), (20, 30)),
    "ist-2026-11/s2": _span(IST, (2026, 11, 17), (18, 30), (20, 30)),
}
COHORT_FILES = {
    "lon-2026-03": "programs/fire-warden/cohorts/lon-2026-03.yaml",
    "nyc-2026-03": "programs/fire-warden/cohorts/nyc-2026-03.yaml",
    "ist-2026-11": "programs/fire-warden/cohorts/ist-2026-11.yaml",
}


def make_academy(root: Path, require_secret: bool = False) -> Path:
    """Write the test academy into ``root`` and return it."""
    files = {
        "trainkit.yaml": ACADEMY.replace("{require_secret}", str(require_secret).lower()),
        "programs/fire-warden/program.yaml": PROGRAM,
        "venues/london.yaml": VENUE_LONDON,
        "venues/nyc.yaml": VENUE_NYC,
        "people/instructors/alice.yaml": INSTRUCTOR.format(
            name="Alice Instructor", email="alice@staff.example", tz="Europe/London"),
        "people/instructors/bob.yaml": INSTRUCTOR.format(
            name="Bob Instructor", email="bob@staff.example", tz="America/New_York"),
        "people/learners/example.yaml": LEARNERS,
        COHORT_FILES["lon-2026-03"]: LONDON,
        COHORT_FILES["nyc-2026-03"]: NEW_YORK,
        COHORT_FILES["ist-2026-11"]: ONLINE,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def git(root: Path, *args: str, when: str = "2026-01-01T00:00:00+00:00") -> str:
    """Run git in ``root`` with a fixed identity and dates (reproducible commits)."""
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "T",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin:/usr/local/bin",
           "HOME": str(root)}
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                           *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def commit_all(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)


def test_the_test_academy_checks_clean(tmp_path: Path) -> None:
    result = check_dir(make_academy(tmp_path))
    assert result.errors == []
    assert result.academy is not None
    keys = {s.key for s in result.academy.sessions()}
    assert keys == set(EXPECTED)
    for session in result.academy.sessions():
        start, end = EXPECTED[session.key]
        assert (session.start, session.end) == (start, end)
