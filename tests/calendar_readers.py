"""Three independent calendar readers, asked what instants a feed's events start and end at.

* **icalendar** (Python): each TZID is turned into a time zone from the
  feed's own VTIMEZONE (``Timezone.to_tz(lookup_tzid=False)``), never from the
  system's rules, so the definition the feed carries is what is tested;
* **ical.js** (Thunderbird's parser, the npm package, run through node):
  ``tests/readers/icaljs_read.mjs``; installed by ``.ci/run`` with
  ``npm ci --prefix tests/readers``;
* **libical** (Evolution's parser, Debian's ``libical-dev``):
  ``tests/readers/libical_read.c``, compiled here with ``cc``; it also runs
  libical's restriction check (RFC 5545's property counts per component).

A missing reader fails the test that needs it (CI installs all three): a
reader that is silently skipped would prove nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

READERS = Path(__file__).resolve().parent / "readers"
Times = dict[str, tuple[int, int]]  # uid -> (start, end) in UTC seconds
INSTALL = "install the readers with .ci/run (apt-get install libical-dev nodejs npm; " \
          "npm ci --prefix tests/readers)"


def read_icalendar(path: Path) -> Times:
    cal = Calendar.from_ical(path.read_bytes())
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in cal.walk("VTIMEZONE")}
    out: Times = {}
    for event in cal.walk("VEVENT"):
        out[str(event["UID"])] = (_seconds(event["DTSTART"], zones),
                                  _seconds(event["DTEND"], zones))
    return out


def _seconds(prop: object, zones: dict[str, object]) -> int:
    value: datetime = prop.dt  # type: ignore[attr-defined]
    tzid = prop.params.get("TZID")  # type: ignore[attr-defined]
    if tzid is not None:
        value = value.replace(tzinfo=zones[tzid])  # type: ignore[arg-type]
    assert value.tzinfo is not None, "a floating time"
    return int(value.astimezone(UTC).timestamp())


def read_icaljs(paths: Iterable[Path]) -> dict[Path, Times]:
    node = shutil.which("node")
    if node is None or not (READERS / "node_modules" / "ical.js").is_dir():
        pytest.fail(f"node or the ical.js package is missing: {INSTALL}")
    files = [str(p) for p in paths]
    done = subprocess.run([node, str(READERS / "icaljs_read.mjs"), *files], cwd=READERS,
                          capture_output=True, text=True, check=False, env={"TZ": "UTC"})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return {Path(f): {e["uid"]: (e["start"], e["end"]) for e in found[f]} for f in files}


def libical_program(folder: Path) -> Path:
    """``tests/readers/libical_read.c`` compiled against the system's libical."""
    cc, config = shutil.which("cc"), shutil.which("pkg-config")
    if cc is None or config is None:
        pytest.fail(f"cc or pkg-config is missing: {INSTALL}")
    flags = subprocess.run([config, "--cflags", "--libs", "libical"], capture_output=True,
                           text=True, check=False)
    if flags.returncode != 0:
        pytest.fail(f"libical is missing ({flags.stderr.strip()}): {INSTALL}")
    program = folder / "libical_read"
    subprocess.run([cc, "-Wall", "-o", str(program), str(READERS / "libical_read.c"),
                    *flags.stdout.split()], check=True)
    return program


def read_libical(program: Path, paths: Iterable[Path]) -> tuple[dict[Path, Times], list[str]]:
    """Each file's event times, and every problem libical reported (restrictions included)."""
    files = [str(p) for p in paths]
    times: dict[Path, Times] = {Path(f): {} for f in files}
    problems: list[str] = []
    for chunk in range(0, len(files), 200):
        done = subprocess.run([str(program), *files[chunk:chunk + 200]], capture_output=True,
                              text=True, check=True)
        for line in done.stdout.splitlines():
            kind, path, rest = line.split(" ", 2)
            if kind == "E":
                uid, start, end = rest.split(" ")
                times[Path(path)][uid] = (int(start), int(end))
            else:
                problems.append(f"{path}: {rest}")
    return times, problems


def check_every_feed(site: Path, expected: Times, program: Path) -> int:
    """Read every feed under ``site/calendars`` with the three readers; return the event count.

    Every event of every feed must start and end, in each reader, at the
    instant ``expected`` gives for its UID; libical must report no problem.
    """
    paths = sorted((site / "calendars").rglob("*.ics"))
    assert paths
    by_icaljs = read_icaljs(paths)
    by_libical, problems = read_libical(program, paths)
    assert problems == [], problems[:5]
    count = 0
    for path in paths:
        ours = read_icalendar(path)
        want = {uid: expected[uid] for uid in ours}
        name = str(path.relative_to(site))
        assert ours == want, ("icalendar", name, _wrong(ours, want))
        assert by_icaljs[path] == want, ("ical.js", name, _wrong(by_icaljs[path], want))
        assert by_libical[path] == want, ("libical", name, _wrong(by_libical[path], want))
        count += len(ours)
    return count


def _wrong(got: Times, want: Times) -> list[tuple[str, object, object]]:
    return sorted((uid, got.get(uid), want.get(uid)) for uid in got.keys() | want.keys()
                  if got.get(uid) != want.get(uid))[:5]
