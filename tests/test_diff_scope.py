"""Rules limited to the cohorts a change touches find the same new and resolved problems.

Each scenario changes the fixture in the working tree; the problems the
change introduces and resolves are computed twice, with the rules run on
the whole academy and on the scope :func:`trainkit.history.scope.scope` picks,
and must be the same.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git
import pytest

from test_diff import FA9, FW10, Repo
from trainkit import rules
from trainkit.history.scope import changed_files, restrict, scope
from trainkit.history.semdiff import diff
from trainkit.load.gitsource import GitSource, WorktreeSource
from trainkit.model import Academy
from trainkit.pipeline import check_source


def double_book(repo: Repo) -> None:
    repo.edit(FW10, "sessions:\n", "sessions:\n  - id: extra\n    template: day1\n"
              "    date: 2026-09-15\n    start: \"10:00\"\n    end: \"12:00\"\n"
              "    instructors: [ann]\n    room: dock\n")


def over_capacity(repo: Repo) -> None:
    repo.edit(FA9, "l-07\n    status: waitlisted", "l-07\n    status: enrolled")


def expired_qualification(repo: Repo) -> None:
    repo.edit("people/instructors/cat.yaml", "  - id: first-aid\n",
              "  - id: first-aid\n    expires: 2026-01-31\n")


def learner_clash(repo: Repo) -> None:
    repo.edit(FW10, "sessions:\n", "sessions:\n  - id: extra\n    template: day1\n"
              "    date: 2026-03-10\n    start: \"10:00\"\n    end: \"12:00\"\n")


def room_clash(repo: Repo) -> None:
    repo.edit(FW10, "room: dock", "room: quay")
    repo.edit(FW10, "date: 2026-10-06", "date: 2026-09-15")


def fix_existing(repo: Repo) -> None:
    double_book(repo)
    repo.commit("double-booked")
    (repo.root / FW10).write_text(repo.git("show", f"HEAD~1:{FW10}"))


SCENARIOS: dict[str, Callable[[Repo], None]] = {
    "double-book": double_book, "over-capacity": over_capacity,
    "expired-qualification": expired_qualification, "learner-clash": learner_clash,
    "room-clash": room_clash, "fix-existing": fix_existing,
}


def _keys(items: list) -> list[tuple[str, str]]:
    return sorted((d.code, d.message) for d in items)


def _outcome(old: Academy, new: Academy, base: list, head: list, cohorts: set[str] | None):
    if cohorts is None:
        a, b = rules.run(old), rules.run(new)
    else:
        a, b = rules.run(restrict(old, cohorts)), rules.run(restrict(new, cohorts))
    d = diff(old, new, old_problems=base + a, new_problems=head + b)
    return _keys(d.new_problems), _keys(d.resolved_problems)


LONELY = """version: 1
title: "Elsewhere, 2026"
venue: hq
instructors:
  lead: [dan]
status: open
sessions:
  - id: day1
    template: day1
    date: 2026-09-15
    start: "10:00"
    end: "17:00"
"""


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scoped_rules_match_full_rules(name: str, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "academy")
    # A cohort sharing no instructor, learner or room with the others.
    repo.write("programs/fire-warden/cohorts/fw-lonely.yaml", LONELY)
    repo.commit("a cohort of its own")
    SCENARIOS[name](repo)
    handle = git.Repo(repo.root)
    cache: dict = {}
    none = {"select": lambda _: False}
    old, new = GitSource(handle, handle.head.commit), WorktreeSource(repo.root)
    base = check_source(old, str(repo.root), cache=cache, **none)
    head = check_source(new, str(repo.root), cache=cache, **none)
    assert base.academy is not None and head.academy is not None
    files = changed_files(old.blob_ids(), new.blob_ids())
    cohorts = scope(base.academy, head.academy, files, limit=1.0)
    assert cohorts is not None and "fw-lonely" not in cohorts
    full = _outcome(base.academy, head.academy, base.diagnostics, head.diagnostics, None)
    scoped = _outcome(base.academy, head.academy, base.diagnostics, head.diagnostics, cohorts)
    assert scoped == full
    assert full[0] or full[1], "the scenario should introduce or resolve a problem"


def test_scope_is_everything_when_settings_change(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "academy")
    repo.edit("trainkit.yaml", "locale: en-GB", "locale: en-US")
    handle = git.Repo(repo.root)
    base = check_source(GitSource(handle, handle.head.commit), str(repo.root))
    head = check_source(WorktreeSource(repo.root), str(repo.root))
    assert base.academy and head.academy
    assert scope(base.academy, head.academy, {"trainkit.yaml"}, limit=1.0) is None
