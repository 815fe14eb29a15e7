"""The demo academy's notifications: reminders a week and a day before first-aid
sessions, certificate expiry three months ahead (as its program page promises),
and a learner who opted out of reminders."""

from __future__ import annotations

import csv
from pathlib import Path

from trainkit.cli import main

DEMO = Path(__file__).resolve().parents[1]


def due(tmp_path: Path, moment: str, capsys) -> list[dict[str, str]]:
    reports = tmp_path / "reports"
    assert main(["notify", "--root", str(DEMO), "--due", "--as-of", moment,
                 "--reports-dir", str(reports)]) == 0
    capsys.readouterr()
    with (reports / "outbox" / "index.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_demo_reminders_and_opt_out(tmp_path: Path, capsys) -> None:
    rows = due(tmp_path, "2026-10-20T07:00:00Z", capsys)
    reminders = [r for r in rows if r["kind"] == "reminder"]
    assert any("First Aid at Work" in r["subject"] for r in reminders)
    # l-0106 (Dariusz) is enrolled in fa-lon-2026-10 but has reminders: false
    assert not any("dariusz" in r["to"].lower() for r in reminders)
    assert not (DEMO / "records" / "notifications.csv").exists()  # a dry run records nothing


def test_demo_certificates_three_months_ahead(tmp_path: Path, capsys) -> None:
    rows = due(tmp_path, "2029-01-15T07:00:00Z", capsys)
    assert rows and {r["kind"] for r in rows} == {"certificate-expiring"}
    assert all("First Aid at Work certificate" in r["subject"] for r in rows)
