"""Golden ``.eml`` files, one per message kind, byte for byte.

Message-ID, Date and MIME boundaries are fixed (digests and the commit time
or ``--as-of``), so the same change gives the same bytes. To refresh after a
deliberate change, review the diff of::

    TRAINKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_notify_golden.py
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from notify_helpers import OCT, Repo, notify, outbox
from test_notify_changes import change
from trainkit.notify.notice import KINDS

GOLDEN = Path(__file__).parent / "cases" / "notify-golden"
UPDATE = os.environ.get("TRAINKIT_UPDATE_GOLDEN") == "1"


def first_of_each_kind(repo: Repo) -> dict[str, bytes]:
    folder = repo.root / "reports" / "outbox"
    out: dict[str, bytes] = {}
    for row, _ in outbox(repo):
        out.setdefault(row["kind"], (folder / row["file"]).read_bytes())
    return out


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    capsys = _NoCapture()
    repo = Repo(tmp_path_factory.mktemp("golden") / "academy")
    change(repo)
    found = {}
    assert notify(repo, "HEAD~1", "HEAD", capsys=capsys)[0] == 0  # type: ignore[arg-type]
    found.update(first_of_each_kind(repo))
    repo.edit(OCT, "capacity: 3", "capacity: 4")  # a free place for the waitlist
    # a follow-up survey that opens 80 days after the October cohort, inside the third moment
    (repo.root / "surveys").mkdir()
    (repo.root / "surveys" / "follow-up.yaml").write_text(
        "version: 1\ntitle: Eighty days later\nwhen: after\ndays_after: 80\n"
        "form_url: https://forms.example.org/follow-up?cohort={cohort}\nquestions:\n"
        "  - {id: used, text: Have you used it?, type: choice, choices: [Yes, Not yet]}\n")
    program = repo.root / "programs" / "first-aid" / "program.yaml"
    program.write_text(program.read_text() + "surveys: [follow-up]\n")
    for moment in ("2026-10-21T08:00:00Z", "2026-10-24T06:00:00Z", "2027-01-15T12:00:00Z",
                   "2027-03-12T12:00:00Z"):
        assert notify(repo, "--due", "--as-of", moment, capsys=capsys)[0] == 0  # type: ignore[arg-type]
        for kind, raw in first_of_each_kind(repo).items():
            found.setdefault(kind, raw)
    return found


class _NoCapture:
    def readouterr(self) -> object:
        class Out:
            out = err = ""
        return Out()


def test_every_kind_has_a_golden_message(messages: dict[str, bytes]) -> None:
    assert sorted(messages) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_golden(kind: str, messages: dict[str, bytes]) -> None:
    expected = GOLDEN / f"{kind}.eml"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(messages[kind])
    assert expected.is_file(), f"no {expected}; run with TRAINKIT_UPDATE_GOLDEN=1 to create it"
    assert messages[kind] == expected.read_bytes(), (
        f"{kind}.eml differs; if the change is intended, refresh with TRAINKIT_UPDATE_GOLDEN=1")


def test_golden_files_are_valid_mime(messages: dict[str, bytes]) -> None:
    import email
    from email.policy import default

    for kind, raw in messages.items():
        msg = email.message_from_bytes(raw, policy=default)
        assert isinstance(msg, EmailMessage)
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), kind  # CRLF only
        assert not msg.defects, (kind, msg.defects)
        assert msg["X-Trainkit-Kind"] == kind


@pytest.mark.parametrize("kind", ["invitation", "update", "cancellation", "assignment"])
def test_golden_calendar_parts_read_back(kind: str) -> None:
    """The golden files themselves, read by icalendar and vobject: METHOD, UID of the
    feed event, SEQUENCE, ORGANIZER, ATTENDEE, and the YAML's local times."""
    import email
    from datetime import datetime
    from email.policy import default
    from zoneinfo import ZoneInfo

    import icalendar
    import vobject

    from notify_helpers import calendar_part
    from trainkit.writers.feeds.ics import session_uid

    msg = email.message_from_bytes((GOLDEN / f"{kind}.eml").read_bytes(), policy=default)
    method, text = calendar_part(msg)  # type: ignore[arg-type]
    cal = icalendar.Calendar.from_ical(text)
    event = cal.walk("VEVENT")[0]
    v = vobject.readOne(text)
    assert str(cal["METHOD"]) == v.method.value == method == (
        "CANCEL" if kind == "cancellation" else "REQUEST")
    uids = {session_uid("harbour", f"fa-2026-10/{d}"): d for d in ("day1", "day2")}
    assert str(event["UID"]) == v.vevent.uid.value and str(event["UID"]) in uids
    assert int(event["SEQUENCE"]) == int(v.vevent.sequence.value) >= (
        1 if method == "CANCEL" else 0)
    assert v.vevent.organizer.value == "mailto:training@harbour.example"
    assert v.vevent.attendee.value == f"mailto:{msg['To'].addresses[0].addr_spec}"
    day = {"day1": datetime(2026, 10, 23, 9), "day2": datetime(2026, 10, 26, 9)}
    start = day[uids[str(event["UID"])]].replace(tzinfo=ZoneInfo("Europe/London"))
    assert event.decoded("DTSTART") == v.vevent.dtstart.value == start
