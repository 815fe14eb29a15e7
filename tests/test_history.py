"""SEQUENCE and LAST-MODIFIED from a real git history made in a temporary folder."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from test_feeds_academy import COHORT_FILES, commit_all, git, make_academy
from trainkit.history.sequence import History, session_history
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, run_build
from trainkit.writers.feeds import ics

T1, T2, T3, T4, T5, T6 = (f"2026-01-0{d}T10:00:00+00:00" for d in range(1, 7))
LONDON = COHORT_FILES["lon-2026-03"]
NEW_YORK = COHORT_FILES["nyc-2026-03"]
CANCELLED = "lon-2026-03/day3"  # cancelled in the academy's first commit


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("TEST_FEED_SECRET", raising=False)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def academy_events(root: Path, out: Path) -> tuple[dict[str, object], list[str]]:
    """Build the feeds only; return session key -> VEVENT of the academy feed, and notes."""
    _, notes = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "rep",
                                            only=("feeds",)))
    cal = Calendar.from_ical((out / "site/calendars/academy.ics").read_bytes())
    uids = {ics.session_uid("testacademy", s.key): s.key
            for s in check_dir(root).academy.sessions()}  # type: ignore[union-attr]
    return {uids[str(e["UID"])]: e for e in cal.walk("VEVENT")}, notes


def seq(events: dict[str, object], key: str) -> int:
    return int(events[key]["SEQUENCE"])  # type: ignore[index]


def modified(events: dict[str, object], key: str) -> datetime:
    return events[key]["LAST-MODIFIED"].dt  # type: ignore[index]


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone(UTC)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_academy(tmp_path / "academy")
    git(root, "init", "-q")
    commit_all(root, "Academy", T1)
    return root


def test_each_commit_that_moves_a_session_adds_one(repo: Path, tmp_path: Path) -> None:
    events, _ = academy_events(repo, tmp_path / "o1")
    assert {seq(events, k) for k in events if k != CANCELLED} == {0}
    assert seq(events, CANCELLED) == 1
    assert modified(events, "lon-2026-03/day2") == at(T1)
    uid = str(events["lon-2026-03/day2"]["UID"])  # type: ignore[index]

    edit(repo, LONDON, 'date: "2026-03-30"', 'date: "2026-04-01"')
    commit_all(repo, "Move day 2", T2)
    edit(repo, LONDON, 'date: "2026-04-01", start: "09:00"', 'date: "2026-04-01", start: "10:00"')
    commit_all(repo, "Later start", T3)
    edit(repo, "programs/fire-warden/program.yaml", "Bring your building's", "Bring the")
    edit(repo, LONDON, "title: London, March 2026", "title: London, spring 2026")
    commit_all(repo, "Wording only: no time, place or status change", T4)
    events, _ = academy_events(repo, tmp_path / "o2")
    assert seq(events, "lon-2026-03/day2") == 2
    assert modified(events, "lon-2026-03/day2") == at(T3)
    assert str(events["lon-2026-03/day2"]["UID"]) == uid  # type: ignore[index]
    start = events["lon-2026-03/day2"]["DTSTART"].dt  # type: ignore[index]
    assert start.astimezone(UTC) == datetime(2026, 4, 1, 9, tzinfo=UTC)  # 10:00 BST
    assert seq(events, "lon-2026-03/day1") == 0
    assert modified(events, "lon-2026-03/day1") == at(T1)
    assert seq(events, "nyc-2026-03/day1") == 0


def test_room_venue_and_online_link_changes_count(repo: Path, tmp_path: Path) -> None:
    edit(repo, LONDON, "room: thames", "room: fleet")
    commit_all(repo, "Other room for the whole cohort", T2)
    edit(repo, COHORT_FILES["ist-2026-11"], "private-room-8c1f", "private-room-9d2e")
    commit_all(repo, "New meeting link", T3)
    events, _ = academy_events(repo, tmp_path / "o")
    # day 3 was cancelled from the start (SEQUENCE 1), the room change adds one.
    assert [seq(events, f"lon-2026-03/day{n}") for n in (1, 2, 3)] == [1, 1, 2]
    assert seq(events, "ist-2026-11/s1") == 1
    assert modified(events, "ist-2026-11/s1") == at(T3)
    assert seq(events, "nyc-2026-03/day1") == 0


def test_cancelling_counts_and_keeps_the_event(repo: Path, tmp_path: Path) -> None:
    edit(repo, NEW_YORK, 'end: "12:00"}', 'end: "12:00", status: cancelled, reason: Snow}')
    commit_all(repo, "Cancel day 1 in New York", T2)
    events, _ = academy_events(repo, tmp_path / "o")
    event = events["nyc-2026-03/day1"]
    assert str(event["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert str(event["SUMMARY"]).startswith("Cancelled: ")  # type: ignore[index]
    assert seq(events, "nyc-2026-03/day1") == 1
    assert modified(events, "nyc-2026-03/day1") == at(T2)
    assert seq(events, "nyc-2026-03/day2") == 0


def test_a_session_created_cancelled_then_reinstated_goes_1_then_2(
        repo: Path, tmp_path: Path) -> None:
    events, _ = academy_events(repo, tmp_path / "o1")
    assert str(events[CANCELLED]["STATUS"]) == "CANCELLED"  # type: ignore[index]
    assert seq(events, CANCELLED) == 1
    edit(repo, LONDON, ", status: cancelled", "")
    commit_all(repo, "Day 3 goes ahead after all", T2)
    events, _ = academy_events(repo, tmp_path / "o2")
    assert str(events[CANCELLED]["STATUS"]) == "CONFIRMED"  # type: ignore[index]
    assert seq(events, CANCELLED) == 2
    assert modified(events, CANCELLED) == at(T2)


def test_a_deleted_session_is_remembered_with_its_count(repo: Path, tmp_path: Path) -> None:
    # What the feeds make of it: tests/test_feeds_departed.py.
    edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(repo, "Move", T2)
    text = (repo / NEW_YORK).read_text().splitlines(keepends=True)
    (repo / NEW_YORK).write_text("".join(line for line in text if "id: day2" not in line))
    commit_all(repo, "Drop day 2", T3)
    academy = check_dir(repo).academy
    assert academy is not None
    history = session_history(academy, repo, at(T3))
    assert [(g.session.key, g.sequence, g.removed) for g in history.gone] == [
        ("nyc-2026-03/day2", 1, at(T3))]
    assert history.of("nyc-2026-03/day1").sequence == 0


def test_uncommitted_edits_count_as_one_more_change(repo: Path, tmp_path: Path) -> None:
    edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(repo, "Move", T2)
    edit(repo, NEW_YORK, 'date: "2026-03-10"', 'date: "2026-03-11"')  # not committed
    events, _ = academy_events(repo, tmp_path / "o")
    assert seq(events, "nyc-2026-03/day2") == 2
    # The build's fixed time (HEAD's commit time) stands in for "now".
    assert modified(events, "nyc-2026-03/day2") == at(T2)


def test_renamed_cohort_file_keeps_its_counts(repo: Path, tmp_path: Path) -> None:
    edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(repo, "Move", T2)
    git(repo, "mv", NEW_YORK, NEW_YORK.replace("nyc-2026-03", "ny-2026-03"))
    commit_all(repo, "Rename cohort", T3)
    events, _ = academy_events(repo, tmp_path / "o")
    assert seq(events, "ny-2026-03/day2") == 1
    assert seq(events, "ny-2026-03/day1") == 0


def test_a_merge_counts_once_per_session_it_changed(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "-b", "topic")
    edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(repo, "Move", T2)
    edit(repo, NEW_YORK, 'date: "2026-03-10"', 'date: "2026-03-11"')
    commit_all(repo, "Move again", T3)
    git(repo, "checkout", "-q", "main")
    edit(repo, LONDON, 'date: "2026-03-30"', 'date: "2026-04-01"')
    commit_all(repo, "Move London", T4)
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge topic", "topic", when=T5)
    events, _ = academy_events(repo, tmp_path / "o")
    assert seq(events, "nyc-2026-03/day2") == 1
    assert modified(events, "nyc-2026-03/day2") == at(T5)
    assert seq(events, "lon-2026-03/day2") == 1


def test_unchanged_blobs_are_not_parsed_again(repo: Path) -> None:
    for n, (old, new) in enumerate((("09", "10"), ("10", "11"), ("11", "12")), start=2):
        edit(repo, NEW_YORK, f'date: "2026-03-{old}"', f'date: "2026-03-{new}"')
        commit_all(repo, "Move", f"2026-01-0{n}T10:00:00+00:00")
    academy = check_dir(repo).academy
    assert academy is not None
    history = session_history(academy, repo, datetime(2026, 2, 1, tzinfo=UTC))
    assert history.commits == 4
    # Only New York's three past versions are parsed: every other blob is the working tree's.
    assert history.parsed == 3
    assert history.of("nyc-2026-03/day2").sequence == 3


def test_academy_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = make_academy(top / "training" / "academy")
    git(top, "init", "-q")
    commit_all(top, "Academy", T1)
    edit(root, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(top, "Move", T2)
    events, _ = academy_events(root, tmp_path / "o")
    assert seq(events, "nyc-2026-03/day2") == 1


def test_outside_git_sequence_is_zero_and_it_is_said_once(tmp_path: Path) -> None:
    root = make_academy(tmp_path / "academy")
    events, notes = academy_events(root, tmp_path / "o")
    assert {seq(events, k) for k in events if k != CANCELLED} == {0}
    assert seq(events, CANCELLED) == 1  # still supersedes a confirmed copy
    assert all("LAST-MODIFIED" not in e for e in events.values())  # type: ignore[operator]
    assert len([n for n in notes if "git" in n]) == 1


def test_outside_git_with_source_date_epoch_it_is_said_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = make_academy(tmp_path / "academy")
    events, notes = academy_events(root, tmp_path / "o")
    assert {seq(events, k) for k in events if k != CANCELLED} == {0}
    said = [n for n in notes if "git" in n]
    assert len(said) == 1 and "SEQUENCE 0" in said[0]


def test_a_shallow_clone_is_reported(repo: Path, tmp_path: Path) -> None:
    edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"')
    commit_all(repo, "Move", T2)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    events, notes = academy_events(clone, tmp_path / "o")
    assert seq(events, "nyc-2026-03/day2") == 0  # the moving commit is not there
    assert len([n for n in notes if "shallow clone" in n]) == 1
    _, full_notes = academy_events(repo, tmp_path / "o2")
    assert not [n for n in full_notes if "shallow" in n]


def test_a_reading_that_reuses_the_last_replay_is_a_fresh_reading(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The replay of the committed history is kept for the next reading in the process
    (the live preview reads it at every save). Whatever changed in between, the
    reading must be what a fresh one gives; with no new commit, no git log is run."""
    from trainkit.history import sequence

    now = datetime(2026, 2, 1, tzinfo=UTC)

    def both() -> tuple[History, History]:
        academy = check_dir(repo).academy
        assert academy is not None
        kept = session_history(academy, repo, now)
        monkeypatch.setattr(sequence, "_LAST", None)
        # parsed: the historical blobs a reading parsed, none when it reused the replay
        return replace(kept, parsed=0), replace(session_history(academy, repo, now), parsed=0)

    steps = [
        lambda: None,
        lambda: edit(repo, NEW_YORK, 'date: "2026-03-09"', 'date: "2026-03-10"'),
        lambda: commit_all(repo, "Move", T2),
        # historical files are resolved with today's venues: an hour earlier in UTC
        lambda: edit(repo, "venues/london.yaml", "Europe/London", "Europe/Paris"),
        lambda: (repo / LONDON).unlink(),
        lambda: commit_all(repo, "London gone", T3),
    ]
    for n, step in enumerate(steps):
        step()
        kept, fresh = both()
        assert kept == fresh, n
    moved = fresh.of("nyc-2026-03/day2")
    assert moved.sequence == 1 and moved.last_modified == at(T2)
    assert {g.cohort.id for g in fresh.gone} == {"lon-2026-03"}

    def no_log(*args: object) -> object:
        raise AssertionError("the history was replayed again")

    monkeypatch.setattr(sequence, "_log_entries", no_log)
    academy = check_dir(repo).academy
    assert academy is not None
    again = session_history(academy, repo, now)
    assert again.parsed == 0 and replace(again, parsed=0) == fresh
