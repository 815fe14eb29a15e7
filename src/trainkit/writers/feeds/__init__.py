"""Calendar feeds: public ones on the site, personal ones at unguessable paths.

Public feeds (no learner names, no private meeting links), at the paths
:mod:`trainkit.writers.feedlinks` defines:

* ``calendars/academy.ics``: every session;
* ``calendars/programs/<program>.ics``: every cohort of a program;
* ``calendars/cohorts/<cohort>.ics``: one cohort;
* ``calendars/venues/<venue>.ics``: every session held at a venue.

Personal feeds, only when the feed secret is set (see :mod:`trainkit.writers.feeds.personal`):

* one per instructor: every session they teach, with online links and the
  room's capacity and step-free access;
* one per learner: every session of the cohorts where their enrolment status
  is ``enrolled``. Waitlisted learners are left out on purpose: they have no
  seat yet, and their calendar should not fill with sessions (and meeting
  links) they may not attend. Every learner has a feed at a stable URL
  (empty while they hold no seat), so a waitlisted learner's calendar fills
  in with the first build after they are moved to ``enrolled``.

Learners with the same cohorts (or none) have byte-identical feeds: those are
hard links to one file where the file system allows, which keeps 100,000
personal feeds cheap. The list of personal feed URLs goes to
``reports/feeds/`` (private).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path

from trainkit.diagnostics import Diagnostic, error
from trainkit.history.sequence import Change, History, session_history
from trainkit.model import Academy, Cohort, Session
from trainkit.writers import places
from trainkit.writers.build import BuildContext, build_epoch
from trainkit.writers.feedlinks import (
    academy_feed_path,
    cohort_feed_path,
    cohort_page_path,
    feed_url,
    instructor_feed_name,
    learner_feed_name,
    program_feed_path,
    program_page_path,
    venue_feed_path,
    venue_page_path,
)
from trainkit.writers.feeds import assembly, departed, ics, kept, personal
from trainkit.writers.feeds.tokens import Tokens
from trainkit.writers.scope import CohortScope, kinds_key
from trainkit.writers.units import SameBytes, Units

# ext4 allows 65,000 links to a file; the output, a staged output and the spare
# tree may each hold a build's links to one feed, and a build may link more
TWINS_PER_FILE = 16_000


def write(ctx: BuildContext) -> None:
    academy = ctx.academy
    feeds = academy.settings.feeds
    if ctx.secret is None and feeds.require_secret:
        ctx.diagnostics.append(_missing_secret(ctx))
        return
    history = session_history(academy, ctx.root, ctx.epoch)
    if not history.available:
        _note_no_history(ctx)
    elif history.shallow:
        ctx.notes.append(
            "the git repository is a shallow clone: SEQUENCE counts only the commits present, "
            "so calendar apps may miss moved sessions; build from a full clone (in CI, fetch "
            "the whole history, e.g. fetch-depth: 0)"
        )
    sessions = academy.sessions()
    w = _FeedWriter(ctx.public, academy, _year(sessions), SameBytes(ctx, "site"))
    people: list[personal.PersonalFeed] = []
    if ctx.secret and ctx.personal:
        tokens = Tokens(ctx.cache, ctx.secret)
        people = personal.personal_feeds(academy, tokens)
        tokens.save()  # for the learner pages writer, and the next build
    removed = departed.ghosts(history, academy, ctx.epoch)
    w.moved = departed.aliases(history, academy)
    w.gone = departed.gone_cohorts(removed, academy, w.moved)
    seats = _seats(academy, w.gone)
    learned: dict[tuple[str, ...], tuple[bytes, str]] = {}
    _idle_learner_feeds(w, people, seats, learned)
    lines = ics.Lines()  # the memo is only needed while events are serialised
    private = bool(people)
    stamp = ics.stamp_line(ctx.epoch.astimezone(UTC), lines)
    store = kept.for_build(ctx.cache, ctx.personal)
    places_seen: dict[tuple[object, ...], str] = {}  # LOCATION texts, made once each
    events, digests = _events(ctx, history, private, store, stamp, lines, places_seen)
    for g in removed:
        keys: list[bytes] = []
        events[g.session.key] = store.event(
            ics.event_facts(academy, g.session, g.change, private, g.cohort, places_seen),
            stamp, lines, keys)
        if keys:
            digests[g.session.key] = keys[0]
    store.save()
    del lines, store
    sessions = sessions + [g.session for g in removed]  # removed ones last, kept as cancelled
    units = Units(ctx, "feeds")
    if len(digests) == len(events):  # every event's key is known: the feeds are keyed
        w.keyed = (units, digests, stamp)
    _public_feeds(w, academy, sessions, events)
    _moved_cohort_feeds(w, academy, w.moved)
    try:
        if ctx.secret is None:
            ctx.notes.append(
                f"personal calendar feeds were not written: set the {feeds.secret_env} "
                "environment variable to a long random secret (the same in every build, so "
                "links keep working)"
            )
            return
        if not ctx.personal:
            return  # left out on purpose (the live preview), not for want of the secret
        _personal_feeds(w, academy, sessions, events, people, seats, learned)
        # the list is made from the settings, the people's files and the secret alone
        key = kinds_key(ctx, "personal feed list", personal.LIST_KINDS)
        if not units.keep_scoped("reports", personal.LIST_PATH, key):
            personal.write_list(people, ctx.private)
    finally:
        units.hand_on()


def _events(ctx: BuildContext, history: History, private: bool, store: kept.Kept,
            stamp: bytes, lines: ics.Lines, places_seen: dict[tuple[object, ...], str]
            ) -> tuple[dict[str, ics.EventBytes], dict[str, bytes]]:
    """Every session's events by session key: a cohort's as the last build made them when
    its key is the same (:meth:`kept.Kept.cohort`), else from their facts; and with the
    build cache, each event's key (the digest of its facts) by session key."""
    academy = ctx.academy
    scope = CohortScope(ctx, "feeds", timeless=True)
    events: dict[str, ics.EventBytes] = {}
    digests: dict[str, bytes] = {}
    for cohort in academy.cohorts.values():
        changes = [history.of(s.key) for s in cohort.sessions]
        key = _events_key(scope, cohort, private, changes)
        keys: list[bytes] = []
        found = None if key is None else store.cohort(key, stamp, keys)
        if found is None:
            found = [store.event(ics.event_facts(academy, s, change, private,
                                                 places=places_seen), stamp, lines, keys)
                     for s, change in zip(cohort.sessions, changes, strict=True)]
            if key is not None:
                store.list_cohort(key, keys)
        names = [s.key for s in cohort.sessions]
        events.update(zip(names, found, strict=True))
        if keys:  # without the build cache events have no keys
            digests.update(zip(names, keys, strict=True))
    return events, digests


def _events_key(scope: CohortScope, cohort: Cohort, private: bool,
                changes: list[Change]) -> bytes | None:
    """The key of ``cohort``'s events: its file and the other files the feeds writer
    reads (not the build's moment: DTSTAMP is put in afterwards), whether they have
    personal variants, and each session's SEQUENCE and LAST-MODIFIED."""
    key = scope.key(cohort, f"events|{private}")
    if key is None:
        return None
    return hashlib.sha256(f"{key}|{changes!r}".encode()).digest()


def _seats(academy: Academy, gone: dict[str, Cohort]) -> dict[str, tuple[str, ...]]:
    """Learner id -> the cohorts where they are ``enrolled`` (not waitlisted).

    A deleted cohort file whose removed sessions are still kept counts with
    the enrolments it had, so its learners' calendars get the cancellations.
    """
    seats: dict[str, list[str]] = {}
    for cid, cohort in [*academy.cohorts.items(), *gone.items()]:
        for e in cohort.active_enrollments():
            seats.setdefault(e.learner, []).append(cid)
    return {learner: tuple(cohorts) for learner, cohorts in seats.items()}


class _FeedWriter:
    """Assembles feeds and writes them under the public folder.

    (Creating the files on a second thread was tried: the thread needs the
    GIL back after every system call, and the hand-overs made the whole
    writer slower on a busy 2-core machine than plain sequential writes.)
    """

    def __init__(self, public: Path, academy: Academy, year: int,
                 same: SameBytes | None = None) -> None:
        self.public = public
        self.same = same  # feeds with the bytes of the current output are taken over
        self.academy = academy
        self.year = year  # what an empty feed's VTIMEZONE covers
        self.title = academy.settings.site.title or academy.settings.name
        self.refresh = academy.settings.feeds.refresh
        self.zone = academy.settings.timezone
        self.folders: set[str] = set()
        self.lines = ics.Lines()  # header lines shared by many feeds
        self.gone: dict[str, Cohort] = {}  # deleted cohort files whose removals are kept
        self.cohort_events: dict[str, list[ics.EventBytes]] = {}  # each cohort feed's events
        self.moved: dict[str, str] = {}  # renamed cohort files: old id -> current id
        self.learner_head: bytes | None = None  # every learner feed's header
        self.links: dict[str, int] = {}  # twin -> learner feeds linked to it by this build
        # with every event's key known: the per-file keys, those keys, the DTSTAMP line
        self.keyed: tuple[Units, dict[str, bytes], bytes] | None = None

    def cohort_of(self, session: Session) -> str:
        """The feed a session belongs to (a removed one may carry a cohort's old id)."""
        return self.moved.get(session.cohort, session.cohort)

    def header(self, name: str, about: str, page: str = "") -> bytes:
        url = self.academy.settings.base_url + page
        return assembly.calendar_header(name, about, url, self.refresh, self.lines)

    def write(self, path: str, header: bytes, events: list[ics.EventBytes], variant: str) -> None:
        self.write_bytes(path, assembly.assemble(header, events, variant, self.zone, self.year))

    def public_feed(self, path: str, name: str, about: str, page: str,
                    sessions: list[Session], events: dict[str, ics.EventBytes]) -> None:
        """A public feed; taken over from the last build, without being assembled or read,
        when its key is the same: its header's values, the DTSTAMP line and the key of
        each of its events, which determine its bytes."""
        if self.keyed is not None:
            units, digests, stamp = self.keyed
            key = hashlib.sha256(b"\0".join([
                repr((name, about, self.academy.settings.base_url + page, self.refresh,
                      self.zone, self.year)).encode(), stamp,
                *(digests[s.key] for s in sessions)])).hexdigest()
            if units.keep_scoped("site", path, key):
                return
        self.write(path, self.header(name, about, page), _pick(events, sessions), "public")

    def write_bytes(self, path: str, data: bytes, twin: str | None = None) -> str:
        """Write ``data`` to ``path``, as a hard link to ``twin`` where possible.

        Most learners share their feed's bytes with others (same cohorts, or
        none yet): a hard link costs a directory entry instead of a new file.
        Where a link fails (no links on this file system, or the twin has
        reached the file system's link limit, 65,000 on ext4), the bytes are
        written. A file gets at most :data:`TWINS_PER_FILE` links from one
        build, so that the current output, the staged one and the spare tree
        (:mod:`trainkit.writers.spare`) can all hold links to it. Returns the
        file later twins should link to.
        """
        if self.same is not None:
            # a twin the last build linked to the same file is taken over unread
            taken = None if twin is None else self.same.keep_twin(path, twin)
            taken = taken or self.same.keep(path, data)
            if taken is not None:
                return taken
        folder, _, _ = path.rpartition("/")
        if folder not in self.folders:
            (self.public / folder).mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)
        target = f"{self.public}/{path}"
        if twin is not None and self.links.get(twin, 0) < TWINS_PER_FILE:
            try:
                os.link(twin, target)
            except OSError:
                pass  # written below; it becomes the twin of the next ones
            else:
                self.links[twin] = self.links.get(twin, 0) + 1
                return twin
        # os-level calls: this runs 100,000+ times and pathlib's overhead shows.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        return target


def _pick(events: dict[str, ics.EventBytes], sessions: Iterable[Session]) -> list[ics.EventBytes]:
    return [events[s.key] for s in sessions]


def _public_feeds(w: _FeedWriter, academy: Academy, sessions: list[Session],
                  events: dict[str, ics.EventBytes]) -> None:
    about = academy.settings.description or f"Every session of {academy.settings.name}."
    w.public_feed(academy_feed_path(), w.title, about, "", sessions, events)
    by_program: dict[str, list[Session]] = {p: [] for p in academy.programs}
    by_cohort: dict[str, list[Session]] = {c: [] for c in [*academy.cohorts, *w.gone]}
    by_venue: dict[str, list[Session]] = {v: [] for v in academy.venues}
    for s in sessions:
        by_program.setdefault(s.program, []).append(s)
        by_cohort[w.cohort_of(s)].append(s)
        if s.venue in by_venue:
            by_venue[s.venue].append(s)
    for pid, program in academy.programs.items():
        w.public_feed(program_feed_path(pid), f"{program.title} ({w.title})",
                      program.summary or program.title, program_page_path(pid),
                      by_program[pid], events)
    for cid, cohort in [*academy.cohorts.items(), *w.gone.items()]:
        name = _cohort_name(academy, cohort)
        w.public_feed(cohort_feed_path(cid), f"{name} ({w.title})",
                      f"Sessions of the cohort {name}.", cohort_page_path(cid), by_cohort[cid],
                      events)
    w.cohort_events = {cid: _pick(events, found) for cid, found in by_cohort.items()}
    for vid, venue in academy.venues.items():
        street = places.address_lines(venue.address, academy.settings.locale)[:-1]
        w.public_feed(venue_feed_path(vid), f"{venue.name} ({w.title})",
                      f"Sessions at {', '.join([venue.name, *street])}.", venue_page_path(vid),
                      by_venue[vid], events)


def _cohort_name(academy: Academy, cohort: Cohort) -> str:
    owner = academy.programs.get(cohort.program)
    return f"{owner.title}: {cohort.title}" if owner else cohort.title


def _moved_cohort_feeds(w: _FeedWriter, academy: Academy, moved: dict[str, str]) -> None:
    """The old address of each renamed cohort file: the cohort's events, and where it moved."""
    for old, new in moved.items():
        name = _cohort_name(academy, academy.cohorts[new])
        url = feed_url(academy.settings.base_url, cohort_feed_path(new))
        head = w.header(f"{name} ({w.title})", departed.moved_description(name, url),
                        cohort_page_path(new))
        w.write(cohort_feed_path(old), head, w.cohort_events[new], "public")


def _learner_header(w: _FeedWriter) -> bytes:
    """The same for every learner: made once."""
    if w.learner_head is None:
        w.learner_head = w.header(
            learner_feed_name(w.title),
            "The sessions of the cohorts you are enrolled in. This link is personal: do not "
            "share it.",
        )
    return w.learner_head


def _idle_learner_feeds(w: _FeedWriter, people: list[personal.PersonalFeed],
                        seats: dict[str, tuple[str, ...]],
                        learned: dict[tuple[str, ...], tuple[bytes, str]]) -> None:
    """The (empty, but subscribable) feeds of learners with no seat yet."""
    for p in people:
        if p.kind == personal.LEARNER and p.id not in seats:
            _learner_feed(w, p, (), [], learned)


def _learner_feed(w: _FeedWriter, p: personal.PersonalFeed, cohorts: tuple[str, ...],
                  chosen: list[ics.EventBytes],
                  learned: dict[tuple[str, ...], tuple[bytes, str]]) -> None:
    """Learners with the same cohorts get the same bytes: assemble each combination once."""
    if cohorts in learned:
        data, twin = learned[cohorts]
        learned[cohorts] = (data, w.write_bytes(p.path, data, twin))
    else:
        data = assembly.assemble(_learner_header(w), chosen, "learner", w.zone, w.year)
        learned[cohorts] = (data, w.write_bytes(p.path, data))


def _personal_feeds(w: _FeedWriter, academy: Academy, sessions: list[Session],
                    events: dict[str, ics.EventBytes], people: list[personal.PersonalFeed],
                    seats: dict[str, tuple[str, ...]],
                    learned: dict[tuple[str, ...], tuple[bytes, str]]) -> None:
    """Instructors' feeds, and those of learners with a seat."""
    by_cohort: dict[str, list[ics.EventBytes]] = {c: [] for c in [*academy.cohorts, *w.gone]}
    teaching: dict[str, list[ics.EventBytes]] = {}
    for s in sessions:
        by_cohort[w.cohort_of(s)].append(events[s.key])
        for person in s.instructors:
            teaching.setdefault(person, []).append(events[s.key])
    for p in people:
        if p.kind == personal.INSTRUCTOR:
            head = w.header(instructor_feed_name(w.title, p.name),
                            "Every session you teach, with online links and room details. "
                            "This link is personal: do not share it.")
            w.write(p.path, head, teaching.get(p.id, []), "instructor")
        elif p.id in seats:
            cohorts = seats[p.id]
            known = cohorts in learned
            chosen = [] if known else [e for cid in cohorts for e in by_cohort[cid]]
            _learner_feed(w, p, cohorts, chosen, learned)


def _year(sessions: list[Session]) -> int:
    """The year an empty feed's VTIMEZONE covers: that of the academy's first session."""
    return sessions[0].start.year if sessions else 1970


def _missing_secret(ctx: BuildContext) -> Diagnostic:
    settings = ctx.academy.settings
    line, col = _find_key(ctx.root / settings.loc.path, "require_secret")
    return error(
        settings.loc.path, line, col, "feed-secret",
        f"feeds.require_secret is true but the environment variable "
        f"{settings.feeds.secret_env} is not set: set it to a long random secret (keep it the "
        "same for every build so personal feed links keep working), or set require_secret: false",
    )


def _find_key(path: Path, key: str) -> tuple[int, int]:
    """Where ``key:`` is written, to point the message at it (1, 1 if not found)."""
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.lstrip().startswith(f"{key}:"):
                return number, len(text) - len(text.lstrip()) + 1
    except OSError:
        pass
    return 1, 1


def _note_no_history(ctx: BuildContext) -> None:
    """Say once that SEQUENCE is 0: the build already says so when it found no git."""
    if build_epoch(ctx.root)[2] is None:
        ctx.notes.append(
            "not in a git repository with commits: every calendar event has SEQUENCE 0 (1 if "
            "cancelled) and no LAST-MODIFIED, so calendar apps may keep old times of moved sessions"
        )

