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

import re
from pathlib import Path

from trainkit.importers.common import ImportProblem, decode
from trainkit.load.csvtext import CsvProblem, read_records
from trainkit.load.records import start_lines
from trainkit.load.yamlcore import YamlError
from trainkit.load.yamlio import MarkedDict, parse
from trainkit.model import Academy

_PAREN = re.compile(r"^(.*?)\s*\((.+)\)\s*$")  # Zoom: "Display name (Original name)"


def load_identity_map(path: Path, learners: set[str]) -> dict[str, str]:
    """Alias (lower-cased) -> learner id; every learner id must exist."""
    where = str(path)
    text = decode(path.read_bytes(), where)
    read = _csv_pairs if path.suffix.lower() == ".csv" else _yaml_pairs
    pairs = read(text, where)
    out: dict[str, str] = {}
    for alias, learner, line in pairs:
        if learner not in learners:
            raise ImportProblem(where, line, f"learner {learner!r} is not in the learner "
                                "directory")
        out[alias.strip().lower()] = learner
    return out


def _csv_pairs(text: str, path: str) -> list[tuple[str, str, int]]:
    try:
        records, _ = read_records(text)
    except CsvProblem as exc:
        raise ImportProblem(path, exc.line, exc.message) from None
    header = [h.strip().lstrip("\ufeff") for h in records[0]] if records else []
    if "alias" not in header or "learner" not in header:
        raise ImportProblem(path, 1, "the header must be: alias,learner")
    a, b = header.index("alias"), header.index("learner")
    lines = start_lines(text)
    return [(r[a] if a < len(r) else "", r[b] if b < len(r) else "", lines[i])
            for i, r in enumerate(records) if i and any(c.strip() for c in r)]


def _yaml_pairs(text: str, path: str) -> list[tuple[str, str, int]]:
    try:
        data, _ = parse(text)
    except YamlError as exc:
        raise ImportProblem(path, exc.line, exc.message) from None
    identities = data.get("identities") if isinstance(data, MarkedDict) else None
    if not isinstance(identities, MarkedDict):
        line = data.pos[0] if isinstance(data, MarkedDict) else 1
        raise ImportProblem(path, line, "expected 'identities:' mapping learner ids to "
                            "lists of aliases (see trainkit import --help)")
    pairs = []
    for learner, aliases in identities.items():
        line = identities.marks[learner][0]
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            if not isinstance(alias, str | int | float) or isinstance(alias, bool):
                raise ImportProblem(path, line, f"the aliases of {learner!r} must be names or "
                                    "e-mail addresses, e.g. [\"Priya S\", priya@example.org]")
            pairs.append((str(alias), str(learner), line))
    return pairs


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
