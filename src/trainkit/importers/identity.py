"""Who is who: matching the people in an export to learner ids.

A participant is matched by e-mail address (case-insensitive) against the
learner directory first, then through an optional identity map that lists
the other names and addresses a learner shows up under. Nobody is matched by
guessing: whoever is left is reported with what they were called.

Identity map, YAML::

    version: 1
    identities:
      l-0101: ["Priya S", "priya.shah@gmail.com", "Priya's iPhone"]

or CSV with the columns ``alias,learner`` (one alias a row).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import yaml

from trainkit.importers.common import ImportProblem, decode
from trainkit.model import Academy

_PAREN = re.compile(r"^(.*?)\s*\((.+)\)\s*$")  # Zoom: "Display name (Original name)"


def load_identity_map(path: Path, learners: set[str]) -> dict[str, str]:
    """Alias (lower-cased) -> learner id; every learner id must exist."""
    text = decode(path.read_bytes())
    pairs: list[tuple[str, str, int]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or {"alias", "learner"} - set(reader.fieldnames):
            raise ImportProblem(str(path), 1, "the header must be: alias,learner")
        for r in reader:
            pairs.append((r["alias"] or "", r["learner"] or "", reader.line_num))
    else:
        data = yaml.safe_load(text) or {}
        identities = data.get("identities") if isinstance(data, dict) else None
        if not isinstance(identities, dict):
            raise ImportProblem(str(path), 1, "expected 'identities:' mapping learner ids to "
                                "lists of aliases (see trainkit import --help)")
        for learner, aliases in identities.items():
            for alias in aliases if isinstance(aliases, list) else [aliases]:
                pairs.append((str(alias), str(learner), 1))
    out: dict[str, str] = {}
    for alias, learner, line in pairs:
        if learner not in learners:
            raise ImportProblem(str(path), line, f"learner {learner!r} is not in the learner "
                                "directory")
        out[alias.strip().lower()] = learner
    return out


class Matcher:
    """Finds the learner id of a participant, or ``None``."""

    def __init__(self, academy: Academy, aliases: dict[str, str] | None = None) -> None:
        self.by_email = {p.email.strip().lower(): p.id for p in academy.learners.values()}
        self.aliases = aliases or {}
        self.staff = {i.email.strip().lower() for i in academy.instructors.values() if i.email}

    def is_staff(self, email: str) -> bool:
        return email.strip().lower() in self.staff

    def match(self, name: str, email: str) -> str | None:
        mail = email.strip().lower()
        if mail and mail in self.by_email:
            return self.by_email[mail]
        for key in self._keys(name, mail):
            if key in self.aliases:
                return self.aliases[key]
        return None

    @staticmethod
    def _keys(name: str, mail: str) -> list[str]:
        keys = [mail] if mail else []
        full = name.strip().lower()
        keys.append(full)
        m = _PAREN.match(full)
        if m:
            keys += [m.group(2).strip(), m.group(1).strip()]
        return [k for k in keys if k]
