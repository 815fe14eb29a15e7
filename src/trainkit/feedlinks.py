"""Where each public calendar feed lives, and the links people click to subscribe.

Shared by the feed writer, the site (subscribe buttons) and the private list
of personal feed URLs, so a path is spelled in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urljoin

CALENDARS = "calendars"


def academy_feed_path() -> str:
    return f"{CALENDARS}/academy.ics"


def program_feed_path(program_id: str) -> str:
    return f"{CALENDARS}/programs/{program_id}.ics"


def cohort_feed_path(cohort_id: str) -> str:
    return f"{CALENDARS}/cohorts/{cohort_id}.ics"


def venue_feed_path(venue_id: str) -> str:
    return f"{CALENDARS}/venues/{venue_id}.ics"


PERSONAL = f"{CALENDARS}/p"


def personal_feed_path(token: str) -> str:
    """A personal feed: ``token`` is the keyed hash from :mod:`trainkit.personal`.

    The path holds neither the person's id nor their name, so knowing the
    academy's layout does not let anyone find someone's calendar.
    """
    return f"{PERSONAL}/{token}.ics"


def cohort_page_path(cohort_id: str) -> str:
    """The cohort's page on the site (MkDocs directory URL), linked from every event."""
    return f"cohorts/{cohort_id}/"


@dataclass(frozen=True)
class SubscribeLinks:
    https: str  # plain download / the feed's own URL
    webcal: str  # Apple Calendar, Outlook desktop
    google: str  # Google Calendar "add by URL"
    outlook: str  # Outlook.com "add from web"


def feed_url(base_url: str, feed_path: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    if feed_path.startswith("/") or "://" in feed_path:
        return urljoin(base, feed_path)
    return base + feed_path  # same as urljoin for a relative path, and cheap for 100k feeds


def subscribe_links(base_url: str, feed_path: str, name: str = "") -> SubscribeLinks:
    """The four links for one feed, from the academy's public base URL."""
    https = feed_url(base_url, feed_path)
    webcal = "webcal://" + https.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")
    outlook = (
        "https://outlook.live.com/calendar/0/addfromweb?url=" + quote(https, safe="")
        + ("&name=" + quote(name, safe="") if name else "")
    )
    return SubscribeLinks(https=https, webcal=webcal, google=google, outlook=outlook)
