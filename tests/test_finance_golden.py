"""Finance reports and client packs on a fixture, against golden files; nothing public.

``tests/cases/finance/input`` is the small academy with prices, costs, two
client organisations and a payments file; its ledger is
:data:`finance_helpers.LEDGER`. Refresh after an intended change with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_finance_golden.py
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finance_helpers import FIXTURE_EPOCH, with_ledger
from test_site_support import public_texts, source_date_epoch
from trainkit.outcomes.receivables import statement
from trainkit.pipeline import check_dir
from trainkit.writers.build import BuildOptions, run_build

CASE = Path(__file__).parent / "cases" / "finance"
PARTS = ("reports/finance", "reports/clients")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("finance")
    shutil.copytree(CASE / "input", out / "academy")
    with pytest.MonkeyPatch.context() as mp, source_date_epoch(FIXTURE_EPOCH):
        with_ledger(mp)
        result, _ = run_build(out / "academy", BuildOptions(
            site_dir=out / "site", reports_dir=out / "reports", secret=b"golden-secret"))
    assert not result.errors, [d.text() for d in result.errors]
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("part", PARTS)
def test_golden(built: Path, part: str) -> None:
    got = tree(built / part)
    expected = CASE / "expected" / part
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        for rel, data in got.items():
            (expected / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected / rel).write_bytes(data)
    want = tree(expected)
    assert sorted(got) == sorted(want), "files differ (UPDATE_GOLDEN=1 refreshes)"
    for rel in want:
        assert got[rel] == want[rel], f"{part}/{rel} differs (UPDATE_GOLDEN=1 refreshes)"


def _private_figures(built: Path) -> set[str]:
    """Every rate, hire, cost, payment, invoice and statement figure of the fixture."""
    with pytest.MonkeyPatch.context() as mp:
        with_ledger(mp)
        academy = check_dir(built / "academy").academy
    assert academy is not None
    amounts: set[Decimal] = set()
    for i in academy.instructors.values():
        amounts |= {a for a in (i.rates.day, i.rates.hour) if a} if i.rates else set()
    for v in academy.venues.values():
        for hire in (v.hire, *(r.hire for r in v.rooms)):
            amounts |= {a for a in (hire.day, hire.hour) if a} if hire else set()
    for c in academy.cohorts.values():
        amounts |= {x.amount for x in (*c.costs, *([c.materials] if c.materials else []))}
    amounts |= {p.amount for p in academy.payments}
    amounts |= {x for d in academy.ledger for x in (d.net, d.tax, d.total)}
    for org in academy.organisations:
        amounts |= {s.balance for s in statement(academy.ledger, academy.payments, org,
                                                 date(2026, 4, 1))}
    amounts.discard(Decimal(0))
    found = {f"{a:f}" for a in amounts} | {f"{a:,.2f}" for a in amounts if a >= 1000}
    return found | {d.number for d in academy.ledger} | {p.reference for p in academy.payments}


def test_no_cost_rate_payment_or_statement_figure_is_public(built: Path) -> None:
    figures = _private_figures(built)
    assert {"317.45", "61.35", "23.85", "12.95", "31.70", "503.17", "1,808.03",
            "2026-0001", "ACME INV 2026-0001 PART"} <= figures
    texts = [(p, t) for p, t in public_texts(built / "site") if p.suffix != ".svg"]
    assert len(texts) > 20
    for figure in sorted(figures):
        whole = re.compile(rf"(?<![\d.,]){re.escape(figure)}(?!\d)")
        hits = [p.relative_to(built / "site").as_posix() for p, t in texts if whole.search(t)]
        assert not hits, (figure, hits[:3])
    assert "£400 per person + VAT" in (built / "site/programs/safety/index.html").read_text()
    # the private side has them (the check above could not pass by looking at nothing)
    private = "".join(p.read_text(encoding="utf-8")
                      for p in (built / "reports").rglob("*.csv"))
    assert all(f in private for f in ("368.10", "503.17", "1808.03", "2026-0001"))


def test_the_reports_index_links_every_finance_page_and_client_pack(built: Path) -> None:
    index = (built / "reports/index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    wanted = {"finance/receivables.html", "finance/revenue.html", "finance/margins.html",
              "clients/acme/index.html", "clients/bolt/index.html",
              "finance/statements/acme.html", "finance/statements/bolt.html"}
    assert wanted <= links
    assert all((built / "reports" / link).is_file() for link in links)


def test_a_client_pack_holds_only_its_own_learners_and_documents(built: Path) -> None:
    pack = {org: "".join(p.read_text(encoding="utf-8")
                         for p in sorted((built / "reports/clients" / org).iterdir()))
            for org in ("acme", "bolt")}
    acme_people = ("Priya Shah", "Absent Annie", "Quiz Failer", "Makeup Mo", "Future Fay")
    assert all(name in pack["acme"] for name in acme_people)
    assert not any(name in pack["bolt"] for name in acme_people)
    assert "Tom Late" in pack["bolt"] and "Tom Late" not in pack["acme"]
    assert "2026-0002" in pack["bolt"] and "2026-0002" not in pack["acme"]
    assert "2026-0001" in pack["acme"] and "2026-0001" not in pack["bolt"]
    assert "https://academy.test/verify/" in pack["bolt"]
