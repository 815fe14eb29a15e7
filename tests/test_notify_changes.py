"""``trainkit notify BASE HEAD``: the messages a change makes, in a real git repository.

Calendar parts are read back with two independent parsers (icalendar and
vobject): METHOD, UID (the same as the session's event in the built feed),
SEQUENCE, ORGANIZER, ATTENDEE and times equal to the YAML across the
October 2026 change of UK clocks (Fri 23 Oct is BST, Mon 26 Oct is GMT).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from notify_helpers import LEARNERS, OCT, Repo, calendar_part, notify, outbox
from trainkit.cli import main
from trainkit.writers.feeds.ics import session_uid

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "academy")


def change(repo: Repo) -> None:
    """Enroll l-08, withdraw l-05, move day2 to another room, add bob to day1."""
    repo.edit(OCT, "capacity: 2", "capacity: 3")
    repo.edit(OCT, "  - learner: l-07\n", "  - learner: l-08\n    status: enrolled\n"
              "  - learner: l-07\n")
    repo.edit(OCT, "  - learner: l-05\n    status: enrolled", "  - learner: l-05\n"
              "    status: withdrawn")
    repo.edit(OCT, '    date: 2026-10-26\n', '    date: 2026-10-26\n    room: dock\n')
    repo.edit(OCT, '    date: 2026-10-23\n', '    date: 2026-10-23\n'
              '    instructors: [ann, bob]\n')
    repo.commit("October changes")


def by_recipient(repo: Repo) -> dict[tuple[str, str], str]:
    """(recipient, session id) -> kind."""
    out = {}
    for row, msg in outbox(repo):
        _, text = calendar_part(msg)
        event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
        sid = next(s for s in ("day1", "day2")
                   if str(event["UID"]) == session_uid("harbour", f"fa-2026-10/{s}"))
        out[(msg["To"].addresses[0].username, sid)] = row["kind"]
    return out


def test_each_change_becomes_the_right_message(repo: Repo, capsys) -> None:
    change(repo)
    code, text = notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    assert code == 0, text
    assert by_recipient(repo) == {
        ("declan.ferris", "day1"): "invitation",  # l-08 enrolled
        ("declan.ferris", "day2"): "invitation",
        ("ruth.okonjo", "day1"): "cancellation",  # l-05 withdrawn
        ("ruth.okonjo", "day2"): "cancellation",
        ("pavel.szabo", "day2"): "update",  # room moved
        ("ann", "day2"): "update",
        ("bob", "day1"): "assignment",  # new instructor
    }
    # the waitlisted learner (l-07, Ines) gets nothing
    assert not any("ines" in str(m["To"]) for _, m in outbox(repo))


def test_calendar_parts_read_back_by_two_parsers(repo: Repo, capsys) -> None:
    change(repo)
    assert notify(repo, "HEAD~1", "HEAD", capsys=capsys)[0] == 0
    seen = {}
    for row, msg in outbox(repo):
        method, text = calendar_part(msg)
        cal = icalendar.Calendar.from_ical(text)
        event = cal.walk("VEVENT")[0]
        assert str(cal["METHOD"]) == method == ("CANCEL" if row["kind"] == "cancellation"
                                                 else "REQUEST")
        assert str(event["ORGANIZER"]) == "mailto:training@harbour.example"
        assert event["ORGANIZER"].params["CN"] == "Harbour Training"
        to = msg["To"].addresses[0].addr_spec
        assert str(event["ATTENDEE"]) == f"mailto:{to}"
        v = vobject.readOne(text)
        assert v.method.value == method
        assert v.vevent.uid.value == str(event["UID"])
        assert int(v.vevent.sequence.value) == int(event["SEQUENCE"])
        assert v.vevent.dtstart.value == event.decoded("DTSTART")
        seen[(row["kind"], str(event["UID"]))] = (event.decoded("DTSTART"),
                                                  int(event["SEQUENCE"]))
    day1 = session_uid("harbour", "fa-2026-10/day1")
    day2 = session_uid("harbour", "fa-2026-10/day2")
    # times equal the YAML in local time on both sides of the clock change
    start1, seq_inv = seen[("invitation", day1)]
    assert start1 == datetime(2026, 10, 23, 9, tzinfo=LONDON)
    assert start1.utcoffset().total_seconds() == 3600  # BST
    start2, seq_upd = seen[("update", day2)]
    assert start2 == datetime(2026, 10, 26, 9, tzinfo=LONDON)
    assert start2.utcoffset().total_seconds() == 0  # GMT
    # the room move is the feed's first change of day2; a cancellation is never 0
    assert seq_upd == 1 and seq_inv == 0
    assert seen[("cancellation", day1)][1] >= 1


def test_uid_and_sequence_equal_the_built_feed(repo: Repo, capsys, tmp_path: Path) -> None:
    change(repo)
    assert notify(repo, "HEAD~1", "HEAD", capsys=capsys)[0] == 0
    site = tmp_path / "site"
    assert main(["build", "--root", str(repo.root), "--only", "feeds", "--site-dir", str(site),
                 "--reports-dir", str(tmp_path / "reports")]) == 0
    feed = icalendar.Calendar.from_ical(
        (site / "calendars" / "cohorts" / "fa-2026-10.ics").read_bytes())
    in_feed = {str(e["UID"]): (int(e["SEQUENCE"]), e.decoded("DTSTART"))
               for e in feed.walk("VEVENT")}
    for row, msg in outbox(repo):
        if row["kind"] not in ("update", "invitation", "assignment"):
            continue
        event = icalendar.Calendar.from_ical(calendar_part(msg)[1]).walk("VEVENT")[0]
        assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == in_feed[str(event["UID"])]


def test_messages_are_proper_emails(repo: Repo, capsys) -> None:
    change(repo)
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    row, msg = next((r, m) for r, m in outbox(repo) if r["kind"] == "invitation")
    assert str(msg["From"]) == "Harbour Training <training@harbour.example>"
    assert str(msg["Reply-To"]) == "Harbour Training <hello@harbour.example>"
    assert msg["Date"] == "Tue, 02 Jun 2026 12:00:00 +0000"  # the HEAD commit's time
    assert msg["Message-ID"].endswith("@harbour.example>")
    assert msg.get_content_type() == "multipart/mixed"
    types = [p.get_content_type() for p in msg.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                     "text/calendar", "application/ics"]
    text = msg.get_body(("plain",)).get_content()
    assert "Friday, 23 October 2026, 09:00–16:00 BST" in text
    html = msg.get_body(("html",)).get_content()
    assert "Harbour, October 2026" in html and "<strong>" in html


def test_rerun_sends_nothing_twice_and_outbox_is_reproducible(repo: Repo, capsys) -> None:
    change(repo)
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    folder = repo.root / "reports" / "outbox"
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first


def test_times_in_the_learners_own_zone(repo: Repo, capsys) -> None:
    repo.edit(OCT, "    date: 2026-10-26\n", "    date: 2026-10-26\n    room: dock\n")
    repo.commit("move day2")
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    pavel = next(m for _, m in outbox(repo) if "pavel" in str(m["To"]))
    # l-06 lives in New York: 09:00 GMT on 26 October is 05:00 EDT there
    assert "Monday, 26 October 2026, 05:00–12:00 EDT" in pavel.get_body(("plain",)).get_content()


def test_waitlisted_learner_gets_no_session_messages(repo: Repo, capsys) -> None:
    repo.edit(OCT, "    date: 2026-10-26\n    start: \"09:00\"",
              "    date: 2026-10-27\n    start: \"09:00\"")
    repo.edit(LEARNERS, "ines.carvalho@acme.example", "ines.c@acme.example")
    repo.commit("reschedule day2")
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    people = {m["To"].addresses[0].username for _, m in outbox(repo)}
    assert people == {"ruth.okonjo", "pavel.szabo", "ann"}


def test_removed_and_cancelled_cohorts_cancel_every_session(repo: Repo, capsys) -> None:
    (repo.root / OCT).unlink()
    repo.commit("drop October")
    code, text = notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    assert code == 0, text
    rows = outbox(repo)
    assert {r["kind"] for r, _ in rows} == {"cancellation"}
    assert len(rows) == 6  # Ruth and Pavel: two sessions each; Ann: two
    body = rows[0][1].get_body(("plain",)).get_content()
    assert "First Aid at Work: Day 1: CPR" in body and "is cancelled" in body


def test_a_cancelled_cohort_cancels_and_restoring_it_invites_again(repo: Repo, capsys) -> None:
    repo.edit(OCT, "status: open", "status: cancelled")
    repo.commit("cancel October")
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    assert {r["kind"] for r, _ in outbox(repo)} == {"cancellation"}
    repo.edit(OCT, "status: cancelled", "status: open")
    repo.commit("October is back")
    notify(repo, "HEAD~1", "HEAD", capsys=capsys)
    rows = outbox(repo)
    assert {r["kind"] for r, _ in rows} == {"invitation", "assignment"}
    sequences = {int(icalendar.Calendar.from_ical(calendar_part(m)[1]).walk("VEVENT")[0]
                     ["SEQUENCE"]) for _, m in rows}
    assert sequences == {2}  # cancelled (1), restored (2): each a change in the feed


def test_command_line_mistakes(repo: Repo, capsys) -> None:
    assert notify(repo, "--due", "HEAD~1", capsys=capsys)[0] == 64
    code, text = notify(repo, "nosuch", "HEAD", capsys=capsys)
    assert code == 64 and "'nosuch' is not a revision" in text
    (repo.root / "records" / "notifications.csv").write_text("who,what\n")
    code, text = notify(repo, "HEAD", "HEAD", capsys=capsys)
    assert code == 1 and "notifications.csv:1:1: the header must be" in text


def test_send_without_configuration_says_what_to_add(repo: Repo, capsys) -> None:
    text = (repo.root / "trainkit.yaml").read_text()
    (repo.root / "trainkit.yaml").write_text(text.split("notifications:")[0])
    code, out = notify(repo, "HEAD", "--send", capsys=capsys)
    assert code == 1 and "notifications are not configured" in out


def test_the_first_run_of_a_new_repository_invites_everyone(repo: Repo, capsys) -> None:
    code, text = notify(repo, "--since-last-run", "HEAD", capsys=capsys)
    assert code == 0, text
    assert "nothing (no run before, no parent commit)" in text
    kinds = sorted((r["kind"], m["To"].addresses[0].username) for r, m in outbox(repo))
    assert kinds == [("assignment", "ann")] * 2 + [("invitation", "pavel.szabo")] * 2 + [
        ("invitation", "ruth.okonjo")] * 2
