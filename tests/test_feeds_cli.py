"""The feeds through the full ``trainkit build`` (site, feeds, reports, certificates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from test_feeds_academy import (
    LEARNER_EMAILS,
    LEARNER_NAMES,
    PRIVATE_LINK,
    SECRET,
    commit_all,
    git,
    make_academy,
)
from trainkit.cli import main
from trainkit.writers.feeds.personal import LEARNER, feed_token


def test_full_build_puts_feeds_where_the_site_links_to_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TEST_FEED_SECRET", SECRET.decode())
    root = make_academy(tmp_path / "academy")
    git(root, "init", "-q")
    commit_all(root, "Academy", "2026-01-02T10:00:00+00:00")
    site, reports = tmp_path / "site", tmp_path / "reports"
    code = main(["build", "--root", str(root), "--site-dir", str(site),
                 "--reports-dir", str(reports), "-q"])
    assert code == 0
    cohort_page = (site / "cohorts/lon-2026-03/index.html").read_text()
    assert "calendars/cohorts/lon-2026-03.ics" in cohort_page  # the site's subscribe link
    cal = Calendar.from_ical((site / "calendars/cohorts/lon-2026-03.ics").read_bytes())
    urls = {str(e["URL"]) for e in cal.walk("VEVENT")}
    assert urls == {"https://academy.test.example/cohorts/lon-2026-03/"}  # that very page
    token = feed_token(SECRET, LEARNER, "l-1")
    assert (site / f"calendars/p/{token}.ics").is_file()
    assert token in (reports / "feeds/personal-feeds.csv").read_text()
    for path in (site / "calendars").rglob("*.ics"):
        if path.parent.name == "p":
            continue
        text = path.read_bytes().decode().replace("\r\n ", "")
        for secret in (*LEARNER_NAMES, *LEARNER_EMAILS, PRIVATE_LINK):
            assert secret not in text, (path, secret)
    for path in site.rglob("*"):
        if path.is_file():
            assert token not in path.read_bytes().decode("utf-8", "replace") or (
                path.parent.name == "p"), path  # no page lists a personal feed
