"""Registration settings: inheritance, the window, the page state and the button's link."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ACADEMY, write_academy
from trainkit.model import Academy
from trainkit.pipeline import check_dir
from trainkit.resolve import registration
from trainkit.writers.site.registration import register_url

COHORT = """\
version: 1
title: London, June
venue: london-hq
room: thames
capacity: {capacity}
instructors: {{lead: [ajones]}}
{extra}enrollments:
  - learner: l-0001
sessions:
  - id: day1
    date: 2026-06-10
    start: "09:00"
    duration: 7h
"""
PATH = "programs/first-aid/cohorts/fa-jun.yaml"


def academy(tmp_path: Path, *, settings: str = "", program: str = "", extra: str = "",
            capacity: int = 12, clean: bool = True) -> Academy:
    from conftest import PROGRAM

    write_academy(tmp_path, {
        "trainkit.yaml": ACADEMY + "contact_email: hello@academy.example.org\n" + settings,
        "programs/first-aid/program.yaml": PROGRAM + program,
        PATH: COHORT.format(capacity=capacity, extra=extra),
    })
    result = check_dir(tmp_path)
    assert result.errors == [] or not clean, result.errors
    assert result.academy is not None
    return result.academy


def at(day: str, hour: int = 12) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).replace(hour=hour)


def test_settings_are_inherited_setting_by_setting(tmp_path: Path) -> None:
    a = academy(tmp_path, settings="registration:\n  channel: email\n  opens: 2026-03-01\n"
                "  closes: 3 days before\n",
                program="registration:\n  approval: true\n  closes: 5 days before\n",
                extra="registration:\n  opens: 2026-04-01\n")
    reg = a.cohorts["fa-jun"].registration
    assert (reg.channel, reg.opens, reg.closes, reg.approval) == (
        "email", date(2026, 4, 1), 5, True)
    assert registration.window(a.cohorts["fa-jun"]) == registration.Window(
        date(2026, 4, 1), date(2026, 6, 5))


@pytest.mark.parametrize(("moment", "capacity", "state"), [
    (at("2026-03-31"), 12, "not-open"),
    (at("2026-04-01", 0), 12, "register"),  # the window opens at the start of the day
    (at("2026-06-06", 22), 12, "register"),  # 23:00 in London is still 6 June
    (at("2026-06-06", 23), 12, "closed"),  # midnight in London: 7 June, three days before
    (at("2026-05-01"), 1, "waitlist"),
    (at("2026-06-10", 9), 12, "running"),
    (at("2026-06-11"), 12, "finished"),
])
def test_the_state_at_a_moment(tmp_path: Path, moment: datetime, capacity: int,
                               state: str) -> None:
    a = academy(tmp_path, settings="registration:\n  channel: email\n  opens: 2026-04-01\n"
                "  closes: 3 days before\n", capacity=capacity)
    assert registration.state(a.cohorts["fa-jun"], moment) == state


def test_without_settings_registration_closes_on_the_first_day(tmp_path: Path) -> None:
    cohort = academy(tmp_path).cohorts["fa-jun"]
    assert registration.window(cohort) == registration.Window(None, date(2026, 6, 10))
    assert registration.refusal(cohort, date(2026, 6, 9)) is None
    assert "started on 2026-06-10" in (registration.refusal(cohort, date(2026, 6, 10)) or "")


def test_the_email_link_defaults_to_the_contact_address(tmp_path: Path) -> None:
    a = academy(tmp_path, settings="registration:\n  channel: email\n")
    url = register_url(a.settings, a.cohorts["fa-jun"], "First Aid", waitlist=False)
    parts = urlsplit(url or "")
    assert (parts.scheme, parts.path) == ("mailto", "hello@academy.example.org")
    assert parse_qs(parts.query)["subject"] == ["Registration: First Aid, London, June (fa-jun)"]


def test_the_issue_form_link_fills_in_the_cohort(tmp_path: Path) -> None:
    a = academy(tmp_path, settings="registration:\n  channel: github-issue\n"
                "  repository: https://github.com/acme/academy\n")
    url = register_url(a.settings, a.cohorts["fa-jun"], "First Aid", waitlist=False)
    assert url == ("https://github.com/acme/academy/issues/new?template=registration.yml"
                   "&title=Registration%3A%20fa-jun&cohort=fa-jun")


@pytest.mark.parametrize(("form", "expected"), [
    ("https://forms.example.org/r?c={cohort}", "https://forms.example.org/r?c=fa-jun"),
    ("https://forms.example.org/r?lang=en", "https://forms.example.org/r?lang=en&cohort=fa-jun"),
    ("https://forms.example.org/r", "https://forms.example.org/r?cohort=fa-jun"),
])
def test_the_form_link_carries_the_cohort(tmp_path: Path, form: str, expected: str) -> None:
    a = academy(tmp_path, program=f"registration:\n  channel: form\n  form_url: {form}\n")
    assert register_url(a.settings, a.cohorts["fa-jun"], "First Aid", waitlist=False) == expected


def test_a_channel_without_its_address_gives_no_link(tmp_path: Path) -> None:
    a = academy(tmp_path, settings="registration:\n  channel: github-issue\n", clean=False)
    assert register_url(a.settings, a.cohorts["fa-jun"], "First Aid", waitlist=False) is None


def _codes(tmp_path: Path, settings: str, extra: str = "") -> list[str]:
    from conftest import PROGRAM

    write_academy(tmp_path, {
        "trainkit.yaml": ACADEMY + settings,
        "programs/first-aid/program.yaml": PROGRAM,
        PATH: COHORT.format(capacity=12, extra=extra),
    })
    return [d.text() for d in check_dir(tmp_path).diagnostics]


def test_a_channel_without_its_address_is_an_error(tmp_path: Path) -> None:
    found = _codes(tmp_path, "registration:\n  channel: email\n")
    assert found == [
        "trainkit.yaml:14:3: error[registration-channel]: registration channel 'email' needs "
        "an 'email' address (or the academy's 'contact_email') (cohort 'fa-jun' and any other "
        "using these settings); give it, or choose another channel"]


def test_a_window_that_never_opens_is_a_warning(tmp_path: Path) -> None:
    found = _codes(tmp_path, "contact_email: a@b.example\nregistration:\n  channel: email\n",
                   extra="registration:\n  opens: 2026-06-08\n  closes: 3 days before\n")
    assert found == [
        f"{PATH}:8:3: warning[registration-window]: registration for cohort 'fa-jun' opens on "
        "2026-06-08 but closes on 2026-06-07, so nobody can register; move 'opens' earlier or "
        "'closes' later"]
