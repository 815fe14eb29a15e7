"""``trainkit diff`` lists practical-assessment results added, changed or removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_diff import Repo, changes, only, run_diff

PROGRAM = "programs/first-aid/program.yaml"
RESULTS = "records/assessments/fa.csv"
ASSESSMENT = """assessments:
  - id: cpr
    title: CPR practical
    session: day1
    levels: [not-yet, competent]
    pass_levels: [competent]
    criteria:
      - {id: rate, title: Rate and depth, critical: true}
"""
HEADER = "learner,assessment,attempt,date,assessor,results,overall,evidence,note\n"
L01 = "l-01,first-aid/cpr,1,2026-03-10,ann,rate=competent,pass,,\n"
L02 = "l-02,first-aid/cpr,1,2026-03-10,ann,rate=not-yet,fail,,Too shallow\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "academy")
    text = (repo.root / PROGRAM).read_text()
    repo.write(PROGRAM, text.replace("certificate:", ASSESSMENT + "certificate:"))
    repo.write(RESULTS, HEADER + L01)
    repo.commit("assessment")
    return repo


def test_results_added_changed_and_removed(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(RESULTS, HEADER + L01.replace("pass,,", "pass,form 7,") + L02)
    repo.commit("results")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    found = only(data, "assessment-results-changed")
    assert (found["program"], found["cohort"]) == ("first-aid", "fa-2026-03")
    assert found["text"] == "assessment results: 1 added, 1 changed"
    assert found["learners"] == 2
    _, out = run_diff(repo, "HEAD~1", "HEAD", "--format", "markdown", capsys=capsys)
    assert "assessment results: 1 added, 1 changed" in out and "l-02" not in out
    _, out = run_diff(repo, "HEAD~1", "HEAD", "--format", "markdown", "--private",
                      capsys=capsys)
    assert "(l-02): CPR practical attempt 1 added: fail on 2026-03-10" in out
    assert "(l-01): CPR practical attempt 1 changed: pass (counts) on 2026-03-10" in out
    repo.write(RESULTS, HEADER)
    repo.commit("removed")
    found = only(changes(repo, capsys, "HEAD~1", "HEAD"), "assessment-results-changed")
    assert found["text"] == "assessment results: 2 removed"


def test_moving_a_row_to_another_file_is_no_change(repo: Repo,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(RESULTS, HEADER)
    repo.write("records/assessments/other.csv", HEADER + L01)
    repo.commit("moved")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    assert [c for c in data["changes"] if c["kind"] == "assessment-results-changed"] == []
