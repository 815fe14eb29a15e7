"""What was sent: one CSV row per message, so no run sends a message twice.

The ledger lives in the academy (``records/notifications.csv`` unless
``notifications.ledger`` says otherwise) and is committed like any record:
a CI job that sends commits it back, so the next job knows. Columns:

``sent_at`` (UTC, when the server accepted it), ``message_id``, ``kind``,
``recipient`` (learner or instructor id), ``email``, ``uid`` and
``sequence`` (of the calendar part, empty without one) and ``reason``, the
notice's identity (:class:`~trainkit.notify.notice.Notice`).

A row is added only after the server accepted the message; the file is
rewritten atomically (``edit.atomic``) every few messages and when the run
ends, failed or not. A run that stops half-way has every accepted message
recorded, and the next run sends the rest; a message refused is retried.
The only gap is a crash between the server's acceptance and the next
rewrite, which can send those few messages again (at most once more).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from trainkit.edit.atomic import write_text

RUN = "run"  # a row that marks a run that sent everything (reason: "through <commit>")
COLUMNS = ("sent_at", "message_id", "kind", "recipient", "email", "uid", "sequence", "reason")


@dataclass(frozen=True, slots=True)
class Entry:
    sent_at: str
    message_id: str
    kind: str
    recipient: str
    email: str
    uid: str
    sequence: str
    reason: str


class LedgerError(Exception):
    """The ledger file cannot be read (says where and what to do)."""


class Ledger:
    def __init__(self, path: Path | None) -> None:
        """The ledger in ``path`` (``None``: an empty one that is never saved)."""
        self.path = Path(path) if path is not None else None
        self.entries: list[Entry] = []
        self.reasons: set[str] = set()
        self.sequences: dict[tuple[str, str], int] = {}  # (uid, email) -> highest sent
        self.last: dict[tuple[str, str], str] = {}  # (uid, email) -> reason of the last one
        self.holders: dict[str, set[str]] = {}  # uid -> e-mails whose last message was a request
        self.runs: list[str] = []  # commits that complete runs went through, oldest first
        self.dirty = False
        if self.path is not None and self.path.is_file():
            self._read()

    def _read(self) -> None:
        assert self.path is not None
        text = self.path.read_text(encoding="utf-8")
        rows = csv.reader(io.StringIO(text))
        header = next(rows, None)
        if header is not None and tuple(header) != COLUMNS:
            raise LedgerError(f"{self.path}:1:1: the header must be {','.join(COLUMNS)}; "
                              "restore the file from git history")
        for line, row in enumerate(rows, start=2):
            if len(row) != len(COLUMNS):
                raise LedgerError(f"{self.path}:{line}:1: expected {len(COLUMNS)} columns, "
                                  f"found {len(row)}; restore the line from git history")
            self._remember(Entry(*row))

    def _remember(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.reasons.add(entry.reason)
        if entry.uid and entry.sequence.isdigit():
            key = (entry.uid, entry.email.lower())
            self.sequences[key] = max(self.sequences.get(key, -1), int(entry.sequence))
            self.last[key] = entry.reason
            held = self.holders.setdefault(entry.uid, set())
            if entry.reason.startswith("request "):
                held.add(key[1])
            else:
                held.discard(key[1])
        if entry.kind == RUN:
            self.runs.append(entry.reason.removeprefix("through "))

    def holds(self, uid: str, email: str) -> bool | None:
        """Whether the last message ``email`` got about ``uid`` was a request (None: none)."""
        last = self.last.get((uid, email.lower()))
        return None if last is None else last.startswith("request ")

    def through(self, commit: str, when: str) -> None:
        """Record that a run sent everything a change up to ``commit`` asked for."""
        self.add(Entry(when, "", RUN, "", "", "", "", f"through {commit}"))

    def sent(self, reason: str, uid: str = "", email: str = "") -> bool:
        """Whether this notice went out already.

        For a message about a calendar event (``uid``) that means: the last
        message this person got about the event was this one (same method,
        same state). So a rerun sends nothing, while a learner withdrawn and
        enrolled again gets the invitation again.
        """
        if uid:
            return self.last.get((uid, email.lower())) == reason
        return reason in self.reasons

    def sequence(self, uid: str, email: str, feed: int, method: str) -> int:
        """The SEQUENCE for a new message about ``uid`` to ``email``: it only grows.

        At least the feed's SEQUENCE; above anything this person was sent
        for the event before; never 0 for a CANCEL (RFC 5546 wants a
        cancellation to supersede the request).
        """
        last = self.sequences.get((uid, email.lower()))
        floor = 1 if method == "CANCEL" else 0
        return max(feed, floor, -1 if last is None else last + 1)

    def add(self, entry: Entry) -> None:
        self._remember(entry)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows((e.sent_at, e.message_id, e.kind, e.recipient, e.email, e.uid,
                          e.sequence, e.reason) for e in self.entries)
        write_text(self.path, out.getvalue(), force=True)
        self.dirty = False
