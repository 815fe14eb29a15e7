"""Why a plan cannot be made, as located diagnostics in the academy's words."""

from __future__ import annotations

from trainkit.diagnostics import Diagnostic, error
from trainkit.model import Loc
from trainkit.planning.demand import Demand

MAX_REASONS = 6


def _where(demand: Demand) -> Loc:
    slot = demand.cohort.open_lead if demand.kind == "lead" else demand.cohort.open_room
    return slot.loc if slot is not None else demand.sessions[0].loc


def no_option(demand: Demand) -> Diagnostic:
    """A demand that no candidate can take, even with nothing else planned."""
    reasons = [f"{who} {why}" for who, why in demand.rejected[:MAX_REASONS]]
    more = len(demand.rejected) - MAX_REASONS
    if more > 0:
        reasons.append(f"and {more} more")
    told = "; ".join(reasons) if reasons else "there are no candidates"
    fix = ("add a qualified instructor to the candidates, move the sessions, or change leave "
           "or weekly hours" if demand.kind == "lead" else
           "add a candidate room, a bigger room, or move the sessions")
    where = _where(demand)
    return error(where.path, where.line, where.col, "plan-infeasible",
                 f"no {demand.describe()}: {told}; {fix}")


def conflict(demands: list[Demand]) -> list[Diagnostic]:
    """Demands that each have options but cannot all be met at once."""
    out = []
    for demand in demands[:MAX_REASONS * 2]:
        others = [d for d in demands if d is not demand]
        shared = sorted(set(demand.options).intersection(*(set(d.options) for d in others))
                        if others else set(demand.options))
        names = ", ".join(f"{d.cohort.id} ({d.kind})" for d in others[:MAX_REASONS]) or "itself"
        if len(others) > MAX_REASONS:
            names += f" and {len(others) - MAX_REASONS} more"
        pool = ", ".join(demand.options)
        where = _where(demand)
        out.append(error(
            where.path, where.line, where.col, "plan-infeasible",
            f"the {demand.describe()} cannot be chosen together with {names}: its candidates "
            f"({pool}) are needed by them at overlapping times, on the same day at another "
            f"venue or in the same week{' (shared: ' + ', '.join(shared) + ')' if shared else ''}"
            "; add candidates, move a session, or raise a weekly limit"))
    return out
