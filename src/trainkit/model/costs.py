"""What delivering a cohort costs: instructor rates, room hire, materials, other costs.

All of it is private: rates, hire and costs appear in ``reports/finance/``
only, never on the public site. Money is :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from trainkit.model.common import Loc


@dataclass(frozen=True, slots=True)
class Rate:
    """A day and/or hourly rate: an instructor's fee, or a room's hire.

    When both are given, a day's hours are paid by the hour up to the day
    rate (the day rate caps the hours of one day).
    """

    day: Decimal | None
    hour: Decimal | None
    currency: str  # ISO 4217
    loc: Loc


@dataclass(frozen=True, slots=True)
class Cost:
    """One amount of money: materials per learner, or a cohort's other cost."""

    label: str
    amount: Decimal
    currency: str  # ISO 4217; the cohort's price currency when the file leaves it out
    loc: Loc
