"""A learner's "My training" page in a real headless Chromium: what it shows, and that it
asks nothing of any other host.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from test_browser import ARGS, CHROMIUM, _Quiet
from test_site_support import build, copy_demo
from trainkit.writers.learner_pages import page_path

pytestmark = pytest.mark.browser
SECRET = "browser-learner-page-secret"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_demo(tmp_path_factory.mktemp("academy") / "academy")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAINKIT_FEED_SECRET", SECRET)
    try:
        site = build(root, tmp_path_factory.mktemp("out"),
                     only=("site", "feeds", "certificates", "learner_pages"))
    finally:
        mp.undo()
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_page_shows_schedule_gaps_and_next_steps(served: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    asked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: asked.append(r.url))
            url = served + page_path(SECRET.encode(), "l-0117")
            assert page.goto(url).status == 200
            assert page.locator("h1").inner_text() == "My training"
            sessions = page.locator("#sessions + p + table tbody tr")
            assert sessions.count() == 3  # the Manchester forklift cohort, February 2027
            assert "Day 1: Theory" in sessions.first.inner_text()
            skills = page.locator("#skills + table").inner_text()
            assert "manual-handling" in skills and "met" in skills
            assert "forklift-operation" in skills
            assert page.locator("#next + ol li, #next + p").count() >= 1
            feed = page.get_by_role("link", name="Subscribe to my calendar")
            assert page.request.get(served + "calendars/p/" + feed.get_attribute("href")).ok
        finally:
            browser.close()
    assert asked and all(a.startswith(served) for a in asked), asked
