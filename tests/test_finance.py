"""Revenue, costs, margins, receivables and statements, each total computed a second way."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from finance_helpers import LEDGER, doc, with_ledger
from trainkit.model import Academy, Loc, Payment, Rate
from trainkit.outcomes.costs import cohort_costs, paid_for_days
from trainkit.outcomes.receivables import ageing, balances, bucket, statement
from trainkit.outcomes.revenue import margins, priced, revenue
from trainkit.pipeline import check_dir

CASE = Path(__file__).parent / "cases" / "finance" / "input"
AS_OF = datetime(2026, 4, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def academy(tmp_path_factory: pytest.TempPathFactory) -> Academy:
    root = tmp_path_factory.mktemp("fin") / "academy"
    shutil.copytree(CASE, root)
    with pytest.MonkeyPatch.context() as mp:
        with_ledger(mp)
        result = check_dir(root)
    assert result.academy is not None and not result.errors, [d.text() for d in result.errors]
    return result.academy


def _cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_priced_revenue_equals_each_seat_priced_on_its_own(academy: Academy) -> None:
    """Second way: every learner's seat from the list price, the early bird if booked by its
    date, and the group discount of the learners of the same organisation booked that day."""
    cohort = academy.cohorts["saf-a"]
    price = cohort.price
    assert price is not None and price.early_bird is not None
    first = min(s.start for s in cohort.sessions).date()
    org = {lid: academy.learners[lid].organisation for lid in academy.learners}
    booked = [(org[e.learner], e.enrolled_on or first) for e in cohort.active_enrollments()]
    total = Decimal(0)
    for who, day in booked:
        unit = price.amount
        if day <= price.early_bird.until:
            unit *= 1 - (price.early_bird.percent or Decimal(0)) / 100
        if booked.count((who, day)) >= 3:  # the fixture's one group threshold
            unit *= Decimal("0.95")
        total += _cents(unit)
    assert priced(academy, cohort) == total == Decimal("2226.00")
    # a closed cohort earns its flat fee once, whatever the seats
    assert priced(academy, academy.cohorts["intro-oct"]) == Decimal("900.00")


def test_revenue_is_recognised_in_the_month_of_delivery(academy: Academy) -> None:
    rows = {r.cohort: r for r in revenue(dataclasses.replace(academy, ledger=()), AS_OF)}
    assert (rows["saf-a"].month, rows["saf-a"].delivered) == ("2026-01", True)
    assert (rows["saf-c"].month, rows["saf-c"].delivered) == ("2026-04", False)  # ends 21 April
    assert {r.source for r in rows.values()} == {"priced"}  # nothing invoiced
    # with the ledger, cohorts with invoiced seats earn what the seats were billed
    billed = {r.cohort: r for r in revenue(academy, AS_OF)}
    assert billed["saf-a"].source == billed["intro-oct"].source == "invoiced"
    assert billed["saf-a"].amount == Decimal("1026.00")  # Bolt's seat credited in full
    assert billed["saf-b"].source == "priced"


def test_invoiced_amounts_net_of_credit_notes_replace_the_priced_ones(academy: Academy) -> None:
    rows = {r.cohort: r for r in revenue(academy, AS_OF)}
    invoiced = sum((d.net if d.kind == "invoice" else -d.net for d in LEDGER
                    if d.order in ("o-acme-saf-a", "o-bolt-saf-a")), Decimal(0))
    assert (rows["saf-a"].amount, rows["saf-a"].source) == (invoiced, "invoiced")
    assert invoiced == Decimal("1026.00") + Decimal("400.00") - Decimal("400.00")
    assert rows["saf-b"].source == "priced"
    # a cohort whose seats are only on a credit note is not "invoiced"
    only_credit = dataclasses.replace(academy, ledger=(LEDGER[3],))
    row = next(r for r in revenue(only_credit, AS_OF) if r.cohort == "saf-a")
    assert row.source == "priced"


def test_rates_by_the_day_by_the_hour_and_capped(academy: Academy) -> None:
    days = {date(2026, 1, 6): Decimal(2), date(2026, 1, 7): Decimal(8)}
    where = Loc("x")
    assert paid_for_days(Rate(Decimal(300), None, "GBP", where), days) == Decimal("600.00")
    assert paid_for_days(Rate(None, Decimal(60), "GBP", where), days) == Decimal("600.00")
    # both: 2 h by the hour (120), the 8 h day capped at the day rate (300)
    assert paid_for_days(Rate(Decimal(300), Decimal(60), "GBP", where), days) == Decimal("420.00")


def test_margin_is_revenue_less_every_cost_line(academy: Academy) -> None:
    academy = dataclasses.replace(academy, ledger=())  # priced revenue
    rows = revenue(academy, AS_OF)
    for m in margins(academy, rows):
        lines = cohort_costs(academy, academy.cohorts[m.cohort]).lines
        assert m.costs == sum((x.amount for x in lines if x.currency == m.currency), Decimal(0))
        assert m.margin == m.revenue - m.costs
    saf_a = next(m for m in margins(academy, rows) if m.cohort == "saf-a")
    # 3 days of 2 h: Ann 3 x 2 x 61.35 (under her day rate), room 3 x 2 x 23.85,
    # 6 learners x 12.95, printing 31.70
    assert (saf_a.instructor, saf_a.room, saf_a.materials, saf_a.other) == (
        Decimal("368.10"), Decimal("143.10"), Decimal("77.70"), Decimal("31.70"))
    assert saf_a.margin == Decimal("2226.00") - Decimal("620.60")


def test_ageing_buckets() -> None:
    due = date(2026, 3, 1)
    seen = [bucket(due, due + timedelta(days=late)) for late in (0, 1, 30, 31, 60, 61, 90, 91)]
    assert seen == ["current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]


def test_open_balances_add_up_to_invoices_less_credits_and_payments(academy: Academy) -> None:
    found = balances(academy.ledger, academy.payments, AS_OF.date())
    invoiced = sum((d.total for d in LEDGER if d.kind == "invoice"), Decimal(0))
    credited = sum((d.total for d in LEDGER if d.kind == "credit-note"), Decimal(0))
    paid = sum((p.amount for p in academy.payments), Decimal(0))
    assert sum((b.open for b in found), Decimal(0)) == invoiced - credited - paid
    per_org = {str(r[0]): r[-1] for r in ageing(found)}
    for org in ("acme", "bolt"):
        lines = statement(academy.ledger, academy.payments, org, AS_OF.date())
        assert lines[-1].balance == per_org.get(org, Decimal("0.00"))
    # bolt's invoice was credited in full; acme paid half of 2025-0001 and part of 2026-0001
    assert per_org.get("bolt", Decimal(0)) == Decimal(0)
    assert per_org["acme"] == Decimal("1080.00") - Decimal("540.00") + Decimal(
        "1231.20") - Decimal("503.17")


def test_a_payment_after_the_day_is_not_counted_yet(academy: Academy) -> None:
    early = date(2026, 2, 15)
    bolt = statement(academy.ledger, academy.payments, "bolt", early)
    assert [line.kind for line in bolt] == ["invoice", "credit-note"]
    assert bolt[-1].balance == Decimal("0.00")
    acme = statement(academy.ledger, academy.payments, "acme", early)
    assert [line.kind for line in acme] == ["invoice", "invoice", "payment"]
    assert acme[-1].balance == Decimal("1080.00") + Decimal("1231.20") - Decimal("503.17")
    late = Payment(date(2026, 5, 1), "2026-0001", Decimal(1), "GBP", "", "", "", Loc("p"))
    found = balances(LEDGER, (late,), AS_OF.date())
    assert all(b.paid == 0 for b in found)


def test_mixed_currency_costs_make_their_own_margin_row(academy: Academy) -> None:
    ann = academy.instructors["ann"]
    assert ann.rates is not None
    dollars = dataclasses.replace(ann, rates=dataclasses.replace(ann.rates, currency="USD"))
    changed = dataclasses.replace(academy, instructors={**academy.instructors, "ann": dollars},
                                  ledger=())
    rows = [m for m in margins(changed, revenue(changed, AS_OF)) if m.cohort == "saf-a"]
    assert [(m.currency, m.revenue, m.instructor) for m in rows] == [
        ("GBP", Decimal("2226.00"), Decimal("0.00")), ("USD", Decimal("0.00"), Decimal("368.10"))]
    assert doc("x", "invoice", "2026-01-01", "2026-01-01", "o", None, "1.00").total == \
        Decimal("1.20")


def test_the_demo_ledger_sets_revenue_by_seat_and_payments_settle_it() -> None:
    """Revenue of an invoiced demo cohort is its billed seats less credited seats,
    read here straight from records/invoices.yaml; payments leave the right balances."""
    root = Path(__file__).parent.parent
    academy = check_dir(root).academy
    assert academy is not None and academy.ledger and academy.payments
    ledger = yaml.safe_load((root / "records/invoices.yaml").read_text(encoding="utf-8"))
    expected: dict[str, Decimal] = {}
    for d in ledger["documents"]:
        sign = 1 if d["kind"] == "invoice" else -1
        for seat in d["seats"]:
            cohort = seat["seat"].split("/")[0]
            expected[cohort] = expected.get(cohort, Decimal(0)) + sign * Decimal(
                seat["unit_price"])
    rows = {r.cohort: r for r in revenue(academy, datetime(2027, 1, 1, tzinfo=UTC))}
    assert expected and {c for c, r in rows.items() if r.source == "invoiced"} == set(expected)
    for cohort, amount in expected.items():
        assert rows[cohort].amount == amount, cohort
    # every other priced cohort keeps its priced figure
    assert any(r.source == "priced" for r in rows.values())
    left = {b.invoice.number: b.open for b in balances(academy.ledger, academy.payments,
                                                       date(2027, 1, 1))}
    totals = {d["number"]: Decimal(d["total"]) for d in ledger["documents"]
              if d["kind"] == "invoice"}
    credits = {d["credits"]: Decimal(d["total"]) for d in ledger["documents"]
               if d["kind"] == "credit-note"}
    paid: dict[str, Decimal] = {}
    for line in (root / "records/payments/2026.csv").read_text().splitlines()[1:]:
        cells = line.split(",")
        paid[cells[1]] = paid.get(cells[1], Decimal(0)) + Decimal(cells[2])
    for number, total in totals.items():
        want = total - credits.get(number, Decimal(0)) - paid.get(number, Decimal(0))
        assert left[number] == want, number
    assert any(v > 0 for v in left.values()) and any(v == 0 for v in left.values())
