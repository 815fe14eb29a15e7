"""Certificates: who gets one, its number, expiry, status and Open Badge.

A certificate is issued to every learner whose completion outcome is
``completed`` in a program with a ``certificate:`` block. Everything about
it is derived, so rebuilding gives the same certificate:

* **Number**: ``TK-`` and 16 base-32 characters of SHA-256 over the academy
  id, program, learner and completion date (``TK-7QX2-…``). Completing the
  same program again on another day gives a new number.
* **Expiry**: the completion date plus ``validity_months``; none without it.
* **Status** on a day: ``revoked`` (listed in ``records/revocations.yaml``
  on or before that day), ``expired`` (on or after the expiry date) or
  ``valid``.
* **Verification page**: ``verify/<key>/`` on the public site. The key is an
  HMAC-SHA256 of the number under the build secret (``TRAINKIT_FEED_SECRET``)
  when one is set, so it cannot be computed from learner data; without a
  secret it is SHA-256 of academy id and number (the build says so). Keep
  the secret stable: changing it moves every verification page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from trainkit.model import Academy, Revocation
from trainkit.outcomes.completion import Outcome
from trainkit.outcomes.requirements import COMPLETED
from trainkit.outcomes.skills.framework import alignment

VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
EXPIRY_WINDOW = timedelta(days=90)
OB_CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)


@dataclass(frozen=True, slots=True, order=True)
class Certificate:
    id: str  # TK-XXXX-XXXX-XXXX-XXXX
    program: str
    cohort: str
    learner: str
    title: str
    issued_on: date
    expires_on: date | None
    verify_key: str
    revocation: Revocation | None

    def status(self, on: date) -> str:
        if self.revocation is not None and self.revocation.revoked_on <= on:
            return REVOKED
        if self.expires_on is not None and self.expires_on <= on:
            return EXPIRED
        return VALID

    @property
    def verify_path(self) -> str:
        """Site-relative folder of the public verification page."""
        return f"verify/{self.verify_key}/"


def certificate_id(academy_id: str, program: str, learner: str, completed_on: date) -> str:
    digest = hashlib.sha256(
        f"{academy_id}\x1f{program}\x1f{learner}\x1f{completed_on.isoformat()}".encode()
    ).digest()
    # the first 10 bytes are the first 80 bits: exactly the 16 characters kept
    code = base64.b32encode(digest[:10]).decode()
    return "TK-" + "-".join(code[i:i + 4] for i in range(0, 16, 4))


def verify_key(cert_id: str, academy_id: str, secret: bytes | None) -> str:
    message = f"{academy_id}\x1f{cert_id}".encode()
    if secret:
        return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]
    return hashlib.sha256(message).hexdigest()[:32]


def expiry(issued_on: date, validity_months: int | None) -> date | None:
    return None if validity_months is None else issued_on + relativedelta(months=validity_months)


def issue(academy: Academy, outcomes: Iterable[Outcome], secret: bytes | None) -> list[Certificate]:
    """One certificate per completion in a program that grants one, sorted by number."""
    revoked = {r.certificate: r for r in academy.revocations}
    found: dict[str, Certificate] = {}
    for o in outcomes:
        program = academy.programs.get(o.program)
        if o.status != COMPLETED or o.completed_on is None or program is None:
            continue
        if program.certificate is None:
            continue
        cid = certificate_id(academy.settings.id, o.program, o.learner, o.completed_on)
        found.setdefault(cid, Certificate(
            id=cid, program=o.program, cohort=o.cohort, learner=o.learner,
            title=program.certificate.title, issued_on=o.completed_on,
            expires_on=expiry(o.completed_on, program.certificate.validity_months),
            verify_key=verify_key(cid, academy.settings.id, secret),
            revocation=revoked.get(cid),
        ))
    return sorted(found.values())


def recertification(certs: Iterable[Certificate], on: date,
                    window: timedelta = EXPIRY_WINDOW) -> list[tuple[Certificate, str]]:
    """Certificates that expired already, or expire within ``window``, with which."""
    out = []
    for c in certs:
        if c.expires_on is None or c.status(on) == REVOKED:
            continue
        if c.expires_on <= on:
            out.append((c, EXPIRED))
        elif c.expires_on <= on + window:
            out.append((c, "expiring"))
    out.sort(key=lambda t: (t[0].expires_on or on, t[0].id))
    return out


def open_badge(cert: Certificate, academy: Academy) -> dict[str, object]:
    """The certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (unsigned).

    The learner is identified by a salted SHA-256 of their e-mail address
    (an ``IdentityObject``), as the specification suggests, so the file does
    not carry the address itself.
    """
    s = academy.settings
    program = academy.programs[cert.program]
    learner = academy.learners.get(cert.learner)
    salt = hashlib.sha256(cert.id.encode()).hexdigest()[:16]
    email = (learner.email if learner else "").strip().lower()
    subject: dict[str, object] = {
        "type": ["AchievementSubject"],
        "identifier": [{
            "type": "IdentityObject",
            "identityHash": "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }],
        "achievement": {
            "id": f"{s.base_url}#achievement-{cert.program}",
            "type": ["Achievement"],
            "name": cert.title,
            "description": program.summary or program.title,
            "criteria": {"narrative": criteria_narrative(academy, cert.program)},
        },
    }
    if program.awards:  # the competency levels completing it evidences, as CASE items
        achievement = subject["achievement"]
        assert isinstance(achievement, dict)
        achievement["alignment"] = [alignment(academy, w.id, w.level) for w in program.awards]
    if learner is not None:
        subject["name"] = learner.name  # the holder's own copy; never published
    issuer: dict[str, object] = {"id": s.certificates.issuer_url, "type": ["Profile"],
                                 "name": s.certificates.issuer_name,
                                 "url": s.certificates.issuer_url}
    if s.certificates.issuer_email:
        issuer["email"] = s.certificates.issuer_email
    credential: dict[str, object] = {
        "@context": list(OB_CONTEXTS),
        "id": s.base_url + cert.verify_path,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": cert.title,
        "issuer": issuer,
        "validFrom": f"{cert.issued_on.isoformat()}T00:00:00Z",
        "credentialSubject": subject,
    }
    if cert.expires_on is not None:
        credential["validUntil"] = f"{cert.expires_on.isoformat()}T00:00:00Z"
    return credential


def criteria_narrative(academy: Academy, program_id: str) -> str:
    """The program's completion rules in one paragraph, for badges and certificates."""
    program = academy.programs[program_id]
    r = program.completion
    quizzes = academy.quizzes()
    parts = [f"Complete the {program.title} program"]
    if r.min_attendance_share is not None:
        parts.append(f"attend at least {r.min_attendance_share * 100:.0f}% of its sessions")
    elif r.min_attendance_sessions is not None:
        parts.append(f"attend at least {r.min_attendance_sessions} of its sessions")
    titles = [t.title for t in program.plan if t.id in r.mandatory_sessions]
    if titles:
        parts.append("attend " + ", ".join(titles))
    for q in r.quizzes:
        name = quizzes[q.quiz].title if q.quiz in quizzes else q.quiz
        parts.append(f"score at least {q.pass_mark:g}% in {name}")
    for c in r.courses:
        name = academy.courses[c].title if c in academy.courses else c
        parts.append(f"pass the graded quizzes of {name}")
    return "; ".join(parts) + "."
