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
    """A personal feed: ``token`` is the keyed hash from :mod:`trainkit.writers.feeds.personal`.

    The path holds neither the person's id nor their name, so knowing the
    academy's layout does not let anyone find someone's calendar.
    """
    return f"{PERSONAL}/{token}.ics"


def cohort_page_path(cohort_id: str) -> str:
    """The cohort's page on the site (MkDocs directory URL), linked from every event."""
    return f"cohorts/{cohort_id}/"


def program_page_path(program_id: str) -> str:
    """The program's page on the site, linked from its feed."""
    return f"programs/{program_id}/"


def venue_page_path(venue_id: str) -> str:
    """The venue's page on the site, linked from its feed."""
    return f"venues/{venue_id}/"


@dataclass(frozen=True)
class SubscribeLinks:
    https: str  # plain download / the feed's own URL
    webcal: str  # Apple Calendar, Outlook desktop
    google: str  # Google Calendar "add by URL"
    outlook: str  # Outlook.com (personal Microsoft accounts) "add from web"
    office365: str  # Outlook on the web for work and school accounts (Microsoft 365)


def feed_url(base_url: str, feed_path: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    if feed_path.startswith("/") or "://" in feed_path:
        return urljoin(base, feed_path)
    return base + feed_path  # same as urljoin for a relative path, and cheap for 100k feeds


GOOGLE = "https://calendar.google.com/calendar/r?cid="
OUTLOOK = "https://outlook.live.com/calendar/0/addfromweb?url="
# Work and school accounts sign in at outlook.office.com, not outlook.live.com.
OFFICE365 = "https://outlook.office.com/calendar/0/addfromweb?url="


def learner_feed_name(title: str) -> str:
    """How a learner's personal feed names itself (and its subscribe links name it)."""
    return f"{title}: my sessions"


def instructor_feed_name(title: str, person: str) -> str:
    """How an instructor's personal feed names itself."""
    return f"{title}: {person} teaching"


def subscribe_links(base_url: str, feed_path: str, name: str = "") -> SubscribeLinks:
    """The links for one feed, from the academy's public base URL."""
    return LinkMaker(base_url, name).links(feed_path)


def _links_for_url(https: str, name_part: str) -> SubscribeLinks:
    webcal = "webcal://" + https.split("://", 1)[1]
    encoded = quote(https, safe="")
    return SubscribeLinks(https=https, webcal=webcal, google=GOOGLE + quote(webcal, safe=""),
                          outlook=OUTLOOK + encoded + name_part,
                          office365=OFFICE365 + encoded + name_part)


class LinkMaker:
    """:func:`subscribe_links` for many feeds of one site (the personal ones).

    Percent-encoding works character by character, so the encoded base URL
    and name are computed once and only each feed's path is encoded.
    """

    def __init__(self, base_url: str, name: str = "") -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.webcal_base = "webcal://" + self.base.split("://", 1)[1]
        self.google = GOOGLE + quote(self.webcal_base, safe="")
        self.outlook = OUTLOOK + quote(self.base, safe="")
        self.office365 = OFFICE365 + quote(self.base, safe="")
        self.name_part = _name_part(name)
        self.folders: dict[str, str] = {}  # folder -> its encoding, e.g. calendars%2Fp%2F

    def https(self, feed_path: str) -> str:
        """``links(feed_path).https`` alone (the others quote the path: 100,000 pages)."""
        if feed_path.startswith("/") or "://" in feed_path:
            return self.links(feed_path).https
        return self.base + feed_path

    def webcal(self, feed_path: str) -> str:
        """``links(feed_path).webcal`` alone."""
        if feed_path.startswith("/") or "://" in feed_path:
            return self.links(feed_path).webcal
        return self.webcal_base + feed_path

    def links(self, feed_path: str, name: str | None = None) -> SubscribeLinks:
        """The links for one feed; ``name`` replaces the maker's calendar name."""
        name_part = self.name_part if name is None else _name_part(name)
        if feed_path.startswith("/") or "://" in feed_path:
            return _links_for_url(feed_url(self.base, feed_path), name_part)
        folder, _, name = feed_path.rpartition("/")
        encoded = self.folders.get(folder)
        if encoded is None:
            encoded = self.folders[folder] = quote(folder + "/", safe="") if folder else ""
        path = encoded + quote(name, safe="")
        return SubscribeLinks(
            https=self.base + feed_path,
            webcal=self.webcal_base + feed_path,
            google=self.google + path,
            outlook=self.outlook + path + name_part,
            office365=self.office365 + path + name_part,
        )


def _name_part(name: str) -> str:
    return "&name=" + quote(name, safe="") if name else ""
