"""unknown-organisation, price-seats-exceeded: known clients; closed cohorts fit their fee.

Once the academy has client organisations (``organisations/<id>.yaml``), the
``organisation`` a learner file or a learner gives must name one of them, by
its ``name`` or its id (upper and lower case alike), so that invoices and
client reports find their client. An unknown one is reported once where it is
written, with the closest known names; add the organisation's file or correct
the name. An academy without any organisation file is not checked.

A closed cohort (price ``basis: cohort``) with more places than the seats its
flat fee covers is reported at the cohort's ``price`` as
``price-seats-exceeded``: lower ``capacity`` or raise ``seats``.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic, did_you_mean
from trainkit.model import Academy, Loc
from trainkit.rules._util import err

CODES = {"unknown-organisation": "error", "price-seats-exceeded": "error"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    yield from _learners(academy)
    yield from _closed_cohorts(academy)


def _learners(academy: Academy) -> Iterator[Diagnostic]:
    orgs = academy.organisations
    if not orgs:
        return
    known = {o.name.casefold() for o in orgs.values()} | {o.id.casefold() for o in orgs.values()}
    seen: set[Loc] = set()
    for learner in academy.learners.values():
        name, where = learner.organisation, learner.organisation_loc
        if not name or where is None or where in seen:
            continue
        seen.add(where)
        if name.strip().casefold() not in known:
            hint = did_you_mean(name, [o.name for o in orgs.values()])
            yield err(where, "unknown-organisation",
                      f"organisation {name!r} has no file in organisations/; {hint} "
                      "(add organisations/<id>.yaml or correct the name)")


def _closed_cohorts(academy: Academy) -> Iterator[Diagnostic]:
    for cohort in academy.cohorts.values():
        price = cohort.price
        if price is None or price.basis != "cohort" or price.seats is None:
            continue
        if cohort.capacity > price.seats:
            yield err(price.loc, "price-seats-exceeded",
                      f"the cohort has {cohort.capacity} places but its flat fee covers "
                      f"{price.seats} seats; lower 'capacity' or raise the price's 'seats'")
