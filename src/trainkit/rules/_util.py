"""Small helpers shared by rule modules."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, TypeVar

from trainkit.diagnostics import Diagnostic, error, warning
from trainkit.model import Academy, Loc, Session

T = TypeVar("T")


def err(where: Loc, code: str, message: str) -> Diagnostic:
    return error(where.path, where.line, where.col, code, message)


def warn(where: Loc, code: str, message: str) -> Diagnostic:
    return warning(where.path, where.line, where.col, code, message)


def when(s: Session) -> str:
    """``2026-03-04 10:00-12:00 Europe/London``: a session's local time, for messages."""
    return f"{s.start:%Y-%m-%d %H:%M}-{s.end:%H:%M} {s.timezone}"



_LIVE: list[tuple[Academy, list[Session]]] = []  # one entry: the academy last asked about


def live_sessions(academy: Academy) -> list[Session]:
    """Sessions that will take place: not cancelled, in a cohort that is not cancelled.

    Ordered by start instant, then key, so every rule reports in the same
    order. Several rules need this list, so it is kept for the last academy
    asked about (the academy is immutable); callers must not change it.
    """
    if _LIVE and _LIVE[0][0] is academy:
        return _LIVE[0][1]
    out = [
        s
        for c in academy.cohorts.values()
        if c.status != "cancelled"
        for s in c.sessions
        if not s.cancelled
    ]
    # Sorting by POSIX timestamp is far faster than comparing aware datetimes
    # of different zones, and orders instants the same way.
    out.sort(key=lambda s: (s.start_ts, s.key))
    _LIVE[:] = [(academy, out)]
    return out


def group_by(sessions: Iterable[Session],
             keys: Callable[[Session], Iterable[str]]) -> dict[str, list[Session]]:
    """Sessions under each key ``keys(session)`` yields, keeping their order."""
    out: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        for k in keys(s):
            out[k].append(s)
    return out


def sweep(sessions: list[Session]) -> list[tuple[Session, Session]]:
    """Pairs ``(earlier, later)`` of overlapping sessions, found by sorting.

    A heap of the intervals still open holds them by end, so each interval is
    compared only with the ones it really overlaps: O(n log n + pairs), not
    all-pairs, even for a resource with thousands of sessions. Aware datetimes
    are compared as instants (POSIX timestamps), so sessions in different
    zones and across daylight-saving changes are handled.
    """
    keyed = sorted(
        ((s.start_ts, s.end_ts, s.key, s) for s in sessions),
        key=lambda t: (t[0], t[1], t[2]),
    )
    found: list[tuple[Session, Session]] = []
    open_: list[tuple[float, int, Session]] = []  # (end, order, session)
    for order, (start, end, _key, s) in enumerate(keyed):
        while open_ and open_[0][0] <= start:
            heapq.heappop(open_)
        if end > start:
            found.extend((a[2], s) for a in sorted(open_, key=lambda a: a[1]))
            heapq.heappush(open_, (end, order, s))
    return found


def hours(delta: timedelta) -> str:
    """``7h``, ``1h30m``, ``45m``: a length of time for messages."""
    minutes = int(delta.total_seconds() // 60)
    h, m = divmod(minutes, 60)
    return (f"{h}h" if h else "") + (f"{m:02d}m" if m and h else f"{m}m" if m or not h else "")


class Recalled:
    """What a rule worked out from a few model objects, kept from its last run while
    those very objects come again.

    The model is immutable, and ``trainkit serve`` resolves again only the files
    that changed: every other cohort, session and person is the very object of the
    last check. A rule that works per instructor, room or cohort asks
    :meth:`round`'s ``recall(key, inputs, make, *args)`` for each group:
    ``make(*args)`` runs unless the last run had ``key`` with the same objects
    (``is``, in order) as ``inputs``, which its result must be made from alone.
    Only the last run's results are kept (they hold their inputs, so no object's
    id is reused while it is compared). A check of another academy finds other
    objects and makes all.
    """

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[tuple[object, ...], Any]] = {}

    @contextmanager
    def round(self) -> Iterator[Callable[..., Any]]:
        last, now = self._last, {}

        def recall(key: Hashable, inputs: tuple[object, ...], make: Callable[..., T],
                   *args: Any) -> T:
            found = last.get(key)
            if found is not None and len(found[0]) == len(inputs) and all(
                    a is b for a, b in zip(found[0], inputs, strict=True)):
                value: T = found[1]
            else:
                value = make(*args)
            now[key] = (inputs, value)
            return value

        try:
            yield recall
        finally:
            self._last = now
