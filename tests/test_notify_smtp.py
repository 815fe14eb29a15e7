"""``trainkit notify --send`` against a real SMTP server on 127.0.0.1 (aiosmtpd).

STARTTLS with a certificate made in the test (trustme, trusted through
SSL_CERT_FILE as a system trust store would be), login with credentials from
the environment, TLS from the start, and a server that fails half-way: what
it accepted is in the ledger, the rest goes on the next run, nothing twice.
"""

from __future__ import annotations

import csv
import email
import socket
import ssl
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from notify_helpers import Repo, notify
from test_notify_changes import change

USER, PASSWORD = "harbour", "s3cret-from-env"


class Inbox:
    """Keeps what arrives; ``fail_after`` makes DATA fail with 421 after that many."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.fail_after: int | None = None
        self.tls: list[bool] = []  # whether each message came over TLS

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        if self.fail_after is not None and len(self.messages) >= self.fail_after:
            return "421 4.3.0 going away"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        self.tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return "250 OK"


def _auth(server, session, envelope, mechanism, data) -> AuthResult:  # noqa: ANN001
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    authority = trustme.CA()
    pem = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    return authority


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    return ctx


@pytest.fixture
def starttls(ca: trustme.CA) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            tls_context=server_context(ca), require_starttls=True,
                            authenticator=_auth, auth_required=True, auth_require_tls=True)
    controller.start()
    yield inbox, port
    controller.stop()


def configure(repo: Repo, port: int, security: str = "starttls") -> None:
    repo.edit("trainkit.yaml", "    security: starttls",
              f"    port: {port}\n    security: {security}\n    timeout: 5")


def ledger(repo: Repo, kind: str = "message") -> list[dict[str, str]]:
    """The ledger's message rows (or its "run" rows: complete runs and their HEAD)."""
    with (repo.root / "records" / "notifications.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r for r in rows if (r["kind"] == "run") == (kind == "run")]


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TK_TEST_SMTP_USER", USER)
    monkeypatch.setenv("TK_TEST_SMTP_PASSWORD", PASSWORD)


def test_starttls_and_login_deliver_and_record(tmp_path: Path, starttls, creds, capsys) -> None:
    inbox, port = starttls
    repo = Repo(tmp_path / "academy")
    configure(repo, port)
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 0, text
    assert len(inbox.messages) == 7 and all(inbox.tls)
    rows = ledger(repo)
    assert sorted(r["message_id"] for r in rows) == sorted(
        str(m["Message-ID"]) for m in inbox.messages)
    assert {r["kind"] for r in rows} == {"invitation", "update", "cancellation", "assignment"}
    assert all(r["uid"] and r["sequence"].isdigit() for r in rows)
    head = repo.git("rev-parse", "HEAD").strip()
    assert [r["reason"] for r in ledger(repo, "run")] == [f"through {head}"]
    assert not (repo.root / "reports" / "outbox").exists()  # sending writes no outbox
    # a rerun sends nothing: the ledger has it all
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 0 and len(inbox.messages) == 7
    assert "0 messages sent" in text


def test_wrong_password_is_a_clear_error(tmp_path: Path, starttls, creds, capsys,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = starttls
    monkeypatch.setenv("TK_TEST_SMTP_PASSWORD", "wrong")
    repo = Repo(tmp_path / "academy")
    configure(repo, port)
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 1
    assert "refused the login: 535" in text and "7 messages wait for the next run" in text
    assert inbox.messages == [] and not (repo.root / "records" / "notifications.csv").exists()


def test_missing_credentials_say_which_variable(tmp_path: Path, starttls, capsys,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TK_TEST_SMTP_USER", raising=False)
    monkeypatch.delenv("TK_TEST_SMTP_PASSWORD", raising=False)
    repo = Repo(tmp_path / "academy")
    configure(repo, starttls[1])
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 1 and "TK_TEST_SMTP_USER, TK_TEST_SMTP_PASSWORD" in text


def test_untrusted_certificate_is_refused(tmp_path: Path, starttls, creds, capsys,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = starttls
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nothing.pem"))
    repo = Repo(tmp_path / "academy")
    configure(repo, port)
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 1 and "CERTIFICATE_VERIFY_FAILED" in text and inbox.messages == []


def test_server_failing_midway_loses_nothing_and_sends_nothing_twice(
        tmp_path: Path, starttls, creds, capsys) -> None:
    inbox, port = starttls
    inbox.fail_after = 3
    repo = Repo(tmp_path / "academy")
    configure(repo, port)
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 1 and "421" in text and "3 messages wait" in text
    assert len(inbox.messages) == 3 and len(ledger(repo)) == 3
    assert ledger(repo, "run") == []  # not complete: --since-last-run starts before it
    inbox.fail_after = None
    code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    assert code == 0, text
    ids = [str(m["Message-ID"]) for m in inbox.messages]
    assert len(ids) == 7 and len(set(ids)) == 7
    assert sorted(r["message_id"] for r in ledger(repo)) == sorted(ids)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_tls_from_the_start(tmp_path: Path, ca: trustme.CA, creds, capsys) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            ssl_context=server_context(ca), authenticator=_auth,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    try:
        repo = Repo(tmp_path / "academy")
        configure(repo, port, "tls")
        change(repo)
        code, text = notify(repo, "HEAD~1", "HEAD", "--send", capsys=capsys)
    finally:
        controller.stop()
    assert code == 0, text
    assert len(inbox.messages) == 7 and all(inbox.tls)


def test_a_sequence_of_commits_sends_each_change_once(tmp_path: Path, capsys) -> None:
    """Every run covers all commits since the first (overlapping ranges), as a CI job
    that falls back to an older base would: each state is sent once, SEQUENCE grows."""
    import icalendar

    from notify_helpers import OCT, calendar_part

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        repo = Repo(tmp_path / "academy")
        repo.edit("trainkit.yaml", "    security: starttls\n    username_env: TK_TEST_SMTP_USER"
                  "\n    password_env: TK_TEST_SMTP_PASSWORD",
                  f"    port: {port}\n    security: none")
        repo.commit("local relay")
        first = repo.git("rev-parse", "HEAD").strip()
        steps = [
            (OCT, "  - learner: l-07\n", "  - learner: l-08\n    status: enrolled\n"
             "  - learner: l-07\n"),  # enroll Declan: 2 invitations
            (OCT, "    date: 2026-10-26\n", "    date: 2026-10-26\n    room: dock\n"),
            (OCT, "  - learner: l-08\n    status: enrolled", "  - learner: l-08\n"
             "    status: withdrawn"),  # 2 cancellations
            (OCT, "  - learner: l-08\n    status: withdrawn", "  - learner: l-08\n"
             "    status: enrolled"),  # 2 invitations again
        ]
        per_run = []
        for path, old, new in steps:
            repo.edit(path, old, new)
            repo.commit("step")
            before = len(inbox.messages)
            for _ in range(2):  # and a rerun, which sends nothing
                code, text = notify(repo, first, "HEAD", "--send", capsys=capsys)
                assert code == 0, text
                repo.commit("ledger")
            per_run.append(len(inbox.messages) - before)
    finally:
        controller.stop()
    # enroll: Declan's two sessions; room move of day 2: its four holders; withdraw:
    # Declan's two cancellations, though he is in neither end of the range (the ledger
    # says he holds them); enroll again: two new invitations
    assert per_run == [2, 4, 2, 2]
    seen: dict[tuple[str, str], list[int]] = {}
    for m in inbox.messages:
        event = icalendar.Calendar.from_ical(calendar_part(m)[1]).walk("VEVENT")[0]
        key = (str(m["To"]), str(event["UID"]))
        seen.setdefault(key, []).append(int(event["SEQUENCE"]))
    for key, numbers in seen.items():
        assert numbers == sorted(set(numbers)), (key, numbers)  # strictly increasing
    from trainkit.writers.feeds.ics import session_uid

    declan = {uid: v for (to, uid), v in seen.items() if "declan" in to}
    day1, day2 = (session_uid("harbour", f"fa-2026-10/{d}") for d in ("day1", "day2"))
    assert len(declan[day1]) == 3  # invitation, cancellation, invitation
    assert len(declan[day2]) == 4  # invitation, update (room), cancellation, invitation


def test_since_last_run_makes_up_for_a_failed_run(tmp_path: Path, starttls, creds,
                                                  capsys) -> None:
    inbox, port = starttls
    repo = Repo(tmp_path / "academy")
    configure(repo, port)
    repo.commit("smtp port")
    assert notify(repo, "--since-last-run", "HEAD", "--send", capsys=capsys)[0] == 0
    assert len(ledger(repo, "run")) == 1 and inbox.messages == []
    change(repo)  # 7 messages
    inbox.fail_after = 0  # the server refuses everything
    code, _ = notify(repo, "--since-last-run", "HEAD", "--send", capsys=capsys)
    assert code == 1 and inbox.messages == []
    repo.edit("programs/first-aid/program.yaml", "summary: Two-day", "summary: A two-day")
    repo.commit("an unrelated push")
    inbox.fail_after = None
    code, text = notify(repo, "--since-last-run", "HEAD", "--send", capsys=capsys)
    assert code == 0, text
    assert len(inbox.messages) == 7  # the failed push's messages, made up
    assert len(ledger(repo, "run")) == 2
