"""``trainkit notify --due`` asks learners for feedback once a survey of their cohort opens."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_notify_demo import DEMO, due
from trainkit.notify.due import due as due_notices
from trainkit.pipeline import check_dir


def test_feedback_request_after_the_cohort_ends(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = [r for r in due(tmp_path, "2026-04-02T07:00:00Z", capsys)
            if r["kind"] == "feedback-request"]
    academy = check_dir(DEMO).academy
    assert academy is not None
    enrolled = academy.cohorts["fa-lon-2026-03"].active_enrollments()
    assert len(rows) == len(enrolled)  # fa-nyc-2026-03 ended more than 14 days before
    assert {r["subject"] for r in rows} == {
        "Course feedback: First Aid at Work, London, March 2026"}
    texts = [_text(p) for p in (tmp_path / "reports" / "outbox").rglob("*.eml")]
    link = "https://forms.northwind.example/feedback?survey=course-feedback&cohort=fa-lon-2026-03"
    assert sum(link in t for t in texts) == len(rows)


def _text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return "".join(part.get_content() for part in message.walk()
                   if part.get_content_type() == "text/plain")


def test_follow_up_days_after_and_each_once(tmp_path: Path) -> None:
    academy = check_dir(DEMO).academy
    assert academy is not None
    # the follow-up survey opens 30 days after the last session (2026-03-30 15:30 UTC)
    before = due_notices(academy, datetime(2026, 4, 29, 15, 0, tzinfo=UTC))
    after = due_notices(academy, datetime(2026, 4, 29, 16, 0, tzinfo=UTC))
    assert not [n for n in before if "follow-up" in n.reason]
    asked = [n for n in after if n.kind == "feedback-request" and "follow-up" in n.reason]
    assert asked and all(n.reason.startswith("feedback-request follow-up fa-lon-2026-03 ")
                         for n in asked)
    assert len({n.reason for n in asked}) == len(asked)  # the ledger sends each once
    later = due_notices(academy, datetime(2026, 5, 20, tzinfo=UTC))
    assert not [n for n in later if "follow-up fa-lon-2026-03" in n.reason]
