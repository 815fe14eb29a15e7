"""Where messages go: an outbox folder, an SMTP server, or a list (tests).

Like Django's e-mail backends, each has ``open()``, ``send(message)`` and
``close()``; the message is built once and never depends on the backend.
``send`` raises :class:`SendError`: ``fatal`` when the server is gone (the
run stops, the rest waits for the next run), not fatal when only this
message was refused (the run goes on).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import smtplib
import ssl
import tempfile
from email.message import Message
from pathlib import Path
from typing import Protocol

from trainkit.model import SmtpSettings
from trainkit.notify.compose import as_bytes


class SendError(Exception):
    def __init__(self, message: str, *, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


class Backend(Protocol):
    def open(self) -> None: ...

    def send(self, message: Message) -> None: ...

    def close(self) -> None: ...


class MemoryBackend:
    """Keeps the messages in ``self.messages`` (for tests)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def open(self) -> None:
        pass

    def send(self, message: Message) -> None:
        self.messages.append(message)

    def close(self) -> None:
        pass


INDEX_COLUMNS = ("file", "message_id", "kind", "to", "subject")


class OutboxBackend:
    """Writes ``NNNN-<digest>.eml`` files and ``index.csv`` into a folder.

    The folder is filled in a staging folder next to it and swapped in at
    ``close()``: the outbox shows one whole run, never a mix of two.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.rows: list[tuple[str, ...]] = []
        self.staging: Path | None = None

    def open(self) -> None:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.",
                                             dir=self.folder.parent))

    def send(self, message: Message) -> None:
        assert self.staging is not None, "open() first"
        mid = str(message["Message-ID"])
        name = f"{len(self.rows) + 1:04d}-{hashlib.sha256(mid.encode()).hexdigest()[:12]}.eml"
        (self.staging / name).write_bytes(as_bytes(message))
        self.rows.append((name, mid, str(message["X-Trainkit-Kind"]), str(message["To"]),
                          str(message["Subject"])))

    def close(self) -> None:
        if self.staging is None:
            return
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(INDEX_COLUMNS)
        writer.writerows(self.rows)
        (self.staging / "index.csv").write_text(out.getvalue(), encoding="utf-8")
        old = self.folder.with_name(f".{self.folder.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(self.staging, self.folder)
        shutil.rmtree(old, ignore_errors=True)
        self.staging = None


class SmtpBackend:
    """Delivers over SMTP: STARTTLS (the default), TLS from the start, or plain.

    Certificates are verified with the system's trust store (``SSL_CERT_FILE``
    adds one); the user name and password are given, read by the caller from
    the environment variables ``trainkit.yaml`` names.
    """

    def __init__(self, settings: SmtpSettings, username: str | None = None,
                 password: str | None = None, context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.username, self.password = username, password
        self.context = context or ssl.create_default_context()
        self.client: smtplib.SMTP | None = None

    @property
    def port(self) -> int:
        s = self.settings
        return s.port or {"tls": 465, "starttls": 587}.get(s.security, 25)

    def open(self) -> None:
        s = self.settings
        try:
            if s.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, self.port, timeout=s.timeout,
                                                        context=self.context)
            else:
                client = smtplib.SMTP(s.host, self.port, timeout=s.timeout)
                if s.security == "starttls":
                    self._starttls(client)
            if self.username:
                client.login(self.username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"the SMTP server refused the login: {_reply(exc)}",
                            fatal=True) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise SendError(f"{s.host}:{self.port} does not offer a login (AUTH) on this "
                            "connection", fatal=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot reach the SMTP server {s.host}:{self.port}: {exc}",
                            fatal=True) from exc
        self.client = client

    def _starttls(self, client: smtplib.SMTP) -> None:
        try:
            client.starttls(context=self.context)
        except smtplib.SMTPNotSupportedError as exc:
            s = self.settings
            client.close()
            raise SendError(f"{s.host}:{self.port} does not offer STARTTLS; set "
                            "notifications.smtp.security to tls if it expects TLS from the "
                            "start", fatal=True) from exc

    def send(self, message: Message) -> None:
        if self.client is None:
            raise SendError("not connected", fatal=True)
        try:
            refused = self.client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"recipient refused: {exc.recipients}", fatal=False) from exc
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            # 421: the server is closing the connection; other codes refuse this message.
            raise SendError(f"message refused: {_reply(exc)}", fatal=exc.smtp_code == 421) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.client = None
            raise SendError(f"the SMTP server went away: {exc}", fatal=True) from exc
        if refused:
            raise SendError(f"recipient refused: {refused}", fatal=False)

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()
            self.client = None


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
        else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}"
