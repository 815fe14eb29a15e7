"""The public site built from the demo academy: pages, links, times, privacy."""

from __future__ import annotations

import filecmp
import json
import posixpath
import re
from pathlib import Path

import pytest
import yaml

from test_site_support import DEMO, build, copy_demo, page, parse, public_texts
from trainkit.load.schemas import schema_dir
from trainkit.pipeline import check_dir
from trainkit.writers.site.prices import money

SEATS = ["Cohort", "Dates", "Place", "Instructors", "Status", "Seats left"]


@pytest.fixture(scope="module")
def academy():
    result = check_dir(DEMO)
    assert result.academy is not None
    return result.academy


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DEMO, tmp_path_factory.mktemp("site-only"))


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(DEMO, tmp_path_factory.mktemp("full"), only=())


def test_every_entity_has_its_page(site: Path, academy) -> None:
    for url in ["", "catalog/", "courses/", "instructors/", "venues/", "editing/", "about/"]:
        assert (site / url / "index.html").is_file(), url
    for program in academy.programs:
        assert page(site, f"programs/{program}").is_file()
    for cohort in academy.cohorts:
        assert page(site, f"cohorts/{cohort}").is_file()
    for course in academy.courses.values():
        assert page(site, f"courses/{course.id}").is_file()
        for module in course.modules:
            assert page(site, f"courses/{course.id}/{module.id}").is_file()
    for person in academy.instructors:
        assert page(site, f"instructors/{person}").is_file()
    for venue in academy.venues:
        assert page(site, f"venues/{venue}").is_file()
    assert (site / "404.html").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert any(d["location"].startswith("cohorts/fa-lon-2026-03/") for d in index["docs"])


def test_schemas_are_published_unchanged(site: Path) -> None:
    sources = sorted(schema_dir().glob("*.json"))
    assert sources
    for schema in sources:
        assert filecmp.cmp(schema, site / "schemas" / schema.name, shallow=False)
    editing = page(site, "editing").read_text()
    assert "../schemas/program.schema.json" in editing


def _local_targets(site: Path):
    for html in sorted(site.rglob("*.html")):
        base = posixpath.dirname(html.relative_to(site).as_posix())
        for _tag, _attr, value in parse(html).refs:
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", value):
                continue
            plain = value.split("#")[0].split("?")[0]
            # 404.html links from the site root (base_url's path is "/")
            target = posixpath.normpath(plain.lstrip("/") if plain.startswith("/")
                                        else posixpath.join(base, plain))
            yield html, value, target


def test_internal_links_resolve(full_site: Path) -> None:
    """Every relative href/src of every page, feeds and verify pages included."""
    missing = []
    seen_feed = False
    for html, value, target in _local_targets(full_site):
        path = full_site / target
        if path.is_dir():
            path = path / "index.html"
        seen_feed |= target.startswith("calendars/")
        if not path.is_file():
            missing.append(f"{html.relative_to(full_site)} -> {value}")
    assert not missing, missing[:20]
    assert seen_feed


def test_program_links_to_cohorts_and_back(site: Path, academy) -> None:
    refs = {v for _t, _a, v in parse(page(site, "programs/first-aid")).refs}
    assert "../../cohorts/fa-lon-2027-01/" in refs
    cohort_refs = {v for _t, _a, v in parse(page(site, "cohorts/fa-lon-2027-01")).refs}
    assert "../../programs/first-aid/" in cohort_refs
    assert "../../venues/london-hq/" in cohort_refs
    for person in academy.cohorts["fa-lon-2027-01"].instructors:
        assert f"../../instructors/{person}/" in cohort_refs


def _schedule_rows(site: Path, cohort: str) -> list[list[str]]:
    rows = parse(page(site, f"cohorts/{cohort}")).rows
    header = rows.index(["Date", "Time", "Session", "Room", "Instructor"])
    return rows[header + 1:header + 1 + 50]


def test_schedule_times_match_the_yaml_across_dst(site: Path) -> None:
    source = yaml.safe_load((DEMO / "programs/first-aid/cohorts/fa-lon-2026-03.yaml").read_text())
    rows = _schedule_rows(site, "fa-lon-2026-03")
    assert [str(s["date"]) for s in source["sessions"]] == ["2026-03-27", "2026-03-30"]
    # Friday before the clocks change is GMT, the Monday after is BST: same wall time.
    expected_zones = ["GMT (UTC+0)", "BST (UTC+1)"]
    for sess, row, zone in zip(source["sessions"], rows, expected_zones, strict=False):
        y, m, d = str(sess["date"]).split("-")
        assert f"{d} " in row[0] and y in row[0]
        assert row[1] == f"{sess['start']}–{sess['end']} {zone}"
        assert row[3] == "Thames Room, Northwind London"


def test_times_are_in_the_cohorts_zone(site: Path) -> None:
    rows = _schedule_rows(site, "lt-2026-11-ist")
    assert rows[0][1] == "18:30–20:30 IST (UTC+5:30)"


def test_cancelled_session_is_struck_through_with_its_reason(site: Path) -> None:
    path = DEMO / "programs/leading-teams/cohorts/lt-2026-11-ist.yaml"
    source = yaml.safe_load(path.read_text())
    cancelled = next(s for s in source["sessions"] if s.get("status") == "cancelled")
    parser = parse(page(site, "cohorts/lt-2026-11-ist"))
    struck = [row for row, s in zip(parser.rows, parser.struck, strict=True) if s]
    assert len(struck) == 1
    assert "Tue 24 Nov 2026" in struck[0][0]
    assert f"Cancelled: {cancelled['reason']}" in struck[0][2]
    assert struck[0][3] == "Online"
    live = [row for row, s in zip(parser.rows, parser.struck, strict=True) if not s]
    assert any("Tue 22 Dec 2026" in r[0] for r in live)  # the make-up session


def test_venue_address_map_and_subscribe_links(site: Path, academy) -> None:
    html = page(site, "cohorts/fa-lon-2027-01").read_text()
    venue = academy.venues["london-hq"]
    assert venue.address.street in html and venue.address.postcode in html
    assert 'href="https://www.openstreetmap.org/' in html or (venue.map_url or "") in html
    for kind in ("webcal", "google", "outlook", "office365", "download"):
        assert f'data-kind="{kind}"' in html
    assert 'href="webcal://academy.northwind.example/calendars/cohorts/fa-lon-2027-01.ics"' in html
    assert 'href="../../calendars/cohorts/fa-lon-2027-01.ics"' in html


def test_feed_files_exist_after_a_full_build(full_site: Path, academy) -> None:
    for cohort in academy.cohorts:
        refs = [v for t, _a, v in parse(page(full_site, f"cohorts/{cohort}")).refs if t == "a"]
        download = next(v for v in refs if v.endswith(".ics") and "://" not in v)
        feed = full_site / "cohorts" / cohort / download
        assert feed.resolve().is_file(), download
        assert feed.read_text().startswith("BEGIN:VCALENDAR")


def test_program_page_content(site: Path) -> None:
    text = page(site, "programs/leading-teams").read_text()
    assert ("Attend at least 80% of sessions including the session “Week 6: Your leadership "
            "plan” (a late arrival counts as 0.75 of a session), and either pass the quiz") in text
    warden = page(site, "programs/fire-warden").read_text()
    assert "Attend every session (arriving late does not count as attending), and pass" in warden
    forklift = page(site, "programs/forklift-cert").read_text()
    assert re.search(r"Attend every session, and pass the quiz “[^”]+” \(<a", forklift)
    assert "Live online" in text and "6 sessions, 12 h in total" in text
    first_aid = page(site, "programs/first-aid").read_text()
    assert "valid for 3 years" in first_aid
    # built as of 2026-03-01: the London March cohort is still upcoming, with its seats
    rows = parse(page(site, "programs/first-aid")).rows
    header = rows.index(SEATS)
    cohorts = [r[0] for r in rows[header + 1:]]
    assert "London, March 2026" in cohorts


def test_upcoming_is_relative_to_the_build_epoch(tmp_path: Path) -> None:
    late = build(DEMO, tmp_path, epoch=1796083200)  # 2026-12-01
    rows = parse(page(late, "programs/first-aid")).rows
    header = rows.index(SEATS)
    upcoming = [r[0] for r in rows[header + 1:] if len(r) == len(SEATS)]
    assert "London, March 2026" not in upcoming
    assert "London, January 2027" in upcoming
    home = parse(late / "index.html").rows
    first = home[home.index(["Date", "Time", "Session", "Where"]) + 1]
    assert first[0] == "Tue 01 Dec 2026"


def test_instructor_pages_show_no_email(full_site: Path, academy) -> None:
    emails = [p.email for p in academy.instructors.values()]
    for path, text in public_texts(full_site):
        for email in emails:
            assert email.lower() not in text.lower(), (path, email)
    bio = academy.instructors["amara-okafor"].bio.split(".")[0]
    assert bio in page(full_site, "instructors/amara-okafor").read_text()


def test_no_learner_data_anywhere_public(full_site: Path, academy) -> None:
    assert len(academy.learners) > 10
    texts = list(public_texts(full_site))
    assert len(texts) > 50
    for learner in academy.learners.values():
        for value in (learner.name, learner.email):
            hits = [p for p, t in texts if value.lower() in t.lower()]
            assert not hits, (value, hits[:3])


def test_no_answers_or_assessment_results_public(full_site: Path, academy) -> None:
    """Per-question answers, item statistics, gains and assessment results stay private."""
    assert len(academy.answers) > 100 and len(academy.assessment_results) > 5
    texts = list(public_texts(full_site))
    reports = full_site.parent / "reports"
    assert (reports / "effectiveness/fire-warden-gains.csv").is_file()  # the positive control
    rows = [",".join((a.learner, a.quiz, str(a.attempt), a.question)) for a in academy.answers]
    rows += [f"{r.learner},{r.assessment}" for r in academy.assessment_results]
    notes = {r.note for r in academy.assessment_results if r.note}
    notes |= {r.evidence for r in academy.assessment_results if r.evidence}
    notes |= {"fire-safety-basics/pre,fire-safety-basics/final", "it does not discriminate",
              "Knowledge check: fire-safety-basics/pre"}
    assert notes and rows
    for path, text in texts:
        assert not any(row in text for row in rows), path
        assert not any(note in text for note in notes), (path, [n for n in notes if n in text])
    names = {p.relative_to(full_site).as_posix() for p in full_site.rglob("*")}
    assert not any(n.startswith(("records", "effectiveness", "assessments")) for n in names)


def _graded_secrets(academy, course_id: str, quiz_slug: str) -> list[str]:
    quiz = next(q for q in academy.courses[course_id].quizzes if q.slug == quiz_slug)
    # text that the course or the schemas' examples publish anyway is no leak
    course_text = " ".join(m.markdown for m in academy.courses[course_id].modules)
    course_text += " ".join(p.read_text() for p in schema_dir().glob("*.json"))
    out = []
    for q in quiz.questions:
        out += [q.explanation] + [c.explanation for c in q.choices]
        if q.answers_text:
            out.append(json.dumps(list(q.answers_text), ensure_ascii=False))
    return [s for s in out if s and s not in course_text]


def test_graded_quiz_keys_never_published(full_site: Path, academy) -> None:
    texts = list(public_texts(full_site))
    graded = [q for c in academy.courses.values() for q in c.quizzes if q.mode == "graded"]
    assert graded
    for quiz in graded:
        secrets = _graded_secrets(academy, quiz.course, quiz.slug)
        assert secrets
        for secret in secrets:
            hits = [p for p, t in texts if secret in t]
            assert not hits, (quiz.id, secret, hits[:3])
        assert not (full_site / "assets/quizzes" / quiz.course / f"{quiz.slug}.json").exists()
        for _path, text in texts:
            assert f'"id": "{quiz.id}"' not in text
    # the page shows the questions and says how the quiz is taken
    html = page(full_site, "courses/manual-handling/lifting").read_text()
    assert "Graded: taken in class / on the form" in html
    assert "Where should you hold a load while carrying it?" in html
    section = html[html.index("Graded: taken in class"):html.index("Your progress")]
    assert "correct" not in section.lower() and "data-src" not in section


def test_practice_quiz_key_is_published_for_feedback(full_site: Path, academy) -> None:
    """The positive control of the test above: practice keys do reach the site."""
    quiz = next(q for q in academy.courses["manual-handling"].quizzes if q.mode == "practice")
    data = json.loads((full_site / "assets/quizzes/manual-handling/check-1.json").read_text())
    assert data["questions"][1]["answer"] is False
    assert data["questions"][2]["answers"] == list(quiz.questions[2].answers_text)
    html = page(full_site, f"courses/manual-handling/{quiz.after_module}").read_text()
    assert 'data-src="../../../assets/quizzes/manual-handling/check-1.json"' in html


def test_course_assets_and_code_blocks(site: Path) -> None:
    html = page(site, "courses/manual-handling/tile").read_text()
    assert '<img alt="TILE: Task, Individual, Load, Environment" src="../img/tile.svg"' in html
    assert (site / "courses/manual-handling/img/tile.svg").is_file()
    lifting = page(site, "courses/manual-handling/lifting").read_text()
    source = (DEMO / "courses/manual-handling/modules/03-safe-lifting.md").read_text()
    fenced = source.split("```text\n", 1)[1].split("```", 1)[0].splitlines()[0]
    assert fenced.startswith("Leader:")
    assert '<div class="highlight"><pre><span></span><code>Leader:' in lifting
    assert lifting.count('<div class="highlight"><pre>') == source.count("```") // 2


def test_site_settings_are_applied(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert 'data-md-color-primary="teal"' in home and 'data-md-color-accent="amber"' in home
    assert (site / "assets/logo.svg").is_file()
    assert "https://github.com/northwind-example/academy" in home
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', home)
    order = [n for n in ("catalog/", "courses/", "instructors/", "venues/", "about/")
             if any(h.endswith(n) for h in nav)]
    assert order == ["catalog/", "courses/", "instructors/", "venues/", "about/"]


def test_build_is_byte_identical(tmp_path: Path) -> None:
    one = build(DEMO, tmp_path / "one")
    two = build(DEMO, tmp_path / "two")
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert files_one == files_two
    different = [f for f in files_one if (one / f).read_bytes() != (two / f).read_bytes()]
    assert not different
    assert Path("sitemap.xml.gz") in files_one
    assert "<lastmod>2026-03-01</lastmod>" in (one / "sitemap.xml").read_text()


def test_private_meeting_links_never_published(full_site: Path, academy) -> None:
    urls = {c.online_url for c in academy.cohorts.values() if c.online_url}
    urls |= {s.online_url for c in academy.cohorts.values() for s in c.sessions if s.online_url}
    assert urls
    for path, text in public_texts(full_site):
        for url in urls:
            assert url not in text, (path, url)


def test_author_pages_and_theme_overrides(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    overrides = root / "site-extra" / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Enrolment for 2027 is open{% endblock %}\n')
    (root / "site-extra" / "policies.md").write_text("# Policies\n\nBe kind.\n")
    site = build(root, tmp_path / "out")
    home = (site / "index.html").read_text()
    assert "Enrolment for 2027 is open" in home
    assert page(site, "policies").is_file()
    assert re.search(r'<a href="policies/" class="md-nav__link', home)
    assert not (site / "overrides").exists()


def test_program_venue_and_academy_feeds_are_linked(full_site: Path) -> None:
    pages = {"programs/first-aid/": "calendars/programs/first-aid.ics",
             "venues/london-hq/": "calendars/venues/london-hq.ics", "": "calendars/academy.ics"}
    for url, feed in pages.items():
        refs = [v for t, _a, v in parse(full_site / url / "index.html").refs if t == "a"]
        local = [v for v in refs if v.endswith(".ics") and "://" not in v]
        assert len(local) == 1, (url, local)
        target = posixpath.normpath(posixpath.join(url.rstrip("/") or ".", local[0]))
        assert target == feed
        assert (full_site / feed).read_text().startswith("BEGIN:VCALENDAR")
        assert f"webcal://academy.northwind.example/{feed}" in refs


def _table(site: Path, url: str, header: list[str]) -> list[list[str]]:
    rows = parse(page(site, url)).rows
    start = rows.index(header) + 1
    end = next((i for i in range(start, len(rows)) if len(rows[i]) != len(header)), len(rows))
    return rows[start:end]




def test_seats_left_and_waitlist(site: Path) -> None:
    # as of 2026-03-01: New York November has 10 of 12 enrolled, London January is full
    rows = {r[0]: r[5] for r in _table(site, "programs/first-aid", SEATS)}
    status = {r[0]: r[4] for r in _table(site, "programs/first-aid", SEATS)}
    # Open, but its registration opens 90 days before 14 January (trainkit.yaml)
    assert status["London, January 2027"] == "Registration not yet open"
    assert status["London, October 2026"] == "Enrolment closed"
    assert rows["New York, November 2026"] == "2 of 12"
    assert rows["London, January 2027"] == "full, waitlist open"
    assert rows["London, October 2026"] == "enrolment closed"
    cohort = page(site, "cohorts/fa-nyc-2026-11").read_text()
    assert "<strong>Seats left:</strong> 2 of 12" in cohort


def test_running_and_finished_cohorts_are_not_upcoming(tmp_path: Path) -> None:
    late = build(DEMO, tmp_path, epoch=1795996800)  # 2026-11-30 00:00 UTC
    assert SEATS not in parse(page(late, "programs/leading-teams")).rows
    assert "No new cohort is scheduled" in page(late, "programs/leading-teams").read_text()
    running = _table(late, "programs/leading-teams",
                     ["Cohort", "Dates", "Place", "Instructors", "Status"])
    assert {r[4] for r in running} == {"Running now"}
    assert [r[0] for r in running] == ["Online, autumn 2026 (UK evenings)",
                                       "Online, November 2026 (India evenings)"]
    catalog = {r[0]: r[3] for r in parse(page(late, "catalog")).rows[1:]}
    assert catalog["Leading Teams"] == "running now, until Tue 22 Dec 2026"
    assert catalog["First Aid at Work"] == "Mon 30 Nov 2026 – Tue 01 Dec 2026"
    home = parse(late / "index.html").shown()
    assert "Next cohort: running now" in home and "Next cohort: Tue 06 Oct" not in home
    running_page = parse(page(late, "cohorts/lt-2026-10")).shown()
    assert "Status: Running now (as of Mon 30 Nov 2026)" in running_page
    assert "Seats left" not in running_page and "Add to your calendar" in running_page
    finished = parse(page(late, "cohorts/fa-lon-2026-03")).shown()
    assert "Status: Finished" in finished
    assert "This cohort has finished" in finished and "Seats left" not in finished
    assert "Add to your calendar" not in finished
    past = parse(page(late, "programs/first-aid")).refs
    order = [v for _t, _a, v in past if v.startswith("../../cohorts/fa-")]
    assert order.index("../../cohorts/fa-lon-2026-10/") < order.index(
        "../../cohorts/fa-lon-2026-03/")  # most recent past cohort first


def test_schedule_says_which_clock(site: Path) -> None:
    text = page(site, "cohorts/fa-lon-2026-03").read_text()
    assert "All times are local time in London (Europe/London): BST (UTC+1) or GMT (UTC+0)." in text
    assert '<div class="tk-stack">' in text  # labelled blocks on phones (trainkit.css)


def test_helpful_404_page(site: Path) -> None:
    html = (site / "404.html").read_text()
    assert "Page not found" in html
    links = [v for t, _a, v in parse(site / "404.html").refs if t == "a"]
    for target in ("/catalog/", "/courses/", "/"):
        assert target in links
    assert (site / "catalog/index.html").is_file() and (site / "courses/index.html").is_file()


def test_authors_404_replaces_the_generated_one(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    overrides = root / "site-extra" / "overrides"
    overrides.mkdir(parents=True)
    (overrides / "404.html").write_text(
        '{% extends "main.html" %}\n{% block content %}<h1>Lost? Call us</h1>{% endblock %}\n')
    html = (build(root, tmp_path / "out") / "404.html").read_text()
    assert "Lost? Call us" in html and "Page not found" not in html


def test_images_beside_a_program_are_published(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    folder = root / "programs/first-aid"
    (folder / "img").mkdir()
    (folder / "img/plan.png").write_bytes(b"\x89PNG\r\n\x1a\nplan")
    (folder / "img/room.jpg").write_bytes(b"room")
    program = folder / "program.yaml"
    program.write_text(program.read_text().replace(
        "description: |\n", "description: |\n  ![Floor plan](img/plan.png)\n\n"
        '  <img src="img/room.jpg" alt="The room">\n\n', 1))
    site = build(root, tmp_path / "out")
    refs = [(t, v) for t, _a, v in parse(page(site, "programs/first-aid")).refs if t == "img"]
    assert ("img", "img/plan.png") in refs and ("img", "img/room.jpg") in refs
    base = site / "programs/first-aid"
    assert (base / "img/plan.png").read_bytes() == b"\x89PNG\r\n\x1a\nplan"
    assert (base / "img/room.jpg").read_bytes() == b"room"


def test_search_index_has_pages_but_no_learner_data(full_site: Path, academy) -> None:
    index = json.loads((full_site / "search/search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert {"catalog/", "programs/first-aid/", "cohorts/fa-lon-2027-01/",
            "courses/manual-handling/tile/"} <= locations
    text = json.dumps(index, ensure_ascii=False).lower()
    assert "thames room" in text  # cohort schedules are searchable
    for learner in academy.learners.values():
        assert learner.name.lower() not in text and learner.email.lower() not in text


def test_editing_page_names_schemas_by_url(site: Path) -> None:
    html = page(site, "editing").read_text()
    assert "$schema=https://academy.northwind.example/schemas/program.schema.json" in html
    rows = {r[0]: r[1] for r in parse(page(site, "editing")).rows if len(r) == 2}
    assert rows["cohort.schema.json"] == "programs/<program>/cohorts/<cohort>.yaml"
    for schema in sorted(schema_dir().glob("*.json")):
        assert rows[schema.name], schema.name  # every schema says which files it checks
        assert (site / "schemas" / schema.name).is_file()
    assert "Images" in html and "foreignObject" in html


def test_pages_load_no_third_party_fonts(site: Path) -> None:
    for url in ("", "catalog/", "cohorts/fa-lon-2027-01/"):
        html = (site / url / "index.html").read_text()
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, url


def test_quiz_hint_not_repeated_when_the_prompt_says_it(site: Path) -> None:
    html = page(site, "courses/manual-handling/lifting").read_text()
    assert "Select all that apply." in html
    assert html.lower().count("select all that apply") == 1
    assert "(answer with a number)" in html and "(answer in a few words)" in html


def test_addresses_name_the_country(site: Path) -> None:
    assert "United Kingdom" in page(site, "venues/london-hq").read_text()
    assert "United States" in page(site, "cohorts/fa-nyc-2026-11").read_text()


def test_only_linked_course_files_and_a_marker_are_published(site: Path) -> None:
    course = site / "courses/fire-safety-basics"
    assert (course / "img/fire-triangle.svg").is_file()  # linked from a module
    assert (DEMO / "courses/fire-safety-basics/modules/img/SOURCES.txt").is_file()
    assert not (course / "img/SOURCES.txt").exists()  # beside it, but linked by no module
    assert (site / ".trainkit-output").read_text().startswith("This folder is written by")


def test_prices_on_program_and_cohort_pages(full_site: Path) -> None:
    first_aid = parse(page(full_site, "programs/first-aid")).shown()
    assert "Price: £650 per person + VAT" in first_aid
    assert "Early bird: £585 per person + VAT when booked by 31 August 2026" in first_aid
    assert "Groups of 5 or more: 10% off each seat" in first_aid
    assert "Groups of 10 or more: 15% off each seat" in first_aid
    london = parse(page(full_site, "cohorts/fa-lon-2026-10")).shown()
    assert "Price: £650 per person + VAT" in london
    new_york = parse(page(full_site, "cohorts/fa-nyc-2026-11")).shown()  # priced in dollars
    assert "Price: US$795 per person" in new_york and "+ VAT" not in new_york
    closed = parse(page(full_site, "cohorts/fl-man-2027-02")).shown()
    assert "Price: £4,800 for a closed group of up to 8 people + VAT" in closed
    assert "Groups of" not in closed  # group discounts do not apply to a flat fee
    leading = parse(page(full_site, "programs/leading-teams")).shown()
    assert "Early bird: £1,300 per person + VAT when booked by 15 September 2026" in leading


def test_no_organisation_data_anywhere_public(full_site: Path, academy) -> None:
    assert len(academy.organisations) >= 2
    # street and postcode lines (a city alone is public anyway: venues are in it)
    secrets = [v for o in academy.organisations.values()
               for v in (o.legal_name, o.tax_id or "", o.billing_email, o.billing_name,
                         *(line for line in o.address_lines if any(c.isdigit() for c in line)))]
    assert len(secrets) > 12
    texts = list(public_texts(full_site))
    for value in secrets:
        hits = [p for p, t in texts if value.lower() in t.lower()]
        assert not hits, (value, hits[:3])
    assert not (full_site / "organisations").exists()


def test_no_rate_hire_or_cost_anywhere_public(full_site: Path, academy) -> None:
    """Instructor rates, room hire, materials and cohort costs stay in reports/."""
    rates = [r for i in academy.instructors.values() if (r := i.rates)]
    hires = [h for v in academy.venues.values() for h in (v.hire, *(r.hire for r in v.rooms))
             if h]
    amounts = {(a, r.currency) for r in (*rates, *hires) for a in (r.day, r.hour) if a}
    amounts |= {(c.amount, c.currency) for co in academy.cohorts.values()
                for c in (*co.costs, *([co.materials] if co.materials else []))}
    assert len(rates) >= 6 and len(hires) >= 4 and len(amounts) >= 10
    shown = {f"{a:f}" for a, _ in amounts} | {money(a, cur, "en-GB") for a, cur in amounts}
    texts = [(p, t) for p, t in public_texts(full_site) if p.suffix != ".svg"]
    for figure in sorted(shown):
        whole = re.compile(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)")
        hits = [p for p, t in texts if whole.search(t)]
        assert not hits, (figure, hits[:3])
    for ident in academy.instructors:
        text = parse(page(full_site, f"instructors/{ident}")).shown()
        assert "rate" not in text.lower() and "hire" not in text.lower(), ident


def test_no_survey_response_or_comment_public(full_site: Path, academy) -> None:
    """Feedback is private: only the opt-in averages of a large enough program are public."""
    texts = list(public_texts(full_site))
    secrets = {cell for f in academy.survey_responses for q in f.questions
               if academy.surveys[f.columns["survey"][0]].question(q).type == "text"
               for cell in f.columns[q] if len(cell) > 8}
    secrets |= {r for f in academy.survey_responses for r in f.columns["response"]}
    assert len(secrets) > 15
    for secret in secrets:
        hits = [p for p, t in texts if secret in t]
        assert not hits, (secret, hits[:3])
    ratings = page(full_site, "programs/first-aid").read_text()
    assert "What learners say" in ratings and "4.1 of 5" in ratings and "NPS +30" in ratings
    # leading-teams asks the survey but has no responses: nothing to publish
    assert "What learners say" not in page(full_site, "programs/leading-teams").read_text()


def test_no_order_invoice_or_payment_data_anywhere_public(full_site: Path, academy) -> None:
    assert academy.ledger and academy.orders and academy.invoicing
    secrets = [d.number for d in academy.ledger] + [d.sha256 for d in academy.ledger]
    secrets += [o.id for o in academy.orders.values()]
    secrets += [o.purchase_order for o in academy.orders.values() if o.purchase_order]
    secrets += [v for o in academy.orders.values() if o.buyer
                for v in (o.buyer.email, *o.buyer.address_lines[:1])]
    secrets += [academy.invoicing.iban or "", academy.invoicing.email]
    secrets += [f"{d.total:,}" for d in academy.ledger] + [str(d.total) for d in academy.ledger]
    assert len(secrets) > 15 and all(secrets)
    texts = list(public_texts(full_site))
    for value in secrets:
        hits = [p for p, t in texts if value.lower() in t.lower()]
        assert not hits, (value, hits[:3])
    names = {p.name for p in full_site.rglob("*")}
    assert not {"invoices", "orders", "invoices.yaml", "factur-x.xml"} & names
    assert not list(full_site.rglob("*.pdf"))
    reports = full_site.parent / "reports" / "invoices"
    assert sorted(p.name for p in reports.glob("*.pdf")) == [
        f"{d.number}.pdf" for d in academy.ledger]


def test_a_link_between_generated_pages_is_the_one_relpath_gives() -> None:
    """``rel`` works out links from the two paths alone; it must agree with
    ``posixpath.relpath`` everywhere, odd paths included (they fall back to it)."""
    import itertools
    import posixpath

    from trainkit.writers.site.common import rel

    parts = ["a", "b", "index.md", "a.md"]
    paths = ["/".join(t) for n in range(1, 4) for t in itertools.product(parts, repeat=n)]
    odd = ["./a.md", "a//b.md", "../x.md", "a/./b.md", ".", "a/", "/a/b", "/a", "//a"]
    compared = 0
    for src in paths + odd:
        for dst in paths + odd:
            want = posixpath.relpath(dst, posixpath.dirname(src) or ".")
            assert rel(src, dst) == want, (src, dst)
            compared += 1
    assert compared > 5000
