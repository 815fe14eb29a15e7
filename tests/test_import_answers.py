"""``trainkit import quiz-results --answers``: per-question answers from Google Forms and Moodle.

The fixtures follow each tool's documented export: Google Forms responses
(a column per question headed by its title, "[Score]" and "[Feedback]"
columns in a linked sheet), Moodle's Grades report ("Q. 1 /5.00" marks) and
Responses report ("Response 1", "Right answer 1").
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.importers.answers import mark
from trainkit.model import Choice, Loc, Question
from trainkit.pipeline import check_dir

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "imports"
SMALL = HERE / "cases" / "small" / "input"
RESULTS = "records/quiz-results/basics--final.csv"
ANSWERS = "records/answers/basics--final.csv"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "academy"
    shutil.copytree(SMALL, dest)
    return dest


def _import(root: Path, name: str, *extra: str) -> int:
    return main(["import", "quiz-results", str(FIX / name), "--quiz", "basics/final",
                 "--answers", "--root", str(root), *extra])


def _rows(path: Path) -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["learner"], r["attempt"], r["question"], r["score"], r["answer"])
                for r in csv.DictReader(fh)]


def _clean(root: Path) -> None:
    result = check_dir(root)
    assert [d.text() for d in result.diagnostics if d.code.startswith(("answer-", "csv-"))] == []


def test_google_forms_answers_use_score_columns_and_the_key(root: Path) -> None:
    assert _import(root, "google-forms-answers.csv", "--identity-map",
                   str(FIX / "identity.yaml")) == 0
    # attempts follow those already recorded (l-01: 1; l-02: 1 and 2), as in the results file
    assert _rows(root / ANSWERS) == [
        ("l-01", "2", "q1", "5", "False"), ("l-01", "2", "q2", "5", "3"),
        ("l-02", "3", "q1", "0", "True"), ("l-02", "3", "q2", "5", "3"),
        # "three" is not the number 3: marked by the key, it scores nothing, and the total
        # (5 of 10) agrees with the form's own score
        ("l-02", "4", "q1", "5", "False"), ("l-02", "4", "q2", "0", "three"),
    ]
    with (root / RESULTS).open(encoding="utf-8") as fh:
        attempts = [(r["learner"], r["attempt"], r["score"]) for r in csv.DictReader(fh)]
    assert attempts == [("l-01", "2", "10"), ("l-02", "3", "5"), ("l-02", "4", "5")]
    _clean(root)


def test_moodle_grades_report_marks_are_rescaled_to_question_points(root: Path,
                                                                    tmp_path: Path) -> None:
    text = (FIX / "moodle.csv").read_text(encoding="utf-8")
    scaled = tmp_path / "moodle-10.csv"
    scaled.write_text(text.replace("Q. 1 /5.00", "Q. 1 /10.00"), encoding="utf-8")
    assert main(["import", "quiz-results", str(scaled), "--quiz", "basics/final", "--answers",
                 "--root", str(root)]) == 0
    rows = _rows(root / ANSWERS)
    assert rows[:2] == [("l-01", "2", "q1", "2.5", ""), ("l-01", "2", "q2", "4", "")]
    assert ("l-05", "4", "q2", "1.5", "") in rows
    assert len(rows) == 6  # unfinished attempts and the average row are left out


def test_moodle_responses_report_is_marked_against_the_key(root: Path) -> None:
    assert _import(root, "moodle-responses.csv") == 0
    assert _rows(root / ANSWERS) == [
        ("l-01", "2", "q1", "5", "False"), ("l-01", "2", "q2", "5", "3"),
        ("l-05", "3", "q1", "0", "True"), ("l-05", "3", "q2", "5", "3"),
    ]
    _clean(root)


def test_existing_answers_file_is_not_replaced_without_force(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = root / ANSWERS
    target.parent.mkdir(parents=True)
    target.write_text("keep me\n", encoding="utf-8")
    assert _import(root, "moodle-responses.csv") == 1
    assert "exists; nothing written (add --force to replace it)" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not (root / RESULTS).exists()
    assert _import(root, "moodle-responses.csv", "--force") == 0
    assert target.read_text(encoding="utf-8").startswith("learner,quiz,attempt,question,")


def test_an_export_without_question_columns_is_refused(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIX / "google-forms.csv").read_text(encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(text.replace("Is it safe to block a fire exit?", "Colour?").replace(
        "How many sides has the fire triangle?", "Size?"), encoding="utf-8")
    assert main(["import", "quiz-results", str(other), "--quiz", "basics/final", "--answers",
                 "--root", str(root), "--identity-map", str(FIX / "identity.yaml")]) == 1
    assert "no column of the export is a question of basics/final" in capsys.readouterr().err
    assert not (root / ANSWERS).exists() and not (root / RESULTS).exists()


def _q(kind: str, **kw: object) -> Question:
    base: dict[str, object] = {"choices": (), "answer_bool": None, "answer_number": None,
                               "tolerance": 0.0, "answers_text": ()}
    base.update(kw)
    return Question("q", kind, "p", base["choices"], base["answer_bool"],  # type: ignore[arg-type]
                    base["answer_number"], base["tolerance"], base["answers_text"],  # type: ignore[arg-type]
                    "", 2.0, Loc("x", 1, 1))


def test_marking_against_the_key() -> None:
    choices = (Choice("a", "Heat", True, ""), Choice("b", "Fuel, dry", True, ""),
               Choice("c", "Water", False, ""))
    multiple = _q("multiple", choices=choices)
    assert mark(multiple, "Heat, Fuel, dry") == 2.0  # Google Forms joins with ", "
    assert mark(multiple, "Fuel, dry; Heat") == 2.0  # Moodle with "; "
    assert mark(multiple, "Heat") == 0.0
    assert mark(multiple, "Heat, Fuel, dry, Water") == 0.0
    single = _q("single", choices=choices[1:])
    assert mark(single, "  fuel,  DRY ") == 2.0 and mark(single, "Water") == 0.0
    assert mark(_q("true-false", answer_bool=False), "No") == 2.0
    assert mark(_q("true-false", answer_bool=False), "") == 0.0
    numeric = _q("numeric", answer_number=3.0, tolerance=0.5)
    assert mark(numeric, "3,4") == 2.0 and mark(numeric, "3.6") == 0.0
    assert mark(_q("text", answers_text=("Raise the alarm",)), "raise the ALARM") == 2.0
