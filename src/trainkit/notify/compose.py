"""One notice as one RFC 5322 message, built with Python's ``email`` package.

The layout is what calendar clients look for in an invitation::

    multipart/mixed
      multipart/alternative
        text/plain                                  the message
        text/html                                   the same, formatted
        text/calendar; method=REQUEST (or CANCEL)   iTIP (RFC 6047)
      application/ics; name=invite.ics              the same calendar, as a file

Messages without a calendar part are ``multipart/alternative`` of text and
HTML. Everything is deterministic: Message-ID is a digest of the academy
and the notice's reason, Date is the run's moment (the commit time, or
``--as-of``), and MIME boundaries are digests of the message id.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from email.utils import format_datetime

from trainkit.model import Settings
from trainkit.notify.notice import Notice
from trainkit.notify.templates import Rendered


def sender(settings: Settings) -> tuple[str, str]:
    """(display name, address) of the academy's sender; the calendar ORGANIZER."""
    n = settings.notifications
    return (n.from_name or settings.name,
            n.from_email or settings.contact_email or f"noreply@{settings.id}.invalid")


def message_id(settings: Settings, reason: str, sequence: int = 0) -> str:
    seed = f"{settings.id}\x1f{reason}\x1f{sequence}"
    digest = hashlib.sha256(seed.encode()).hexdigest()[:32]
    domain = sender(settings)[1].rpartition("@")[2] or "trainkit.invalid"
    return f"<{digest}@{domain}>"


def compose(settings: Settings, notice: Notice, rendered: Rendered, calendar: bytes | None,
            moment: datetime, sequence: int = 0) -> EmailMessage:
    name, address = sender(settings)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = Address(name, addr_spec=address)
    msg["To"] = Address(notice.recipient.name, addr_spec=notice.recipient.email)
    reply = settings.notifications.reply_to or settings.contact_email
    if reply:
        msg["Reply-To"] = Address(name, addr_spec=reply)
    msg["Subject"] = rendered.subject
    msg["Date"] = format_datetime(moment.astimezone(UTC))
    msg["Message-ID"] = mid = message_id(settings, notice.reason, sequence)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    msg["X-Trainkit-Kind"] = notice.kind
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    if calendar is not None and notice.method:
        text = calendar.decode()
        msg.add_alternative(text, subtype="calendar", params={"method": notice.method})
        msg.add_attachment(calendar, maintype="application", subtype="ics",
                           filename="invite.ics")
    for part in msg.iter_parts():
        _drop_inner_mime_version(part)
    _boundaries(msg, mid)
    return msg


def _drop_inner_mime_version(part: MIMEPart) -> None:
    """MIME-Version belongs in the top header only (RFC 2045 §4); ``email`` repeats it."""
    del part["MIME-Version"]
    if part.is_multipart():
        for sub in part.iter_parts():
            _drop_inner_mime_version(sub)


def _boundaries(msg: EmailMessage, seed: str) -> None:
    """Fixed MIME boundaries, one per multipart, so the bytes never change."""
    digest = hashlib.sha256(seed.encode()).hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_tk_{digest}_{i}")
