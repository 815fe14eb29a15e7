"""What needs assigning, and who or what could take each assignment on its own.

A :class:`Demand` is one cohort's open lead or open room with the sessions it
covers. Every candidate is tested alone against what is already fixed (the
assignments people made, the instructors' leave, their qualifications and
weekly hours, the rooms' seats and access): the ones that pass are the
demand's options, the others keep the reason they failed, in words and with
the file position that makes it so. Those reasons are what an infeasible plan
is explained with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from trainkit.model import Academy, Cohort, Instructor, Room, Session
from trainkit.resolve.calendars import UTC, safe_zone
from trainkit.rules._util import hours, live_sessions

Week = tuple[str, int, int]  # (instructor, ISO year, ISO week)


@dataclass(frozen=True)
class Busy:
    start: float  # POSIX seconds
    end: float
    what: str  # "cohort/session"
    venue: str | None
    day: date  # local date of the session


@dataclass
class Fixed:
    """Commitments that are already made: they bound every choice."""

    instructors: dict[str, list[Busy]] = field(default_factory=lambda: defaultdict(list))
    rooms: dict[tuple[str, str], list[Busy]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[Week, int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class Demand:
    cohort: Cohort
    kind: str  # "lead" | "room"
    sessions: tuple[Session, ...]
    options: tuple[str, ...]  # candidates that fit on their own, in a stable order
    rejected: tuple[tuple[str, str], ...]  # (candidate, why not), for explanations
    part: str = ""  # a session id when a cohort's sessions are assigned one by one

    @property
    def key(self) -> tuple[str, str]:
        return (f"{self.cohort.id}/{self.part}" if self.part else self.cohort.id, self.kind)

    def describe(self) -> str:
        first, last = self.sessions[0], self.sessions[-1]
        span = (f"{first.start:%a %d %b %Y %H:%M}-{first.end:%H:%M}" if first is last else
                f"{len(self.sessions)} sessions {first.start:%a %d %b %Y} to "
                f"{last.start:%a %d %b %Y}")
        what = "qualified instructor" if self.kind == "lead" else "room"
        return f"{what} for {self.cohort.id} ({span} {first.timezone})"


def week_of(s: Session, inst: Instructor) -> Week:
    year, week, _ = s.start.astimezone(safe_zone(inst.timezone) or UTC).isocalendar()
    return (inst.id, year, week)


def minutes(s: Session) -> int:
    return max(int(s.duration.total_seconds() // 60), 0)


def added_minutes(inst: Instructor, sessions: tuple[Session, ...], fixed: Fixed
                  ) -> dict[Week, int]:
    """Teaching minutes per week these sessions add (none for one they already attend)."""
    present = {b.what for b in fixed.instructors.get(inst.id, ())}
    out: dict[Week, int] = defaultdict(int)
    for s in sessions:
        if s.key not in present:
            out[week_of(s, inst)] += minutes(s)
    return out


def busy(s: Session) -> Busy:
    return Busy(s.start.timestamp(), s.end.timestamp(), s.key, s.venue, s.start.date())


def lead_sessions(cohort: Cohort, default: tuple[str, ...] | None = None
                  ) -> tuple[Session, ...]:
    """Live sessions taught by the cohort's lead (not those naming their own instructors).

    ``default``: the instructors such a session has (for an open lead, the
    assistants alone).
    """
    if cohort.status == "cancelled":
        return ()
    wanted = cohort.assistant_instructors if default is None else default
    return tuple(s for s in cohort.sessions if not s.cancelled and s.instructors == wanted)


def room_sessions(cohort: Cohort, room: str | None = None) -> tuple[Session, ...]:
    """Live in-person sessions in the cohort's own room (``None``: the open room)."""
    if cohort.status == "cancelled":
        return ()
    return tuple(s for s in cohort.sessions if not s.cancelled and not s.online
                 and s.room == room and s.venue == cohort.venue)


def fixed_load(academy: Academy, skip: set[tuple[str, str]] | None = None) -> Fixed:
    """Instructor and room commitments of every live session (``skip``: (session, who))."""
    out = Fixed()
    skip = skip or set()
    for s in live_sessions(academy):
        b = busy(s)
        for ident in dict.fromkeys(s.instructors):
            inst = academy.instructors.get(ident)
            if inst is None or (s.key, ident) in skip:
                continue
            out.instructors[ident].append(b)
            out.minutes[week_of(s, inst)] += minutes(s)
        if s.room and s.venue and (s.key, f"room:{s.room}") not in skip:
            out.rooms[(s.venue, s.room)].append(b)
    return out


def demands(academy: Academy, fixed: Fixed) -> list[Demand]:
    """Every open lead and room of the academy, cohorts in id order."""
    holders = qualified(academy)
    out: list[Demand] = []
    for cohort in academy.cohorts.values():
        if cohort.open_lead is not None and (sessions := lead_sessions(cohort)):
            out.append(lead_demand(academy, cohort, sessions, fixed, holders=holders))
        if cohort.open_room is not None and (sessions := room_sessions(cohort)):
            out.append(room_demand(academy, cohort, sessions, fixed))
    return out


def qualified(academy: Academy) -> dict[str, tuple[str, ...]]:
    """Instructors by the qualifications they hold (valid or not), for a quick first sift."""
    out: dict[str, list[str]] = defaultdict(list)
    for inst in academy.instructors.values():
        for q in dict.fromkeys(q.id for q in inst.qualifications):
            out[q].append(inst.id)
    return {q: tuple(ids) for q, ids in out.items()}


def lead_demand(academy: Academy, cohort: Cohort, sessions: tuple[Session, ...],
                fixed: Fixed, *, pool: tuple[str, ...] = (),
                holders: dict[str, tuple[str, ...]] | None = None) -> Demand:
    """Who could lead these sessions; ``holders`` skips the unqualified unless none fit.

    With ``holders`` only instructors holding the program's qualification are
    tried; when none of them fits, everyone is tried again so the explanation
    names each candidate and why.
    """
    slot = cohort.open_lead
    names = pool or (slot.candidates if slot and slot.candidates else tuple(academy.instructors))
    if holders is not None and not (slot and slot.candidates) and not pool:
        program = academy.programs.get(cohort.program)
        need = program.qualification if program else cohort.program
        quick = lead_demand(academy, cohort, sessions, fixed, pool=holders.get(need, ()) or ("",))
        if quick.options:
            return Demand(cohort, "lead", sessions, quick.options, quick.rejected)
    options, rejected = [], []
    for ident in names:
        inst = academy.instructors.get(ident)
        why = "is not an instructor" if inst is None else instructor_unfit(
            academy, inst, cohort, sessions, fixed)
        if why:
            rejected.append((ident, why))
        else:
            options.append(ident)
    return Demand(cohort, "lead", sessions, tuple(options), tuple(rejected))


def instructor_unfit(academy: Academy, inst: Instructor, cohort: Cohort,
                     sessions: tuple[Session, ...], fixed: Fixed) -> str:
    """Why ``inst`` cannot lead these sessions, given what is fixed ('' when they can)."""
    program = academy.programs.get(cohort.program)
    need = program.qualification if program else cohort.program
    held = [q for q in inst.qualifications if q.id == need]
    if not held:
        return f"not qualified for {need!r} ({inst.loc.path})"
    last = max((q.expires or date.max) for q in held)
    late = next((s for s in sessions if s.start.date() > last), None)
    if late is not None:
        q = max(held, key=lambda q: q.expires or date.max)
        return (f"qualification {need!r} expires {last} ({q.loc.path}:{q.loc.line}), "
                f"before {late.start:%d %b %Y}")
    for s in sessions:
        for off in inst.unavailable:
            if off.start < s.end and s.start < off.end:
                last = off.end - timedelta(seconds=1)  # the end is exclusive
                why = f" ({off.reason})" if off.reason else ""
                return (f"unavailable {off.start:%d %b}-{last:%d %b %Y}{why} "
                        f"({off.loc.path}:{off.loc.line})")
    return _clash(inst, sessions, fixed)


def _clash(inst: Instructor, sessions: tuple[Session, ...], fixed: Fixed) -> str:
    mine = fixed.instructors.get(inst.id, [])
    for s in sessions:
        start, end = s.start.timestamp(), s.end.timestamp()
        for b in mine:
            if b.what == s.key:
                continue  # already in that very session (an assistant stepping up)
            if b.start < end and start < b.end:
                return f"teaches {b.what} at that time"
            if b.day == s.start.date() and b.venue and s.venue and b.venue != s.venue:
                return f"at venue {b.venue!r} on {b.day:%d %b %Y} ({b.what})"
    if inst.max_hours_per_week is None:
        return ""
    limit = int(inst.max_hours_per_week * 60)
    for week, add in sorted(added_minutes(inst, sessions, fixed).items()):
        if fixed.minutes.get(week, 0) + add > limit:
            used = timedelta(minutes=fixed.minutes.get(week, 0))
            return (f"over {inst.max_hours_per_week:g} h in week {week[1]}-W{week[2]:02d} "
                    f"({hours(used)} already, this cohort adds {hours(timedelta(minutes=add))})")
    return ""


def room_demand(academy: Academy, cohort: Cohort, sessions: tuple[Session, ...],
                fixed: Fixed) -> Demand:
    slot = cohort.open_room
    venue = academy.venues.get(cohort.venue or "")
    rooms = {r.id: r for r in venue.rooms} if venue else {}
    names = slot.candidates if slot and slot.candidates else tuple(rooms)
    options, rejected = [], []
    for ident in names:
        room = rooms.get(ident)
        why = "is not a room of the venue" if room is None else room_unfit(
            cohort, room, sessions, fixed, accessible=bool(slot and slot.accessible))
        if why:
            rejected.append((ident, why))
        else:
            options.append(ident)
    return Demand(cohort, "room", sessions, tuple(options), tuple(rejected))


def room_unfit(cohort: Cohort, room: Room, sessions: tuple[Session, ...], fixed: Fixed,
               *, accessible: bool) -> str:
    enrolled = len(cohort.active_enrollments())
    if room.capacity < enrolled:
        return f"{room.capacity} seats for {enrolled} enrolled learners ({room.loc.path})"
    if room.capacity < cohort.capacity:
        return (f"{room.capacity} seats for a cohort of {cohort.capacity} places "
                f"({room.loc.path}:{room.loc.line})")
    if accessible and not room.accessible:
        return f"not step-free ({room.loc.path}:{room.loc.line})"
    taken = fixed.rooms.get((cohort.venue or "", room.id), [])
    for s in sessions:
        start, end = s.start.timestamp(), s.end.timestamp()
        for b in taken:
            if b.start < end and start < b.end:
                return f"booked for {b.what} at that time"
    return ""
