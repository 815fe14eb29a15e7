"""Learning effectiveness per program and cohort: gain, pass rates, assessments, reaction.

**Gain.** A course can hold a knowledge check marked ``stage: pre`` and one
marked ``stage: post``. A learner's gain compares their *first* attempt at
each, as percentages of the quiz's points (so the two quizzes may have
different points): the raw gain is ``post - pre`` in percentage points; the
normalised gain (Hake's g) is ``(post - pre) / (100 - pre)``, the share of
what the learner did not know that they learned (undefined for a learner who
scored 100% before). A cohort's g is Hake's own, from the cohort's mean pre
and post scores: ``(mean post - mean pre) / (100 - mean pre)``; it is not
pulled about by one learner who started near 100%. Only learners who took
both quizzes count.

**Pass rates.** For each graded quiz the program's completion rules name
(directly or through a course), the share of the cohort's learners who took
it whose best attempt reached the quiz's pass mark.

**Reaction** (what learners thought of the training) comes from feedback
surveys: :func:`reaction` is where they are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainkit.model import Academy, Cohort, Program, Quiz, QuizResult
from trainkit.model.surveys import RATING
from trainkit.outcomes.assessments import results_by_learner, standing
from trainkit.outcomes.feedback import Feedback


@dataclass(frozen=True, slots=True)
class Gain:
    learner: str
    pre: float  # percent
    post: float  # percent

    @property
    def raw(self) -> float:
        return self.post - self.pre

    @property
    def normalised(self) -> float | None:
        return hake(self.pre, self.post)


@dataclass(frozen=True, slots=True)
class CohortGain:
    cohort: str
    pre_quiz: str
    post_quiz: str
    gains: tuple[Gain, ...]  # learners who took both, by id

    @property
    def mean_pre(self) -> float | None:
        return _mean([g.pre for g in self.gains])

    @property
    def mean_post(self) -> float | None:
        return _mean([g.post for g in self.gains])

    @property
    def mean_raw(self) -> float | None:
        return _mean([g.raw for g in self.gains])

    @property
    def normalised(self) -> float | None:
        """Hake's g of the cohort's mean scores."""
        pre, post = self.mean_pre, self.mean_post
        return None if pre is None or post is None else hake(pre, post)


@dataclass(frozen=True, slots=True)
class PassRate:
    cohort: str
    quiz: str
    took: int  # learners of the cohort with an attempt
    passed: int  # of those, learners whose best attempt reached the pass mark

    @property
    def rate(self) -> float | None:
        return self.passed / self.took if self.took else None


@dataclass(frozen=True, slots=True)
class AssessmentRate:
    cohort: str
    assessment: str  # "<program>/<id>"
    assessed: int  # learners with an attempt
    passed: int


@dataclass(frozen=True, slots=True)
class Reaction:
    """What a cohort's learners thought of the training (from feedback surveys)."""

    cohort: str
    responses: int
    score: float | None  # mean overall rating, as a percentage of the scale's top
    summary: str  # one line in words


def hake(pre: float, post: float) -> float | None:
    """Normalised gain ``(post - pre) / (100 - pre)`` of two percentages; None at pre 100%."""
    return None if pre >= 100.0 - 1e-9 else (post - pre) / (100.0 - pre)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def members(cohort: Cohort) -> list[str]:
    """The learners a cohort's figures are about: enrolled, not waitlisted or withdrawn."""
    return sorted(e.learner for e in cohort.active_enrollments())


def program_quizzes(academy: Academy, program: Program) -> list[Quiz]:
    """The graded quizzes a program's completion rules name, directly or through a course,
    then the pre and post quizzes of the courses involved, in id order."""
    rules = program.completion
    quiz_ids = {q.quiz for q in rules.quizzes} | {q.quiz for g in rules.groups
                                                  for q in g.quizzes}
    courses = set(rules.courses) | {c for g in rules.groups for c in g.courses}
    courses |= {q.partition("/")[0] for q in quiz_ids}
    found = academy.quizzes()
    chosen = {qid for qid in quiz_ids if qid in found}
    for cid in courses:
        course = academy.courses.get(cid)
        if course is not None:
            chosen |= {q.id for q in course.quizzes if q.mode == "graded" or q.stage}
    return [found[qid] for qid in sorted(chosen)]


def stage_pairs(quizzes: Iterable[Quiz]) -> list[tuple[Quiz, Quiz]]:
    """(pre, post) of every course with exactly one quiz of each stage."""
    by_course: dict[str, dict[str, list[Quiz]]] = {}
    for q in quizzes:
        if q.stage:
            by_course.setdefault(q.course, {}).setdefault(q.stage, []).append(q)
    return [(s["pre"][0], s["post"][0]) for _, s in sorted(by_course.items())
            if len(s.get("pre", [])) == 1 and len(s.get("post", [])) == 1]


def _percent(r: QuizResult) -> float:
    return r.score / r.maximum * 100.0 if r.maximum else 0.0


def _firsts(results: Iterable[QuizResult], quiz: str, learners: set[str]) -> dict[str, float]:
    """Each learner's first attempt at ``quiz``, as a percentage."""
    first: dict[str, QuizResult] = {}
    for r in results:
        if r.quiz == quiz and r.learner in learners:
            seen = first.get(r.learner)
            if seen is None or r.attempt < seen.attempt:
                first[r.learner] = r
    return {k: _percent(v) for k, v in first.items()}


def cohort_gain(academy: Academy, cohort: Cohort, pre: Quiz, post: Quiz) -> CohortGain:
    learners = set(members(cohort))
    before = _firsts(academy.quiz_results, pre.id, learners)
    after = _firsts(academy.quiz_results, post.id, learners)
    gains = tuple(Gain(k, before[k], after[k]) for k in sorted(before.keys() & after.keys()))
    return CohortGain(cohort.id, pre.id, post.id, gains)


def pass_rate(academy: Academy, cohort: Cohort, quiz: Quiz) -> PassRate:
    learners = set(members(cohort))
    best: dict[str, float] = {}
    for r in academy.quiz_results:
        if r.quiz == quiz.id and r.learner in learners:
            best[r.learner] = max(best.get(r.learner, 0.0), _percent(r))
    return PassRate(cohort.id, quiz.id, len(best),
                    sum(1 for v in best.values() if v >= quiz.pass_mark - 1e-9))


def assessment_rates(academy: Academy, cohort: Cohort) -> list[AssessmentRate]:
    program = academy.programs.get(cohort.program)
    if program is None:
        return []
    attempts = results_by_learner(academy)
    out = []
    for a in program.assessments:
        tried = [attempts[(k, a.key)] for k in members(cohort) if attempts.get((k, a.key))]
        out.append(AssessmentRate(cohort.id, a.key, len(tried),
                                  sum(1 for t in tried if standing(a, t).passed)))
    return out


def reaction(feedback: Feedback, academy: Academy, cohort: Cohort) -> Reaction | None:
    """The cohort's feedback, or None when nobody of it answered a survey of its program.

    The first survey of the program (in the order ``surveys:`` lists them)
    with responses from the cohort speaks for it; its score is the mean of
    its first rating question as a percentage of the scale's top. A cohort
    below the academy's minimum group size shows its count only.
    """
    program = academy.programs.get(cohort.program)
    group = next((g for sid in (program.surveys if program else ())
                  if (g := feedback.cohorts.get((sid, cohort.id))) and g.responses), None)
    if group is None:
        return None
    words = f"{group.responses} response(s) to '{group.survey.title}'"
    if group.response_rate is not None:
        words += f" ({group.response_rate * 100:.0f}% of those asked)"
    if group.below_minimum:
        return Reaction(cohort.id, group.responses, None,
                        f"{words}; fewer than {group.min_responses}, so counts only")
    rating = next((q for q in group.questions if q.question.type == RATING
                   and q.mean is not None), None)
    nps = next((q.nps for q in group.questions if q.nps is not None), None)
    score = None
    if rating is not None and rating.mean is not None:  # found with a mean
        score = rating.mean / rating.question.high * 100 if rating.question.high else None
        words += f"; {rating.question.id} {rating.mean:.1f} of {rating.question.high}"
    if nps is not None:
        words += f"; NPS {nps:+.0f}"
    return Reaction(cohort.id, group.responses, score, words)
