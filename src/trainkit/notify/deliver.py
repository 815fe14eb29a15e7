"""Turn notices into messages and hand them to a backend, minding the ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trainkit.model import Academy
from trainkit.notify.backends import Backend, SendError
from trainkit.notify.compose import compose, sender
from trainkit.notify.itip import Itip
from trainkit.notify.ledger import Entry, Ledger
from trainkit.notify.notice import Notice
from trainkit.notify.templates import Templates
from trainkit.writers.feeds.ics import session_uid

SAVE_EVERY = 50  # ledger rewrites while sending: a crash resends at most this many


@dataclass
class Outcome:
    handed: list[Notice] = field(default_factory=list)  # written or accepted
    already: int = 0  # in the ledger already
    failed: list[tuple[Notice, str]] = field(default_factory=list)
    pending: int = 0  # not tried: the server went away
    stopped: str | None = None  # why the run stopped early


def deliver(academy: Academy, root: Path, notices: Iterable[Notice], backend: Backend,
            ledger: Ledger, moment: datetime, *, record: bool,
            clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Outcome:
    """Send every notice the ledger has not seen; ``record`` adds what was sent to it.

    A dry run (the outbox) passes ``record=False``: it shows what ``--send``
    would send and leaves the ledger alone.
    """
    out = Outcome()
    todo = []
    for n in notices:
        uid = session_uid(academy.settings.id, n.session.key) if n.session and n.method else ""
        if ledger.sent(n.reason, uid, n.recipient.email):
            out.already += 1
        else:
            todo.append(n)
    templates = Templates(academy, root)
    itip = Itip(academy, sender(academy.settings), moment)
    try:
        backend.open()
    except SendError as exc:
        out.stopped, out.pending = str(exc), len(todo)
        return out
    try:
        for i, notice in enumerate(todo):
            try:
                entry = _send(academy, notice, templates, itip, backend, ledger, moment, clock)
            except SendError as exc:
                out.failed.append((notice, str(exc)))
                if exc.fatal:
                    out.stopped, out.pending = str(exc), len(todo) - i - 1
                    break
                continue
            out.handed.append(notice)
            if record:
                ledger.add(entry)
                if len(out.handed) % SAVE_EVERY == 0:
                    ledger.save()
    finally:
        if record:
            ledger.save()
        backend.close()
    return out


def _send(academy: Academy, notice: Notice, templates: Templates, itip: Itip, backend: Backend,
          ledger: Ledger, moment: datetime, clock: Callable[[], datetime]) -> Entry:
    session, method = notice.session, notice.method
    uid, sequence, calendar = "", 0, None
    if session is not None and method is not None:
        uid = session_uid(academy.settings.id, session.key)
        sequence = ledger.sequence(uid, notice.recipient.email, notice.feed_sequence, method)
        calendar = itip.calendar(session, method, sequence, notice.recipient,
                                 notice.extra.get("cohort"))
    message = compose(academy.settings, notice, templates.render(notice, sequence), calendar,
                      moment, sequence)
    backend.send(message)
    return Entry(clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 str(message["Message-ID"]), notice.kind, notice.recipient.id,
                 notice.recipient.email, uid, str(sequence) if uid else "", notice.reason)
