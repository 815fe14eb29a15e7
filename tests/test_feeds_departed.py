"""Removed sessions and renamed cohort files, over real git histories.

A removed session stays in the feeds as cancelled for 90 days after the
commit that removed it; a deleted cohort file's feed stays published with its
sessions cancelled for that time; a renamed cohort file's old feed address
keeps carrying the cohort's events and says where the feed moved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from test_feeds_academy import COHORT_FILES, SECRET, commit_all, git, make_academy
from trainkit.cli import main
from trainkit.writers.build import BuildOptions, run_build
from trainkit.writers.feeds import ics
from trainkit.writers.feeds.personal import INSTRUCTOR, LEARNER, feed_token

NEW_YORK = COHORT_FILES["nyc-2026-03"]
T1, T2, T3 = "2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00", "2026-01-03T10:00:00+00:00"
DAY89 = "2026-04-01T09:00:00+00:00"  # 89 days after T2
DAY91 = "2026-04-03T11:00:00+00:00"  # 91 days after T2


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("TEST_FEED_SECRET", raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_academy(tmp_path / "academy")
    git(root, "init", "-q")
    commit_all(root, "Academy", T1)
    return root


def build(root: Path, out: Path) -> Path:
    result, _ = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "rep",
                                             secret=SECRET, only=("feeds",)))
    assert result.errors == []
    return out / "site"


def events(site: Path, feed: str) -> dict[str, Calendar]:
    """UID -> VEVENT of one feed."""
    cal = Calendar.from_ical((site / feed).read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(key: str) -> str:
    return ics.session_uid("testacademy", key)


def personal(kind: str, pid: str) -> str:
    return f"calendars/p/{feed_token(SECRET, kind, pid)}.ics"


def drop_day2(root: Path) -> None:
    path = root / NEW_YORK
    text = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in text if "id: day2" not in line))


def later_commit(root: Path, when: str) -> None:
    """An unrelated commit: moves the build's time (the commit time) to ``when``."""
    path = root / "programs/fire-warden/program.yaml"
    path.write_text(path.read_text() + f"# reviewed {when}\n")
    commit_all(root, "Reviewed", when)


def test_a_removed_session_stays_cancelled_in_every_feed_it_was_in(repo: Path,
                                                                    tmp_path: Path) -> None:
    drop_day2(repo)
    commit_all(repo, "Drop day 2", T2)
    site = build(repo, tmp_path / "o")
    for feed in ("calendars/academy.ics", "calendars/programs/fire-warden.ics",
                 "calendars/cohorts/nyc-2026-03.ics", "calendars/venues/nyc.ics",
                 personal(INSTRUCTOR, "bob"), personal(LEARNER, "l-2")):
        event = events(site, feed)[uid("nyc-2026-03/day2")]
        assert str(event["STATUS"]) == "CANCELLED", feed
        assert int(event["SEQUENCE"]) == 1, feed  # it was 0: the removal is one more change
        assert event["LAST-MODIFIED"].dt == datetime.fromisoformat(T2).astimezone(UTC)
        assert str(event["SUMMARY"]).startswith("Cancelled: "), feed
        assert str(event["DESCRIPTION"]).startswith("Cancelled: removed from the schedule")
        assert event["DTSTART"].dt == datetime(2026, 3, 9, 13, tzinfo=UTC)  # 09:00 EDT
    assert str(events(site, "calendars/academy.ics")[uid("nyc-2026-03/day1")]["STATUS"]) == (
        "CONFIRMED")
    # Not in the feeds of people who never had it.
    assert uid("nyc-2026-03/day2") not in events(site, personal(INSTRUCTOR, "alice"))
    assert uid("nyc-2026-03/day2") not in events(site, personal(LEARNER, "l-1"))


def test_the_cancellation_is_kept_for_90_days(repo: Path, tmp_path: Path) -> None:
    drop_day2(repo)
    commit_all(repo, "Drop day 2", T2)
    later_commit(repo, DAY89)
    assert uid("nyc-2026-03/day2") in events(build(repo, tmp_path / "a"), "calendars/academy.ics")
    later_commit(repo, DAY91)
    site = build(repo, tmp_path / "b")
    assert uid("nyc-2026-03/day2") not in events(site, "calendars/academy.ics")
    assert uid("nyc-2026-03/day1") in events(site, "calendars/academy.ics")


def test_a_session_put_back_is_an_ordinary_session_again(repo: Path, tmp_path: Path) -> None:
    original = (repo / NEW_YORK).read_text()
    drop_day2(repo)
    commit_all(repo, "Drop day 2", T2)
    (repo / NEW_YORK).write_text(original)
    commit_all(repo, "Day 2 is back", T3)
    event = events(build(repo, tmp_path / "o"), "calendars/academy.ics")[uid("nyc-2026-03/day2")]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_an_uncommitted_removal_shows_in_a_local_build(repo: Path, tmp_path: Path) -> None:
    drop_day2(repo)  # not committed: the build's time (HEAD's commit, T1) stands for "now"
    event = events(build(repo, tmp_path / "o"), "calendars/academy.ics")[uid("nyc-2026-03/day2")]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["LAST-MODIFIED"].dt == datetime.fromisoformat(T1).astimezone(UTC)


def test_a_deleted_cohort_file_keeps_its_feed_with_every_session_cancelled(
        repo: Path, tmp_path: Path) -> None:
    git(repo, "rm", "-q", NEW_YORK)
    commit_all(repo, "Drop the New York cohort", T2)
    site = build(repo, tmp_path / "o")
    feed = events(site, "calendars/cohorts/nyc-2026-03.ics")
    assert set(feed) == {uid("nyc-2026-03/day1"), uid("nyc-2026-03/day2")}
    assert {str(e["STATUS"]) for e in feed.values()} == {"CANCELLED"}
    # Its learner (l-2) and instructor (bob) get the cancellations in their own feeds.
    assert set(events(site, personal(LEARNER, "l-2"))) == set(feed)
    assert set(events(site, personal(INSTRUCTOR, "bob"))) == set(feed)
    later_commit(repo, DAY91)
    assert not (build(repo, tmp_path / "later") / "calendars/cohorts/nyc-2026-03.ics").exists()


def test_a_renamed_cohort_file_keeps_its_old_feed_address(repo: Path, tmp_path: Path) -> None:
    renamed = NEW_YORK.replace("nyc-2026-03", "ny-2026-03")
    git(repo, "mv", NEW_YORK, renamed)
    commit_all(repo, "Rename cohort", T2)
    later_commit(repo, DAY91)  # the old address does not expire while the cohort exists
    site = build(repo, tmp_path / "o")
    new = events(site, "calendars/cohorts/ny-2026-03.ics")
    old_feed = Calendar.from_ical((site / "calendars/cohorts/nyc-2026-03.ics").read_bytes())
    old = {str(e["UID"]): e for e in old_feed.walk("VEVENT")}
    assert set(new) == set(old) == {uid("ny-2026-03/day1"), uid("ny-2026-03/day2")}
    assert {str(e["STATUS"]) for e in old.values()} == {"CONFIRMED"}
    assert "https://academy.test.example/calendars/cohorts/ny-2026-03.ics: subscribe there" in (
        str(old_feed["DESCRIPTION"]))
    academy = events(site, "calendars/academy.ics")
    assert uid("nyc-2026-03/day1") not in academy and uid("ny-2026-03/day1") in academy


def test_a_renamed_file_name_taken_by_a_new_cohort_is_that_cohort_s(repo: Path,
                                                                      tmp_path: Path) -> None:
    renamed = NEW_YORK.replace("nyc-2026-03", "ny-2026-03")
    git(repo, "mv", NEW_YORK, renamed)
    commit_all(repo, "Rename cohort", T2)
    (repo / NEW_YORK).write_text((repo / renamed).read_text().replace("day2", "day9")
                                .replace('"2026-03-0', '"2026-05-0'))
    commit_all(repo, "A new cohort under the old name", T3)
    site = build(repo, tmp_path / "o")
    assert set(events(site, "calendars/cohorts/nyc-2026-03.ics")) == {
        uid("nyc-2026-03/day1"), uid("nyc-2026-03/day9")}


def check_lines(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["check", "--root", str(root)])
    return [line for line in capsys.readouterr().out.splitlines()
            if "[cohort-" in line or "[session-removed]" in line]


def test_check_warns_before_a_session_is_removed(repo: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert check_lines(repo, capsys) == []
    drop_day2(repo)
    assert check_lines(repo, capsys) == [
        f"{NEW_YORK}:1:1: warning[session-removed]: session day2 (2026-03-09 09:00 "
        "America/New_York) is removed from cohort 'nyc-2026-03': calendars that hold it will "
        "show it cancelled, 'removed from the schedule', for 90 days; to tell people why, keep "
        "it with 'status: cancelled' and a 'reason'"]
    commit_all(repo, "Drop day 2", T2)
    assert check_lines(repo, capsys) == []  # said once, before the commit


def test_check_warns_about_a_renamed_or_deleted_cohort_file(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    renamed = NEW_YORK.replace("nyc-2026-03", "ny-2026-03")
    (repo / NEW_YORK).rename(repo / renamed)  # not even staged: found by its content
    assert check_lines(repo, capsys) == [
        f"{renamed}:1:1: warning[cohort-renamed]: cohort file {NEW_YORK} is renamed to "
        f"{renamed}: the cohort's id, its feed address and its events' ids change with the name. "
        "Commit it as a rename (git mv) so the build keeps calendars/cohorts/nyc-2026-03.ics "
        "alive with the cohort's events, and tell subscribers the new address "
        "calendars/cohorts/ny-2026-03.ics; or keep the old name"]
    (repo / renamed).unlink()
    assert check_lines(repo, capsys) == [
        f"{NEW_YORK}:1:1: warning[cohort-removed]: cohort file {NEW_YORK} is deleted: calendars "
        "that hold its 2 scheduled session(s) will show them cancelled, 'removed from the "
        "schedule', for 90 days; to tell people why, keep the file and set 'status: cancelled' "
        "with a 'reason'"]
