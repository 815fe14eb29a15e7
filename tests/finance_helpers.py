"""A ledger for the finance fixture (tests/cases/finance), and a way to build with it.

The ledger's own loader is not part of this code: these tests hand the
academy a ledger as data, through the resolver, the way a loaded one arrives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from trainkit import pipeline
from trainkit.model import IssuedDocument, Loc
from trainkit.model.orders import BilledSeat, LedgerSeats
from trainkit.outcomes.cii import cii_xml, sha256
from trainkit.outcomes.invoicing import draft_of

FIXTURE_EPOCH = 1775001600  # 2026-04-01T00:00:00Z


def doc(number: str, kind: str, issued: str, due: str, order: str, org: str | None,
        net: str, credits: str | None = None) -> IssuedDocument:
    n = Decimal(net)
    tax = (n * Decimal("0.2")).quantize(Decimal("0.01"))
    return IssuedDocument(number=number, kind=kind, issued=date.fromisoformat(issued),
                          due=date.fromisoformat(due), order=order, organisation=org,
                          currency="GBP", net=n, tax=tax, total=n + tax, credits=credits,
                          sha256="0" * 64, loc=Loc(f"records/ledger/{number}.yaml"))


LEDGER = (
    doc("2025-0001", "invoice", "2025-12-01", "2025-12-31", "o-intro", "acme", "900.00"),
    doc("2026-0001", "invoice", "2026-01-20", "2026-02-19", "o-acme-saf-a", "acme", "1026.00"),
    doc("2026-0002", "invoice", "2026-01-20", "2026-02-03", "o-bolt-saf-a", "bolt", "400.00"),
    doc("2026-0003", "credit-note", "2026-02-01", "2026-02-01", "o-bolt-saf-a", "bolt",
        "400.00", credits="2026-0002"),
)


def _seats(academy: Any, d: IssuedDocument) -> LedgerSeats:
    """What the document bills: every seat of its order at an equal share of the net; a
    credit note takes back the last seat of the invoice it corrects."""
    order = academy.orders[d.order]
    seats = order.seats()[-1:] if d.kind == "credit-note" else order.seats()
    each = d.net / len(seats)
    return LedgerSeats(d.number, tuple(
        BilledSeat(cohort, learner, each, each, Decimal(20), "VAT", "", f"{cohort}: {learner}")
        for cohort, learner in seats), "goodwill" if d.kind == "credit-note" else "")


def _issued(academy: Any, ledger: Sequence[IssuedDocument]) -> Any:
    """The academy with ``ledger`` as ``trainkit invoice`` would have issued it (hashes)."""
    seats = {d.number: _seats(academy, d) for d in ledger}
    academy = dataclasses.replace(academy, ledger=tuple(ledger), ledger_seats=seats)
    hashed = tuple(dataclasses.replace(d, sha256=sha256(cii_xml(academy, draft_of(
        academy, d, i)))) for i, d in enumerate(ledger))
    return dataclasses.replace(academy, ledger=hashed)


def with_ledger(monkeypatch: pytest.MonkeyPatch,
                ledger: Sequence[IssuedDocument] = LEDGER) -> None:
    """Every academy the pipeline resolves from now on has ``ledger`` (and its seats)."""
    original = pipeline.resolve

    def resolve(loaded: Any, root: str, *rest: Any) -> Any:
        academy, problems = original(loaded, root, *rest)
        if academy is not None:
            academy = _issued(academy, ledger)
        return academy, problems

    monkeypatch.setattr(pipeline, "resolve", resolve)
