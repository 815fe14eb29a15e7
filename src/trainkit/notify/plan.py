"""What one ``trainkit notify`` run is about: the academy, the moment and the notices.

``from_revisions`` reads two revisions from git as ``trainkit diff`` does
(nothing is checked out; blobs the two share are parsed once) and turns the
semantic diff into session notices, with each event's SEQUENCE from the
feeds' history. ``from_worktree`` reads the working tree for ``--due``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import git

from trainkit.diagnostics import Diagnostic
from trainkit.history.revision import Side, load_revision, revisions
from trainkit.history.semdiff import diff
from trainkit.history.sequence import History, session_history
from trainkit.load.loader import ParseCache
from trainkit.load.records import collector_paused
from trainkit.model import Academy
from trainkit.notify import changes
from trainkit.notify.due import due
from trainkit.notify.ledger import Ledger
from trainkit.notify.notice import Notice
from trainkit.pipeline import check_dir


@dataclass
class Plan:
    academy: Academy | None
    moment: datetime
    notices: list[Notice] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # errors that stop the run
    label: str = ""  # what was compared, for the summary
    head: str | None = None  # the HEAD commit of a change (None: the working tree, or --due)


def _no_rules(name: str) -> bool:
    return False


def from_worktree(root: Path, as_of: datetime) -> Plan:
    with collector_paused():
        result = check_dir(root, select=_no_rules)
        if result.academy is None or result.errors:
            return Plan(None, as_of, problems=result.errors)
        return Plan(result.academy, as_of, due(result.academy, as_of),
                    label=f"due as of {as_of.isoformat()}")


NOTHING = ""  # a BASE that is no revision at all: everything in HEAD is new


def last_run(root: Path, ledger: Ledger, head: str | None) -> str:
    """Where ``--since-last-run`` starts: the newest commit a complete run went
    through that this repository has; else HEAD's parent; else nothing."""
    repo = git.Repo(root, search_parent_directories=True)
    for commit in [*reversed(ledger.runs), f"{head or 'HEAD'}~1"]:
        try:
            repo.commit(commit)
            return commit
        except (git.BadName, ValueError):
            continue
    return NOTHING


def from_revisions(root: Path, base: str | None, head: str | None, as_of: datetime | None,
                   ledger: Ledger) -> Plan:
    """Raises ``ValueError`` for a revision that does not exist, ``git`` errors outside git."""
    repo = git.Repo(root, search_parent_directories=True)
    first = base == NOTHING
    old_commit, new_commit, default = revisions(repo, None if first else base, head)
    top = Path(str(repo.working_tree_dir)).resolve()
    prefix = Path(root).resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix
    moment = as_of or (datetime.fromtimestamp(new_commit.committed_date, UTC) if new_commit
                       else datetime.now(UTC))
    cache: ParseCache = {}
    with collector_paused():
        old = Side("nothing (no run before, no parent commit)", None, None) if first else \
            load_revision(repo, old_commit, prefix, root, cache,
                          base or f"merge-base with {default}")
        new = load_revision(repo, new_commit, prefix, root, cache, head or "")
        label = f"{old.label} -> {new.label}"
        if new.result is None or new.result.academy is None or new.result.errors:
            errors = new.result.errors if new.result else []
            return Plan(None, moment, problems=errors, label=label)
        academy = new.result.academy
        before = _academy(old)
        semdiff = diff(before, academy)
        cohorts = changes.changed_cohorts(before, academy, semdiff)
        history = session_history(academy, root, moment) if cohorts else History(False)
        found = list(changes.notices(before, academy, cohorts, history, moment, ledger))
    return Plan(academy, moment, found, label=label,
                head=new_commit.hexsha if new_commit else None)


def _academy(side: Side) -> Academy | None:
    return side.result.academy if side.result else None
