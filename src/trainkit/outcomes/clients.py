"""Which client organisation a learner belongs to.

A learner's ``organisation`` names an organisation by its ``name`` or its
id, upper and lower case alike (as the ``unknown-organisation`` rule checks).
"""

from __future__ import annotations

from trainkit.model import Academy, Learner
from trainkit.model.commerce import Organisation


def organisation_of(academy: Academy, learner: Learner | None) -> Organisation | None:
    """The client organisation of ``learner``; ``None`` for a private learner or an unknown
    name."""
    if learner is None or not learner.organisation:
        return None
    wanted = learner.organisation.strip().casefold()
    return next((o for o in academy.organisations.values()
                 if wanted in (o.id.casefold(), o.name.casefold())), None)


def learners_of(academy: Academy, organisation: str) -> set[str]:
    """The ids of the learners of the organisation with id ``organisation``."""
    return {ident for ident, learner in academy.learners.items()
            if (org := organisation_of(academy, learner)) is not None and org.id == organisation}
