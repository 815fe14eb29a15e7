"""Time-relative facts in a real browser, with the reader's clock set before, during and after.

The demo academy is built as of 2026-12-01 (so the build is reproducible);
``live.js`` must then show what is true on the reader's day: a cohort's
status, its seats, the "finished" notice, the calendar buttons, the home
page's next sessions, the catalog's next cohort and a certificate's validity.
Without scripts the build-time facts show, with the day they are from.
"""

from __future__ import annotations

import csv
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_browser import _Quiet, browser  # noqa: F401  (the shared Chromium fixture)
from test_site_support import build, copy_demo

pytestmark = pytest.mark.browser

EPOCH_DEC = 1796083200  # 2026-12-01T00:00:00Z
COHORT = "cohorts/fa-lon-2027-01/"  # 14 Jan 2027 09:00 - 15 Jan 2027 16:30 (UTC), open


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = copy_demo(tmp_path_factory.mktemp("live-academy") / "academy")
    # The theme fetches a linked repository's star count from GitHub; without the
    # link, every request a page makes is to the site itself (see the last test).
    settings = root / "trainkit.yaml"
    settings.write_text("".join(line for line in settings.read_text().splitlines(True)
                                if not line.strip().startswith("repo_url:")))
    out = tmp_path_factory.mktemp("live")
    site = build(root, out, only=(), epoch=EPOCH_DEC)
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", out
    finally:
        httpd.shutdown()
        httpd.server_close()


def _open(browser, url: str, clock: str | None, *, script: bool = True):  # noqa: F811
    context = browser.new_context(timezone_id="Europe/London", java_script_enabled=script)
    page = context.new_page()
    if clock:
        page.clock.set_fixed_time(clock)
    page.goto(url)
    return page


def _status(page) -> str:
    return page.locator("article li", has_text="Status:").inner_text().strip()


@pytest.mark.parametrize(("clock", "label", "seats", "finished", "calendar"), [
    ("2026-12-20T12:00:00Z", "Open for enrolment", True, False, True),
    ("2027-01-14T12:00:00Z", "Running now", False, False, True),
    ("2027-01-20T12:00:00Z", "Finished", False, True, False),
])
def test_cohort_page_follows_the_readers_clock(
    served: tuple[str, Path], browser, clock: str, label: str,  # noqa: F811
    seats: bool, finished: bool, calendar: bool,
) -> None:
    base, _ = served
    page = _open(browser, base + COHORT, clock)
    assert _status(page) == f"Status: {label}"  # the "as of" note is gone
    assert page.get_by_text("Seats left:").is_visible() is seats
    assert page.get_by_text("This cohort has finished").is_visible() is finished
    assert page.get_by_role("heading", name="Add to your calendar").is_visible() is calendar
    assert page.locator('a[data-kind="webcal"]').is_visible() is calendar
    page.context.close()


def test_without_scripts_the_page_says_which_day_it_is_about(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    page = _open(browser, base + COHORT, None, script=False)
    assert _status(page) == "Status: Open for enrolment (as of Tue 01 Dec 2026)"
    assert page.get_by_text("Seats left:").is_visible()
    assert not page.get_by_text("This cohort has finished").is_visible()
    page.context.close()


def _shown_dates(page) -> list[str]:
    rows = page.locator("article table").first.locator("tbody tr")
    return [rows.nth(i).locator("td").first.inner_text().strip()
            for i in range(rows.count()) if rows.nth(i).is_visible()]


def test_home_page_next_sessions_follow_the_readers_clock(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    built = _shown_dates(_open(browser, base, None, script=False))
    assert built[0] == "Tue 01 Dec 2026" and len(built) == 8
    page = _open(browser, base, "2027-01-15T00:00:00Z")
    later = _shown_dates(page)
    assert 0 < len(later) <= 8
    assert "Tue 01 Dec 2026" not in later and later[0] == "Fri 15 Jan 2027"
    assert not page.get_by_text("Sessions not yet started as of").is_visible()
    page.context.close()


def _next_first_aid(browser, base: str, clock: str) -> str:  # noqa: F811
    page = _open(browser, base + "catalog/", clock)
    row = page.locator("article tbody tr", has_text="First Aid at Work")
    text = row.locator("td").nth(3).inner_text().strip()
    page.context.close()
    return text


def test_catalog_next_cohort_follows_the_readers_clock(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    assert _next_first_aid(browser, base, "2026-12-20T12:00:00Z") == (
        "Thu 14 Jan 2027 – Fri 15 Jan 2027")
    assert _next_first_aid(browser, base, "2027-01-14T12:00:00Z") == (
        "running now, until Fri 15 Jan 2027")
    assert _next_first_aid(browser, base, "2027-02-01T12:00:00Z") == "none scheduled"


def _verify_url(out: Path) -> tuple[str, str]:
    with (out / "reports/certificates/index.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["status"] == "valid" and r["expires_on"])
    return row["verify_url"].split("/verify/", 1)[1], row["expires_on"]


def test_verify_page_shows_a_certificate_expired_since_the_build(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, out = served
    key, expires = _verify_url(out)
    assert expires == "2029-03-30"
    url = f"{base}verify/{key}"
    static = _open(browser, url, None, script=False)
    assert static.locator(".status").inner_text() == "Valid"
    assert "Status as of 1 December 2026." in static.locator("body").inner_text()
    static.context.close()
    before = _open(browser, url, "2029-03-29T12:00:00Z")
    assert before.locator(".status").inner_text() == "Valid"
    before.context.close()
    after = _open(browser, url, "2029-03-30T08:00:00Z")  # the expiry day: no longer valid
    status = after.locator(".status")
    assert status.inner_text() == "Expired"
    assert "expired" in (status.get_attribute("class") or "").split()
    assert "Status as of 30 March 2029." in after.locator("body").inner_text()
    assert ": Expired - " in after.title()
    after.context.close()


def test_pages_make_no_request_elsewhere(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    context = browser.new_context()
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    page = context.new_page()
    page.goto(base + COHORT)
    page.wait_for_load_state("networkidle")
    assert seen and all(u.startswith(base) for u in seen), seen
    context.close()


def test_instructor_page_drops_a_cohort_once_it_is_over(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    url = base + "instructors/tomasz-wisniewski/"
    link = 'article a[href$="cohorts/fa-lon-2027-01/"]'
    during = _open(browser, url, "2027-01-14T12:00:00Z")
    assert during.locator(link).is_visible()
    during.context.close()
    after = _open(browser, url, "2027-01-20T12:00:00Z")
    assert after.locator(link).count() == 1 and not after.locator(link).is_visible()
    after.context.close()


@pytest.mark.parametrize(("path", "clock", "shown"), [
    ("programs/first-aid/", "2026-08-31T22:30:00Z", True),  # 23:30 on its last day, in London
    ("programs/first-aid/", "2026-09-01T00:30:00Z", False),
    ("cohorts/fa-lon-2027-01/", "2026-08-01T12:00:00Z", True),
    ("programs/leading-teams/", "2026-12-20T12:00:00Z", False),
])
def test_the_early_bird_line_ends_on_its_day(
    served: tuple[str, Path], browser, path: str, clock: str, shown: bool,  # noqa: F811
) -> None:
    base, _ = served
    page = _open(browser, base + path, clock)
    assert page.get_by_text("Price:").is_visible()
    assert page.get_by_text("Early bird:").is_visible() is shown
    assert page.locator("li", has_text="Early bird:").is_visible() is shown  # bullet too
    page.context.close()


def test_without_scripts_an_early_bird_past_at_the_build_is_hidden(
    served: tuple[str, Path], browser,  # noqa: F811
) -> None:
    base, _ = served
    page = _open(browser, base + "programs/first-aid/", None, script=False)
    assert page.get_by_text("Price: £650 per person + VAT").is_visible()
    assert page.get_by_text("Early bird:").count() == 1  # in the page, for readers' clocks
    assert not page.get_by_text("Early bird:").is_visible()
    page.context.close()
