"""Feedback surveys: declarations and response rows checked, aggregates, the minimum group."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from test_site_support import copy_demo
from trainkit.outcomes.feedback import summarize
from trainkit.pipeline import check_dir

AS_OF = datetime(2026, 12, 6, tzinfo=UTC)
HEADER = ("response,survey,cohort,session,submitted_at,respondent,overall,instructor,"
          "recommend,pace,comments\n")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("feedback") / "academy")


def survey_problems(root: Path) -> list[str]:
    result = check_dir(root)
    found = sorted((d for d in result.diagnostics if d.code.startswith("survey")),
                   key=lambda d: (d.path, d.line, d.col))
    return [d.text() for d in found]


def test_demo_surveys_check_clean(demo: Path) -> None:
    assert survey_problems(demo) == []


def test_declarations_and_references(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    (root / "surveys" / "broken.yaml").write_text(
        "version: 1\ntitle: Broken\nwhen: cohort-end\nquestions:\n"
        "  - {id: a, text: A, type: rating, min: 5, max: 1}\n"
        "  - {id: a, text: Again, type: text}\n"
        "  - {id: n, text: N, type: nps, min: 1, max: 10}\n"
        "  - {id: wide, text: W, type: rating, min: 0, max: 20}\n"
        "  - {id: c, text: C, type: choice, choices: [x, y, x]}\n"
        "  - {id: bare, text: B, type: choice}\n", encoding="utf-8")
    program = root / "programs" / "fire-warden" / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8")
                       + "surveys: [course-feedbak]\n", encoding="utf-8")
    line = len(program.read_text(encoding="utf-8").splitlines())
    assert survey_problems(root) == [
        f"programs/fire-warden/program.yaml:{line}:11: error[survey-unknown]: program "
        "'fire-warden' lists survey 'course-feedbak', which does not exist in surveys/; "
        "did you mean 'course-feedback'?",
        "surveys/broken.yaml:5:5: error[survey-declaration]: survey 'broken': question 'a' "
        "has min 5 not below max 1; write min below max, e.g. 1 and 5",
        "surveys/broken.yaml:6:5: error[survey-declaration]: survey 'broken': question id "
        "'a' is used twice; give each question its own id",
        "surveys/broken.yaml:7:5: error[survey-declaration]: survey 'broken': question 'n' "
        "is an NPS question, which runs from 0 to 10, not 1 to 10; remove min and max",
        "surveys/broken.yaml:8:5: error[survey-declaration]: survey 'broken': question "
        "'wide' has a scale 0 to 20; a rating scale starts at 0 or more and has at most 11 "
        "points, e.g. 1 to 5",
        "surveys/broken.yaml:9:5: error[survey-declaration]: survey 'broken': question 'c' "
        "lists choice(s) 'x' more than once",
        "surveys/broken.yaml:10:5: error[survey-declaration]: survey 'broken': question "
        "'bare' is a choice question without choices; list them under choices",
    ]


def test_response_rows_located_with_hints(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    rows = [
        "x1,course-feedbak,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,,5,5,10,About right,",
        "x2,course-feedback,fa-lon-2026-3,,2026-03-30T16:00:00+01:00,,5,5,10,About right,",
        "x3,course-feedback,fl-man-2026-09,,2026-03-30T16:00:00+01:00,,5,5,10,About right,",
        "x4,course-feedback,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,,7,5,10,About right,",
        "x5,course-feedback,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,,5,good,10,About right,",
        "x6,course-feedback,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,,5,5,10,About rite,",
        "r-0001,course-feedback,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,,5,5,10,,",
        "x8,course-feedback,fa-lon-2026-03,,2026-03-30T16:00:00+01:00,ann@example.org,5,5,,,",
        "x9,course-feedback,fa-lon-2026-03,day9,2026-03-30T16:00:00+01:00,,5,5,,,",
    ]
    path = root / "records" / "surveys" / "planted.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    p = "records/surveys/planted.csv"
    assert survey_problems(root) == [
        f"{p}:2:2: error[survey-unknown]: unknown survey 'course-feedbak'; did you mean "
        "'course-feedback'?",
        f"{p}:3:3: error[survey-cohort]: unknown cohort 'fa-lon-2026-3'; did you mean "
        "'fa-lon-2026-03' or 'fa-lon-2026-10' or 'fw-lon-2026-12'?",
        f"{p}:4:3: error[survey-cohort]: cohort 'fl-man-2026-09' belongs to program "
        "'forklift-cert', which does not ask survey 'course-feedback'; add it to surveys: "
        "in that program.yaml or correct the cohort",
        f"{p}:5:7: error[survey-answer]: answer '7' to 'overall' is outside its scale 1 to 5",
        f"{p}:6:8: error[survey-answer]: answer 'good' to 'instructor' is not a whole number "
        "from 1 to 5",
        f"{p}:7:10: error[survey-answer]: answer 'About rite' to 'pace' is not one of its "
        "choices (Too slow; About right; Too fast): did you mean 'About right'?",
        f"{p}:8:1: error[survey-duplicate]: response 'r-0001' of survey 'course-feedback' "
        "is already recorded at records/surveys/course-feedback-fa-lon-2026-03.csv:2; give "
        "each response its own id",
        f"{p}:9:6: error[survey-anonymous]: survey 'course-feedback' is anonymous but 1 "
        "row(s) name their respondent; empty the respondent column (or set anonymous: false "
        "in the survey)",
        f"{p}:10:4: error[survey-cohort]: cohort 'fa-lon-2026-03' has no session 'day9'; "
        "did you mean 'day2' or 'day1'?",
    ]


def test_unknown_question_column_and_bad_cells_at_load(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    path = root / "records" / "surveys" / "planted.csv"
    path.write_text("response,survey,cohort,submitted_at,overal\n"
                    "y1,course-feedback,fa-lon-2026-03,2026-03-30T16:00:00+01:00,5\n"
                    "Y 2,course-feedback,fa-lon-2026-03,yesterday,5\n", encoding="utf-8")
    texts = [d.text() for d in check_dir(root).diagnostics if d.path.endswith("planted.csv")]
    assert ("records/surveys/planted.csv:1:5: error[survey-answer]: column "
                        "'overal' is not a question of survey 'course-feedback'; did you mean "
                        "'overall'?") in texts
    assert any(t.startswith("records/surveys/planted.csv:3:1: error[csv-row]: column "
                            "'response'") for t in texts)
    assert any(t.startswith("records/surveys/planted.csv:3:4: error[csv-row]: column "
                            "'submitted_at'") for t in texts)


def test_aggregates_per_cohort_program_and_instructor(demo: Path) -> None:
    fb = summarize(check_dir(demo).academy, AS_OF)
    london = fb.cohorts[("course-feedback", "fa-lon-2026-03")]
    assert (london.responses, london.invited, london.below_minimum) == (7, 10, False)
    stats = {s.question.id: s for s in london.questions}
    assert dict(stats["overall"].counts) == {"1": 0, "2": 0, "3": 1, "4": 3, "5": 3}
    assert stats["overall"].mean == pytest.approx(30 / 7)
    # NPS: 4 promoters (9, 10), 1 detractor (6) of 7 answers
    assert stats["recommend"].nps == pytest.approx(100 * (4 - 1) / 7)
    assert stats["recommend"].mean == pytest.approx(59 / 7)
    assert dict(stats["pace"].counts) == {"Too slow": 0, "About right": 5, "Too fast": 2}
    assert len(stats["comments"].comments) == 4
    program = fb.programs[("course-feedback", "first-aid")]
    assert (program.responses, program.invited) == (10, 20)
    assert fb.instructors[("course-feedback", "amara-okafor")].responses == 7
    follow = {s.question.id: s for s in fb.cohorts[("follow-up", "fa-lon-2026-03")].questions}
    assert dict(follow["situations"].counts) == {
        "Minor injury": 1, "Medical emergency": 1, "Drill or exercise": 1,
        "Helped a colleague": 1}
    assert follow["situations"].answered == 3


def test_minimum_group_shows_counts_only(demo: Path) -> None:
    academy = check_dir(demo).academy
    fb = summarize(academy, AS_OF)
    nyc = fb.cohorts[("course-feedback", "fa-nyc-2026-03")]
    assert (nyc.responses, nyc.below_minimum, nyc.questions) == (3, True, ())
    assert nyc.response_rate == pytest.approx(0.3)
    assert fb.instructors[("course-feedback", "dolores-ramirez")].questions == ()
    # exactly at the minimum: shown
    assert not fb.cohorts[("follow-up", "fa-lon-2026-03")].below_minimum
    assert summarize(academy, AS_OF, min_responses=6).cohorts[
        ("follow-up", "fa-lon-2026-03")].questions == ()
    assert summarize(academy, AS_OF, min_responses=3).cohorts[
        ("course-feedback", "fa-nyc-2026-03")].questions != ()


def test_minimum_is_configured_in_trainkit_yaml(tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "academy")
    settings = root / "trainkit.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "min_responses: 5", "min_responses: 8"), encoding="utf-8")
    fb = summarize(check_dir(root).academy, AS_OF)
    assert fb.cohorts[("course-feedback", "fa-lon-2026-03")].below_minimum
    assert not fb.programs[("course-feedback", "first-aid")].below_minimum
