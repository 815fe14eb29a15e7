"""What delivering a cohort costs, line by line, from rates, hire, materials and costs.

Durations come from the sessions' own times; cancelled sessions cost nothing.
An instructor or a room is paid per day that has sessions: with an hourly
rate the day's hours are paid by the hour, with a day rate the day is paid
whole, and with both the hours are paid up to the day rate. A room without
``hire`` takes its venue's. Materials are paid per enrolled learner. A rate
nobody gave is not guessed: it is listed in ``missing``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from trainkit.model import Academy, Cohort, Rate, Session
from trainkit.outcomes.pricing import round_money

SECONDS_PER_HOUR = Decimal(3600)


@dataclass(frozen=True, slots=True)
class CostLine:
    """One cost of a cohort: ``kind`` is instructor, room, materials or other."""

    kind: str
    label: str  # who or what: an instructor id, ``<venue>/<room>``, a cost's label
    quantity: str  # what was counted, in words: "2 days, 14 h", "12 learners"
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class CohortCosts:
    cohort: str
    lines: tuple[CostLine, ...]
    missing: tuple[str, ...]  # "rates of <instructor>", "hire of <venue>/<room>"

    def total(self, currency: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.currency == currency),
                   Decimal(0))


def paid_for_days(rate: Rate, hours_by_day: dict[date, Decimal]) -> Decimal:
    """What ``rate`` pays for the given hours on each day (see the module's rule)."""
    total = Decimal(0)
    for hours in hours_by_day.values():
        by_hour = rate.hour * hours if rate.hour is not None else None
        if by_hour is not None and rate.day is not None:
            total += min(by_hour, rate.day)
        else:
            total += by_hour if by_hour is not None else (rate.day or Decimal(0))
    return round_money(total, rate.currency)


def _hours(session: Session) -> Decimal:
    return Decimal(int(session.duration.total_seconds())) / SECONDS_PER_HOUR


def _by_day(sessions: Iterable[Session]) -> dict[date, Decimal]:
    out: dict[date, Decimal] = defaultdict(Decimal)
    for s in sessions:
        out[s.start.date()] += _hours(s)
    return dict(out)


def _quantity(days: dict[date, Decimal]) -> str:
    hours = sum(days.values(), Decimal(0))
    return f"{len(days)} day{'s' if len(days) != 1 else ''}, {hours.normalize():f} h"


def cohort_costs(academy: Academy, cohort: Cohort) -> CohortCosts:
    """Every cost line of ``cohort``, and what could not be costed for want of a rate."""
    held = [s for s in cohort.sessions if not s.cancelled]
    lines: list[CostLine] = []
    missing: list[str] = []
    teaching: dict[str, list[Session]] = defaultdict(list)
    rooms: dict[tuple[str, str], list[Session]] = defaultdict(list)
    for s in held:
        for ident in s.instructors:
            teaching[ident].append(s)
        if s.venue and s.room:
            rooms[(s.venue, s.room)].append(s)
    for ident, sessions in sorted(teaching.items()):
        instructor = academy.instructors.get(ident)
        days = _by_day(sessions)
        if instructor is None or instructor.rates is None:
            missing.append(f"rates of {ident}")
            continue
        lines.append(CostLine("instructor", ident, _quantity(days),
                              paid_for_days(instructor.rates, days), instructor.rates.currency))
    for (venue_id, room_id), sessions in sorted(rooms.items()):
        venue = academy.venues.get(venue_id)
        room = venue.room(room_id) if venue else None
        hire = (room.hire if room and room.hire else None) or (venue.hire if venue else None)
        days = _by_day(sessions)
        if hire is None:
            missing.append(f"hire of {venue_id}/{room_id}")
            continue
        lines.append(CostLine("room", f"{venue_id}/{room_id}", _quantity(days),
                              paid_for_days(hire, days), hire.currency))
    if cohort.materials is not None:
        learners = len(cohort.active_enrollments())
        amount = round_money(cohort.materials.amount * learners, cohort.materials.currency) \
            if cohort.materials.currency else cohort.materials.amount * learners
        counted = f"{learners} learner{'s' if learners != 1 else ''}"
        lines.append(CostLine("materials", "materials per learner", counted, amount,
                              cohort.materials.currency))
    lines += [CostLine("other", c.label, "", c.amount, c.currency) for c in cohort.costs]
    return CohortCosts(cohort.id, tuple(lines), tuple(missing))
