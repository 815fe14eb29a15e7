"""The completion rule engine: each rule kind, make-ups, attempt policies, statuses."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from trainkit.model import Academy
from trainkit.outcomes.completion import evaluate
from trainkit.pipeline import check_dir

AFTER = datetime(2026, 7, 1, tzinfo=UTC)  # every session below has happened


def academy(tmp: Path, completion: str, attendance: str = "", results: str = "",
            sessions: int = 4, extra_cohort: str = "", attempts: int = 2,
            expected_errors: frozenset[str] = frozenset()) -> Academy:
    """A one-program academy: cohort ``c1`` (learners a, b) with ``sessions`` weekly sessions."""
    files = {
        "trainkit.yaml": "version: 1\nid: t\nname: T\nbase_url: https://t.test/\n"
                         "timezone: Europe/London\n",
        "people/learners/l.yaml": "version: 1\nlearners:\n" + "".join(
            f"  - {{id: {x}, name: Learner {x}, email: {x}@t.test}}\n" for x in "abc"),
        "people/instructors/i.yaml": "version: 1\nname: I\nemail: i@t.test\n"
                                     "qualifications: [{id: p}]\n",
        "programs/p/program.yaml": "version: 1\ntitle: P\nsession_plan:\n" + "".join(
            f"  - {{id: t{n}, title: Topic {n}, duration: 1h}}\n" for n in range(1, sessions + 1))
        + "completion:\n" + textwrap.indent(textwrap.dedent(completion), "  "),
        "programs/p/cohorts/c1.yaml": _cohort("c1", "2026-03", ["a", "b"], sessions),
        "courses/k/course.yaml": "version: 1\ntitle: K\nmodules:\n"
                                 "  - {id: m, title: M, file: modules/m.md, minutes: 5}\n"
                                 "quizzes: [q, practice]\n",
        "courses/k/modules/m.md": "# M\n",
        "courses/k/quizzes/q.yaml": "version: 1\ntitle: Final\nmode: graded\npass_mark: 70\n"
                                    f"attempts: {attempts}\nquestions:\n"
                                    "  - {id: q1, type: true-false, prompt: X?, answer: true, "
                                    "points: 10}\n",
        "courses/k/quizzes/practice.yaml": "version: 1\ntitle: Practice\nmode: practice\n"
                                           "questions:\n  - {id: q1, type: true-false, "
                                           "prompt: X?, answer: true}\n",
        "records/attendance/a.csv": "session,learner,status,minutes,note\n"
                                    + textwrap.dedent(attendance),
        "records/quiz-results/r.csv": "learner,quiz,score,max,submitted_at,attempt\n"
                                      + textwrap.dedent(results),
    }
    if extra_cohort:
        files["programs/p/cohorts/c2.yaml"] = extra_cohort
    for rel, text in files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = check_dir(tmp)
    assert result.academy is not None
    unexpected = [d.text() for d in result.errors if d.code not in expected_errors]
    assert not unexpected, unexpected
    return result.academy


def _cohort(cid: str, month: str, learners: list[str], sessions: int) -> str:
    enr = "".join(f"  - {{learner: {x}, status: enrolled}}\n" for x in learners)
    ses = "".join(f"  - {{id: s{n}, template: t{n}, date: {month}-{n + 1:02d}, "
                  f"start: \"10:00\", end: \"11:00\"}}\n" for n in range(1, sessions + 1))
    head = f"version: 1\ntitle: {cid}\ninstructors: {{lead: [i]}}\n"
    return f"{head}enrollments:\n{enr}sessions:\n{ses}"


def rows(learner: str, statuses: str, cohort: str = "c1") -> str:
    """Attendance rows: ``"PPLA"`` -> present, present, late, absent for s1..s4."""
    names = {"P": "present", "L": "late", "E": "excused", "A": "absent"}
    return "".join(f"{cohort}/s{n},{learner},{names[c]},,\n"
                   for n, c in enumerate(statuses, 1) if c != "-")


def outcome(a: Academy, learner: str, at: datetime = AFTER, cohort: str = "c1"):  # type: ignore[no-untyped-def]
    return next(o for o in evaluate(a, at) if o.learner == learner and o.cohort == cohort)


def test_min_share_counts_late_and_excused_by_their_weights(tmp_path: Path) -> None:
    a = academy(tmp_path, """\
        attendance: {min_share: 0.75, late_weight: 0.5, excused_weight: 0.5}
        """, rows("a", "PPLE") + rows("b", "PPLA"))
    ok, short = outcome(a, "a"), outcome(a, "b")
    assert (ok.status, ok.attendance_share) == ("completed", 0.75)
    assert ok.completed_on == date(2026, 3, 5)
    assert short.status == "not-completed"
    assert short.attendance_share == pytest.approx(0.625)
    assert short.reason == "attendance 62% (needs 75%)"


def test_min_sessions_is_a_count(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_sessions: 3}\n", rows("a", "PPPA") + rows("b", "PPAA"))
    assert outcome(a, "a").status == "completed"
    assert outcome(a, "b").reason == "attended 2 of 4 sessions (needs 3)"


def test_mandatory_session_missed_is_named(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_share: 0.5}\nmandatory_sessions: [t4]\n",
                rows("a", "PPPA") + rows("b", "PPPE"))
    assert outcome(a, "a").reason == "missed mandatory session 'Topic 4'"
    assert outcome(a, "a").status == "not-completed"
    assert outcome(a, "b").status == "not-completed"  # excused is not attended


MAKEUP_COHORT = _cohort("c2", "2026-06", ["c"], 4)


@pytest.mark.parametrize(("makeups", "status"), [("true", "completed"), ("false", "not-completed")])
def test_makeup_in_another_cohort_counts_only_when_allowed(tmp_path: Path, makeups: str,
                                                           status: str) -> None:
    a = academy(tmp_path, f"attendance: {{min_share: 1.0}}\nmandatory_sessions: [t4]\n"
                          f"makeups: {makeups}\n",
                rows("a", "PPPA") + rows("b", "PPPP") + rows("a", "---P", "c2"),
                extra_cohort=MAKEUP_COHORT,
                expected_errors=frozenset({"record-not-enrolled"}))  # check says so too
    o = outcome(a, "a")
    assert o.status == status
    if status == "completed":
        assert o.completed_on == date(2026, 6, 5)  # the day of the make-up
        assert o.attendance_share == 1.0


def test_makeup_after_as_of_does_not_count_yet(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_share: 1.0}\nmakeups: true\n",
                rows("a", "PPPA") + rows("a", "---P", "c2"), extra_cohort=MAKEUP_COHORT)
    assert outcome(a, "a", datetime(2026, 6, 2, tzinfo=UTC)).status == "not-completed"
    assert outcome(a, "a", datetime(2026, 6, 6, tzinfo=UTC)).status == "completed"


RESULTS = """\
    a,k/q,9,10,2026-03-10T10:00:00Z,1
    a,k/q,5,10,2026-03-12T10:00:00Z,2
    b,k/q,5,10,2026-03-10T10:00:00Z,1
    b,k/q,8,10,2026-03-12T10:00:00Z,2
    """


@pytest.mark.parametrize(("policy", "a_status", "b_status"), [
    ("best", "completed", "completed"),
    ("last", "not-completed", "completed"),
    ("first", "completed", "not-completed"),
])
def test_attempt_policies(tmp_path: Path, policy: str, a_status: str, b_status: str) -> None:
    a = academy(tmp_path, f"quizzes: [{{quiz: k/q, pass_mark: 70, policy: {policy}}}]\n",
                rows("a", "PPPP") + rows("b", "PPPP"), RESULTS)
    assert (outcome(a, "a").status, outcome(a, "b").status) == (a_status, b_status)


def test_best_policy_completion_date_is_the_first_passing_attempt(tmp_path: Path) -> None:
    a = academy(tmp_path, "quizzes: [{quiz: k/q, pass_mark: 70}]\n", rows("a", "PPPP"),
                "a,k/q,8,10,2026-03-20T10:00:00Z,1\na,k/q,10,10,2026-03-25T10:00:00Z,2\n")
    assert outcome(a, "a").completed_on == date(2026, 3, 20)


def test_failed_quiz_with_attempts_left_is_still_in_progress(tmp_path: Path) -> None:
    a = academy(tmp_path, "quizzes: [{quiz: k/q, pass_mark: 70}]\n", rows("a", "PPPP"),
                "a,k/q,5,10,2026-03-10T10:00:00Z,1\n", attempts=3)
    o = outcome(a, "a")
    assert (o.status, o.reason) == ("in-progress", "quiz 'Final' best 50% (needs 70%)")


def test_result_after_as_of_is_ignored(tmp_path: Path) -> None:
    a = academy(tmp_path, "quizzes: [{quiz: k/q, pass_mark: 70}]\n", rows("a", "PPPP"),
                "a,k/q,9,10,2026-05-10T10:00:00Z,1\n")
    assert outcome(a, "a", datetime(2026, 5, 1, tzinfo=UTC)).reason == "quiz 'Final' not attempted"
    assert outcome(a, "a").status == "completed"


def test_required_course_needs_every_graded_quiz(tmp_path: Path) -> None:
    a = academy(tmp_path, "courses: [k]\n", rows("a", "PPPP") + rows("b", "PPPP"),
                "a,k/q,7,10,2026-03-10T10:00:00Z,1\nb,k/q,6,10,2026-03-10T10:00:00Z,1\n"
                "b,k/q,6,10,2026-03-11T10:00:00Z,2\n")
    assert outcome(a, "a").status == "completed"  # the practice quiz does not count
    b = outcome(a, "b")
    assert b.status == "not-completed"
    assert b.reason == "course 'K' not passed (quiz 'Final' best 60% (needs 70%; no attempts left))"


def test_an_any_of_alternative_needs_all_of_its_items(tmp_path: Path) -> None:
    a = academy(tmp_path, """\
        any_of:
          - quizzes: [{quiz: k/q, pass_mark: 90}]
            courses: [k]
        """, rows("a", "PPPP"), "a,k/q,7,10,2026-03-10T10:00:00Z,1\n")
    assert outcome(a, "a").status != "completed"  # the course alone does not meet the alternative
    assert outcome(a, "a").reason == "quiz 'Final' best 70% (needs 90%)"


def test_any_of_and_all_of_groups(tmp_path: Path) -> None:
    a = academy(tmp_path, """\
        any_of:
          - quizzes: [{quiz: k/q, pass_mark: 90}]
          - courses: [k]
        """, rows("a", "PPPP") + rows("b", "PPPP"), "a,k/q,7,10,2026-03-10T10:00:00Z,1\n")
    assert outcome(a, "a").status == "completed"  # the second alternative (pass mark 70) is enough
    assert "one of: (quiz 'Final' not attempted) / (course 'K' not passed" in outcome(a, "b").reason
    (tmp_path / "programs/p/program.yaml").write_text(
        (tmp_path / "programs/p/program.yaml").read_text().replace("any_of", "all_of"))
    b = check_dir(tmp_path).academy
    assert b is not None
    assert outcome(b, "a").reason == "quiz 'Final' best 70% (needs 90%)"


def test_at_risk_when_threshold_unreachable_or_one_absence_away(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_share: 0.75}\n", rows("a", "A") + rows("b", "AA"))
    mid = datetime(2026, 3, 2, 12, tzinfo=UTC)  # s1 done, s2 to come
    first = outcome(a, "a", mid)
    assert first.status == "at-risk"  # one more absence and 3 of 4 is out of reach
    assert first.reason == "attendance 0% (needs 75%; 3 session(s) to go)"
    assert outcome(a, "a", datetime(2026, 3, 1, tzinfo=UTC)).status == "in-progress"
    later = outcome(a, "b", datetime(2026, 3, 3, 12, tzinfo=UTC))
    assert later.status == "at-risk"
    assert "cannot be reached any more" in later.reason


def test_on_track_learner_is_in_progress_and_outcomes_are_sorted(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_share: 0.5}\n", rows("b", "PP") + rows("a", "P"))
    out = evaluate(a, datetime(2026, 3, 3, 12, tzinfo=UTC))
    assert [o.learner for o in out] == ["a", "b"]
    assert out[1].status == "in-progress"
    assert out[1].reason == "on track; sessions to come"
    assert evaluate(a, datetime(2026, 3, 3, 12, tzinfo=UTC)) == out


def test_cancelled_cohorts_are_not_evaluated(tmp_path: Path) -> None:
    cancelled = _cohort("c2", "2026-06", ["c"], 2).replace("title: c2",
                                                           "title: c2\nstatus: cancelled")
    a = academy(tmp_path, "attendance: {min_share: 0.5}\n", extra_cohort=cancelled)
    assert {o.cohort for o in evaluate(a, AFTER)} == {"c1"}


def test_learners_with_the_same_rows_share_a_verdict_but_not_a_make_up(tmp_path: Path) -> None:
    """a and b attend alike in c1; only a made up the missed session in c2."""
    a = academy(tmp_path, "attendance: {min_share: 1.0}\nmakeups: true\n",
                rows("a", "PPPA") + rows("b", "PPPA") + rows("a", "---P", "c2"),
                extra_cohort=MAKEUP_COHORT)
    out = {o.learner: o for o in evaluate(a, AFTER) if o.cohort == "c1"}
    assert out["a"].status == "completed" and out["a"].attendance_share == 1.0
    assert out["b"].status == "not-completed" and out["b"].attendance_share == 0.75
    assert out["b"].reason == "attendance 75% (needs 100%)"


def test_quizzes_are_judged_per_learner_even_with_the_same_attendance(tmp_path: Path) -> None:
    a = academy(tmp_path, "attendance: {min_share: 0.5}\nquizzes: [{quiz: k/q, pass_mark: 70}]\n",
                rows("a", "PPPP") + rows("b", "PPPP"),
                "a,k/q,8,10,2026-03-06T12:00:00Z,1\nb,k/q,5,10,2026-03-06T12:00:00Z,1\n")
    out = {o.learner: o for o in evaluate(a, AFTER)}
    assert out["a"].status == "completed" and out["a"].completed_on == date(2026, 3, 6)
    assert out["b"].status == "in-progress"
    assert out["b"].reason == "quiz 'Final' best 50% (needs 70%)"


def test_rows_of_one_cohort_are_make_ups_for_the_other_cohort_of_a_learner_in_both(
        tmp_path: Path) -> None:
    """a is enrolled in c1 and c2 and has rows only in c1: they count as make-ups in c2."""
    both = _cohort("c2", "2026-06", ["a", "c"], 4)
    a = academy(tmp_path, "attendance: {min_share: 1.0}\nmakeups: true\n",
                rows("a", "PPPP") + rows("c", "PPPP", "c2"), extra_cohort=both)
    assert outcome(a, "a", cohort="c2").status == "completed"
    assert outcome(a, "a", cohort="c2").completed_on == date(2026, 6, 5)
