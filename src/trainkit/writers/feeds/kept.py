"""Serialised events kept in the build cache, so an edit re-serialises only what it changed.

Serialising 20,000 sessions with ``icalendar`` is most of what the feeds
writer costs, and moving one session changes one event. Each event's bytes
but its DTSTAMP line are a function of its
:class:`~trainkit.writers.feeds.ics.Facts` alone (summary, times with their
zone, UID, SEQUENCE, LAST-MODIFIED, description, locations, link …, all as
plain values, computed for every session in every build) and of the code
that serialises them (:func:`~trainkit.writers.feeds.ics.pieces`). So:

* an event's key is a SHA-256 of the ``repr`` of its facts, which spells
  out every one of them; the whole store is salted with trainkit's own
  digest and its packages' versions (:func:`trainkit.load.usercache.toolchain`),
  so a new trainkit or ``icalendar`` serialises everything again;
* what is kept is the bytes before and after the DTSTAMP line, and the
  build's DTSTAMP line is put in between: a build of a new commit (a new
  build time) still finds every unchanged event;
* the events of one build are kept together in ONE file, read once at the
  start of the next build and replaced (written whole, then renamed into
  place) when it holds anything other than the new build's events, so it
  never grows beyond one build's events;
* each cohort's events are also listed under a key of the cohort
  (:class:`trainkit.writers.scope.CohortScope`: its file, every file but
  the cohorts that the feeds writer reads, trainkit itself) and of its
  sessions' SEQUENCE and LAST-MODIFIED: a cohort whose key the last build
  listed takes its events without working out their facts, which at 2,000
  cohorts was most of the writer's cost after a one-cohort edit;
* the file carries its format, the salt and the seal of its contents with
  this user's key (:func:`trainkit.load.usercache.seal`): a file cut short,
  edited by hand, of another format or salt, or written anywhere else (one a
  pull request adds to the academy) is ignored whole, and every event is
  serialised.

A process that builds again and again (``trainkit serve``) takes back the
file it last read or wrote without decoding and checking it again, while
the file is the same one (device, inode, size, modification time): what it
wrote is right whatever the file holds, since every entry is determined by
its key.

Without a build cache (``--no-cache``, tests) every event is serialised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from pathlib import Path

from trainkit.load import usercache
from trainkit.writers.feeds.ics import EventBytes, Facts, Lines, Pieces, pieces

FOLDER = "feeds"
NAME = "events.bin"  # the events of builds with the personal feeds (trainkit build)
PUBLIC_NAME = "events-public.bin"  # of builds without them (trainkit serve, by default)
MAGIC = b"trainkit feed events 2"
# key; lengths of before, public, learner, instructor and tzid; first and last year
_RECORD = struct.Struct("<32sIIIIIii")
_COHORT = struct.Struct("<32sI")  # a cohort's key and how many event keys follow
_LENGTH = struct.Struct("<Q")  # the events' bytes, before the cohorts'
Listed = dict[bytes, tuple[bytes, ...]]  # cohort key -> its events' keys, in session order
_SAME = 0xFFFFFFFF  # learner as public, instructor as learner, or no TZID


def store_path(cache: Path | None, personal: bool = True) -> Path | None:
    """Where a build with the build cache ``cache`` keeps its serialised events.

    Builds with the personal feeds and builds without them (the live preview) keep
    theirs apart: the events of one have personal variants the other does not make,
    and each build keeps only its own, so a ``trainkit build`` between two saves of a
    preview would have the next save work every public event out again (about 2 CPU s
    at the benchmark scale), and the next build every event."""
    if cache is None:
        return None
    return cache / FOLDER / (NAME if personal else PUBLIC_NAME)


class Kept:
    """The events of the last build, and those of this one as they are made."""

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path = path
        self.salt = salt.encode("utf-8")
        self.old, self.listed = load(path, self.salt) if path is not None else ({}, {})
        self.new: dict[bytes, Pieces] = {}
        self.lists: Listed = {}  # this build's cohorts
        self.made = 0  # events serialised in this build (not found in the file)

    def event(self, facts: Facts, stamp: bytes, lines: Lines,
              keys: list[bytes] | None = None) -> EventBytes:
        """The event ``facts`` describe, with ``stamp`` (its DTSTAMP line): as kept, or made
        now; its key is added to ``keys``."""
        if self.path is None:
            return pieces(facts, lines).event(stamp)
        key = hashlib.sha256(repr(facts).encode("utf-8")).digest()
        found = self.new.get(key) or self.old.get(key)
        if found is None:
            found = pieces(facts, lines)
            self.made += 1
        self.new[key] = found
        if keys is not None:
            keys.append(key)
        return found.event(stamp)

    def cohort(self, key: bytes, stamp: bytes,
               keys: list[bytes]) -> list[EventBytes] | None:
        """The events of the cohort ``key`` names, in session order, when the last build
        listed it (and kept each of its events), their keys added to ``keys``; None: make
        them."""
        if self.path is None:
            return None
        listed = self.lists.get(key) or self.listed.get(key)
        if listed is None:
            return None
        found = [self.new.get(k) or self.old.get(k) for k in listed]
        if None in found:
            return None
        for k, event in zip(listed, found, strict=True):
            self.new[k] = event  # type: ignore[assignment]
        self.lists[key] = listed
        keys.extend(listed)
        return [event.event(stamp) for event in found]  # type: ignore[union-attr]

    def list_cohort(self, key: bytes, keys: list[bytes]) -> None:
        """Keep the keys of the cohort ``key`` names' events, in session order."""
        if self.path is not None:
            self.lists[key] = tuple(keys)

    def save(self) -> None:
        """Keep this build's events (when they are not exactly those kept already)."""
        if self.path is None or (not self.made and self.new.keys() == self.old.keys()
                                 and self.lists == self.listed):
            return
        save(self.path, self.salt, self.new, self.lists)


# The file this process last read whole or wrote, by path: its identity (device, inode,
# size, modification time), salt and contents. A long-lived process (trainkit serve) builds
# again and again; the file it wrote is read back from here, not decoded and checked again.
_LAST: dict[str, tuple[tuple[int, ...], bytes, tuple[dict[bytes, Pieces], Listed]]] = {}


def _identity(st: os.stat_result) -> tuple[int, ...]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def load(path: Path, salt: bytes) -> tuple[dict[bytes, Pieces], Listed]:
    """The events and cohort lists kept in ``path``; nothing when it is missing, damaged or
    of another salt. Callers must not change what they are given."""
    try:
        with path.open("rb") as fh:
            ident = _identity(os.fstat(fh.fileno()))
            last = _LAST.get(str(path))
            if last is not None and last[0] == ident and last[1] == salt:
                return last[2]
            data = fh.read()
    except OSError:
        return {}, {}
    found = _load(data, salt)
    if found[0]:
        _LAST.clear()
        _LAST[str(path)] = (ident, salt, found)
    return found


def for_build(cache: Path | None, personal: bool) -> Kept:
    """The event store of a build with the build cache ``cache``, its last events read.

    A live preview opens it while it waits for its first save, and drops it: its first
    build ran the feeds in a forked process, and the save would read and check the file
    (about 0.07 CPU s at the benchmark scale); the save's store then takes the events
    from this process while the file stays the same one (:func:`load`)."""
    return Kept(store_path(cache, personal), usercache.toolchain())


def _load(data: bytes, salt: bytes) -> tuple[dict[bytes, Pieces], Listed]:
    # Offsets rather than partitions: the body is tens of megabytes, not to be copied.
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    third = data.find(b"\n", second + 1)
    if min(first, second, third) < 0 or data[:first] != MAGIC or \
            data[first + 1:second] != salt:
        return {}, {}
    body = memoryview(data)[third + 1:]
    if not usercache.sealed(body, data[second + 1:third]):
        return {}, {}
    try:
        (length,) = _LENGTH.unpack_from(data, third + 1)
        start = third + 1 + _LENGTH.size
        if start + length > len(data):
            raise ValueError("the events run past the end")
        return _decode(data, start, start + length), _decode_lists(data, start + length)
    except (struct.error, UnicodeDecodeError, ValueError):
        return {}, {}


def _decode(data: bytes, at: int, end: int) -> dict[bytes, Pieces]:
    out: dict[bytes, Pieces] = {}
    size, unpack = _RECORD.size, _RECORD.unpack_from
    while at < end:
        key, *lengths, first, last = unpack(data, at)
        at += size
        parts: list[bytes | None] = []
        for n in lengths:
            if n == _SAME:
                parts.append(None)
                continue
            if at + n > end:
                raise ValueError("a record runs past the end")
            parts.append(data[at:at + n])
            at += n
        before, public, learner, instructor, tzid = parts
        if before is None or public is None:
            raise ValueError("a record without its public event")
        learner = public if learner is None else learner
        instructor = learner if instructor is None else instructor
        out[key] = Pieces(before, public, learner, instructor,
                          None if tzid is None else tzid.decode("utf-8"), first, last)
    return out


def _decode_lists(data: bytes, at: int) -> Listed:
    out: Listed = {}
    end = len(data)
    while at < end:
        key, count = _COHORT.unpack_from(data, at)
        at += _COHORT.size
        if at + 32 * count > end:
            raise ValueError("a cohort's list runs past the end")
        out[key] = tuple(data[k:k + 32] for k in range(at, at + 32 * count, 32))
        at += 32 * count
    return out


def _encode(events: dict[bytes, Pieces], lists: Listed) -> bytes:
    out: list[bytes] = []
    for key, e in events.items():
        parts = [e.before, e.public, None if e.learner == e.public else e.learner,
                 None if e.instructor == e.learner else e.instructor,
                 None if e.tzid is None else e.tzid.encode("utf-8")]
        out.append(_RECORD.pack(key, *(_SAME if b is None else len(b) for b in parts),
                                e.first_year, e.last_year))
        out.extend(b for b in parts if b is not None)
    made = b"".join(out)
    out = [_LENGTH.pack(len(made)), made]
    for key, keys in lists.items():
        out += [_COHORT.pack(key, len(keys)), *keys]
    return b"".join(out)


def save(path: Path, salt: bytes, events: dict[bytes, Pieces], lists: Listed) -> None:
    """Write the file whole or not at all; a cache that cannot be written is no error."""
    body = _encode(events, lists)
    head = b"\n".join([MAGIC, salt, usercache.seal(body).encode("ascii"), b""])
    _LAST.clear()
    with contextlib.suppress(OSError):
        usercache.write_whole(path, head + body)
        _LAST[str(path)] = (_identity(path.stat()), salt, (events, lists))
