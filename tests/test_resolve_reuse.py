"""A live preview resolves again after every save, taking what it resolved last time
for the files that did not change (trainkit.resolve.reuse): the academy and the
problems it finds are always those of a resolve from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_site_support import copy_demo
from trainkit.load.parsecache import StoredParses
from trainkit.pipeline import Result, check_tree
from trainkit.resolve import programs
from trainkit.resolve.reuse import Reuse

LEARNERS = "people/learners/acme-logistics.yaml"
OTHER_LEARNERS = "people/learners/harbourline-hotels.yaml"
COHORT = "programs/first-aid/cohorts/fa-lon-2026-10.yaml"
OTHER_COHORT = "programs/first-aid/cohorts/fa-lon-2027-01.yaml"


def _edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert old in text, (path, old)
    (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, path: str, text: str) -> None:
    with (root / path).open("a", encoding="utf-8") as fh:
        fh.write(text)


def _same_as_from_scratch(kept: Result, root: Path) -> None:
    fresh = check_tree(root, StoredParses(None))
    assert kept.academy is not None and fresh.academy is not None
    assert kept.academy == fresh.academy
    assert sorted(map(str, kept.diagnostics)) == sorted(map(str, fresh.diagnostics))


def test_a_resolve_that_reuses_equals_one_from_scratch(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_demo(tmp_path / "academy")
    parses, reuse = StoredParses(None), Reuse()  # what trainkit serve keeps
    made: list[str] = []
    cohort = programs._cohort
    monkeypatch.setattr(programs, "_cohort",
                        lambda doc, *a: made.append(doc.path) or cohort(doc, *a))

    def again() -> Result:
        made.clear()
        result = check_tree(root, parses, None, reuse)
        seen = list(made)
        _same_as_from_scratch(result, root)
        made[:] = seen  # what the resolve that reuses made (not the one from scratch)
        return result

    first = again()
    assert first.academy is not None
    cohorts = len(first.academy.cohorts)
    assert len(made) == cohorts > 5

    # a cohort file edited: that cohort alone is resolved again
    _edit(root, COHORT, 'title: "London, October 2026"', 'title: "London, autumn 2026"')
    second = again()
    assert made == [COHORT]
    assert second.academy is not None
    assert second.academy.cohorts["fa-lon-2026-10"].title == "London, autumn 2026"
    # learners of files that did not change are the very objects of the last resolve
    assert all(second.academy.learners[k] is v for k, v in first.academy.learners.items())

    # a problem one cohort file has is reported at every resolve, made again or not
    _append(root, OTHER_COHORT, "sessions:\n  - id: extra\n    date: 2027-01-20\n")
    problem = again()
    assert any(d.code == "session-time" and d.path == OTHER_COHORT for d in problem.diagnostics)
    _edit(root, COHORT, 'title: "London, autumn 2026"', 'title: "London, October 2026"')
    kept = again()
    assert made == [COHORT]
    assert any(d.code == "session-time" and d.path == OTHER_COHORT for d in kept.diagnostics)

    # a learner renamed, then an id declared twice across two files
    _edit(root, LEARNERS, "name: Abigail Thornbury", "name: Abigail Thornbury-Hale")
    renamed = again()
    assert renamed.academy is not None
    assert renamed.academy.learners["l-0101"].name == "Abigail Thornbury-Hale"
    _append(root, OTHER_LEARNERS,
            "  - id: l-0101\n    name: Someone Else\n    email: someone@example.org\n")
    twice = again()
    assert twice.academy is not None
    assert twice.academy.learners["l-0101"].name == "Abigail Thornbury-Hale"  # the first wins
    assert any(d.code == "duplicate-id" and d.path == OTHER_LEARNERS
               for d in twice.diagnostics)

    # what every cohort is made with (a venue, the settings): every cohort made again
    _edit(root, "venues/london-hq.yaml", "name: Northwind London", "name: Northwind Farringdon")
    again()
    assert len(made) == cohorts
    again()
    assert made == []
    _edit(root, "trainkit.yaml", "version: 1", "version: 1\n# a comment changes the file")
    again()
    assert len(made) == cohorts
