"""Academy settings (``trainkit.yaml``) and the competency framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from trainkit.model.common import Loc

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
    loc: Loc = field(default_factory=lambda: Loc("trainkit.yaml"))
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics


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
