"""Finding a learner by e-mail, and adding a new one to the learner directory."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from trainkit.edit.changes import Changes
from trainkit.model import Academy, Learner

# Where learners who are in no organisation's file go.
REGISTRATIONS_FILE = "people/learners/registrations.yaml"
_NEW_FILE = """\
# yaml-language-server: $schema=../../schemas/learners.schema.json
version: 1
# Learners added by 'trainkit enroll' who belong to no organisation's file.
learners: []
"""
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def by_email(academy: Academy, email: str) -> Learner | None:
    """The learner with this e-mail address, compared without regard to case."""
    wanted = email.strip().casefold()
    return next((p for p in academy.learners.values() if p.email.casefold() == wanted), None)


def next_id(ids: list[str], name: str) -> str:
    """A new learner id in the academy's own numbering (``l-0412`` after ``l-0411``).

    Without numbered ids, a slug of the name, made unique with a number.
    """
    numbered = [m for m in map(_NUMBERED.match, ids) if m]
    taken = set(ids)
    if numbered:
        prefix = Counter(m.group(1) for m in numbered).most_common(1)[0][0]
        mine = [m for m in numbered if m.group(1) == prefix]
        width = max(len(m.group(2)) for m in mine)
        n = max(int(m.group(2)) for m in mine) + 1
        while f"{prefix}{n:0{width}d}" in taken:
            n += 1
        return f"{prefix}{n:0{width}d}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "learner"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def add_learner(changes: Changes, academy: Academy, name: str, email: str,
                organisation: str | None) -> tuple[str, str]:
    """Add a learner; returns their new id and the file they were added to."""
    learner_id = next_id(list(academy.learners), name)
    path = _file_of(changes, academy, organisation)
    doc = changes.open(path) if path != REGISTRATIONS_FILE else changes.create(path, _NEW_FILE)
    entry: dict[str, str] = {"id": learner_id, "name": name.strip(), "email": email.strip()}
    if organisation and doc.get(["organisation"]) != organisation:
        entry["organisation"] = organisation
    doc.append(["learners"], entry)
    return learner_id, path


def _file_of(changes: Changes, academy: Academy, organisation: str | None) -> str:
    """The directory file whose default organisation is ``organisation``, if any."""
    if not organisation:
        return REGISTRATIONS_FILE
    wanted = organisation.strip().casefold()
    paths = sorted({p.loc.path for p in academy.learners.values()
                    if (p.organisation or "").casefold() == wanted})
    for path in paths:
        own = changes.open(path).get(["organisation"])
        if isinstance(own, str) and own.casefold() == wanted:
            return path
    return REGISTRATIONS_FILE
