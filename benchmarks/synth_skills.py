"""The skills part of the synthetic academy: competencies, roles, learners' roles, evidence.

Used by ``synth.py`` when ``--roles`` is given. Role ``role-r`` needs five
competencies (levels alternate) and, unless ``r`` is a multiple of four,
extends ``role-(r-1)``; learner ``n`` holds role ``n mod roles`` and reports to
one of a thousand managers. Evidence rows are spread over learners and
competencies, a third of them with an expiry (some already past).
"""

from __future__ import annotations

from datetime import date, timedelta

from synth_text import FAMILY, GIVEN, learner_id

TODAY = date(2026, 6, 1)


def competencies_yaml(count: int) -> str:
    items = "".join(
        f"  - id: comp-{c}\n    name: Competency {c}\n    description: Generated competency {c}.\n"
        "    levels: [awareness, practitioner]\n"
        for c in range(count)
    )
    return f"version: 1\ncompetencies:\n{items}"


def role_yaml(r: int, competencies: int) -> str:
    extends = f"extends: [role-{r - 1}]\n" if r % 4 else ""
    needs = "".join(
        f"  - competency: comp-{(r * 5 + k) % competencies}\n"
        f"    level: {'practitioner' if (r + k) % 2 else 'awareness'}\n"
        f"    weight: {1 + k % 3}\n"
        for k in range(5)
    )
    return f"version: 1\nname: Role {r}\n{extends}competencies:\n{needs}"


def learners_yaml(part: int, first: int, last: int, roles: int) -> str:
    rows = [f"version: 1\norganisation: Organisation {part:03d}\nlearners:\n"]
    for n in range(first, last):
        lid = learner_id(n)
        rows.append(f"  - id: {lid}\n    name: {GIVEN[n % 16]} {FAMILY[n // 16 % 16]}\n"
                    f"    email: {lid}@org{part:03d}.example\n"
                    f"    roles: [role-{n % roles}]\n    manager: Manager {n % 1000:03d}\n")
    return "".join(rows)


def evidence_csv(learners: int, competencies: int, rows: int) -> list[str]:
    out = []
    for i in range(rows):
        n = (i * 7919) % learners
        comp = (i * 31 + n) % competencies
        level = "practitioner" if i % 3 else "awareness"
        on = TODAY - timedelta(days=30 + i % 900)
        expires = (on + timedelta(days=365 * (1 + i % 3))).isoformat() if i % 3 == 0 else ""
        out.append(f"{learner_id(n)},comp-{comp},{level},{on.isoformat()},{expires},"
                   f"prior learning,,\n")
    return out
