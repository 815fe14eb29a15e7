"""The cohort page's registration button in a real headless Chromium, one state per cohort.

The demo academy is built at 8 December 2026, noon UTC, after one learner
withdraws from the forklift cohort (with ``trainkit withdraw``) so that it
has a free place. The demo's registration settings then give every state:
the academy default (e-mail, opens 90 days and closes 3 days before the
first session), the forklift program's form channel with approval, and a
cohort that closes 7 days before.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Route, sync_playwright

from test_browser import ARGS, CHROMIUM, _Quiet
from test_site_support import build, copy_demo
from trainkit.cli import main

pytestmark = pytest.mark.browser

EPOCH = int(datetime(2026, 12, 8, 12, tzinfo=UTC).timestamp())
# cohort -> (data-state, button text or None for no button)
STATES = {
    "fl-man-2027-02": ("register", "Request a place"),
    "fa-lon-2027-01": ("waitlist", "Join the waitlist"),
    "fw-man-2027-03": ("not-open", "Registration opens on Thu 10 Dec 2026"),
    "fw-lon-2026-12": ("closed", "Registration closed"),
    "lt-2026-11-ist": (None, None),  # running
    "fa-lon-2026-10": (None, None),  # finished
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_demo(tmp_path_factory.mktemp("registration-academy") / "academy")
    assert main(["withdraw", "fl-man-2027-02", "l-0117", "--root", str(root)]) == 0
    site = build(root, tmp_path_factory.mktemp("registration-site"), epoch=EPOCH)
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _page(browser, clock: str = "2026-12-08T12:00:00Z"):  # noqa: ANN001, ANN202
    """A page whose clock is the build's (the page's own script reads the reader's clock)."""
    page = browser.new_page()
    page.clock.set_fixed_time(clock)
    return page


@pytest.mark.parametrize("cohort", sorted(STATES))
def test_each_state_shows_its_button(server: str, browser, cohort: str) -> None:
    state, label = STATES[cohort]
    page = _page(browser)
    page.goto(f"{server}cohorts/{cohort}/")
    block = page.locator("article .tk-register")
    if state is None:
        assert block.count() == 0
        assert page.locator(".tk-register-button").count() == 0
        page.close()
        return
    assert block.get_attribute("data-state") == state
    assert block.get_attribute("data-cohort") == cohort
    button = block.locator(".tk-register-button")
    assert button.is_visible()
    assert button.inner_text().strip() == label
    assert button.get_attribute("data-cohort") == cohort
    clickable = state in ("register", "waitlist")
    assert (button.evaluate("b => b.tagName") == "A") is clickable
    assert (button.get_attribute("aria-disabled") == "true") is not clickable
    page.close()


def test_the_window_dates_are_on_the_block(server: str, browser) -> None:
    page = _page(browser)
    page.goto(f"{server}cohorts/fa-lon-2027-01/")
    block = page.locator("article .tk-register")
    # Opens 90 days before 14 January, closes 7 days before (the cohort's own setting).
    assert block.get_attribute("data-opens") == "2026-10-16"
    assert block.get_attribute("data-closes") == "2027-01-07"
    assert block.get_attribute("data-starts") == "2027-01-14T09:00:00+00:00"
    assert "Registration closes at the end of Wed 06 Jan 2027." in block.inner_text()
    page.close()


def test_the_email_link_names_the_cohort(server: str, browser) -> None:
    page = _page(browser)
    page.goto(f"{server}cohorts/fa-lon-2027-01/")
    href = page.locator(".tk-register-button").get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "registrations@northwind.example")
    query = parse_qs(parts.query)
    assert query["subject"] == ["Registration: First Aid at Work, London, January 2027 "
                                "(fa-lon-2027-01)"]
    assert "the waitlist of First Aid at Work" in query["body"][0]
    page.close()


def test_the_register_button_opens_the_form_with_the_cohort(server: str, browser) -> None:
    page = _page(browser)
    seen: list[str] = []

    def form(route: Route) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Nomination form</h1>")

    page.route("https://forms.northwind.example/**", form)
    page.goto(f"{server}cohorts/fl-man-2027-02/")
    page.get_by_role("link", name="Request a place").click()
    page.wait_for_url("https://forms.northwind.example/**")
    assert seen == ["https://forms.northwind.example/forklift?cohort=fl-man-2027-02"]
    assert page.locator("h1").inner_text() == "Nomination form"
    page.close()


def test_the_button_goes_once_the_cohort_has_started_on_the_readers_day(server: str,
                                                                        browser) -> None:
    page = _page(browser, "2027-01-20T12:00:00Z")
    page.goto(f"{server}cohorts/fa-lon-2027-01/")
    assert page.locator("article .tk-register").count() == 1  # in the page as built ...
    assert not page.locator(".tk-register-button").is_visible()  # ... hidden by then
    page.close()
