"""The feed writer end to end: real builds, read back with icalendar AND vobject."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil.tz import tzical
from icalendar import Calendar

from test_feeds_academy import (
    EXPECTED,
    LEARNER_EMAILS,
    LEARNER_NAMES,
    PRIVATE_LINK,
    SECRET,
    commit_all,
    make_academy,
)
from trainkit.writers.build import BuildError, BuildOptions, run_build
from trainkit.writers.feedlinks import GOOGLE, OUTLOOK, subscribe_links
from trainkit.writers.feeds import ics
from trainkit.writers.feeds.personal import INSTRUCTOR, LEARNER, feed_token
from trainkit.writers.feeds.vtimezone import vtimezone

UID_TO_KEY = {ics.session_uid("testacademy", key): key for key in EXPECTED}
EPOCH = 1767225600  # 2026-01-01T00:00:00Z


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_FEED_SECRET", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def build(root: Path, out: Path, secret: bytes | None = SECRET) -> list[str]:
    result, notes = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                                 secret=secret, only=("feeds",)))
    assert result.errors == []
    return notes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.delenv("TEST_FEED_SECRET", raising=False)
    mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    try:
        base = tmp_path_factory.mktemp("feeds")
        root = make_academy(base / "academy")
        build(root, base / "out")
    finally:
        mp.undo()
    return base / "out"


def feeds(out: Path) -> dict[str, bytes]:
    site = out / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.ics"))}


def personal_path(kind: str, person: str) -> str:
    return f"calendars/p/{feed_token(SECRET, kind, person)}.ics"


def events_of(data: bytes) -> dict[str, object]:
    """UID -> icalendar VEVENT."""
    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_expected_feeds_are_written(built: Path) -> None:
    names = set(feeds(built))
    public = {
        "calendars/academy.ics", "calendars/programs/fire-warden.ics",
        "calendars/cohorts/lon-2026-03.ics", "calendars/cohorts/nyc-2026-03.ics",
        "calendars/cohorts/ist-2026-11.ics", "calendars/venues/london.ics",
        "calendars/venues/nyc.ics",
    }
    people = {personal_path(INSTRUCTOR, i) for i in ("alice", "bob")}
    people |= {personal_path(LEARNER, f"l-{n}") for n in range(1, 6)}
    assert names == public | people
    for name in people:  # no id or name in the path
        assert "l-" not in name and "alice" not in name and "bob" not in name


def test_every_feed_parses_with_icalendar_and_vobject_at_the_right_instants(built: Path) -> None:
    for name, data in feeds(built).items():
        text = data.decode("utf-8")
        vcal = vobject.readOne(text, validate=True)
        seen_v = {}
        for vevent in getattr(vcal, "vevent_list", []):
            key = UID_TO_KEY[vevent.uid.value]
            seen_v[key] = (vevent.dtstart.value, vevent.dtend.value)
        seen_i = {}
        for uid, event in events_of(data).items():
            seen_i[UID_TO_KEY[uid]] = (event["DTSTART"].dt, event["DTEND"].dt)
        assert seen_v.keys() == seen_i.keys(), name
        for key, (start, end) in seen_i.items():
            want_start, want_end = EXPECTED[key]
            assert start.tzinfo is not None and seen_v[key][0].tzinfo is not None
            assert start.astimezone(UTC) == want_start.astimezone(UTC), (name, key)
            assert end.astimezone(UTC) == want_end.astimezone(UTC), (name, key)
            assert seen_v[key][0].astimezone(UTC) == want_start.astimezone(UTC), (name, key)
            assert seen_v[key][1].astimezone(UTC) == want_end.astimezone(UTC), (name, key)


def test_clock_change_weeks_and_half_hour_zone_are_exact(built: Path) -> None:
    academy = events_of((built / "site/calendars/academy.ics").read_bytes())
    by_key = {UID_TO_KEY[uid]: e for uid, e in academy.items()}
    utc = {k: e["DTSTART"].dt.astimezone(UTC) for k, e in by_key.items()}
    # London: 09:00 GMT on Friday, 09:00 BST on Monday after 2026-03-29.
    assert utc["lon-2026-03/day1"] == datetime(2026, 3, 27, 9, tzinfo=UTC)
    assert utc["lon-2026-03/day2"] == datetime(2026, 3, 30, 8, tzinfo=UTC)
    # New York: 09:00 EST on 6 March, 09:00 EDT on 9 March (clocks changed on the 8th).
    assert utc["nyc-2026-03/day1"] == datetime(2026, 3, 6, 14, tzinfo=UTC)
    assert utc["nyc-2026-03/day2"] == datetime(2026, 3, 9, 13, tzinfo=UTC)
    # Kolkata is UTC+05:30 all year.
    assert utc["ist-2026-11/s1"] == datetime(2026, 11, 10, 13, 0, tzinfo=UTC)
    assert by_key["ist-2026-11/s1"]["DTSTART"].params["TZID"] == "Asia/Kolkata"


def test_each_zone_used_has_one_small_vtimezone(built: Path) -> None:
    for name, data in feeds(built).items():
        cal = Calendar.from_ical(data)
        used = {e["DTSTART"].params["TZID"] for e in cal.walk("VEVENT")}
        zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
        assert len(zones) == len(set(zones)), name
        if used:
            assert set(zones) == used, name
        else:  # an empty feed keeps one component, as RFC 5545 asks
            assert zones == ["Europe/London"], name
        for tz in cal.walk("VTIMEZONE"):
            starts = [sub["DTSTART"].dt for sub in tz.subcomponents]
            assert min(starts).year >= 2026, (name, starts)  # no rules back to 1970
            assert len(tz.subcomponents) <= 5, name
            assert "COMMENT" not in tz, name  # RFC 5545 allows it only inside an observance


def _offsets_read_by_dateutil(vtimezone: bytes, instants: list[datetime]) -> list[object]:
    """UTC offsets at ``instants`` as dateutil reads them from one VTIMEZONE.

    (vobject would not do: for a TZID that pytz knows it uses pytz's own,
    older rules and never reads the VTIMEZONE.)
    """
    zone = tzical(io.StringIO(vtimezone.decode())).get()
    return [moment.replace(tzinfo=zone).utcoffset() for moment in instants]


@pytest.mark.parametrize(("tzid", "observances"),
                         [("Europe/London", 5), ("Africa/Casablanca", 5)])
def test_multi_year_vtimezones_follow_every_transition(tzid: str, observances: int) -> None:
    # Morocco leaves summer time for Ramadan, on dates that move every year.
    data = vtimezone(tzid, 2026, 2027)
    local = [datetime(y, m, d, 12) for y in (2026, 2027) for m in range(1, 13) for d in (1, 10, 20)]
    zone = ZoneInfo(tzid)
    expected = [moment.replace(tzinfo=zone).utcoffset() for moment in local]
    assert _offsets_read_by_dateutil(data, local) == expected
    # The offset on 1 January, then one observance per clock change, each with its own onset.
    assert data.count(b"BEGIN:STANDARD") + data.count(b"BEGIN:DAYLIGHT") == observances
    assert data.count(b"DTSTART") == observances and b"RDATE" not in data


def test_uids_are_stable_unique_uuid5(built: Path) -> None:
    data = (built / "site/calendars/academy.ics").read_bytes()
    uids = [str(e["UID"]) for e in Calendar.from_ical(data).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == len(EXPECTED)
    assert all(uuid.UUID(u).version == 5 for u in uids)
    assert set(uids) == set(UID_TO_KEY)


def test_public_feeds_hold_no_learner_data_or_private_links(built: Path) -> None:
    for name, data in feeds(built).items():
        if name.startswith("calendars/p/"):
            continue
        text = data.decode()
        unfolded = text.replace("\r\n ", "")
        for secret in (*LEARNER_NAMES, *LEARNER_EMAILS, PRIVATE_LINK, "meet.test.example"):
            assert secret not in unfolded, (name, secret)


def test_public_events_say_where_and_what(built: Path) -> None:
    cohort = events_of((built / "site/calendars/cohorts/lon-2026-03.ics").read_bytes())
    event = next(e for uid, e in cohort.items() if UID_TO_KEY[uid] == "lon-2026-03/day1")
    assert str(event["SUMMARY"]) == 'Fire Warden: Fire safety; part 2, "evacuation"'
    assert str(event["LOCATION"]) == (
        "Thames Room, Test London, 1 Test Street, London, EC1A 1AA, United Kingdom")
    assert str(event["URL"]) == "https://academy.test.example/cohorts/lon-2026-03/"
    assert list(event["CATEGORIES"].cats) == ["safety", "fire", "in-person"]
    description = str(event["DESCRIPTION"])
    assert "- Routes \\ doors, stairs; lifts" in description
    assert "Preparation: Bring your building's fire plan." in description
    assert "Instructors: Alice Instructor" in description
    assert "Map: https://maps.test.example/london" in description
    assert event["GEO"].latitude == 51.5205 and event["GEO"].longitude == -0.0977
    new_york = events_of((built / "site/calendars/cohorts/nyc-2026-03.ics").read_bytes())
    assert all("GEO" not in e for e in new_york.values())  # no coordinates given
    # The US postal order: city, state and ZIP code on one line.
    assert {str(e["LOCATION"]).split(", ", 2)[-1] for e in new_york.values()} == {
        "2 Water Street, New York, NY 10038, United States"}
    assert all("Map:" not in str(e["DESCRIPTION"]) for e in new_york.values())
    online = events_of((built / "site/calendars/cohorts/ist-2026-11.ics").read_bytes())
    assert {str(e["LOCATION"]) for e in online.values()} == {"Online"}


def test_text_survives_the_round_trip_in_vobject(built: Path) -> None:
    text = (built / "site/calendars/academy.ics").read_text()
    vcal = vobject.readOne(text, validate=True)
    summaries = {v.summary.value for v in vcal.vevent_list}
    assert 'Fire Warden: Fire safety; part 2, "evacuation"' in summaries
    descriptions = [v.description.value for v in vcal.vevent_list]
    assert all("- Routes \\ doors, stairs; lifts" in d for d in descriptions)


def test_cancelled_session_stays_with_status_and_prefix(built: Path) -> None:
    for name in ("academy.ics", "cohorts/lon-2026-03.ics", "venues/london.ics"):
        events = events_of((built / "site/calendars" / name).read_bytes())
        event = next(e for uid, e in events.items() if UID_TO_KEY[uid] == "lon-2026-03/day3")
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["SUMMARY"]).startswith("Cancelled: Fire Warden:")
        assert str(event["DESCRIPTION"]).startswith("Cancelled: Trainer ill")
        others = [e for uid, e in events.items() if UID_TO_KEY[uid] != "lon-2026-03/day3"]
        assert all(str(e["STATUS"]) == "CONFIRMED" for e in others)


def test_crlf_and_75_octet_folding(built: Path) -> None:
    folded = 0
    for name, data in feeds(built).items():
        assert data.endswith(b"END:VCALENDAR\r\n"), name
        assert b"\n" not in data.replace(b"\r\n", b""), name
        assert b"\r" not in data.replace(b"\r\n", b""), name
        lines = data.split(b"\r\n")[:-1]
        assert all(len(line) <= 75 for line in lines), name
        folded += sum(1 for line in lines if line.startswith(b" "))
    assert folded > 0  # long descriptions were folded, not left long


def test_folding_counts_octets_and_never_splits_a_character(built: Path) -> None:
    data = (built / "site/calendars/cohorts/nyc-2026-03.ics").read_bytes()
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # each physical line is whole UTF-8: no character cut in two
    vcal = vobject.readOne(data.decode(), validate=True)
    name = vcal.contents["name"][0].value
    assert name.startswith("Fire Warden: New York — évacuation, première cohorte 🔥")
    assert all("Ünïcödé ✓ everywhere" in v.description.value for v in vcal.vevent_list)


def test_calendar_properties_and_library_pitfalls(built: Path) -> None:
    data = (built / "site/calendars/academy.ics").read_bytes()
    lines = data.decode().replace("\r\n ", "").split("\r\n")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines
    assert "X-PUBLISHED-TTL:PT6H" in lines
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert not any(line.startswith("METHOD") for line in lines)
    cal = Calendar.from_ical(data)
    description = "Safety training.\nSecond line; with a semicolon, and a comma."
    # icalendar keeps X- values raw: it must be escaped TEXT (a bare newline crashed to_ical).
    assert str(cal["X-WR-CALDESC"]) == description.replace(";", "\\;").replace(
        ",", "\\,").replace("\n", "\\n")
    assert str(cal["DESCRIPTION"]) == description
    vcal = vobject.readOne(data.decode(), validate=True)
    assert vcal.contents["x-wr-caldesc"][0].value == description
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Test Academy"
    assert str(cal["URL"]) == "https://academy.test.example/"
    stamps = {e["DTSTAMP"].dt for e in cal.walk("VEVENT")}
    assert stamps == {datetime.fromtimestamp(EPOCH, tz=UTC)}  # the fixed build time


def test_published_ttl_is_a_duration_for_other_refresh_values(tmp_path: Path) -> None:
    root = make_academy(tmp_path / "academy")
    yaml = root / "trainkit.yaml"
    yaml.write_text(yaml.read_text().replace("refresh: 6h", "refresh: 12h"))
    build(root, tmp_path / "out", secret=None)
    text = (tmp_path / "out/site/calendars/academy.ics").read_bytes().decode()
    assert "X-PUBLISHED-TTL:PT12H\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in text
    assert "12:00:00" not in text


def test_learner_feeds_hold_their_enrolled_cohorts_with_the_private_link(built: Path) -> None:
    def keys(person: str) -> set[str]:
        data = (built / "site" / personal_path(LEARNER, person)).read_bytes()
        return {UID_TO_KEY[uid] for uid in events_of(data)}

    london = {"lon-2026-03/day1", "lon-2026-03/day2", "lon-2026-03/day3"}
    india = {"ist-2026-11/s1", "ist-2026-11/s2"}
    assert keys("l-1") == london | india
    assert keys("l-2") == {"nyc-2026-03/day1", "nyc-2026-03/day2"}  # waitlisted in London
    assert keys("l-3") == india  # withdrawn from London
    assert keys("l-4") == keys("l-5") == set()
    # Learners with the same cohorts (here: none yet) get the same bytes.
    idle = [(built / "site" / personal_path(LEARNER, p)).read_bytes() for p in ("l-4", "l-5")]
    assert idle[0] == idle[1]
    data = (built / "site" / personal_path(LEARNER, "l-1")).read_bytes()
    for uid, event in events_of(data).items():
        if UID_TO_KEY[uid] in india:
            assert str(event["LOCATION"]) == f"Online: {PRIVATE_LINK}"
            assert str(event["CONFERENCE"]) == PRIVATE_LINK
        else:
            assert str(event["LOCATION"]).startswith("Thames Room, Test London")
    unfolded = data.decode().replace("\r\n ", "")
    for other in LEARNER_NAMES[1:]:
        assert other not in unfolded
    vobject.readOne((built / "site" / personal_path(LEARNER, "l-4")).read_text(), validate=True)


def test_instructor_feeds_hold_what_they_teach_with_room_details(built: Path) -> None:
    data = (built / "site" / personal_path(INSTRUCTOR, "alice")).read_bytes()
    events = {UID_TO_KEY[uid]: e for uid, e in events_of(data).items()}
    assert set(events) == {"lon-2026-03/day1", "lon-2026-03/day2", "lon-2026-03/day3",
                           "ist-2026-11/s1", "ist-2026-11/s2"}
    assert str(events["lon-2026-03/day1"]["LOCATION"]) == (
        "Thames Room (capacity 12, step-free access), Test London, 1 Test Street, "
        "London, EC1A 1AA, United Kingdom")
    assert "Getting there: Ring the bell." in str(events["lon-2026-03/day1"]["DESCRIPTION"])
    assert str(events["ist-2026-11/s1"]["LOCATION"]) == f"Online: {PRIVATE_LINK}"
    assert str(events["ist-2026-11/s1"]["CONFERENCE"]) == PRIVATE_LINK
    assert "Alice Instructor" in str(Calendar.from_ical(data)["NAME"])
    bob = events_of((built / "site" / personal_path(INSTRUCTOR, "bob")).read_bytes())
    assert {UID_TO_KEY[u] for u in bob} == {"nyc-2026-03/day1", "nyc-2026-03/day2"}


def test_private_list_of_personal_feeds(built: Path) -> None:
    text = (built / "reports/feeds/personal-feeds.csv").read_text(encoding="utf-8")
    assert text.startswith("kind,id,name,email,url\n")
    rows = list(csv.DictReader(text.splitlines()))
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("instructor", "alice"), ("instructor", "bob"),
        ("learner", "l-1"), ("learner", "l-2"), ("learner", "l-3"), ("learner", "l-4"),
        ("learner", "l-5")]
    first = rows[2]
    assert first["name"] == "Zephyrine Quillfeather"
    assert first["email"] == "zephyrine.q@learners.example"
    assert first["url"] == "https://academy.test.example/" + personal_path(LEARNER, "l-1")
    base = "https://academy.test.example/"
    for row in rows:
        path = row["url"].removeprefix(base)
        assert str(Calendar.from_ical((built / "site" / path).read_bytes())["NAME"]) in (
            "Test Academy: my sessions", f"Test Academy: {row['name']} teaching")
        # The links docs/feeds.md tells how to make from the url, with a spreadsheet formula.
        links = subscribe_links(base, path)
        assert links.webcal == row["url"].replace("https://", "webcal://", 1)
        assert links.google == GOOGLE + quote(links.webcal, safe="")
        assert links.outlook == OUTLOOK + quote(row["url"], safe="")
    # One format, one link per person: no JSON copy, no five spellings of each URL.
    assert sorted(p.name for p in (built / "reports/feeds").iterdir()) == [
        "personal-feeds.csv"]
    for path in (built / "site").rglob("*"):
        assert "personal-feeds" not in path.name


def test_without_the_secret_personal_feeds_are_absent_and_the_build_says_so(
        tmp_path: Path) -> None:
    root = make_academy(tmp_path / "academy")
    notes = build(root, tmp_path / "out", secret=None)
    assert not (tmp_path / "out/site/calendars/p").exists()
    assert not (tmp_path / "out/reports/feeds").exists()
    assert (tmp_path / "out/site/calendars/academy.ics").is_file()
    said = [n for n in notes if "personal calendar feeds" in n]
    assert len(said) == 1 and "TEST_FEED_SECRET" in said[0]


def test_the_secret_is_read_from_the_configured_environment_variable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_academy(tmp_path / "academy")
    monkeypatch.setenv("TEST_FEED_SECRET", SECRET.decode())
    build(root, tmp_path / "out", secret=None)
    assert (tmp_path / "out/site" / personal_path(LEARNER, "l-1")).is_file()


def test_require_secret_fails_the_build_and_keeps_the_previous_output(tmp_path: Path) -> None:
    root = make_academy(tmp_path / "academy", require_secret=True)
    out = tmp_path / "out"
    build(root, out, secret=SECRET)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    with pytest.raises(BuildError):
        run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                     secret=None, only=("feeds",)))
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_require_secret_diagnostic_points_at_the_setting(tmp_path: Path) -> None:
    from trainkit.pipeline import check_dir
    from trainkit.writers import feeds as writer
    from trainkit.writers.build import BuildContext

    root = make_academy(tmp_path / "academy", require_secret=True)
    academy = check_dir(root).academy
    assert academy is not None
    ctx = BuildContext(academy=academy, root=root, public=tmp_path / "pub",
                       private=tmp_path / "priv", work=tmp_path, epoch=datetime.now(UTC),
                       commit=None, secret=None)
    writer.write(ctx)
    [problem] = ctx.diagnostics
    line = (root / "trainkit.yaml").read_text().splitlines().index("  require_secret: true") + 1
    assert (problem.path, problem.line, problem.col) == ("trainkit.yaml", line, 3)
    assert problem.code == "feed-secret" and problem.severity.value == "error"
    assert "TEST_FEED_SECRET" in problem.message
    assert not (tmp_path / "pub").exists()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = make_academy(tmp_path / "academy")
    from test_feeds_academy import git

    git(root, "init", "-q")
    commit_all(root, "Academy", "2026-01-02T10:00:00+00:00")
    build(root, tmp_path / "a")
    build(root, tmp_path / "b")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*")
         if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*")
         if p.is_file()}
    assert len(a) > 10
    assert a == b


def test_demo_academy_public_feeds_leak_no_learner_or_link(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from trainkit.pipeline import check_dir

    root = Path(__file__).resolve().parents[1]
    academy = check_dir(root).academy
    assert academy is not None and academy.learners
    build(root, tmp_path / "out", secret=b"demo-secret")
    secrets = [x for learner in academy.learners.values() for x in (learner.name, learner.email)]
    links = {s.online_url for s in academy.sessions() if s.online_url}
    links |= {c.online_url for c in academy.cohorts.values() if c.online_url}
    assert links  # the demo has online sessions, so the scan means something
    public = [p for p in (tmp_path / "out/site/calendars").rglob("*.ics")
              if p.parent.name != "p"]
    assert len(public) >= 1 + len(academy.programs) + len(academy.cohorts)
    for path in public:
        text = path.read_text().replace("\r\n ", "")
        Calendar.from_ical(text)
        for secret in (*secrets, *links):
            assert secret not in text, (path.name, secret)
    private = list((tmp_path / "out/site/calendars/p").glob("*.ics"))
    assert len(private) == len(academy.learners) + len(academy.instructors)


def test_cli_prints_the_feed_secret_error(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from trainkit.cli import main

    root = make_academy(tmp_path / "academy", require_secret=True)
    code = main(["build", "--root", str(root), "--only", "feeds", "-q",
                 "--site-dir", str(tmp_path / "site"), "--reports-dir", str(tmp_path / "rep")])
    out = capsys.readouterr()
    assert code == 1
    assert "trainkit.yaml:17:3: error[feed-secret]" in out.out
    assert "TEST_FEED_SECRET" in out.out
    assert not (tmp_path / "site").exists()



def test_a_learner_feed_is_linked_to_its_twin_or_written(tmp_path: Path) -> None:
    from trainkit.pipeline import check_dir
    from trainkit.writers.feeds import _FeedWriter

    academy = check_dir(make_academy(tmp_path / "academy")).academy
    assert academy is not None
    pub = tmp_path / "pub"
    w = _FeedWriter(pub, academy, 2026)
    first = w.write_bytes("calendars/p/a.ics", b"same")
    w.write_bytes("calendars/p/b.ics", b"same", twin=first)
    w.write_bytes("calendars/p/c.ics", b"same", twin=str(pub / "gone.ics"))  # no twin
    assert (pub / "calendars/p/b.ics").stat().st_ino == (pub / "calendars/p/a.ics").stat().st_ino
    assert (pub / "calendars/p/c.ics").read_bytes() == b"same"


def test_a_twin_at_the_link_limit_is_replaced_by_a_fresh_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from trainkit.pipeline import check_dir
    from trainkit.writers.feeds import _FeedWriter

    academy = check_dir(make_academy(tmp_path / "academy")).academy
    assert academy is not None
    pub = tmp_path / "pub"
    w = _FeedWriter(pub, academy, 2026)
    full = w.write_bytes("calendars/p/a.ics", b"same")
    real_link = os.link

    def link(src: str, dst: str) -> None:
        if src == full:  # as ext4 does once a file has 65,000 names
            raise OSError(errno.EMLINK, "Too many links")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", link)
    twin = w.write_bytes("calendars/p/b.ics", b"same", twin=full)
    assert twin == str(pub / "calendars/p/b.ics")  # written, and the next twin
    assert w.write_bytes("calendars/p/c.ics", b"same", twin=twin) == twin
    assert (pub / "calendars/p/c.ics").stat().st_ino == (pub / "calendars/p/b.ics").stat().st_ino
    assert (pub / "calendars/p/a.ics").stat().st_ino != (pub / "calendars/p/b.ics").stat().st_ino
