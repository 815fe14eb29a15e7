"""The built site in a real headless Chromium: navigation, feeds, quizzes, progress.

Needs Debian's ``chromium`` at /usr/bin/chromium and the Playwright Python
package (no Playwright browser download). Screenshots of the cohort page and
of a practice quiz are saved under tests/artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import sync_playwright

from test_site_support import DEMO, build, copy_demo

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"
MULTIPLE = """\
  - id: q5
    type: multiple
    prompt: Which of these are letters of TILE? Select all that apply.
    choices:
      - text: Task
        correct: true
      - text: Load
        correct: true
      - text: Weather
        correct: false
        explanation: Weather is part of the Environment, not a letter of its own.
    explanation: "TILE: Task, Individual, Load, Environment."
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A full build (all writers, so feeds exist) served on 127.0.0.1, random port.

    The demo academy, with one more practice question so that every question
    type (single, multiple, true-false, numeric, text) is answered below.
    """
    root = copy_demo(tmp_path_factory.mktemp("browser-academy") / "academy")
    quiz = root / "courses/manual-handling/quizzes/check-1.yaml"
    quiz.write_text(quiz.read_text() + MULTIPLE)
    site = build(root, tmp_path_factory.mktemp("browser"), only=())
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
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


def test_home_program_cohort_and_feed(server: tuple[str, Path], browser) -> None:
    base, site = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(base)
    assert "Northwind Academy" in page.locator("article h1").inner_text()
    page.locator("article").get_by_role("link", name="First Aid at Work").first.click()
    page.wait_for_url("**/programs/first-aid/")
    assert "What completion requires" in page.content()
    page.locator("article").get_by_role("link", name="London, January 2027").click()
    page.wait_for_url("**/cohorts/fa-lon-2027-01/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == 2
    assert "09:30" in rows.nth(0).inner_text() or ":" in rows.nth(0).inner_text()
    download = page.locator('a[data-kind="download"]').get_attribute("href")
    webcal = page.locator('a[data-kind="webcal"]').get_attribute("href")
    feed_url = urljoin(page.url, download)
    assert urlsplit(feed_url).path == urlsplit(webcal.replace("webcal://", "https://")).path
    response = page.request.get(feed_url)
    assert response.status == 200
    assert response.text().startswith("BEGIN:VCALENDAR")
    assert (site / urlsplit(feed_url).path.lstrip("/")).is_file()
    shot = ARTIFACTS / "cohort-page.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    page.close()


def _check(page, question: str) -> str:
    box = page.locator(f'.tk-question[data-question="{question}"]')
    box.locator(".tk-check-answer").click()
    return box.locator(".tk-feedback").inner_text()


def test_quiz_feedback_and_progress_survive_reload(server: tuple[str, Path], browser) -> None:
    base, _site = server
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(base + "courses/manual-handling/")
    page.locator("article").get_by_role("link", name="Assessing a task with TILE").click()
    page.wait_for_url("**/courses/manual-handling/tile/")
    page.wait_for_selector(".tk-quiz form")

    q1 = page.locator('.tk-question[data-question="q1"]')
    q1.get_by_label("Injury").check()
    wrong = _check(page, "q1")
    assert wrong.startswith("Not quite.")
    assert "tk-wrong" in (q1.locator(".tk-feedback").get_attribute("class") or "")
    q1.get_by_label("Individual").check()
    right = _check(page, "q1")
    assert right.startswith("Correct.") and "Task, Individual, Load, Environment" in right

    page.locator('.tk-question[data-question="q2"]').get_by_label("False").check()
    assert _check(page, "q2").startswith("Correct.")
    page.locator('.tk-question[data-question="q3"] input').fill("  the TASK ")
    assert _check(page, "q3").startswith("Correct.")
    q4 = page.locator('.tk-question[data-question="q4"] input')
    q4.fill("24")
    assert _check(page, "q4").startswith("Not quite.")
    q4.fill("25")
    assert _check(page, "q4").startswith("Correct.")
    q5 = page.locator('.tk-question[data-question="q5"]')
    q5.get_by_label("Task").check()
    q5.get_by_label("Weather").check()
    feedback = _check(page, "q5")
    assert feedback.startswith("Not quite.") and "Weather is part of the Environment" in feedback
    q5.get_by_label("Weather").uncheck()
    assert _check(page, "q5").startswith("Not quite.")  # Load is missing
    q5.get_by_label("Load").check()
    assert _check(page, "q5").startswith("Correct.")
    assert page.locator(".tk-score").inner_text().startswith("Score: 5 of 5 points (100%): passed")
    shot = ARTIFACTS / "practice-quiz.png"
    page.evaluate("window.scrollTo(0, 0)")  # keeps Material's sticky header at the top
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")

    page.get_by_role("button", name="Mark this module as done").click()
    assert "1 of 3 modules done" in page.locator(".tk-progress-text").inner_text()
    page.reload()
    assert "1 of 3 modules done" in page.locator(".tk-progress-text").inner_text()
    assert page.get_by_role("button", name="Done ✓ (mark as not done)").is_visible()

    page.goto(base + "courses/manual-handling/")
    assert "1 of 3 modules done" in page.locator(".tk-progress-text").first.inner_text()
    assert page.locator('.tk-check[data-module="tile"]').inner_text().startswith("✓")
    assert page.locator('.tk-check[data-module="why"]').inner_text() == ""
    assert "Quiz check-1: best 5 of 5" in page.locator(".tk-scores").inner_text()
    context.close()


def test_graded_quiz_is_questions_only(server: tuple[str, Path], browser) -> None:
    base, _site = server
    page = browser.new_page()
    page.goto(base + "courses/manual-handling/lifting/")
    assert page.get_by_text("Graded: taken in class / on the form").is_visible()
    assert page.locator(".tk-quiz").count() == 0
    assert page.locator("article input").count() == 0
    page.close()


def test_site_search_finds_a_program(server: tuple[str, Path], browser) -> None:
    base, _site = server
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(base + "catalog/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("counterbalance")  # Material searches on key events, not on fill()
    hit = page.locator(".md-search-result__item a").first
    hit.wait_for(timeout=15_000)
    links = page.locator(".md-search-result__item a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    assert any("programs/forklift-cert/" in (h or "") for h in links), links
    page.close()


def test_schedule_fits_a_phone(server: tuple[str, Path], browser) -> None:
    base, _site = server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "cohorts/fa-lon-2026-03/")
    instructor = page.locator(".tk-stack tbody tr").first.locator("td").nth(4)
    assert instructor.get_attribute("data-label") == "Instructor"
    box = instructor.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    label = instructor.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Instructor: "'
    page.screenshot(path=str(ARTIFACTS / "cohort-phone.png"), full_page=True)
    page.close()


QUESTION_BOXES = """() => Array.from(document.querySelectorAll('.tk-question')).map(box => {
  const b = box.getBoundingClientRect(), s = getComputedStyle(box);
  const l = box.querySelector('legend').getBoundingClientRect();
  return {id: box.dataset.question, lines: Math.round(l.height / parseFloat(
            getComputedStyle(box.querySelector('legend')).lineHeight)),
          inside: l.top >= b.top + parseFloat(s.borderTopWidth)
                  && l.left >= b.left + parseFloat(s.borderLeftWidth)
                  && l.right <= b.right - parseFloat(s.borderRightWidth)
                  && l.bottom <= b.bottom - parseFloat(s.borderBottomWidth)};
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_quiz_questions_stay_inside_their_box(server: tuple[str, Path], browser,
                                              width: int) -> None:
    """A question of several lines wraps inside its border, on a desktop and on a phone."""
    base, _site = server
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "courses/manual-handling/tile/")
    page.wait_for_selector(".tk-quiz form")
    boxes = page.evaluate(QUESTION_BOXES)
    assert len(boxes) == 5
    assert max(b["lines"] for b in boxes) >= 2  # the case that used to cross the border
    assert [b["id"] for b in boxes if not b["inside"]] == []
    page.close()


def test_quiz_text_answer_is_styled(server: tuple[str, Path], browser) -> None:
    base, _site = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "courses/manual-handling/tile/")
    answer = page.locator('.tk-question[data-question="q3"] input.tk-answer')
    style = "el => { const s = getComputedStyle(el); return [s.fontSize, s.paddingLeft, " \
            "s.borderTopLeftRadius, s.borderTopColor, s.boxShadow]; }"
    font, padding, radius, border, shadow = answer.evaluate(style)
    body = page.locator("article p").first.evaluate("el => getComputedStyle(el).fontSize")
    assert font == body  # the page's type, not the browser's small default
    assert float(padding.rstrip("px")) >= 6 and radius != "0px" and shadow == "none"
    answer.focus()
    # The style eases in over 0.125s: wait for the end of the transition, not a moment in it.
    page.wait_for_function("([el, before]) => getComputedStyle(el).borderTopColor !== before "
                           "&& !el.getAnimations().length", arg=[answer.element_handle(), border],
                           timeout=5_000)
    focused = answer.evaluate(style)
    assert focused[3] != border and focused[4] != "none"  # focus shows in the theme's accent
    page.close()


@pytest.fixture(scope="module")
def late_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The demo's site and certificates on 2026-11-29, when certificates have been issued."""
    site = build(DEMO, tmp_path_factory.mktemp("browser-late"), only=("site", "certificates"),
                 epoch=1795996800)
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", site
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_verify_page_looks_like_the_site(late_server: tuple[str, Path], browser) -> None:
    """The same header colour, text colour and title as the site's pages, and the logo."""
    base, site = late_server
    verify = sorted(site.glob("verify/*/index.html"))
    assert verify
    header = ("() => { const h = document.querySelector('.md-header'); const s = "
              "getComputedStyle(h); const img = h.querySelector('img'); return [s.backgroundColor,"
              " s.color, h.innerText.trim(), img ? img.naturalWidth : 0]; }")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base)
    on_site = page.evaluate(header)
    page.goto(base + verify[0].parent.relative_to(site).as_posix() + "/")
    on_verify = page.evaluate(header)
    assert on_verify[:2] == on_site[:2]
    assert on_site[2].startswith("Northwind Academy") and on_verify[2] == "Northwind Academy"
    assert on_verify[3] > 0  # the logo is drawn
    assert page.locator(".md-footer").is_visible()
    page.screenshot(path=str(ARTIFACTS / "verify-page.png"), full_page=True)
    page.close()
