"""Turn validated documents into the one immutable :class:`~trainkit.model.Academy`.

Only documents that passed their schema are resolved, so values here have the
right shape; what can still be wrong (unknown ids, bad zone names, times that
end before they start) stays in the model for the rules to report.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from trainkit import records_io
from trainkit.calendars import UTC, parse_duration, safe_zone
from trainkit.diagnostics import Diagnostic, error
from trainkit.loader import Loaded
from trainkit.model import (
    Academy,
    Address,
    AttendanceRecord,
    Blackout,
    CertificateSettings,
    Competency,
    CompetencyRef,
    FeedSettings,
    HolidayCalendar,
    Instructor,
    Learner,
    Loc,
    Prerequisites,
    Qualification,
    QuizResult,
    Records,
    Revocation,
    Room,
    Settings,
    SiteSettings,
    Unavailability,
    Venue,
)
from trainkit.records_io import collector_paused
from trainkit.resolve_courses import resolve_courses
from trainkit.resolve_programs import resolve_cohorts, resolve_programs
from trainkit.yamlio import Document


def stem(path: str) -> str:
    return PurePosixPath(path).stem


def loc(doc: Document, *pointer: str | int) -> Loc:
    line, col = doc.locate(pointer)
    return Loc(doc.path, line, col)


def good(docs: Iterable[Document]) -> list[Document]:
    """Documents that parsed and passed their schema."""
    blocking = ("schema", "csv-header")
    return [d for d in docs
            if d.data is not None and not any(x.code in blocking for x in d.diagnostics)]


class Declared:
    """Collects ids as they are declared and the duplicates among them."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Loc] = {}
        self.duplicates: list[tuple[str, str, Loc, Loc]] = []

    def add(self, kind: str, ident: str, where: Loc) -> bool:
        key = (kind, ident)
        if key in self.first:
            self.duplicates.append((kind, ident, self.first[key], where))
            return False
        self.first[key] = where
        return True


def resolve(loaded: Loaded, root: str) -> tuple[Academy | None, list[Diagnostic]]:
    """Build the model; ``None`` when there is no usable ``trainkit.yaml``."""
    t0 = _time.perf_counter()
    academies = good(loaded.of("academy"))
    if not academies:
        return None, []
    settings = resolve_settings(academies[0])
    declared = Declared()
    venues = {v.id: v for v in _each(declared, "venue",
                                     (resolve_venue(d) for d in good(loaded.of("venue"))))}
    problems: list[Diagnostic] = []
    instructors = {
        i.id: i
        for i in _each(declared, "instructor",
                       (resolve_instructor(d, settings, problems)
                        for d in good(loaded.of("instructor"))))
    }
    learners = resolve_learners(good(loaded.of("learners")), declared)
    competencies = resolve_competencies(good(loaded.of("competencies")), declared)
    courses = {c.id: c for c in _each(declared, "course", resolve_courses(loaded, good))}
    pass_marks = {q.id: q.pass_mark for c in courses.values() for q in c.quizzes}
    programs = {
        p.id: p
        for p in _each(declared, "program",
                       resolve_programs(good(loaded.of("program")), pass_marks))
    }
    cohorts = {
        c.id: c
        for c in _each(declared, "cohort",
                       resolve_cohorts(good(loaded.of("cohort")), settings, programs, venues,
                                       problems))
    }
    with collector_paused():  # records: many small objects, no cycles
        attendance = resolve_attendance(good(loaded.of("attendance")))
        results = resolve_quiz_results(good(loaded.of("quiz-results")), settings)
    revocations = tuple(resolve_revocations(good(loaded.of("revocations"))))
    academy = Academy(
        root=root,
        settings=settings,
        competencies=dict(sorted(competencies.items())),
        programs=dict(sorted(programs.items())),
        cohorts=dict(sorted(cohorts.items())),
        instructors=dict(sorted(instructors.items())),
        learners=learners,
        venues=dict(sorted(venues.items())),
        courses=dict(sorted(courses.items())),
        attendance=attendance,
        quiz_results=results,
        revocations=revocations,
        duplicates=tuple(declared.duplicates),
        unusable=unusable(loaded),
    )
    loaded.timings["resolve"] = _time.perf_counter() - t0
    return academy, problems


_ID_OF: dict[str, tuple[str, Callable[[str], str]]] = {  # kind -> (reference kind, path -> id)
    "cohort": ("cohort", lambda p: PurePosixPath(p).stem),
    "instructor": ("instructor", lambda p: PurePosixPath(p).stem),
    "venue": ("venue", lambda p: PurePosixPath(p).stem),
    "program": ("program", lambda p: PurePosixPath(p).parent.name),
    "course": ("course", lambda p: PurePosixPath(p).parent.name),
    "quiz": ("quiz", lambda p: f"{PurePosixPath(p).parents[1].name}/{PurePosixPath(p).stem}"),
}


def unusable(loaded: Loaded) -> frozenset[str]:
    """``kind:id`` of every file that exists but did not load (see :class:`Academy`).

    Its own error is reported in that file; a reference elsewhere to the same
    id would only repeat it, many times over for a popular venue or cohort.
    """
    usable = {id(d) for docs in loaded.documents.values() for d in good(docs)}
    out: set[str] = set()
    for kind, docs in loaded.documents.items():
        for doc in docs:
            if id(doc) in usable:
                continue
            if kind in _ID_OF:
                ref, ident = _ID_OF[kind]
                out.add(f"{ref}:{ident(doc.path)}")
            elif kind == "learners":
                out.update(_learner_ids(doc))
    # A course that did not load takes its (valid) quizzes with it.
    broken_courses = {o.partition(":")[2] for o in out if o.startswith("course:")}
    for doc in loaded.of("quiz"):
        course = PurePosixPath(doc.path).parents[1].name
        if course in broken_courses:
            out.add(f"quiz:{course}/{PurePosixPath(doc.path).stem}")
    return frozenset(out)


def _learner_ids(doc: Document) -> set[str]:
    rows = doc.data.get("learners") if isinstance(doc.data, dict) else None
    if not isinstance(rows, list):
        return {"learner:*"}  # nothing readable: any learner may be in it
    return {f"learner:{r['id']}" for r in rows
            if isinstance(r, dict) and isinstance(r.get("id"), str)}


def _each(declared: Declared, kind: str, items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if declared.add(kind, item.id, item.loc):
            yield item


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
        description=d.get("description", ""),
        contact_email=d.get("contact_email"),
        loc=Loc(doc.path, 1, 1),
        timezone_loc=loc(doc, "timezone"),
    )


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
    )


def resolve_learners(docs: list[Document], declared: Declared) -> dict[str, Learner]:
    out: dict[str, Learner] = {}
    for doc in docs:
        org = doc.data.get("organisation")
        items = doc.data.get("learners", [])
        marks = items.marks
        path = doc.path
        for i, row in enumerate(items):
            line, col = marks[i]
            where = Loc(path, line, col)
            ident = row["id"]
            if declared.add("learner", ident, where):
                out[ident] = Learner(ident, row["name"], row["email"],
                                     row.get("organisation", org), where)
    return out


def resolve_competencies(docs: list[Document], declared: Declared) -> dict[str, Competency]:
    out: dict[str, Competency] = {}
    for doc in docs:
        for i, c in enumerate(doc.data.get("competencies", [])):
            where = loc(doc, "competencies", i)
            if declared.add("competency", c["id"], where):
                out[c["id"]] = Competency(c["id"], c["name"], c.get("description", ""),
                                          tuple(c.get("levels", ())), where)
    return out


def competency_refs(doc: Document, items: list[Any],
                    *pointer: str | int) -> tuple[CompetencyRef, ...]:
    return tuple(
        CompetencyRef(c["id"], c.get("level"), loc(doc, *pointer, i)) if isinstance(c, dict)
        else CompetencyRef(c, None, loc(doc, *pointer, i))
        for i, c in enumerate(items)
    )


def prerequisites(doc: Document) -> Prerequisites:
    """The ``prerequisites:`` of a program or course document."""
    d = doc.data.get("prerequisites", {})
    return Prerequisites(
        programs=tuple(d.get("programs", ())),
        courses=tuple(d.get("courses", ())),
        competencies=tuple(d.get("competencies", ())),
        text=d.get("text", ""),
        loc=loc(doc, "prerequisites"),
    )


def resolve_attendance(docs: list[Document]) -> Records[AttendanceRecord]:
    """Every good row of the attendance files, as one table of columns (see ``Records``)."""
    return Records.joined(AttendanceRecord,
                          [records_io.attendance_columns(d.path, d.data) for d in docs])


def resolve_quiz_results(docs: list[Document], settings: Settings) -> Records[QuizResult]:
    """Every good row of the quiz-result files; a time without an offset is the academy's."""
    def moment(text: str) -> datetime:
        return parse_moment(text, settings.timezone)
    return Records.joined(QuizResult, [records_io.quiz_result_columns(d.path, d.data, moment)
                                       for d in docs])


def resolve_revocations(docs: list[Document]) -> Iterable[Revocation]:
    for doc in docs:
        for i, r in enumerate(doc.data.get("revocations", [])):
            yield Revocation(r["certificate"], date.fromisoformat(r["date"]), r.get("reason", ""),
                             loc(doc, "revocations", i))
