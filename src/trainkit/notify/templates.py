"""Message text from Jinja templates, one pair per kind, overridable by the academy.

``<kind>.txt`` holds two blocks, ``subject`` and ``body`` (plain text, not
escaped); ``<kind>.html`` is the HTML part (autoescaped). A file of the same
name in the academy's templates folder (``notifications.templates``, by
default ``notifications/templates``) replaces the built-in one; built-in
``base.html`` can be extended or replaced too.

Dates and times are written with Babel in the academy's locale and the
recipient's zone (a learner's or instructor's ``timezone``; learners without
one see the session's zone, where it takes place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)

from trainkit.diagnostics import Diagnostic, error
from trainkit.load.containment import walk_published
from trainkit.model import Academy, Session
from trainkit.notify.notice import Notice, Recipient
from trainkit.writers.feedlinks import cohort_page_path


def template_problems(root: Path, folder: str) -> list[Diagnostic]:
    """The academy's own templates obey the rule every file trainkit reads obeys.

    Each must be a regular file inside the academy: a link to a file outside
    it (or to a device) is refused, located at the link, before anything is
    rendered or sent.
    """
    _, refused = walk_published(root.resolve(), folder, published=False)
    return [error(rel, 1, 1, problem.code, problem.message) for rel, problem in refused]


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def _zone(name: str | None, fallback: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


class Templates:
    def __init__(self, academy: Academy, root: Path) -> None:
        self.academy = academy
        self.locale = academy.settings.locale.replace("-", "_")
        self.memo: dict[tuple[datetime, datetime, str], str] = {}
        own = Path(root) / academy.settings.notifications.templates
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(own)),
                                 PackageLoader("trainkit.notify", "templates")]),
            autoescape=select_autoescape(["html"], default_for_string=False, default=False),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, notice: Notice, sequence: int) -> Rendered:
        context = self.context(notice, sequence)
        txt = self.env.get_template(f"{notice.kind}.txt")
        blocks = txt.new_context(context)
        subject = " ".join("".join(txt.blocks["subject"](blocks)).split())
        text = "".join(txt.blocks["body"](txt.new_context(context))).strip() + "\n"
        html = self.env.get_template(f"{notice.kind}.html").render(context | {"subject": subject})
        return Rendered(subject, text, html)

    def context(self, notice: Notice, sequence: int) -> dict[str, Any]:
        academy, session = self.academy, notice.session
        cohort = academy.cohorts.get(session.cohort) if session else None
        program = academy.programs.get(session.program) if session else None
        settings = academy.settings
        zone_of = session.timezone if session else settings.timezone

        def when(s: Session) -> str:
            return self.when(s, notice.recipient)

        def day(d: date) -> str:
            return format_date(d, "long", locale=self.locale)

        return {
            "academy": settings, "recipient": notice.recipient, "session": session,
            "cohort": cohort, "program": program, "kind": notice.kind,
            "method": notice.method, "sequence": sequence,
            "cohort_url": settings.base_url + cohort_page_path(cohort.id) if cohort else "",
            "when": when, "day": day, "zone": str(_zone(notice.recipient.timezone, zone_of)),
            **notice.extra,
        }

    def when(self, session: Session, recipient: Recipient) -> str:
        """``Tuesday, 31 March 2026, 09:00–17:00 BST`` in the recipient's zone and locale."""
        key = (session.start, session.end, recipient.timezone or session.timezone)
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = self._when(session, recipient)
        return hit

    def _when(self, session: Session, recipient: Recipient) -> str:
        zone = _zone(recipient.timezone, session.timezone)
        a, b = session.start.astimezone(zone), session.end.astimezone(zone)
        first = f"{format_date(a.date(), 'full', locale=self.locale)}, " \
                f"{format_time(a.time(), 'short', locale=self.locale)}"
        if a.date() == b.date():
            last = format_time(b.time(), "short", locale=self.locale)
        else:
            last = (f"{format_date(b.date(), 'full', locale=self.locale)}, "
                    f"{format_time(b.time(), 'short', locale=self.locale)}")
        return f"{first}–{last} {_abbreviation(b)}"


def _abbreviation(moment: datetime) -> str:
    return moment.tzname() or str(moment.tzinfo)
