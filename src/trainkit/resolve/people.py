"""People and places: venues with their rooms, instructors with their availability, learners.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from trainkit.diagnostics import Diagnostic, error
from trainkit.load.yamlio import Document
from trainkit.model import (
    Address,
    Instructor,
    Learner,
    Loc,
    Qualification,
    Room,
    Settings,
    Unavailability,
    Venue,
)
from trainkit.resolve.calendars import UTC, safe_zone
from trainkit.resolve.common import Declared, loc, stem
from trainkit.resolve.reuse import Step, step


def resolve_venue(doc: Document) -> Venue:
    d = doc.data
    a = d["address"]
    return Venue(
        id=stem(doc.path),
        name=d["name"],
        address=Address(
            street=a.get("street", ""),
            city=a.get("city", ""),
            postcode=str(a.get("postcode", "")),
            country=a.get("country", ""),
            subdivision=a.get("subdivision"),
            loc=loc(doc, "address", "subdivision" if "subdivision" in a else "country"),
        ),
        timezone=d["timezone"],
        rooms=tuple(
            Room(r["id"], r.get("name", r["id"]), int(r["capacity"]),
                 bool(r.get("accessible", False)),
                 loc(doc, "rooms", i))
            for i, r in enumerate(d.get("rooms", []))
        ),
        directions=d.get("directions", ""),
        map_url=d.get("map_url"),
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        loc=Loc(doc.path, 1, 1),
        timezone_loc=loc(doc, "timezone"),
    )


def parse_moment(text: str, tz_name: str, *, end: bool = False) -> datetime:
    """A date or date-time from YAML as an aware datetime.

    A bare date means the start of that day; with ``end`` it means the end of
    that (inclusive) day, i.e. midnight after it.
    """
    tz = safe_zone(tz_name) or UTC
    if len(text) == 10:
        day = date.fromisoformat(text) + (timedelta(days=1) if end else timedelta())
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _unavailable(doc: Document, tz: str, problems: list[Diagnostic]) -> tuple[Unavailability, ...]:
    out: list[Unavailability] = []
    for i, u in enumerate(doc.data.get("unavailable", [])):
        try:
            start = parse_moment(u["from"], tz)
            end = parse_moment(u.get("until", u["from"]), tz, end=True)
        except ValueError as exc:  # the schema's pattern lets 2026-02-30T10:00 through
            where = loc(doc, "unavailable", i)
            problems.append(error(where.path, where.line, where.col, "schema",
                                  f"unavailable[{i}]: not a real date or time ({exc}); fix it"))
            continue
        out.append(Unavailability(start, end, u.get("reason", "unavailable"),
                                  loc(doc, "unavailable", i)))
    return tuple(out)


def resolve_instructor(doc: Document, settings: Settings,
                       problems: list[Diagnostic] | None = None) -> Instructor:
    d = doc.data
    tz = d.get("timezone", settings.timezone)
    unavailable = _unavailable(doc, tz, problems if problems is not None else [])
    return Instructor(
        id=stem(doc.path),
        name=d["name"],
        email=d.get("email", ""),
        bio=d.get("bio", ""),
        timezone=tz,
        qualifications=tuple(
            Qualification(q["id"], date.fromisoformat(q["expires"]) if q.get("expires") else None,
                          loc(doc, "qualifications", i))
            for i, q in enumerate(d.get("qualifications", []))
        ),
        unavailable=unavailable,
        max_hours_per_week=d.get("max_hours_per_week"),
        loc=Loc(doc.path, 1, 1),
        timezone_loc=loc(doc, "timezone") if "timezone" in d else None,
        home_venues=tuple(d.get("home_venues", ())),
    )


def resolve_learners(docs: list[Document], declared: Declared,
                     kept: Step | None = None) -> dict[str, Learner]:
    """Every learner, the first declaration of an id winning; with ``kept``, the
    learners of a file come from the last resolve when its document is the same."""
    kept = kept or step(None, "learners")
    out: dict[str, Learner] = {}
    add = declared.add
    for doc in docs:
        for learner in kept.get(doc, lambda doc=doc: _learners(doc, kept.shared)):  # type: ignore[misc]
            if add("learner", learner.id, learner.loc):
                out[learner.id] = learner
    return out


def _learners(doc: Document, shared: dict[object, Any]) -> list[Learner]:
    # one object per distinct role list and manager: thousands of learners share a few, and
    # the skills reports group learners by them (identical objects compare at once)
    org = doc.data.get("organisation")
    items = doc.data.get("learners", [])
    marks = items.marks
    path = doc.path
    out = []
    for i, row in enumerate(items):
        line, col = marks[i]
        roles = row.get("roles", ())
        role_locs = tuple(loc(doc, "learners", i, "roles", j) for j in range(len(roles)))
        manager = row.get("manager")
        out.append(Learner(row["id"], row["name"], row["email"],
                           row.get("organisation", org), Loc(path, line, col),
                           shared.setdefault(tuple(roles), tuple(roles)),
                           shared.setdefault(manager, manager), role_locs,
                           timezone=row.get("timezone"),
                           reminders=row.get("reminders", True),
                           organisation_loc=_organisation_loc(doc, i, row),
                           city=row.get("city"),
                           timezone_loc=loc(doc, "learners", i, "timezone")
                           if "timezone" in row else None))
    return out


def _organisation_loc(doc: Document, i: int, row: dict[str, object]) -> Loc | None:
    if "organisation" in row:
        return loc(doc, "learners", i, "organisation")
    return loc(doc, "organisation") if "organisation" in doc.data else None
