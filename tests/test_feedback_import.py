"""``trainkit import survey-responses``: Google Forms CSV, Microsoft Forms xlsx and CSV.

The Google Forms fixture follows its "Download responses (.csv)" layout
(Timestamp, Email Address, then one column per question title, checkbox
answers joined with ", "); the Microsoft Forms workbook is written here with
openpyxl in the layout of "Open in Excel" (ID, Start time, Completion time,
Email, Name, then one column per question, several choices joined with ";").
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from test_site_support import copy_demo
from trainkit.cli import main
from trainkit.pipeline import check_dir

FIX = Path(__file__).parent / "fixtures" / "surveys"
FOLLOW_UP = ["Have you used what you learned at work since the course?",
             "How confident do you feel acting as a first aider today?",
             "In which situations did you use it?", "Tell us about one time it helped."]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "academy")


def run(root: Path, *args: str) -> int:
    return main(["import", "survey-responses", *args, "--root", str(root)])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ms_forms(path: Path, rows: list[list[object]], questions: list[str] = FOLLOW_UP) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name",
                  "Last modified time", *questions])
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def no_survey_problems(root: Path) -> None:
    problems = [d.text() for d in check_dir(root).diagnostics if d.severity.name == "ERROR"]
    assert problems == []


def test_google_forms_csv_anonymous_and_prefilled_cohort(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "--from", "google-forms", str(FIX / "google-forms.csv"),
               "--survey", "course-feedback", "--cohort", "lt-2026-10") == 0
    out = root / "records" / "surveys" / "course-feedback--lt-2026-10.csv"
    rows = read(out)
    assert [(r["response"], r["submitted_at"], r["overall"], r["recommend"], r["pace"])
            for r in rows] == [
        ("lt-2026-10-0001", "2026-11-20T16:45:10+00:00", "5", "9", "About right"),
        ("lt-2026-10-0002", "2026-11-20T17:01:00+00:00", "3", "6", "Too fast"),
        ("lt-2026-10-0003", "2026-11-21T09:12:44+00:00", "4", "10", "About right")]
    assert rows[2]["comments"] == "Line one\nline two"
    text = out.read_text(encoding="utf-8")
    assert "learner@example.org" not in text and all(r["respondent"] == "" for r in rows)
    said = capsys.readouterr().out
    assert "anonymous (names and e-mails dropped)" in said
    assert "left out 1 response(s) whose cohort is not lt-2026-10" in said
    no_survey_problems(root)


def test_microsoft_forms_xlsx_multiple_choices_and_numbering(root: Path,
                                                             tmp_path: Path) -> None:
    export = ms_forms(tmp_path / "Thirty days later(1-3).xlsx", [
        [1, datetime(2026, 11, 2, 10, 0), datetime(2026, 11, 2, 10, 4, 30), "anonymous", None,
         None, "Yes, several times", 5, "Minor injury;Helped a colleague;", "A cut hand"],
        [2, datetime(2026, 11, 3, 9, 0), datetime(2026, 11, 3, 9, 2), "xena@example.org",
         "Xena Quill", None, "not yet", 3.0, None, None],
    ])
    assert run(root, "--from", "microsoft-forms", str(export), "--survey", "follow-up",
               "--cohort", "fa-lon-2026-10") == 0
    rows = read(root / "records" / "surveys" / "follow-up--fa-lon-2026-10.csv")
    assert [(r["submitted_at"], r["used"], r["confidence"], r["situations"], r["respondent"])
            for r in rows] == [
        ("2026-11-02T10:04:30+00:00", "Yes, several times", "5",
         "Minor injury;Helped a colleague", ""),
        ("2026-11-03T09:02:00+00:00", "Not yet", "3", "", "")]
    assert "Xena" not in (root / "records" / "surveys" /
                          "follow-up--fa-lon-2026-10.csv").read_text(encoding="utf-8")
    no_survey_problems(root)


def test_named_survey_keeps_the_respondent(root: Path, tmp_path: Path) -> None:
    survey = root / "surveys" / "follow-up.yaml"
    survey.write_text(survey.read_text(encoding="utf-8") + "anonymous: false\n",
                      encoding="utf-8")
    export = ms_forms(tmp_path / "export.xlsx", [
        [7, datetime(2026, 11, 2, 10, 0), datetime(2026, 11, 2, 10, 1), "xena@example.org",
         "Xena Quill", None, "Yes, once", 4, "Practice", ""]],
        questions=[*FOLLOW_UP[:2], "Tell us about one time it helped."])
    assert run(root, "--from", "microsoft-forms", str(export), "--survey", "follow-up",
               "--cohort", "fa-lon-2026-10") == 0
    rows = read(root / "records" / "surveys" / "follow-up--fa-lon-2026-10.csv")
    assert rows[0]["respondent"] == "xena@example.org"
    no_survey_problems(root)


def test_plain_csv_by_ids_numbers_after_recorded_ids(root: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("submitted_at,overall,instructor,recommend,pace,comments\n"
                      "2026-03-30 16:00,4,4,8,about right,ok\n", encoding="utf-8")
    output = root / "records" / "surveys" / "extra.csv"
    recorded = root / "records" / "surveys" / "course-feedback-fa-lon-2026-03.csv"
    recorded.write_text(recorded.read_text(encoding="utf-8").replace(
        "r-0001,", "fa-lon-2026-03-0001,"), encoding="utf-8")
    assert run(root, "--from", "csv", str(export), "--survey", "course-feedback",
               "--cohort", "fa-lon-2026-03", "--output", str(output)) == 0
    rows = read(output)
    assert (rows[0]["response"], rows[0]["pace"], rows[0]["submitted_at"]) == (
        "fa-lon-2026-03-0002", "About right", "2026-03-30T16:00:00+01:00")
    no_survey_problems(root)


@pytest.mark.parametrize(("header", "row", "message"), [
    ("Timestamp,Overall rating,How was the pace of the course?",
     "2026/11/20 4:45:10 PM GMT,5,Too fast",
     ":1: column 'Overall rating' is not a question of survey 'course-feedback'"),
    ("Timestamp,\"Overall, how would you rate this course?\"", "2026/11/20 4:45:10 PM GMT,9",
     ":2: answer '9' to 'Overall, how would you rate this course?' is not a whole number "
     "from 1 to 5"),
    ("Timestamp,How was the pace of the course?", "2026/11/20 4:45:10 PM GMT,Glacial",
     ":2: answer 'Glacial' to 'How was the pace of the course?' is not one of its choices"),
    ("Email Address,How was the pace of the course?", "a@b.org,Too fast",
     ":1: no Timestamp column"),
])
def test_refused_exports_write_nothing(root: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str], header: str,
                                       row: str, message: str) -> None:
    export = tmp_path / "export.csv"
    export.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert run(root, "--from", "google-forms", str(export), "--survey", "course-feedback",
               "--cohort", "lt-2026-10") == 1
    assert message in capsys.readouterr().err
    assert not (root / "records" / "surveys" / "course-feedback--lt-2026-10.csv").exists()


def test_wrong_survey_cohort_and_existing_output(root: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    export = str(FIX / "google-forms.csv")
    assert run(root, "--from", "google-forms", export, "--survey", "course-feedbak",
               "--cohort", "lt-2026-10") == 1
    assert "did you mean 'course-feedback'?" in capsys.readouterr().err
    assert run(root, "--from", "google-forms", export, "--survey", "course-feedback",
               "--cohort", "fl-man-2026-09") == 1
    assert "does not ask survey 'course-feedback'" in capsys.readouterr().err
    args = ("--from", "google-forms", export, "--survey", "course-feedback",
            "--cohort", "lt-2026-10")
    assert run(root, *args) == 0
    assert run(root, *args) == 1
    assert "--force" in capsys.readouterr().err
    assert run(root, *args, "--force") == 0


def test_not_a_workbook(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "--from", "microsoft-forms", str(FIX / "google-forms.csv"),
               "--survey", "course-feedback", "--cohort", "lt-2026-10") == 1
    assert "not an Excel workbook" in capsys.readouterr().err


def test_a_per_session_survey_needs_its_session(root: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (root / "surveys" / "pulse.yaml").write_text(
        "version: 1\ntitle: Session pulse\nwhen: session\nquestions:\n"
        "  - {id: useful, text: How useful was this session?, type: rating, min: 1, max: 5}\n",
        encoding="utf-8")
    program = root / "programs" / "leading-teams" / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace(
        "surveys: [course-feedback]", "surveys: [course-feedback, pulse]"), encoding="utf-8")
    academy = check_dir(root).academy
    assert academy is not None
    first = academy.cohorts["lt-2026-10"].sessions[0]
    export = tmp_path / "pulse.csv"
    export.write_text("submitted_at,useful\n2026-10-06 20:00,4\n2026-10-06 20:05,5\n",
                      encoding="utf-8")
    args = ("--from", "csv", str(export), "--survey", "pulse", "--cohort", "lt-2026-10")
    assert run(root, *args) == 1
    assert f"say which one with --session (one of {first.id}," in capsys.readouterr().err
    assert run(root, *args, "--session", first.id + "x") == 1
    assert f"did you mean '{first.id}'" in capsys.readouterr().err
    assert run(root, *args, "--session", first.id) == 0
    rows = read(root / "records" / "surveys" / f"pulse--lt-2026-10--{first.id}.csv")
    assert [(r["session"], r["useful"]) for r in rows] == [(first.id, "4"), (first.id, "5")]
    no_survey_problems(root)
    assert run(root, "--from", "google-forms", str(FIX / "google-forms.csv"), "--survey",
               "course-feedback", "--cohort", "lt-2026-10", "--session", first.id) == 1
    assert "leave out --session" in capsys.readouterr().err
