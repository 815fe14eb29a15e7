"""Certificates: numbers, expiry, status, Open Badges and the public verification page."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from trainkit.model import Loc, Revocation
from trainkit.outcomes.certificates import (
    EXPIRED,
    REVOKED,
    VALID,
    Certificate,
    certificate_id,
    expiry,
    recertification,
    verify_key,
)
from trainkit.writers.build import BuildOptions, run_build

SMALL = Path(__file__).parent / "cases" / "small" / "input"


def cert(**changes: object) -> Certificate:
    base = Certificate("TK-A", "p", "c", "l", "T", date(2026, 1, 31), date(2026, 4, 30), "k", None)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_certificate_number_is_stable_and_depends_on_every_part() -> None:
    a = certificate_id("acad", "prog", "l-1", date(2026, 1, 2))
    assert a == certificate_id("acad", "prog", "l-1", date(2026, 1, 2))
    assert a.startswith("TK-") and len(a) == 3 + 19
    others = {certificate_id("x", "prog", "l-1", date(2026, 1, 2)),
              certificate_id("acad", "x", "l-1", date(2026, 1, 2)),
              certificate_id("acad", "prog", "x", date(2026, 1, 2)),
              certificate_id("acad", "prog", "l-1", date(2026, 1, 3))}
    assert a not in others and len(others) == 4


def test_verification_key_needs_the_secret_when_there_is_one() -> None:
    plain = verify_key("TK-A", "acad", None)
    assert verify_key("TK-A", "acad", b"s1") not in (plain, verify_key("TK-A", "acad", b"s2"))
    assert verify_key("TK-A", "acad", b"s1") == verify_key("TK-A", "acad", b"s1")


def test_expiry_adds_calendar_months() -> None:
    assert expiry(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert expiry(date(2026, 1, 31), 36) == date(2029, 1, 31)
    assert expiry(date(2026, 1, 31), None) is None


def test_status_on_a_day() -> None:
    revoked = Revocation("TK-A", date(2026, 3, 1), "error", Loc("r.yaml"))
    assert cert().status(date(2026, 4, 29)) == VALID
    assert cert().status(date(2026, 4, 30)) == EXPIRED
    assert cert(revocation=revoked).status(date(2026, 2, 28)) == VALID
    assert cert(revocation=revoked).status(date(2026, 3, 1)) == REVOKED
    assert cert(expires_on=None).status(date(2099, 1, 1)) == VALID


def test_recertification_lists_expired_and_expiring_within_90_days() -> None:
    today = date(2026, 2, 1)
    certs = [cert(id="old", expires_on=date(2026, 1, 1)),
             cert(id="soon", expires_on=date(2026, 5, 1)),
             cert(id="later", expires_on=date(2026, 5, 3)),
             cert(id="never", expires_on=None)]
    assert [(c.id, s) for c, s in recertification(certs, today)] == [("old", EXPIRED),
                                                                    ("soon", "expiring")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("certs")
    root = out / "academy"
    shutil.copytree(SMALL, root)
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1775001600")  # 2026-04-01
    try:
        run_build(root, BuildOptions(site_dir=out / "site", reports_dir=out / "reports",
                                     secret=b"s", only=("certificates",)))
    finally:
        mp.undo()
    return out


def test_open_badge_credential_shape(built: Path) -> None:
    files = sorted((built / "reports/certificates").glob("TK-*.json"))
    assert len(files) == 6
    badge = json.loads(files[0].read_text(encoding="utf-8"))
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["type"] == ["Profile"]
    assert badge["issuer"]["name"] == "Test Academy Ltd"
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"].startswith("Complete the ")
    assert {"id", "name", "description"} <= set(achievement)
    assert badge["validFrom"] < badge["validUntil"]
    assert badge["id"].startswith("https://academy.test/verify/")
    assert subject["identifier"][0]["identityHash"].startswith("sha256$")
    assert "@" not in json.dumps(subject["identifier"])


def test_verification_pages_show_status_and_no_personal_data(built: Path) -> None:
    pages = sorted((built / "site/verify").glob("*/index.html"))
    assert len(pages) == 6
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    for word in ("Priya", "Shah", "Zoë", "O&#39;Brien", "acme.test", "l-01", "Tom Late"):
        assert word not in text
    assert text.count('class="status revoked"') == 1
    assert text.count('class="status expired"') == 2
    assert text.count('class="status valid"') == 3
    assert "Assessment &lt;re-marked&gt; &amp; failed" in text


def test_show_name_on_verification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "academy"
    shutil.copytree(SMALL, root)
    settings = root / "trainkit.yaml"
    settings.write_text(settings.read_text().replace("show_name_on_verification: false",
                                                     "show_name_on_verification: true"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")
    run_build(root, BuildOptions(site_dir=tmp_path / "site", reports_dir=tmp_path / "reports",
                                 only=("certificates",)))
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in (tmp_path / "site/verify").glob("*/index.html"))
    assert "Zoë &lt;O&#39;Brien&gt;" in text
    assert "zoe.obrien" not in text


def test_printable_certificate_escapes_the_name(built: Path) -> None:
    texts = [p.read_text(encoding="utf-8")
             for p in (built / "reports/certificates").glob("TK-*.html")]
    assert any("Zoë &lt;O&#39;Brien&gt;" in t for t in texts)
    assert not any("<O'Brien>" in t for t in texts)
    assert all("https://academy.test/verify/" in t for t in texts)
