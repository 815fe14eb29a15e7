"""Feed paths and the four subscribe links, and keyed-hash personal feed names."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from trainkit.writers import feedlinks
from trainkit.writers.feeds.personal import INSTRUCTOR, LEARNER, feed_token


def test_public_feed_paths() -> None:
    assert feedlinks.academy_feed_path() == "calendars/academy.ics"
    assert feedlinks.program_feed_path("first-aid") == "calendars/programs/first-aid.ics"
    assert feedlinks.cohort_feed_path("fa-1") == "calendars/cohorts/fa-1.ics"
    assert feedlinks.venue_feed_path("london") == "calendars/venues/london.ics"
    assert feedlinks.cohort_page_path("fa-1") == "cohorts/fa-1/"


def test_subscribe_links_for_every_client() -> None:
    links = feedlinks.subscribe_links("https://academy.example.org/", "calendars/academy.ics",
                                      "Academy & friends")
    assert links.https == "https://academy.example.org/calendars/academy.ics"
    assert links.webcal == "webcal://academy.example.org/calendars/academy.ics"
    google = urlsplit(links.google)
    assert (google.scheme, google.netloc, google.path) == (
        "https", "calendar.google.com", "/calendar/r")
    assert parse_qs(google.query) == {"cid": [links.webcal]}
    outlook = urlsplit(links.outlook)
    assert (outlook.netloc, outlook.path) == ("outlook.live.com", "/calendar/0/addfromweb")
    assert parse_qs(outlook.query) == {"url": [links.https], "name": ["Academy & friends"]}
    # Work and school accounts (Microsoft 365) add calendars on outlook.office.com.
    work = urlsplit(links.office365)
    assert (work.scheme, work.netloc, work.path) == (
        "https", "outlook.office.com", "/calendar/0/addfromweb")
    assert parse_qs(work.query) == parse_qs(outlook.query)


def test_subscribe_links_keep_a_base_path_and_add_a_missing_slash() -> None:
    links = feedlinks.subscribe_links("https://example.org/academy", "calendars/academy.ics")
    assert links.https == "https://example.org/academy/calendars/academy.ics"
    assert links.webcal == "webcal://example.org/academy/calendars/academy.ics"
    assert "name=" not in links.outlook


def test_personal_tokens_are_keyed_stable_and_opaque() -> None:
    a = feed_token(b"secret-1", LEARNER, "l-0101")
    assert a == feed_token(b"secret-1", LEARNER, "l-0101")  # stable from build to build
    assert len(a) == 32 and int(a, 16) >= 0
    assert a != feed_token(b"secret-2", LEARNER, "l-0101")  # depends on the secret
    assert a != feed_token(b"secret-1", LEARNER, "l-0102")
    assert a != feed_token(b"secret-1", INSTRUCTOR, "l-0101")  # learner and instructor apart
    assert "l-0101" not in a
    path = feedlinks.personal_feed_path(a)
    assert path == f"calendars/p/{a}.ics"


def test_link_maker_equals_encoding_each_link_whole() -> None:
    """The fast path (encode the base once) gives the same links as quoting everything."""
    from urllib.parse import quote

    base, name = "https://ex.org/a b/ä/", "Café & co"
    maker = feedlinks.LinkMaker(base, name)
    for path in ("calendars/p/0123abcd.ics", "calendars/cohorts/x y.ics", "/root.ics"):
        links = maker.links(path)
        https = feedlinks.feed_url(base, path)
        webcal = "webcal://" + https.split("://", 1)[1]
        assert links.https == https == maker.https(path)
        assert links.webcal == webcal == maker.webcal(path)
        assert links.google == feedlinks.GOOGLE + quote(webcal, safe="")
        assert links.outlook == (feedlinks.OUTLOOK + quote(https, safe="") + "&name="
                                 + quote(name, safe=""))
    assert maker.links("/root.ics").https == "https://ex.org/root.ics"
