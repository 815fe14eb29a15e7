"""Unguessable, stable names for personal calendar feeds, and the private list of them.

A personal feed lives at ``calendars/p/<token>.ics`` where ``token`` is an
HMAC-SHA256 of the person's id keyed with the academy's feed secret. Without
the secret nobody can work out which file belongs to whom (or that a given
person has one); with the same secret the name is the same in every build, so
a link sent to a learner keeps working. Changing the secret moves every
personal feed (the old links stop working), which is how to revoke them all.

The list that maps people to their feed (kind, id, name, e-mail, URL) is
private: it is written under ``reports/``, never under ``site/``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainkit.load.csvtext import csv_text, safe_cell
from trainkit.model import Academy
from trainkit.writers.feedlinks import feed_url, personal_feed_path

LEARNER = "learner"
INSTRUCTOR = "instructor"
TOKEN_HEX_CHARS = 32  # 128 bits: far beyond guessing, short enough for a URL
LIST_DIR = "feeds"
LIST_NAME = "personal-feeds"
LIST_PATH = f"{LIST_DIR}/{LIST_NAME}.csv"  # in the private folder
LIST_KINDS = frozenset({"academy", "instructor", "learners"})  # what the list is made from


def feed_token(secret: bytes, kind: str, person_id: str) -> str:
    """The file name (without ``.ics``) of one person's feed.

    ``kind`` is part of the hashed message so a learner and an instructor who
    happen to share an id still get different feeds.
    """
    message = f"trainkit-feed:{kind}:{person_id}".encode()
    return hmac.digest(secret, message, hashlib.sha256).hex()[:TOKEN_HEX_CHARS]


@dataclass(frozen=True, slots=True)
class PersonalFeed:
    """One person's feed: who, where the file is, and the link to send them."""

    kind: str  # learner | instructor
    id: str
    name: str
    email: str
    path: str  # site-relative path of the feed file
    url: str  # the feed's https URL

    def row(self) -> tuple[str, ...]:
        return (self.kind, self.id, self.name, self.email, self.url)


# One row per person and one link each: at 100,000 learners the list is about 13 MB. Every
# other subscribe link is the url rewritten (docs/feeds.md gives the spreadsheet formulas),
# so repeating five spellings of it, in two formats, made the list ten times larger.
COLUMNS = ("kind", "id", "name", "email", "url")


def personal_feeds(academy: Academy, token: Callable[[str, str], str]) -> list[PersonalFeed]:
    """Every learner's and instructor's feed, instructors first, each sorted by id
    (``token``: a person's token by kind and id, :class:`trainkit.writers.feeds.tokens.Tokens`)."""
    base = academy.settings.base_url
    people = [(INSTRUCTOR, p.id, p.name, p.email) for p in academy.instructors.values()]
    people += [(LEARNER, p.id, p.name, p.email) for p in academy.learners.values()]
    people.sort(key=lambda row: (row[0] != INSTRUCTOR, row[1]))
    out = []
    for kind, pid, name, email in people:
        path = personal_feed_path(token(kind, pid))
        out.append(PersonalFeed(kind, pid, name, email, path, feed_url(base, path)))
    return out


def write_list(feeds: list[PersonalFeed], private: Path) -> Path:
    """Write ``feeds/personal-feeds.csv`` under the private folder."""
    folder = private / LIST_DIR
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = private / LIST_PATH
    # Names and e-mails come from people's files: a leading "=" or "+" must stay text
    # when the list is opened in a spreadsheet (the other columns are made here).
    cells = [(r[0], r[1], safe_cell(r[2]), safe_cell(r[3]), r[4])
             for r in (f.row() for f in feeds)]
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        out.write(csv_text([COLUMNS, *cells]))
    return csv_path
