"""Academy settings (``trainkit.yaml``) and the competency framework.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from trainkit.load.yamlio import Document
from trainkit.model import (
    Blackout,
    CertificateSettings,
    Competency,
    FeedSettings,
    HolidayCalendar,
    Loc,
    NotificationSettings,
    Settings,
    SiteSettings,
    SmtpSettings,
)
from trainkit.resolve.calendars import parse_duration, parse_offset
from trainkit.resolve.common import Declared, loc
from trainkit.resolve.registration import read_registration
from trainkit.resolve.surveys import feedback_settings


def resolve_settings(doc: Document) -> Settings:
    d = doc.data
    site = d.get("site", {})
    feeds = d.get("feeds", {})
    certs = d.get("certificates", {})
    base = d["base_url"] if d["base_url"].endswith("/") else d["base_url"] + "/"
    blackouts = tuple(
        Blackout(
            start=date.fromisoformat(b["from"]),
            end=date.fromisoformat(b.get("until", b["from"])),
            reason=b.get("reason", "blackout"),
            loc=loc(doc, "blackout_dates", i),
        )
        for i, b in enumerate(d.get("blackout_dates", []))
    )
    return Settings(
        id=d["id"],
        name=d["name"],
        base_url=base,
        timezone=d["timezone"],
        locale=d.get("locale", "en"),
        holidays=tuple(
            HolidayCalendar(
                h["country"], h.get("subdivision"),
                loc(doc, "holidays", i, "subdivision" if "subdivision" in h else "country"),
            )
            for i, h in enumerate(d.get("holidays", []))
        ),
        blackouts=blackouts,
        site=SiteSettings(
            title=site.get("title", d["name"]),
            logo=site.get("logo"),
            favicon=site.get("favicon"),
            primary_color=site.get("primary_color", "indigo"),
            accent_color=site.get("accent_color", "indigo"),
            nav=tuple(site.get("nav", ())),
            featured=tuple(site.get("featured", ())),
            extra_dir=site.get("extra_dir", "site-extra"),
            repo_url=site.get("repo_url"),
        ),
        feeds=FeedSettings(
            refresh=parse_duration(feeds.get("refresh", "6h")),
            require_secret=bool(feeds.get("require_secret", False)),
            secret_env=feeds.get("secret_env", "TRAINKIT_FEED_SECRET"),
        ),
        certificates=CertificateSettings(
            issuer_name=certs.get("issuer_name", d["name"]),
            issuer_url=certs.get("issuer_url", base),
            issuer_email=certs.get("issuer_email"),
            show_name_on_verification=bool(certs.get("show_name_on_verification", False)),
            signatory=certs.get("signatory"),
        ),
        registration=read_registration(doc, d),
        description=d.get("description", ""),
        contact_email=d.get("contact_email"),
        notifications=_notifications(d.get("notifications", {})),
        feedback=feedback_settings(d),
        loc=Loc(doc.path, 1, 1),
        timezone_loc=loc(doc, "timezone"),
    )


def _notifications(n: dict[str, Any]) -> NotificationSettings:
    smtp = n.get("smtp", {})
    default = NotificationSettings()
    reminders = n.get("reminders")
    return NotificationSettings(
        from_email=n.get("from"),
        from_name=n.get("from_name"),
        reply_to=n.get("reply_to"),
        reminders=default.reminders if reminders is None
        else tuple(parse_offset(r) for r in reminders),
        certificate_windows=tuple(sorted(set(n.get("certificate_windows",
                                                   default.certificate_windows)),
                                         reverse=True)),
        ledger=n.get("ledger", default.ledger),
        templates=n.get("templates", default.templates),
        outbox=n.get("outbox", default.outbox),
        smtp=SmtpSettings(
            host=smtp.get("host", "localhost"),
            port=smtp.get("port"),
            security=smtp.get("security", "starttls"),
            username_env=smtp.get("username_env"),
            password_env=smtp.get("password_env"),
            timeout=float(smtp.get("timeout", 30)),
        ),
    )


def resolve_competencies(docs: list[Document], declared: Declared) -> dict[str, Competency]:
    out: dict[str, Competency] = {}
    for doc in docs:
        for i, c in enumerate(doc.data.get("competencies", [])):
            where = loc(doc, "competencies", i)
            if declared.add("competency", c["id"], where):
                out[c["id"]] = Competency(c["id"], c["name"], c.get("description", ""),
                                          tuple(c.get("levels", ())), where)
    return out
