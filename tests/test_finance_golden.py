"""Finance reports and client packs on a fixture, against golden files; nothing public.

``tests/cases/finance/input`` is the small academy with prices, costs, two
client organisations and a payments file; its ledger is
:data:`finance_helpers.LEDGER`. Refresh after an intended change with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_finance_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from finance_helpers import FIXTURE_EPOCH, with_ledger
from test_site_support import source_date_epoch
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
