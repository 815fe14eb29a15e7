"""``trainkit notify --due``: reminders, certificates, at-risk learners, waitlist places.

The fixture's March 2026 cohort completed for l-01 and l-02 (who attended
both days; l-04 missed the mandatory day 1) with a 12-month certificate, so the
certificates expire on 2027-03-11. The October cohort runs on Fri 23 and
Mon 26 October 2026, across the change of UK clocks; l-06 (Pavel) has
``reminders: false``; l-07 is waitlisted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from notify_helpers import OCT, Repo, notify, outbox


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "academy")


def sent(repo: Repo, capsys, moment: str, *extra: str) -> list[tuple[str, str]]:
    code, text = notify(repo, "--due", "--as-of", moment, *extra, capsys=capsys)
    assert code == 0, text
    return sorted((row["kind"], m["To"].addresses[0].username) for row, m in outbox(repo))


def test_reminders_before_a_session_respect_opt_out(repo: Repo, capsys) -> None:
    # 2 days before Fri 23 Oct 09:00 BST is Wed 21 Oct 08:00 UTC
    assert sent(repo, capsys, "2026-10-21T07:59:00+00:00") == []
    assert sent(repo, capsys, "2026-10-21T08:00:00+00:00") == [
        ("reminder", "ann"), ("reminder", "ruth.okonjo")]  # Pavel opted out


def test_reminders_per_program_and_nearest_window(repo: Repo, capsys) -> None:
    repo.edit("programs/first-aid/program.yaml", "certificate:", "reminders: [3d, 1h]\n"
              "certificate:")
    text = sent(repo, capsys, "2026-10-20T09:00:00+00:00")
    assert text == [("reminder", "ann"), ("reminder", "ruth.okonjo")]
    subject = outbox(repo)[0][0]["subject"]
    assert subject.startswith("Reminder: First Aid at Work: Day 1: CPR, Friday, 23 October 2026")
    assert sent(repo, capsys, "2026-10-23T07:30:00+00:00") == [
        ("reminder", "ann"), ("reminder", "ruth.okonjo")]
    reasons = {row["subject"] for row, _ in outbox(repo)}
    assert len(reasons) == 1


def test_certificates_expiring_and_expired(repo: Repo, capsys) -> None:
    names = ["olivia.quayle", "tariq.mendez"]
    assert [k for k, _ in sent(repo, capsys, "2026-12-01T12:00:00Z")] == []
    assert sent(repo, capsys, "2027-01-15T12:00:00Z") == [
        ("certificate-expiring", n) for n in names]
    body = outbox(repo)[0][1].get_body(("plain",)).get_content()
    assert "expires on\r\n11 March 2027, in 55 days" in body
    assert sent(repo, capsys, "2027-02-20T12:00:00Z") == [
        ("certificate-expiring", n) for n in names]
    assert sent(repo, capsys, "2027-03-12T12:00:00Z") == [
        ("certificate-expired", n) for n in names]
    assert sent(repo, capsys, "2027-05-12T12:00:00Z") == []  # long expired: no more


def test_at_risk_and_waitlist(repo: Repo, capsys) -> None:
    repo.edit(OCT, "capacity: 2", "capacity: 3")
    # l-04 missed mandatory day 1 in March: at risk between the two days
    repo.edit("programs/first-aid/cohorts/fa-2026-03.yaml", "date: 2026-03-11",
              "date: 2026-10-30")
    kinds = sent(repo, capsys, "2026-06-15T12:00:00Z")
    assert ("at-risk", "jonas.petrakis") in kinds
    assert ("waitlist-offer", "ines.carvalho") in kinds


def test_daily_runs_send_each_notice_once(repo: Repo, capsys,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller

    from test_notify_smtp import Inbox, free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        repo.edit("trainkit.yaml", "    security: starttls\n    username_env: TK_TEST_SMTP_USER\n"
                  "    password_env: TK_TEST_SMTP_PASSWORD", f"    port: {port}\n"
                  "    security: none")
        repo.commit("local relay")
        per_day = []
        for day in range(19, 27):
            before = len(inbox.messages)
            code, text = notify(repo, "--due", "--as-of", f"2026-10-{day}T06:00:00Z", "--send",
                                capsys=capsys)
            assert code == 0, text
            per_day.append(len(inbox.messages) - before)
            repo.commit(f"ledger after day {day}")  # as the CI job does
    finally:
        controller.stop()
    # Thu 22 06:00: day 1 (Fri 09:00 BST) is within 2 days: Ruth and Ann (Pavel opted out).
    # Sat 24: no attendance recorded for the mandatory day 1, so Ruth is at risk.
    # Sun 25: day 2 (Mon 09:00 GMT) is within 2 days.
    assert per_day == [0, 0, 0, 2, 0, 1, 2, 0]
    kinds = [str(m["X-Trainkit-Kind"]) for m in inbox.messages]
    assert kinds == ["reminder", "reminder", "at-risk", "reminder", "reminder"]
    assert len({str(m["Message-ID"]) for m in inbox.messages}) == 5


def test_academy_templates_replace_the_built_in_ones(repo: Repo, capsys) -> None:
    folder = repo.root / "notifications" / "templates"
    folder.mkdir(parents=True)
    (folder / "reminder.txt").write_text(
        "{% block subject %}See you {{ session.title }}{% endblock %}\n"
        "{% block body %}Hi {{ recipient.name }}! {{ when(session) }}{% endblock %}\n")
    (folder / "reminder.html").write_text("<p>Hi {{ recipient.name }} {{ session.title }}</p>")
    repo.edit("programs/first-aid/program.yaml", '"Day 1: CPR"', '"Day 1: CPR <&> AED"')
    sent(repo, capsys, "2026-10-21T08:00:00+00:00")
    _, msg = outbox(repo)[0]
    assert msg["Subject"] == "See you Day 1: CPR <&> AED"
    assert msg.get_body(("plain",)).get_content().startswith("Hi Ruth Okonjo! Friday, 23 Oct")
    # HTML is autoescaped
    assert "Day 1: CPR &lt;&amp;&gt; AED" in msg.get_body(("html",)).get_content()


def test_a_learners_unknown_zone_is_reported(repo: Repo) -> None:
    from trainkit.pipeline import check_dir

    repo.edit("people/learners/acme.yaml", "timezone: America/New_York",
              "timezone: America/New_Yrok")
    found = [d.text() for d in check_dir(repo.root).diagnostics if d.code == "invalid-timezone"]
    assert len(found) == 1 and "learner 'l-06'" in found[0]
    assert found[0].startswith("people/learners/acme.yaml:")
