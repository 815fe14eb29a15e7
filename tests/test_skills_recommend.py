"""Recommendations: what closes a gap, ranked by explained parts; what cannot be met is left out."""

from __future__ import annotations

from pathlib import Path

from skills_helpers import SKILLS, academy_of, at, copy, edit
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.recommend import WEIGHTS, recommend


def _recs(root: Path, when: str = "2026-04-10T00:00:00"):  # type: ignore[no-untyped-def]
    a = academy_of(root)
    moment = at(when)
    held = gather(a, evaluate(a, moment), moment)
    return recommend(a, held, Gaps(a, held, moment.date()).rows(), moment)


def test_a_cohort_that_closes_gaps_with_every_part_explained() -> None:
    (rec,) = _recs(SKILLS)
    assert (rec.learner, rec.role, rec.rank, rec.kind, rec.item) == (
        "l-02", "operative", 1, "cohort", "drv-sep")
    parts = dict(rec.parts)
    assert parts["gap"] == 1.0  # both of the role's requirements (weights 3 + 2) are gaps
    assert parts["soon"] == round(30 / (30 + 158), 4)  # 158 days to 15 Sep
    assert parts["seats"] == 0.4 and parts["prerequisites"] == 1.0
    # l-01 and l-02 passed the lifting course; l-01 went on to complete driving
    assert parts["peers"] == 0.5
    assert rec.score == round(sum(WEIGHTS[k] * v for k, v in parts.items()), 4)
    assert rec.reason == ("closes driving: operator, lifting: practitioner for role operative; "
                          "cohort drv-sep (Leeds 15 Sep 2026), 2 seat(s) left; prerequisites "
                          "met; 50% of learners with a similar history took it")


def test_learners_already_seated_or_qualified_get_nothing() -> None:
    # l-03 and l-04 hold seats in drv-sep; l-01 has no gap
    assert {r.learner for r in _recs(SKILLS)} == {"l-02"}


def test_courses_and_cohorts_are_ranked_by_score(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "roles/operative.yaml", "{competency: lifting, level: practitioner, weight: 2}",
         "{competency: lifting, level: awareness, weight: 2}")
    edit(root, "records/quiz-results/lifting.csv", "l-02,lifting/final,8,10",
         "l-02,lifting/final,6,10")
    recs = [r for r in _recs(root) if r.learner == "l-02"]
    assert [(r.rank, r.kind, r.item) for r in recs] == [(1, "cohort", "drv-sep"),
                                                          (2, "course", "lifting")]
    course = recs[1]
    assert course.closes == ("lifting: awareness",)
    assert dict(course.parts)["soon"] == 1.0 and dict(course.parts)["gap"] == 0.4
    assert "self-paced course 'Safe Lifting', any time" in course.reason
    assert recs[0].score > recs[1].score


def test_a_cohort_whose_prerequisites_cannot_be_met_is_left_out(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit(root, "records/quiz-results/lifting.csv", "l-02,lifting/final,8,10",
         "l-02,lifting/final,6,10")
    recs = _recs(root)
    (rec,) = [r for r in recs if r.item == "drv-sep"]
    assert dict(rec.parts)["prerequisites"] == 0.5
    assert "prerequisites to meet first: competency lifting: awareness not held (pass the " \
           "self-paced course 'lifting')" in rec.reason
    edit(root, "courses/lifting/quizzes/final.yaml", "mode: graded", "mode: practice")
    assert [r.item for r in _recs(root)] == []
