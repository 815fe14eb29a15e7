"""Academy settings (``trainkit.yaml``) and the competency framework.
"""

from __future__ import annotations

from datetime import date

from trainkit.load.yamlio import Document
from trainkit.model import (
    Blackout,
    CertificateSettings,
    Competency,
    FeedSettings,
    HolidayCalendar,
    Loc,
    Settings,
    SiteSettings,
)
from trainkit.resolve.calendars import parse_duration
from trainkit.resolve.common import Declared, loc
from trainkit.resolve.registration import read_registration


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
        loc=Loc(doc.path, 1, 1),
        timezone_loc=loc(doc, "timezone"),
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
