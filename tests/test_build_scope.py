"""A cohort's site page, roster and sign-in sheets are made again only when its own
file, or a file that is not a cohort, changed (:mod:`trainkit.writers.scope`); otherwise
they come from the build cache or the last build's output. The lists of cohorts on
program, instructor and venue pages likewise: only the lists the edited cohort is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from test_build_incremental import COHORT, _build, _replace, _tree
from test_site_support import copy_demo
from trainkit.writers import learner_pages, reports
from trainkit.writers.feeds import personal
from trainkit.writers.site import catalog, cohorts, people


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def _count(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cohorts whose page text is made, then (as "sheets:<id>") whose sign-in sheets."""
    made: list[str] = []
    page, sheets = cohorts.cohort_text, reports._sheets

    def counted(site: Any, cohort: Any) -> str:
        made.append(cohort.id)
        return page(site, cohort)

    def counted_sheets(academy: Any, cohort: Any) -> Any:
        made.append(f"sheets:{cohort.id}")
        return sheets(academy, cohort)

    monkeypatch.setattr(cohorts, "cohort_text", counted)
    monkeypatch.setattr(reports, "_sheets", counted_sheets)
    return made


def _count_lists(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The pages whose list of cohorts is made: "program:<id>", else the page's path."""
    made: set[str] = set()
    program_list, item = catalog._cohorts, people._cohort_item

    def counted(site: Any, src: str, program: Any) -> list[str]:
        made.add(f"program:{program.id}")
        return program_list(site, src, program)

    def counted_item(site: Any, src: str, cohort: Any) -> str:
        made.add(src)
        return item(site, src, cohort)

    monkeypatch.setattr(catalog, "_cohorts", counted)
    monkeypatch.setattr(people, "_cohort_item", counted_item)
    return made


def _same_as_scratch(academy: Path, out: Path, scratch: Path) -> None:
    _build(academy, scratch, cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(scratch / kind)


EDITED = Path(COHORT).stem


@pytest.mark.parametrize(("rel", "old", "new", "remade"), [
    # a session moved: that cohort's page and sheets, not the others'
    (COHORT, 'start: "09:00"', 'start: "09:30"', [EDITED, f"sheets:{EDITED}"]),
    # a venue several cohorts use, a file that is not a cohort: every page and sheet
    ("venues/london-hq.yaml", "name: Northwind London", "name: Northwind London Bridge",
     None),
])
def test_what_an_edit_makes_again(academy: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch, rel: str, old: str,
                                  new: str, remade: list[str] | None) -> None:
    out = tmp_path / "out"
    made = _count(monkeypatch)
    _build(academy, out, jobs=1)
    every = sorted(made)
    assert len(every) > 6  # the demo's cohorts, all made the first time
    made.clear()
    _replace(academy, rel, old, new)
    _build(academy, out, jobs=1)
    assert sorted(made) == (every if remade is None else remade)
    _same_as_scratch(academy, out, tmp_path / "scratch")


def test_only_the_lists_an_edited_cohort_is_on_are_made_again(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    made = _count_lists(monkeypatch)
    _build(academy, out, jobs=1)
    assert {"program:first-aid", "instructors/tomasz-wisniewski.md",
            "venues/london-hq.md"} < made
    made.clear()
    _replace(academy, COHORT, "date: 2027-01-", "date: 2027-02-")  # its dates change
    _build(academy, out, jobs=1)
    # its program's list, and the lists of its instructors and venue: no other
    assert made == {"program:first-aid", "instructors/tomasz-wisniewski.md",
                    "instructors/amara-okafor.md", "venues/london-hq.md"}
    _same_as_scratch(academy, out, tmp_path / "scratch")
    made.clear()
    _replace(academy, "venues/london-hq.yaml", "name: Northwind London",
             "name: Northwind London Bridge")  # not a cohort: every list
    _build(academy, out, jobs=1)
    assert len(made) > 6 and "program:fire-warden" in made
    _same_as_scratch(academy, out, tmp_path / "scratch-venue")


def test_without_the_build_cache_every_page_is_made(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = _count(monkeypatch)
    _build(academy, tmp_path / "a", cache=False, jobs=1)
    first = sorted(made)
    made.clear()
    _build(academy, tmp_path / "b", cache=False, jobs=1)
    assert sorted(made) == first and first


def test_the_address_lists_follow_the_people_files_not_the_cohorts(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    write_list, write_csv = personal.write_list, learner_pages.write_csv

    def listed(people: Any, private: Path) -> Path:
        made.append("personal feeds")
        return write_list(people, private)

    def pages_listed(path: Path, *args: Any, **kwargs: Any) -> None:
        made.append(path.name)
        write_csv(path, *args, **kwargs)

    monkeypatch.setattr(personal, "write_list", listed)
    monkeypatch.setattr(learner_pages, "write_csv", pages_listed)
    out = tmp_path / "out"
    _build(academy, out, jobs=1)
    assert sorted(made) == ["learner-pages.csv", "personal feeds"]
    made.clear()
    _replace(academy, COHORT, 'start: "09:00"', 'start: "09:30"')
    _build(academy, out, jobs=1)
    assert made == []  # a cohort edit: both lists taken over, not made
    _replace(academy, "people/learners/acme-logistics.yaml", "name: Abigail Thornbury",
             "name: Abigail Thornbury-Hale")
    _build(academy, out, jobs=1)
    assert sorted(made) == ["learner-pages.csv", "personal feeds"]
    for name in ("personal-feeds.csv", "learner-pages.csv"):
        assert b"Thornbury-Hale" in (out / "reports" / "feeds" / name).read_bytes()
    _same_as_scratch(academy, out, tmp_path / "scratch")


def test_a_completion_page_is_made_again_only_when_its_rows_change(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cohort's completion files are keyed by the rows they show: renaming a learner
    makes again the pages of the cohorts (and programs) listing them, no others."""
    made: list[str] = []
    page, cells = reports._completion_page, reports._completion_cells

    def counted_page(academy: Any, cohort: Any, *args: Any) -> str:
        made.append(cohort.id)
        return page(academy, cohort, *args)

    def counted_cells(academy: Any, outcomes: Any, certs: Any, up: str) -> Any:
        if up == "../../":  # a section of a program's page
            made.append(f"program:{outcomes[0].program}")
        return cells(academy, outcomes, certs, up)

    monkeypatch.setattr(reports, "_completion_page", counted_page)
    monkeypatch.setattr(reports, "_completion_cells", counted_cells)
    out = tmp_path / "out"
    _build(academy, out, jobs=1)
    completion = out / "reports" / "completion"
    every = {p.stem for p in completion.glob("*.html")}
    assert len(every) > 3 and sorted(set(made) & every) == sorted(every)
    listing = {p.stem for p in completion.glob("*.csv")
               if b"Abigail Thornbury" in p.read_bytes()}
    programs = {f"program:{p.stem}" for p in (completion / "programs").glob("*.csv")
                if b"Abigail Thornbury" in p.read_bytes()}
    assert listing and programs and listing != every
    inodes = {p.name: p.stat().st_ino for p in completion.glob("*.*")}

    made.clear()
    _replace(academy, "people/learners/acme-logistics.yaml", "name: Abigail Thornbury",
             "name: Abigail Thornbury-Hale")
    _build(academy, out, jobs=1)
    # a program page lists each of its cohorts as a section: every section made again
    assert set(made) == listing | programs
    for name, inode in inodes.items():
        changed = (completion / name).stat().st_ino != inode
        assert changed == (name.split(".")[0] in listing), name
        if changed:
            assert b"Thornbury-Hale" in (completion / name).read_bytes()

    made.clear()
    _build(academy, out, jobs=1)  # nothing changed
    assert made == []
    _same_as_scratch(academy, out, tmp_path / "scratch")
