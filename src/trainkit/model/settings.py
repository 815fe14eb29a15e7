"""Academy settings (``trainkit.yaml``) and the competency framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from trainkit.model.common import Loc
from trainkit.model.surveys import FeedbackSettings

# ---------------------------------------------------------------- academy


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    country: str
    subdivision: str | None = None
    # where the calendar is named (for diagnostics); not part of its identity
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Blackout:
    start: date
    end: date  # inclusive
    reason: str
    loc: Loc


# The site's own pages ``site.nav`` may name, beside the Markdown pages of ``extra_dir``.
NAV_PAGES = ("catalog", "courses", "instructors", "venues", "editing")


@dataclass(frozen=True, slots=True)
class SiteSettings:
    title: str
    logo: str | None = None
    favicon: str | None = None
    primary_color: str = "indigo"
    accent_color: str = "indigo"
    nav: tuple[str, ...] = ()
    featured: tuple[str, ...] = ()
    extra_dir: str = "site-extra"  # authors' own pages and overrides
    repo_url: str | None = None


@dataclass(frozen=True, slots=True)
class FeedSettings:
    refresh: timedelta = timedelta(hours=6)
    require_secret: bool = False
    secret_env: str = "TRAINKIT_FEED_SECRET"


@dataclass(frozen=True, slots=True)
class CertificateSettings:
    issuer_name: str
    issuer_url: str
    issuer_email: str | None = None
    show_name_on_verification: bool = False
    signatory: str | None = None


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where ``trainkit notify --send`` delivers; credentials come from the environment."""

    host: str = "localhost"
    port: int | None = None  # None: 465 with ``tls``, 587 with ``starttls``, else 25
    security: str = "starttls"  # starttls | tls | none
    username_env: str | None = None  # names of environment variables, never values
    password_env: str | None = None
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """``notifications:`` in ``trainkit.yaml``: senders, windows, ledger and templates."""

    from_email: str | None = None  # None: notifications are not configured
    from_name: str | None = None  # default: the academy's name
    reply_to: str | None = None  # default: contact_email
    reminders: tuple[timedelta, ...] = (timedelta(days=2),)
    certificate_windows: tuple[int, ...] = (90, 30)  # days before expiry
    ledger: str = "records/notifications.csv"
    templates: str = "notifications/templates"
    outbox: str = "outbox"  # inside reports/
    smtp: SmtpSettings = field(default_factory=SmtpSettings)


@dataclass(frozen=True, slots=True)
class Registration:
    """How people register for a cohort; ``None`` means "not given at this level".

    ``opens`` and ``closes`` are a date or a number of days before the first
    session. The academy's settings, the program's and the cohort's are merged
    (:meth:`over`), the most specific winning, setting by setting.
    """

    channel: str | None = None  # github-issue | email | form
    opens: date | int | None = None
    closes: date | int | None = None
    approval: bool | None = None
    email: str | None = None
    form_url: str | None = None
    repository: str | None = None
    loc: Loc | None = field(default=None, compare=False)

    def over(self, base: Registration) -> Registration:
        """These settings, with ``base``'s where this one gives none."""
        def pick(mine: Any, theirs: Any) -> Any:
            return mine if mine is not None else theirs

        return Registration(
            channel=pick(self.channel, base.channel), opens=pick(self.opens, base.opens),
            closes=pick(self.closes, base.closes), approval=pick(self.approval, base.approval),
            email=pick(self.email, base.email), form_url=pick(self.form_url, base.form_url),
            repository=pick(self.repository, base.repository), loc=self.loc or base.loc,
        )


@dataclass(frozen=True, slots=True)
class Settings:
    id: str
    name: str
    base_url: str  # always ends with "/"
    timezone: str
    locale: str
    holidays: tuple[HolidayCalendar, ...]
    blackouts: tuple[Blackout, ...]
    site: SiteSettings
    feeds: FeedSettings
    certificates: CertificateSettings
    description: str = ""
    contact_email: str | None = None
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    loc: Loc = field(default_factory=lambda: Loc("trainkit.yaml"))
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics
    registration: Registration = field(default_factory=Registration)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)


# ---------------------------------------------------------------- competencies


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    name: str
    description: str
    levels: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True, slots=True)
class CompetencyRef:
    id: str
    level: str | None
    loc: Loc
