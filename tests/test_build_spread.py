"""Reports split over processes (``units.spread``): the same files as one process makes,
and the files the forked processes keyed are taken over by the next build."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from test_build_incremental import COHORT, _build, _replace, _tree
from test_build_merge import _ctx
from test_site_support import copy_demo
from trainkit.diagnostics import Diagnostic, Severity
from trainkit.writers import reports, units
from trainkit.writers.build import WRITERS
from trainkit.writers.context import BuildError


class _Spy:
    """Notes, in ``log``, each run of ``units.spread`` split over processes and each
    roster made: the reports writer may run in a forked process, and so may a roster (a
    line each, appended: whole lines whatever the process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
        self.log = log
        real_out, real_roster = units._spread_out, reports._roster

        def spread_out(*args: Any) -> None:
            self._note("split")
            real_out(*args)

        def roster(academy: Any, cohort: Any) -> str:
            self._note(cohort.id)
            return str(real_roster(academy, cohort))

        monkeypatch.setattr(units, "_spread_out", spread_out)
        monkeypatch.setattr(reports, "_roster", roster)

    def _note(self, line: str) -> None:
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def taken(self) -> tuple[int, list[str]]:
        """The splits and the rosters made since the last call."""
        lines = self.log.read_text(encoding="utf-8").split() if self.log.exists() else []
        self.log.unlink(missing_ok=True)
        return lines.count("split"), [x for x in lines if x != "split"]


def test_reports_split_over_processes_are_what_one_process_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    academy = copy_demo(tmp_path / "academy")
    # split from the second item on, whatever the work costs
    monkeypatch.setattr(units, "PROBE", 0.0)
    monkeypatch.setattr(units, "WORTH", 0.0)
    spy = _Spy(monkeypatch, tmp_path / "rosters.log")
    out = tmp_path / "out"
    # jobs: a process for each writer, and one to spare from the start (cores() >= 2)
    jobs = len(WRITERS) + 1
    _build(academy, out, jobs=jobs)
    splits, cohorts = spy.taken()
    # programs' effectiveness and completion pages, cohorts' rosters: each was split
    assert splits >= 3
    made = sorted(p.stem for p in (out / "reports" / "rosters").glob("*.csv"))
    assert sorted(cohorts) == made and len(made) >= 8  # each roster made once, somewhere
    _build(academy, tmp_path / "scratch", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(tmp_path / "scratch" / kind)

    spy.taken()  # the build from scratch made every roster too
    _replace(academy, COHORT, "learner: l-0209\n    status: enrolled",
             "learner: l-0209\n    status: withdrawn")
    _build(academy, out, jobs=jobs)
    splits, cohorts = spy.taken()
    # the rosters of every other cohort, keyed in this process or in a forked one at the
    # last build, were taken over: only the edited cohort's was made again
    assert cohorts == ["fa-lon-2027-01"]
    assert splits >= 1  # the effectiveness pages are made again, split
    _build(academy, tmp_path / "scratch2", cache=False, jobs=1)
    for kind in ("site", "reports"):
        assert _tree(out / kind) == _tree(tmp_path / "scratch2" / kind)


def test_work_is_split_only_over_the_processes_free_now(tmp_path: Path) -> None:
    """``BuildContext.cores``: a writer gets the processes of the writers that finished."""
    ctx = _ctx(tmp_path)
    ctx.jobs, ctx.idle = 4, 2
    assert ctx.cores() == 2  # no live count: the writers run one after another here
    ctx.running = multiprocessing.get_context("fork").Value("i", 5)
    assert ctx.cores() == 1  # five writers unfinished for four processes
    ctx.running.value = 3
    assert ctx.cores() == 2
    ctx.running.value = 1
    assert ctx.cores() == 4  # the last writer at work has every process


def _fails(item: int) -> None:
    if item == 3:
        raise BuildError("item 3 cannot be made", [Diagnostic(
            "records/x.csv", 2, 1, Severity.ERROR, "bad-row", "a row that stops the build")])


def test_a_build_error_in_a_forked_process_comes_back_with_its_diagnostics(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "PROBE", 0.0)
    monkeypatch.setattr(units, "WORTH", 0.0)
    ctx = _ctx(tmp_path)
    ctx.jobs = ctx.idle = 2
    with units.keyed(ctx, "reports"), pytest.raises(BuildError) as raised:
        units.spread(_fails, range(5))  # 0 here; then 1-2 here, 3-4 in a forked process
    assert str(raised.value) == "item 3 cannot be made"
    assert [d.code for d in raised.value.diagnostics] == ["bad-row"]
