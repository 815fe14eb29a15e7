"""learner-double-booked: a learner enrolled in cohorts that meet at the same time.

A learner with ``status: enrolled`` in two cohorts cannot attend both when a
scheduled session of one overlaps a session of the other (compared as
instants, across time zones). This is a warning: the learner may have chosen
to miss a session. It is reported at the enrollment in the cohort that starts
later, naming the first clashing pair of sessions. Withdraw the learner from
one cohort, or move a session.

A learner listed twice in the same cohort is not double-booked against
itself: ``duplicate-id`` reports that entry, once.

Cohorts are compared once per pair, however many learners they share, so the
check stays fast for large academies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort, Enrollment, Session
from trainkit.rules._util import Recalled, warn, when

CODES = {"learner-double-booked": "warning"}

Clash = tuple[Session, Session] | None


_LIVE = Recalled()  # per cohort: its sessions that take place, by start
_PAIRS = Recalled()  # per pair of cohorts: their first clash


def check(academy: Academy) -> Iterator[Diagnostic]:
    with _LIVE.round() as live, _PAIRS.round() as pair:
        yield from _check(academy, live, pair)


def _check(academy: Academy, live: Callable[..., list[Session]],
           pair: Callable[..., Clash]) -> Iterator[Diagnostic]:
    sessions = _live_by_cohort(academy, live)
    span = {
        cid: (items[0].start_ts, max(s.end_ts for s in items))
        for cid, items in sessions.items()
    }
    enrolled: dict[str, list[tuple[float, str, Enrollment]]] = {}
    for cid in sessions:
        seen: set[str] = set()
        for e in academy.cohorts[cid].enrollments:
            # A repeated entry is duplicate-id's to report; it is no second booking.
            if e.status == "enrolled" and e.learner not in seen:
                seen.add(e.learner)
                enrolled.setdefault(e.learner, []).append((span[cid][0], cid, e))
    memo: dict[tuple[str, str], Clash] = {}
    for learner in sorted(enrolled):
        mine = enrolled[learner]
        if len(mine) < 2:
            continue
        mine.sort(key=lambda t: (t[0], t[1]))
        for i, (_, a, _first) in enumerate(mine):
            for start_b, b, e in mine[i + 1:]:
                if start_b >= span[a][1]:
                    break  # this cohort, and every later one, starts after cohort a ends
                if (a, b) not in memo:
                    memo[(a, b)] = pair((a, b), (academy.cohorts[a], academy.cohorts[b]),
                                        _first_clash, sessions[a], sessions[b])
                clash = memo[(a, b)]
                if clash is not None:
                    yield _report(learner, a, b, e, clash)


def _report(learner: str, a: str, b: str, e: Enrollment,
            clash: tuple[Session, Session]) -> Diagnostic:
    x, y = clash
    return warn(e.loc, "learner-double-booked",
                f"learner {learner!r} is enrolled in cohorts {a!r} and {b!r}, which meet at the "
                f"same time: {y.key} {when(y)} overlaps {x.key} ({when(x)}); withdraw the "
                "learner from one cohort or move a session")


def _live_by_cohort(academy: Academy, live: Callable[..., list[Session]]
                    ) -> dict[str, list[Session]]:
    out: dict[str, list[Session]] = {}
    for c in academy.cohorts.values():
        if c.status == "cancelled":
            continue
        found = live(c.id, (c,), _live, c)
        if found:
            out[c.id] = found
    return out


def _live(cohort: Cohort) -> list[Session]:
    found = [s for s in cohort.sessions if not s.cancelled and s.end_ts > s.start_ts]
    found.sort(key=lambda s: (s.start_ts, s.end_ts))
    return found


def _first_clash(a: list[Session], b: list[Session]) -> Clash:
    """The first overlapping pair of two start-sorted lists, in O(len(a) + len(b))."""
    ta = [(s.start_ts, s.end_ts) for s in a]
    tb = [(s.start_ts, s.end_ts) for s in b]
    i = j = 0
    while i < len(a) and j < len(b):
        (x_start, x_end), (y_start, y_end) = ta[i], tb[j]
        if x_start < y_end and y_start < x_end:
            return a[i], b[j]
        # The one that ends first cannot overlap anything later in the other list.
        if x_end <= y_end:
            i += 1
        else:
            j += 1
    return None
