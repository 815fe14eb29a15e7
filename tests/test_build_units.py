"""Keys per file inside writers: only the learner pages and report pages whose values
changed are made again, and a damaged, foreign or outdated per-file cache never leaks
into the output."""

from __future__ import annotations

import marshal
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from test_build_incremental import COHORT, _build, _replace, _tree
from test_site_support import copy_demo
from trainkit.load import usercache
from trainkit.writers import buildcache, learner_pages, units
from trainkit.writers.spelling import Opaque, canonical, spelled
from trainkit.writers.units import chunks, fan_out


class _Counting:
    """Stands in for the learner page template and counts the pages rendered."""

    def __init__(self, real: Any) -> None:
        self.real, self.count = real, 0

    def get_template(self, name: str) -> Any:
        outer, template = self, self.real.get_template(name)

        class _T:
            def render(self, **values: Any) -> str:
                outer.count += 1
                return str(template.render(**values))
        return _T()


@pytest.fixture
def academy(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def _pages(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in (out / "site" / "calendars" / "p").glob("*.html")}


def test_only_the_pages_whose_values_changed_are_rendered(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(academy, out, jobs=1)
    before = _pages(out)
    counter = _Counting(learner_pages.ENV)
    monkeypatch.setattr(learner_pages, "ENV", counter)
    _replace(academy, COHORT, "learner: l-0209\n    status: enrolled",
             "learner: l-0209\n    status: withdrawn")
    _build(academy, out, jobs=1)
    assert 0 < counter.count < len(before) // 4  # the withdrawn learner's page, not the rest
    after = _pages(out)
    assert sum(before[name] == after[name] for name in after) >= len(after) - counter.count
    _build(academy, tmp_path / "scratch", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(tmp_path / "scratch" / kind)


def _manifest(out: Path, academy: Path) -> Path:
    return buildcache.location(academy, out / "site", out / "reports")


def _rewrite(path: Path, change: Any) -> None:
    """Change the manifest's body and seal it again with this user's key (as a bug in
    trainkit itself could): what it says is still checked against the files."""
    data = marshal.loads(path.read_bytes().partition(b"\n")[2])
    change(data)
    body = marshal.dumps(data)
    path.write_bytes(usercache.seal(body).encode("ascii") + b"\n" + body)


def _same_as_scratch(academy: Path, out: Path, scratch: Path) -> None:
    _build(academy, out)
    _build(academy, scratch, cache=False)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(scratch / kind), kind


def test_a_file_changed_by_hand_is_made_again(academy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(academy, out)
    page = sorted((out / "site" / "calendars" / "p").glob("*.html"))[0]
    text = page.read_text(encoding="utf-8")
    page.unlink()  # a new file (new inode), as an editor saving it would make
    page.write_text(text.replace("My training", "Not my training"), encoding="utf-8")
    _replace(academy, COHORT, 'start: "09:00"', 'start: "09:30"')  # the writer runs again
    _same_as_scratch(academy, out, tmp_path / "scratch")


def test_damaged_or_foreign_per_file_digests_are_not_trusted(academy: Path,
                                                            tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _build(academy, first)
    _build(academy, second, secret=b"other-secret")
    # digests of another pair of output folders (other files, other inodes) ...
    shutil.copyfile(_manifest(first, academy), _manifest(second, academy))
    _replace(academy, COHORT, 'start: "09:00"', 'start: "09:30"')
    _same_as_scratch(academy, second, tmp_path / "scratch-1")

    # ... a digest that says a stale page is current (the file is not what it says) ...
    def lie(data: dict[str, Any]) -> None:
        units = data["parts"]["learner_pages"]["units"]
        for key in units:
            units[key] = "0" * 64
    _rewrite(_manifest(first, academy), lie)
    _same_as_scratch(academy, first, tmp_path / "scratch-2")

    # ... and digests of the wrong shape: the whole manifest is ignored
    _rewrite(_manifest(first, academy),
             lambda data: data["parts"]["reports"].update(units=["not", "a", "map"]))
    assert buildcache.load(_manifest(first, academy)) is None
    _replace(academy, COHORT, 'start: "09:30"', 'start: "10:00"')
    _same_as_scratch(academy, first, tmp_path / "scratch-3")


@dataclass
class _Hidden:
    shown: str
    hidden: str = field(default="", repr=False)


class _Opaque:
    def __repr__(self) -> str:
        return "always the same"


@dataclass(frozen=True)
class _Pair:
    a: object
    b: object = None


@dataclass
class _One:
    a: object


class _Rows(list):  # type: ignore[type-arg]
    def __repr__(self) -> str:
        return "[...]"


def test_canonical_spells_out_everything_a_template_can_see() -> None:
    assert canonical(["<b>"]) != canonical([Markup("<b>")])  # escaped vs not
    assert canonical(_Hidden("a", "x")) != canonical(_Hidden("a", "y"))  # repr=False counts
    assert canonical((1,)) != canonical([1]) != canonical([True])
    assert canonical({"a": 1.5, "b": None}) == canonical({"a": 1.5, "b": None})
    # containers of plain values are spelled by their repr: still one text per value
    values = [["a"], ("a",), [Markup("a")], {"a": "b"}, {"a": Markup("b")}, [1], [True],
              [1.0], ["1"], {"a": 1}, {1: "a"}, {"a": [1]}, [["a"]], [("a",)], ["a", None],
              "['a']", {"a": "b", "c": "d"}, {"a": "b', 'c': 'd"}, {"b": 1, "a": 2},
              {"a": 2, "b": 1}, [b"x"], [b"y"], [], (), {},
              # dataclasses with plain fields only are spelled by the repr of their fields
              _Pair("a"), _Pair("a", "b"), _Pair("a", Markup("b")), _Pair(1, True), _Pair(1, 1),
              _Pair(("a",)), _One("a"), _One(("a",)), _One(None), [_Pair("a")], [_One("a")],
              # a list of another type may have a repr of its own: not taken as the list's
              _Rows(["a"]), _Rows(["b"]), _Rows([Markup("b")])]
    assert len({canonical(v) for v in values}) == len(values)
    # what keys a file: plain values in C (marshal), the rest spelled; never the same bytes
    assert len({spelled(v) for v in values}) == len(values)
    assert spelled(["a"]).startswith(b"M") and spelled([Markup("a")]).startswith(b"C")
    assert spelled({"a": "b"}) == spelled({"a": "b"})
    import numpy

    assert spelled([numpy.int64(3)]) == spelled([numpy.int64(3)]) != spelled([3])
    with pytest.raises(Opaque):
        canonical({"x": _Opaque()})
    with pytest.raises(Opaque):
        spelled({"x": _Opaque()})


def _pid_and_items(items: Any) -> tuple[int, list[int]]:
    return os.getpid(), list(items)


def test_fan_out_keeps_the_order_of_the_work() -> None:
    items = list(range(10))
    assert [list(c) for c in chunks(items, 3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert chunks(items[:1], 4) == [[0]]
    done = fan_out(_pid_and_items, items, 2, least=0)
    assert [i for _, found in done for i in found] == items
    assert all(pid != os.getpid() for pid, _ in done)  # forked workers did the work
    assert fan_out(_pid_and_items, items, 2) == [(os.getpid(), items)]  # too little to fork


def test_learner_pages_split_over_processes_are_the_same_bytes(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "LEAST", 0)  # the demo's few learners, split anyway
    _build(academy, tmp_path / "split", jobs=2, cache=False)
    _build(academy, tmp_path / "one", jobs=1, cache=False)
    for kind in ("site", "reports"):
        assert _tree(tmp_path / "split" / kind) == _tree(tmp_path / "one" / kind)


def test_after_an_edit_pages_are_keyed_here_and_the_rest_made_in_forked_workers(
        academy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(academy, out, jobs=2)
    before = _pages(out)
    monkeypatch.setattr(units, "LEAST", 0)  # the demo's few pages to make, split anyway
    real, said = units.fan_out, tmp_path / "split.txt"

    def watched(work: Any, items: Any, jobs: int, least: int | None = None) -> Any:
        with said.open("a") as fh:  # the writer runs in a forked worker of the build
            fh.write(f"{len(items)}\n")
        return real(work, items, jobs, least)

    monkeypatch.setattr(learner_pages, "fan_out", watched)
    _replace(academy, COHORT, "learner: l-0209\n    status: enrolled",
             "learner: l-0209\n    status: withdrawn")
    _build(academy, out, jobs=2)
    split = [int(n) for n in said.read_text().split()]
    assert len(split) == 1 and 0 < split[0] < len(before) // 4  # only the pages to make
    after = _pages(out)
    assert sum(before[name] == after[name] for name in after) >= len(after) - split[0]
    _build(academy, tmp_path / "scratch", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(tmp_path / "scratch" / kind)
