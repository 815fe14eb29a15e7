"""The answers record, its rules, the quiz-stage rule and the effectiveness report (demo)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_site_support import build, copy_demo
from trainkit.outcomes import effectiveness as eff
from trainkit.outcomes.feedback import summarize
from trainkit.pipeline import check_dir

FINAL = "courses/fire-safety-basics/quizzes/final.yaml"
ANSWERS = "records/answers/fire-safety-basics.csv"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def _problems(root: Path, *codes: str) -> list[str]:
    result = check_dir(root)
    return [d.text() for d in result.diagnostics if d.code in codes]


def _append(root: Path, rel: str, *rows: str) -> int:
    """Append rows to a CSV file; returns the line number of the first one."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(r + "\n" for r in rows), encoding="utf-8")
    return text.count("\n") + 1


def test_demo_answers_are_clean(demo: Path) -> None:
    assert _problems(demo, "answer-reference", "answer-duplicate", "answer-score",
                     "answer-total-mismatch", "quiz-stage") == []


def test_bad_answer_rows_are_located(demo: Path) -> None:
    line = _append(demo, ANSWERS,
                   "l-9999,fire-safety-basics/final,1,q1,1,",
                   "l-0101,fire-safety-basics/nope,1,q1,1,",
                   "l-0101,fire-safety-basics/final,1,q42,1,",
                   "l-0101,fire-safety-basics/final,1,q1,0,",
                   "l-0102,fire-safety-basics/final,3,q2,5,")
    got = _problems(demo, "answer-reference", "answer-duplicate", "answer-score")
    assert got == [
        f"{ANSWERS}:{line}:1: error[answer-reference]: learner 'l-9999' is not defined; add "
        "them to people/learners/ or correct the id",
        f"{ANSWERS}:{line + 1}:2: error[answer-reference]: quiz 'fire-safety-basics/nope' is not "
        "defined; the quizzes of course 'fire-safety-basics' are: fire-safety-basics/check-1, "
        "fire-safety-basics/final, fire-safety-basics/pre",
        f"{ANSWERS}:{line + 2}:4: error[answer-reference]: quiz 'fire-safety-basics/final' has "
        "no question 'q42'; its questions are: q1, q2, q3, q4, q5, q6, q7",
        f"{ANSWERS}:{line + 3}:4: error[answer-duplicate]: learner 'l-0101' already has an "
        "answer to 'q1' of 'fire-safety-basics/final' attempt 1 at "
        f"{ANSWERS}:2; keep one",
        f"{ANSWERS}:{line + 4}:5: error[answer-score]: score 5 is more than question 'q2' is "
        "worth (2 point(s))",
    ]


def test_answers_that_do_not_add_up_to_the_result_warn(demo: Path) -> None:
    path = demo / ANSWERS
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    # l-0101 scored 8 of 9 on the final; give them one point more on q5
    i = next(i for i, r in enumerate(rows)
             if r[:4] == ["l-0101", "fire-safety-basics/final", "1", "q5"])
    assert rows[i][4] == "0"
    rows[i][4] = "1"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    got = _problems(demo, "answer-total-mismatch")
    assert len(got) == 1
    assert got[0].startswith(f"{ANSWERS}:")
    assert ("warning[answer-total-mismatch]: the answers of 'l-0101' to "
            "'fire-safety-basics/final' attempt 1 add up to 9 point(s), but "
            "records/quiz-results/fire-safety-basics.csv:19 records 8 of 9") in got[0]


def test_bad_answer_cell_is_located(demo: Path) -> None:
    line = _append(demo, ANSWERS, "l-0101,fire-safety-basics/final,2,q1,lots,")
    got = _problems(demo, "csv-row")
    assert len(got) == 1 and got[0].startswith(f"{ANSWERS}:{line}:5: error[csv-row]: "
                                                "column 'score'")


def test_post_quiz_needs_a_pre_quiz(demo: Path) -> None:
    pre = demo / "courses/fire-safety-basics/quizzes/pre.yaml"
    marked = pre.read_text()
    pre.write_text(marked.replace("stage: pre\n", ""))
    assert _problems(demo, "quiz-stage") == [
        f"{FINAL}:1:1: error[quiz-stage]: quiz 'fire-safety-basics/final' is marked "
        "'stage: post' but course 'fire-safety-basics' has no quiz marked 'stage: pre' to "
        "compare it with; add one"]
    pre.write_text(marked)
    check = demo / "courses/fire-safety-basics/quizzes/check-1.yaml"
    check.write_text(check.read_text().replace("mode: practice\n", "mode: practice\nstage: post\n"))
    assert _problems(demo, "quiz-stage") == [
        f"{FINAL}:1:1: error[quiz-stage]: course 'fire-safety-basics' already has a post quiz "
        "(fire-safety-basics/check-1); a course has one pre and one post quiz"]


def test_effectiveness_page_of_the_demo(tmp_path: Path) -> None:
    demo = copy_demo(tmp_path / "demo")
    build(demo, tmp_path / "out", only=("reports",))
    folder = tmp_path / "out/reports/effectiveness"
    html = (folder / "fire-warden.html").read_text(encoding="utf-8")
    for heading in ("Reaction", "Learning", "Item analysis", "Completion and certificates"):
        assert f">{heading}</h2>" in html
    assert "No feedback data for these cohorts." in html
    assert "Gain from fire-safety-basics/pre to fire-safety-basics/final" in html
    assert "question q3: everyone answered correctly — it does not discriminate" in html
    assert "question q5: learners who did well on the rest of the quiz got it wrong" in html
    assert html.count("<svg") >= 4
    gains = list(csv.DictReader(io.StringIO((folder / "fire-warden-gains.csv").read_text())))
    row = next(r for r in gains if r["learner"] == "l-0102")
    assert (row["pre"], row["post"], row["raw_gain"], row["normalised_gain"]) == (
        "40.0", "100.0", "60.0", "1.00")
    index = (tmp_path / "out/reports/index.html").read_text(encoding="utf-8")
    assert 'href="effectiveness/fire-warden.html"' in index


def test_reaction_reads_the_cohorts_feedback(demo: Path) -> None:
    """The effectiveness page's reaction comes from the program's first survey with answers."""
    academy = check_dir(demo).academy
    assert academy is not None
    feedback = summarize(academy, datetime(2027, 1, 1, tzinfo=UTC))
    rows = list(csv.DictReader(io.StringIO(
        (demo / "records/surveys/course-feedback-fa-lon-2026-03.csv").read_text())))
    london = eff.reaction(feedback, academy, academy.cohorts["fa-lon-2026-03"])
    assert london is not None and london.responses == len(rows) >= 5
    expected = sum(int(r["overall"]) for r in rows) / len(rows) / 5 * 100
    assert london.score == pytest.approx(expected)
    assert "course-feedback" not in london.summary and "Course feedback" in london.summary
    few = eff.reaction(feedback, academy, academy.cohorts["fa-nyc-2026-03"])
    assert few is not None and few.score is None and "counts only" in few.summary
    assert eff.reaction(feedback, academy, academy.cohorts["fa-lon-2026-10"]) is None
