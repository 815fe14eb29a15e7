"""Feeds built with the events kept in the build cache are those of a build from scratch.

The small feed academy (clock changes, a private online link, a cancelled
session, non-ASCII titles) is put in git and built with the build cache;
then edits are committed one after the other (a session moved, a cohort
cancelled, a venue renamed, a program retitled, the online link changed, a
session removed) and after each the same folders are rebuilt and compared,
byte for byte, with a build from scratch without the cache. Every commit
moves the build's time, so DTSTAMP changes each time: the kept events must
take the new one. The number of events serialised again shows that the
kept ones were used, and only the edited ones were made again.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar.parser import Contentline
from icalendar.parser.string import _foldline

from test_feeds_academy import COHORT_FILES, PRIVATE_LINK, SECRET, commit_all, git, make_academy
from trainkit.history.sequence import Change
from trainkit.load import usercache
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, run_build
from trainkit.writers.feeds import assembly, ics, kept
from trainkit.writers.feeds.fold import fold

PROGRAM = "programs/fire-warden/program.yaml"
VENUE = "venues/london.yaml"
SESSIONS = 7  # in the test academy


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("TEST_FEED_SECRET", raising=False)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[ics.Facts]:
    """The events serialised (not found kept), as they are made."""
    found: list[ics.Facts] = []

    def counted(facts: ics.Facts, lines: ics.Lines | None = None) -> ics.Pieces:
        found.append(facts)
        return ics.pieces(facts, lines)

    monkeypatch.setattr(kept, "pieces", counted)
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_academy(tmp_path / "academy")
    git(root, "init", "-q")
    commit_all(root, "Academy", "2026-01-10T09:00:00+00:00")
    return root


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def _build(root: Path, out: Path, cache: bool = True) -> None:
    result, _ = run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "rep",
                                             secret=SECRET, only=("feeds",), cache=cache,
                                             jobs=1))
    assert result.errors == []


def _same_as_scratch(root: Path, out: Path, scratch: Path, what: str) -> None:
    _build(root, scratch, cache=False)
    for kind in ("site", "rep"):
        assert _tree(out / kind) == _tree(scratch / kind), f"{what}: {kind}/ differs"
    assert (out / "site/calendars/academy.ics").read_bytes().count(b"BEGIN:VEVENT") >= SESSIONS


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (what, the edit, how many events must be serialised again)
EDITS: list[tuple[str, Callable[[Path], None], int]] = [
    ("session moved", lambda r: _replace(
        r, COHORT_FILES["lon-2026-03"], 'date: "2026-03-27", start: "09:00"',
        'date: "2026-03-27", start: "09:30"'), 1),
    ("cohort cancelled", lambda r: _replace(
        r, COHORT_FILES["nyc-2026-03"], "room: hudson\n", "room: hudson\nstatus: cancelled\n"), 2),
    ("venue renamed", lambda r: _replace(r, VENUE, "name: Test London", "name: Test London Bridge"),
     3),
    ("room renamed", lambda r: _replace(r, VENUE, "name: Fleet Room", "name: Fleet Suite"), 0),
    ("program retitled", lambda r: _replace(r, PROGRAM, "title: Fire Warden",
                                            "title: Fire Warden (2026)"), SESSIONS),
    ("private online link changed", lambda r: _replace(
        r, COHORT_FILES["ist-2026-11"], PRIVATE_LINK, PRIVATE_LINK + "-new"), 2),
    ("session removed (kept as cancelled)", lambda r: _replace(
        r, COHORT_FILES["nyc-2026-03"],
        '  - {id: day2, template: day1, date: "2026-03-09", start: "09:00", end: "12:00"}\n',
        ""), 1),
]


def test_kept_events_give_the_bytes_of_a_build_from_scratch(
        repo: Path, tmp_path: Path, made: list[ics.Facts]) -> None:
    out = tmp_path / "out"
    _build(repo, out)
    assert len(made) == SESSIONS  # nothing kept yet
    assert kept.store_path(repo / ".trainkit-cache") is not None
    assert (repo / ".trainkit-cache" / kept.FOLDER / kept.NAME).is_file()
    for number, (what, edit, again) in enumerate(EDITS, 1):
        edit(repo)
        commit_all(repo, what, f"2026-02-{number:02d}T10:00:00+00:00")  # a new build time
        made.clear()
        _build(repo, out)
        assert len(made) == again, (what, [f.uid for f in made])
        _same_as_scratch(repo, out, tmp_path / f"scratch-{number}", what)


def test_a_cohort_whose_key_is_the_same_takes_its_events_without_their_facts(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the edited cohort's sessions are worked out again; an edit to a file every
    cohort's events read (a program) works out all of them."""
    worked: list[str] = []
    facts = ics.event_facts
    monkeypatch.setattr(ics, "event_facts", lambda academy, s, *a, **k:
                        worked.append(s.key) or facts(academy, s, *a, **k))
    out = tmp_path / "out"
    _build(repo, out)
    assert len(worked) == SESSIONS
    for number, (what, edit, cohorts) in enumerate([
            ("session moved", EDITS[0][1], {"lon-2026-03"}),
            ("program retitled", EDITS[4][1], None),
            ("online link changed", EDITS[5][1], {"ist-2026-11"})], 1):
        edit(repo)
        commit_all(repo, what, f"2026-02-{number:02d}T10:00:00+00:00")
        worked.clear()
        _build(repo, out)
        if cohorts is None:
            assert len(worked) == SESSIONS, what
        else:
            assert worked and {key.split("/")[0] for key in worked} == cohorts, (what, worked)
        _same_as_scratch(repo, out, tmp_path / f"scratch-{number}", what)


def test_a_public_feed_whose_events_are_the_same_is_taken_over_unassembled(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a session moved, the feeds that hold it are assembled again (the academy's,
    its program's, its cohort's and its venue's); the others are taken over."""
    public: list[bytes] = []
    whole = assembly.assemble

    def counted(header: bytes, events: list[ics.EventBytes], variant: str, *rest: object) -> bytes:
        if variant == "public":
            public.append(header.split(b"NAME:", 1)[1].split(b"\r\n", 1)[0])
        return whole(header, events, variant, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(assembly, "assemble", counted)
    out = tmp_path / "out"
    _build(repo, out)
    everything = len(public)
    assert everything >= 7  # the academy, a program, three cohorts, two venues
    # a session of lon-2026-03 (at the London venue) moved, not committed: a commit moves
    # the build's time, and with it every event's DTSTAMP and every feed
    EDITS[0][1](repo)
    public.clear()
    _build(repo, out)
    assert len(public) == 4, public
    _same_as_scratch(repo, out, tmp_path / "scratch", "session moved")
    public.clear()
    _build(repo, out)  # the same again: nothing to assemble
    assert public == []


def test_public_only_and_personal_events_are_kept_apart(
        repo: Path, tmp_path: Path, made: list[ics.Facts]) -> None:
    """Without the secret no personal variants are made: those events are other facts."""
    _build(repo, tmp_path / "out")
    made.clear()
    result, _ = run_build(repo, BuildOptions(site_dir=tmp_path / "pub" / "site",
                                             reports_dir=tmp_path / "pub" / "rep",
                                             secret=None, only=("feeds",), jobs=1))
    assert result.errors == []
    assert len(made) == SESSIONS
    result, _ = run_build(repo, BuildOptions(site_dir=tmp_path / "pub2" / "site",
                                             reports_dir=tmp_path / "pub2" / "rep",
                                             secret=None, only=("feeds",), jobs=1,
                                             cache=False))
    assert _tree(tmp_path / "pub" / "site") == _tree(tmp_path / "pub2" / "site")


def test_builds_with_and_without_the_personal_feeds_keep_their_events_apart(
        repo: Path, tmp_path: Path, made: list[ics.Facts]) -> None:
    """A live preview leaves the personal feeds out; a ``trainkit build`` between two of
    its saves does not make the next save serialise every public event again, nor does
    the preview make the next build serialise every event."""
    def preview() -> None:
        result, _ = run_build(repo, BuildOptions(
            site_dir=tmp_path / "preview" / "site", reports_dir=tmp_path / "preview" / "rep",
            secret=SECRET, only=("feeds",), jobs=1, personal=False))
        assert result.errors == []

    preview()
    _build(repo, tmp_path / "out")
    stores = sorted(p.name for p in (repo / ".trainkit-cache" / kept.FOLDER).iterdir()
                    if p.name.startswith("events"))
    assert stores == [kept.PUBLIC_NAME, kept.NAME]
    EDITS[0][1](repo)  # a session moved: one event to serialise again, on either side
    made.clear()
    preview()
    assert len(made) == 1
    made.clear()
    _build(repo, tmp_path / "out")
    assert len(made) == 1
    _same_as_scratch(repo, tmp_path / "out", tmp_path / "scratch", "after a preview")


def _corrupt(data: bytes) -> bytes:
    """A byte of a kept event changed (the digest no longer matches)."""
    at = data.index(b"SUMMARY:Fire Warden")
    return data[:at + 8] + b"X" + data[at + 9:]


def _other_salt(data: bytes) -> bytes:
    magic, salt, rest = data.split(b"\n", 2)
    return b"\n".join([magic, b"0" * len(salt), rest])


def _retold(data: bytes) -> bytes:
    """An event's bytes changed and the digest made to match: only the salt line is old."""
    magic, salt, _, body = data.split(b"\n", 3)
    at = body.index(b"SUMMARY:Fire Warden")
    body = body[:at + 8] + b"X" + body[at + 9:]
    return b"\n".join([magic, salt, usercache.seal(body).encode(), body])


def _planted(data: bytes) -> bytes:
    """The same change with a plain SHA-256, as anyone without this user's key could make."""
    magic, salt, _, body = _retold(data).split(b"\n", 3)
    return b"\n".join([magic, salt, hashlib.sha256(body).hexdigest().encode(), body])


@pytest.mark.parametrize("damage", [
    _corrupt,
    lambda d: d[:len(d) // 2],  # cut short
    lambda d: b"",
    _other_salt,
    lambda d: d.replace(kept.MAGIC, b"trainkit feed events 0", 1),
    lambda d: b"not a cache file at all\n" * 3,
    _planted,
])
def test_a_damaged_store_is_ignored(repo: Path, tmp_path: Path, made: list[ics.Facts],
                                    damage: Callable[[bytes], bytes]) -> None:
    out = tmp_path / "out"
    _build(repo, out)
    store = repo / ".trainkit-cache" / kept.FOLDER / kept.NAME
    _replace(repo, VENUE, "name: Fleet Room", "name: Fleet Suite")  # the writer runs again
    store.write_bytes(damage(store.read_bytes()))
    kept._LAST.clear()  # as a new build would find it: this process wrote the store itself
    made.clear()
    _build(repo, out)
    assert len(made) == SESSIONS  # nothing was taken from the damaged file
    _same_as_scratch(repo, out, tmp_path / "scratch", "damaged store")
    # the store was written again, whole, and is used by the next build
    _replace(repo, VENUE, "name: Fleet Suite", "name: Fleet Hall")
    made.clear()
    _build(repo, out)
    assert made == []
    _same_as_scratch(repo, out, tmp_path / "scratch-2", "store written again")


def test_a_store_whose_event_was_changed_with_a_matching_digest_is_used(
        repo: Path, tmp_path: Path, made: list[ics.Facts]) -> None:
    """The check above is what protects the output: a consistent file is trusted as it is."""
    out = tmp_path / "out"
    _build(repo, out)
    store = repo / ".trainkit-cache" / kept.FOLDER / kept.NAME
    store.write_bytes(_retold(store.read_bytes()))
    kept._LAST.clear()  # as a new build would find it: this process wrote the store itself
    # the site's title is in every feed's header, not in any event: every feed is
    # assembled again, of the events found in the store (a feed whose header and events'
    # keys are those of the last build is taken over from its output instead)
    _replace(repo, "trainkit.yaml", "  title: Test Academy", "  title: Test Academy Online")
    made.clear()
    _build(repo, out)
    assert made == []
    assert b"SUMMARY:Xire Warden" in (out / "site/calendars/academy.ics").read_bytes()


def test_the_store_keeps_every_variant_and_shares_equal_ones(tmp_path: Path) -> None:
    a = ics.Pieces(b"BEGIN\r\n", b"P\r\n", b"P\r\n", b"P\r\n", None, 2026, 2026)
    b = ics.Pieces(b"B2\r\n", b"P2\r\n", b"L2\r\n", b"L2\r\n", "Europe/London", 2026, 2027)
    c = ics.Pieces(b"B3\r\n", b"P3\r\n", b"P3\r\n", b"I3\r\n", "Asia/Kolkata", 1999, 2000)
    d = ics.Pieces(b"", b"", b"L4", b"I4", "", -1, 0)
    events = {bytes([n]) * 32: p for n, p in enumerate((a, b, c, d))}
    lists = {b"c" * 32: (bytes([0]) * 32, bytes([2]) * 32), b"d" * 32: ()}
    path = tmp_path / "store" / kept.NAME
    kept.save(path, b"salt", events, lists)
    back, listed = kept.load(path, b"salt")
    assert back == events
    assert listed == lists
    assert back[bytes([0]) * 32].learner is back[bytes([0]) * 32].public
    assert back[bytes([1]) * 32].instructor is back[bytes([1]) * 32].learner
    assert kept.load(path, b"pepper") == ({}, {})
    event = back[bytes([2]) * 32].event(b"DTSTAMP:X\r\n")
    assert event.public == b"B3\r\nDTSTAMP:X\r\nP3\r\n"
    assert event.learner is event.public
    assert event.instructor == b"B3\r\nDTSTAMP:X\r\nI3\r\n"


def test_the_pieces_around_dtstamp_are_the_event(tmp_path: Path) -> None:
    """An event made from kept pieces is the one serialised whole."""
    academy = check_dir(make_academy(tmp_path / "academy")).academy
    assert academy is not None
    stamp = datetime(2026, 3, 1, 12, tzinfo=UTC)
    lines = ics.Lines()
    for session in academy.sessions():
        for private in (False, True):
            change = Change(3, datetime(2026, 2, 1, tzinfo=UTC))
            whole = ics.event_bytes(academy, session, change, stamp, private)
            facts = ics.event_facts(academy, session, change, private)
            assert ics.pieces(facts, lines).event(ics.stamp_line(stamp, lines)) == whole
            assert whole.public.count(b"\r\nDTSTAMP:20260301T120000Z\r\n") == 1


# The folding rule: lines up to 74 octets, cut every 74, never after a backslash or caret.
EDGE_LINES = [
    "", "a", "a" * 73, "a" * 74, "a" * 75, "a" * 148, "a" * 149, "a" * 300,
    "a" * 73 + "\\n" + "b" * 80, "a" * 72 + "\\n" + "b" * 80, "a" * 74 + "\\,b",
    "a" * 73 + "^" + "b" * 200, "\\" * 200, "^" * 150 + "\\" * 150, "a" * 146 + "\\\\" + "b" * 5,
    "DESCRIPTION:Zoë " + "x" * 100, "SUMMARY:" + "🔥" * 40, "a" * 73 + "é" + "b" * 80,
]


@pytest.mark.parametrize("line", EDGE_LINES)
def test_fold_is_the_library_fold(line: str) -> None:
    assert fold(line) == Contentline(line).to_ical() == _foldline(line).encode("utf-8")


def test_fold_is_the_library_fold_on_many_lines() -> None:
    rng = random.Random(7)
    for alphabet in ("ab\\^", "ab\\^,;:\"", "abc \\n", "ab\\^é€"):
        for _ in range(3000):
            line = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 320)))
            assert fold(line) == _foldline(line).encode("utf-8"), line


def test_a_newline_is_refused_as_by_the_library() -> None:
    with pytest.raises(AssertionError):
        fold("a\nb")


def test_the_store_this_process_wrote_is_not_read_again_unless_replaced(
        tmp_path: Path) -> None:
    """A long-lived process (the live preview) takes back what it wrote without decoding
    it; a file replaced since (another build writes a new file and renames it into place)
    or cut short is read and checked as any other. (What the process wrote is right
    whatever the file holds now: every entry is determined by its key.)"""
    mine = {b"a" * 32: ics.Pieces(b"B\r\n", b"P\r\n", b"P\r\n", b"P\r\n", None, 2026, 2026)}
    other = {b"b" * 32: ics.Pieces(b"X\r\n", b"Y\r\n", b"Y\r\n", b"Y\r\n", None, 2027, 2027)}
    path = tmp_path / "store" / kept.NAME
    kept.save(path, b"salt", mine, {})
    assert kept.load(path, b"salt")[0] is mine  # not decoded again
    assert kept.load(path, b"pepper") == ({}, {})  # another salt is no hit
    elsewhere = tmp_path / "elsewhere" / kept.NAME
    kept.save(elsewhere, b"salt", other, {})
    os.replace(elsewhere, path)  # as another build's store
    assert kept.load(path, b"salt")[0] == other
    path.write_bytes(path.read_bytes()[:-1])  # cut short
    assert kept.load(path, b"salt") == ({}, {})
