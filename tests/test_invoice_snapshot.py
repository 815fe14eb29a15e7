"""Each ledger entry keeps the parties as issued: ordinary edits to clients or the academy's
bank details leave issued documents byte for byte as they were; a hand edit of the entry
is still ``ledger-hash`` at its line."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from invoice_support import LEDGER, check, codes, demo_copy, edit, entry_line, invoice
from test_site_support import source_date_epoch
from trainkit.writers.build import BuildOptions, run_build

ACME_ORG = "organisations/acme-logistics.yaml"
HARBOUR_ORG = "organisations/harbourline-hotels.yaml"
OLD_IBAN, NEW_IBAN = "GB33BUKB20201555555555", "GB82WEST12345698765432"


def _built(root: Path, out: Path) -> dict[str, bytes]:
    with source_date_epoch(1772323200):
        result, _ = run_build(root, BuildOptions(site_dir=out / "site",
                                                 reports_dir=out / "reports",
                                                 only=("invoices",)))
    assert not result.errors, [d.text() for d in result.errors]
    folder = out / "reports" / "invoices"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _move_and_rebank(root: Path) -> None:
    """The clients move office, Acme gets a new contact and PO, the academy a new bank."""
    edit(root, HARBOUR_ORG, "12 Riverside Walk, London, SE1 9PX", "3 Quay Street, Leeds, LS1 4AP")
    edit(root, ACME_ORG, "1 Dock Road, Dartford, DA1 5AA", "9 Wharf Lane, Gravesend, DA11 0BQ")
    edit(root, ACME_ORG, "name: Rosalind Achterberg", "name: Tomasz Wierzbicki")
    edit(root, "records/orders/acme-fa-2026-10.yaml", "purchase_order: PO-4471",
         "purchase_order: PO-4472")
    edit(root, "trainkit.yaml", f"iban: {OLD_IBAN}", f"iban: {NEW_IBAN}")
    edit(root, "trainkit.yaml", "bic: BUKBGB22", "bic: WESTGB2L")
    edit(root, "trainkit.yaml", "lines: [4 Canal Wharf, London, E14 9SH]",
         "lines: [1 Basin Approach, London, E14 7JA]")


def test_changed_billing_details_leave_issued_documents_byte_identical(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    before = _built(root, tmp_path / "before")
    _move_and_rebank(root)
    assert codes(check(root), "ledger") == []
    after = _built(root, tmp_path / "after")
    assert sorted(after) == sorted(before) and len(after) == 6
    assert [n for n in after if after[n] != before[n]] == []
    assert b"12 Riverside Walk" in before["2026-0001.xml"]
    assert OLD_IBAN.encode() in after["2026-0003.xml"]
    assert b"PO-4471" in after["2026-0003.xml"] and b"PO-4472" not in after["2026-0003.xml"]


def test_the_next_document_snapshots_the_details_of_its_day(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    _move_and_rebank(root)
    assert invoice(root, "--as-of", "2026-09-30") == 0
    entries = yaml.safe_load((root / LEDGER).read_text(encoding="utf-8"))["documents"]
    new = entries[-1]
    assert (new["number"], new["order"]) == ("2026-0004", "northcote-lt-2026-10")
    assert new["seller"]["iban"] == NEW_IBAN and new["seller"]["bic"] == "WESTGB2L"
    assert new["seller"]["address"] == ["1 Basin Approach", "London", "E14 7JA"]
    assert new["buyer"] == {"name": "Philippa Northcote",
                            "address": ["18 Lime Grove", "Bristol", "BS6 5LA"],
                            "country": "GB", "email": "philippa.northcote@example.org"}
    assert "purchase_order" not in new
    assert [e["seller"]["iban"] for e in entries[:3]] == [OLD_IBAN] * 3
    assert re.fullmatch(r"[0-9a-f]{64}", new["seller"]["logo_sha256"])
    assert codes(check(root), "ledger") == []


def test_a_buyer_address_edited_in_the_ledger(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    edit(root, LEDGER, "[Finance Department, 12 Riverside Walk,",
         "[Finance Department, 14 Riverside Walk,")
    found = [d.text() for d in check(root).diagnostics if d.code == "ledger-hash"]
    assert len(found) == 1
    assert found[0].startswith(f"{LEDGER}:{entry_line(root, '2026-0001')}:5: error[ledger-hash]:")
    assert "its ledger entry changed since" in found[0]


def test_a_seller_iban_or_po_edited_in_the_ledger(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    text = (root / LEDGER).read_text(encoding="utf-8")
    last = text.rindex(f"iban: {OLD_IBAN}")
    (root / LEDGER).write_text(text[:last] + f"iban: {NEW_IBAN}" + text[last + 28:],
                               encoding="utf-8")
    line = entry_line(root, "2026-0003")
    assert codes(check(root), "ledger") == [f"{LEDGER}:{line}:ledger-hash"]
    edit(root, LEDGER, f"iban: {NEW_IBAN}", f"iban: {OLD_IBAN}")
    edit(root, LEDGER, "purchase_order: PO-4471", "purchase_order: PO-4470")
    assert codes(check(root), "ledger") == [f"{LEDGER}:{line}:ledger-hash"]


def _strip_parties(root: Path) -> None:
    """The ledger as an older trainkit wrote it: no seller, buyer or purchase order."""
    text = (root / LEDGER).read_text(encoding="utf-8")
    text = re.sub(r"^    (seller|buyer):\n(      .*\n)+", "", text, flags=re.M)
    text = re.sub(r"^    purchase_order: .*\n", "", text, flags=re.M)
    assert "seller" not in text and "buyer" not in text
    (root / LEDGER).write_text(text, encoding="utf-8")


def test_an_entry_without_parties_takes_todays(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    before = _built(root, tmp_path / "before")
    _strip_parties(root)
    assert codes(check(root), "ledger") == []
    assert _built(root, tmp_path / "after") == before
    edit(root, "trainkit.yaml", f"iban: {OLD_IBAN}", f"iban: {NEW_IBAN}")
    found = [d.text() for d in check(root).diagnostics if d.code == "ledger-hash"]
    assert [f.split(":")[1] for f in found] == [
        str(entry_line(root, "2026-0001")), str(entry_line(root, "2026-0003"))]
    assert "'invoicing' in trainkit.yaml" in found[0]


def test_a_printed_detail_the_xml_does_not_carry_edited_in_the_ledger(tmp_path: Path) -> None:
    """The buyer's contact and the logo's hash are printed, not in the XML:
    the entry's snapshot_sha256 finds a hand edit of each, at the entry's line."""
    for old, new, number in [
            ("contact: Priya Raman", "contact: Priya Ramen", "2026-0001"),
            ("contact: Rosalind Achterberg", "contact: R. Achterberg", "2026-0003"),
            ("logo_sha256: e6bc5c20bd5577bf", "logo_sha256: f6bc5c20bd5577bf", "2026-0001"),]:
        root = demo_copy(tmp_path / number / old[:8].replace(":", ""))
        assert codes(check(root), "ledger") == []
        edit(root, LEDGER, old, new)
        found = [d.text() for d in check(root).diagnostics if d.code == "ledger-hash"]
        assert len(found) == 1, (old, found)
        assert found[0].startswith(f"{LEDGER}:{entry_line(root, number)}:5: error[ledger-hash]:")
        assert "printed details" in found[0] and "snapshot_sha256" in found[0]


def test_entries_written_before_the_snapshot_hash_get_it_on_the_next_run(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    kept = yaml.safe_load((root / LEDGER).read_text(encoding="utf-8"))["documents"]
    text = re.sub(r"^    snapshot_sha256: .*\n", "", (root / LEDGER).read_text(encoding="utf-8"),
                  flags=re.M)
    (root / LEDGER).write_text(text, encoding="utf-8")
    edit(root, LEDGER, "contact: Priya Raman", "contact: Priya Ramen")
    assert codes(check(root), "ledger") == []  # unsealed: not detectable yet
    edit(root, LEDGER, "contact: Priya Ramen", "contact: Priya Raman")
    assert invoice(root, "--as-of", "2026-08-20") == 0
    again = yaml.safe_load((root / LEDGER).read_text(encoding="utf-8"))["documents"]
    assert [d["snapshot_sha256"] for d in again] == [d["snapshot_sha256"] for d in kept]
    edit(root, LEDGER, "contact: Priya Raman", "contact: Priya Ramen")
    assert codes(check(root), "ledger") == [f"{LEDGER}:{entry_line(root, '2026-0001')}:ledger-hash"]


def test_the_build_refuses_an_entry_whose_printed_details_were_edited(tmp_path: Path) -> None:
    root = demo_copy(tmp_path)
    edit(root, LEDGER, "contact: Priya Raman", "contact: Priya Ramen")
    with source_date_epoch(1772323200):
        result, _ = run_build(root, BuildOptions(site_dir=tmp_path / "site",
                                                 reports_dir=tmp_path / "reports",
                                                 only=("invoices",)))
    assert result.errors
    assert not (tmp_path / "reports" / "invoices" / "2026-0001.pdf").exists()
