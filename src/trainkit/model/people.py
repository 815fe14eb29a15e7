"""People and places: instructors, learners, venues and their rooms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from trainkit.model.common import Loc
from trainkit.model.costs import Rate

# ---------------------------------------------------------------- people and places


@dataclass(frozen=True, slots=True)
class Qualification:
    id: str
    expires: date | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Unavailability:
    start: datetime  # aware
    end: datetime  # aware, exclusive
    reason: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Instructor:
    id: str
    name: str
    email: str
    bio: str
    timezone: str
    qualifications: tuple[Qualification, ...]
    unavailable: tuple[Unavailability, ...]
    max_hours_per_week: float | None
    loc: Loc
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics
    home_venues: tuple[str, ...] = ()  # venues reached without travelling (planning)
    rates: Rate | None = None  # what the instructor is paid (private)


@dataclass(frozen=True, slots=True)
class Learner:
    id: str
    name: str
    email: str
    organisation: str | None
    loc: Loc
    roles: tuple[str, ...] = ()  # role ids (``roles/<id>.yaml``)
    manager: str | None = None  # who reports group the learner under
    role_locs: tuple[Loc, ...] = ()  # where each role is written, for diagnostics
    timezone: str | None = None  # where e-mails show times; None: the session's zone
    reminders: bool = True  # False: no reminder e-mails (cancellations still come)
    organisation_loc: Loc | None = None  # where ``organisation`` is written (row or file)
    city: str | None = None  # where they work: recommendations prefer cohorts there
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    capacity: int
    accessible: bool
    loc: Loc
    hire: Rate | None = None  # what the room costs (private); None: the venue's


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    postcode: str
    country: str  # ISO 3166-1 alpha-2
    subdivision: str | None = None
    loc: Loc | None = None  # where the country (or subdivision) is written, for diagnostics


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    name: str
    address: Address
    timezone: str
    rooms: tuple[Room, ...]
    directions: str
    map_url: str | None
    latitude: float | None
    longitude: float | None
    loc: Loc
    timezone_loc: Loc | None = None  # where ``timezone`` is written, for diagnostics
    hire: Rate | None = None  # what a room costs when the room gives no hire (private)

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms if r.id == room_id), None)
