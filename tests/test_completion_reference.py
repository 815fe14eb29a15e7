"""``evaluate`` agrees with a plain learner-by-learner reading of the rules.

``completion.evaluate`` arranges the records once and shares verdicts between
learners and cohorts. Here the same rules are applied the slow, obvious way,
one learner at a time, to random records on the demo academy (make-ups,
mandatory sessions, every attempt policy, courses and ``any_of`` groups,
rows out of order, duplicates, rows of learners who are not enrolled,
results after the moment of evaluation), at moments before, during and after
the cohorts; every outcome must be identical.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from trainkit.model import (
    Academy,
    AssessmentResult,
    AttendanceRecord,
    Cohort,
    CompletionRules,
    QuizRequirement,
    QuizResult,
    Records,
)
from trainkit.outcomes.completion import Outcome, evaluate
from trainkit.outcomes.completion_index import Slot
from trainkit.outcomes.requirements import EPS, Check, attendance_check, verdict_of
from trainkit.pipeline import check_dir

ROOT = Path(__file__).resolve().parent.parent
ATTENDED = {"present", "late"}


@pytest.fixture(scope="module")
def demo() -> Academy:
    result = check_dir(ROOT)
    assert result.academy is not None and not result.errors
    return result.academy


def slots_of(a: Academy, c: Cohort, as_of: datetime) -> list[Slot]:
    program = a.programs[c.program]
    required = set(program.completion.mandatory_sessions)
    return [Slot(f"{c.id}/{s.id}", c.program, c.id, s.template, s.title,
                 s.mandatory or s.template in required, s.end <= as_of, s.end.date())
            for s in c.sessions if s.status != "cancelled"]


def reference(a: Academy, as_of: datetime) -> list[Outcome]:
    """The rules of ``trainkit.outcomes.completion``'s docstring, applied one learner at a time."""
    slots = {cid: slots_of(a, c, as_of) for cid, c in a.cohorts.items() if c.program in a.programs}
    by_key = {x.key: x for xs in slots.values() for x in xs}
    quizzes = a.quizzes()
    out = []
    for cid in sorted(a.cohorts):
        c = a.cohorts[cid]
        program = a.programs.get(c.program)
        if program is None or c.status == "cancelled":
            continue
        rules = program.completion
        xs = slots[cid]
        end = (all(x.held for x in xs), max(x.day for x in xs)) if xs else None
        for learner in sorted(e.learner for e in c.enrollments if e.status == "enrolled"):
            statuses = {r.session: r.status for r in a.attendance if r.learner == learner}
            makeups: dict[str, date] = {}
            if rules.makeups:
                for key, status in statuses.items():
                    x = by_key.get(key)
                    if (status in ATTENDED and x is not None and x.program == program.id
                            and x.cohort != cid and x.template and x.held):
                        makeups[x.template] = min(makeups.get(x.template, x.day), x.day)
            checks = mandatory(xs, statuses, makeups)
            attendance, share = attendance_check(rules, credit(rules, xs, statuses, makeups),
                                                  len(xs), sum(not x.held for x in xs))
            checks.append(attendance)
            checks += graded(a, rules, quizzes, learner, as_of, c)
            checks += [assessed(a, key, learner, as_of) for key in rules.assessments]
            status, reason, on = verdict_of(checks, end, share)
            out.append(Outcome(cid, program.id, learner, status, reason, share, on))
    return out


def credit(rules: CompletionRules, xs: list[Slot], statuses: dict[str, str],
           makeups: dict[str, date]) -> float:
    weights = {"present": 1.0, "late": rules.late_weight, "excused": rules.excused_weight}
    total = 0.0
    for x in xs:
        if x.held:
            w = weights.get(statuses.get(x.key, ""), 0.0)
            total += 1.0 if w < 1.0 and x.template in makeups else w
    return total


def mandatory(xs: list[Slot], statuses: dict[str, str], makeups: dict[str, date]) -> list[Check]:
    out = []
    for x in (x for x in xs if x.mandatory):
        if x.held and statuses.get(x.key) in ATTENDED:
            out.append(Check(True, met_on=x.day))
        elif x.template in makeups:
            out.append(Check(True, met_on=makeups[x.template or ""]))
        elif x.held:
            out.append(Check(False, f"missed mandatory session {x.title!r}", failed=True))
        else:
            out.append(Check(False))
    return out


def graded(a: Academy, rules: CompletionRules, quizzes: dict[str, Any], learner: str,
           as_of: datetime, c: Cohort) -> list[Check]:
    tz = ZoneInfo(c.timezone)

    def quiz(req: QuizRequirement) -> Check:
        q = quizzes.get(req.quiz)
        title = q.title if q else req.quiz
        tries = sorted((r for r in a.quiz_results if r.learner == learner and r.quiz == req.quiz
                        and r.submitted_at <= as_of), key=lambda r: (r.attempt, r.submitted_at))
        if not tries:
            return Check(False, f"quiz {title!r} not attempted")

        def pct(r: QuizResult) -> float:
            return r.score / r.maximum * 100 if r.maximum else 0.0
        if req.policy == "first":
            chosen = tries[0]
        elif req.policy == "last":
            chosen = tries[-1]
        else:
            chosen = max(tries, key=lambda r: (pct(r), -r.attempt))
        if pct(chosen) + EPS >= req.pass_mark:
            when = chosen
            if req.policy == "best":
                when = next(r for r in tries if pct(r) + EPS >= req.pass_mark)
            return Check(True, met_on=when.submitted_at.astimezone(tz).date())
        exhausted = req.policy == "first" or (q is not None and q.attempts is not None
                                              and len(tries) >= q.attempts)
        left = "; no attempts left" if exhausted else ""
        return Check(False, f"quiz {title!r} {req.policy} {pct(chosen):.0f}% "
                            f"(needs {req.pass_mark:g}%{left})", failed=exhausted)

    def all_met(checks: list[Check], text: str) -> Check:
        if all(x.met for x in checks):
            return Check(True, met_on=max((x.met_on for x in checks if x.met_on), default=None))
        return Check(False, text, failed=any(x.failed for x in checks))

    def course(cid: str) -> Check:
        k = a.courses.get(cid)
        if k is None:
            return Check(False, f"course {cid!r} is not defined", failed=True)
        checks = [quiz(QuizRequirement(q.id, q.pass_mark, "best", q.loc))
                  for q in k.quizzes if q.mode == "graded"]
        why = ", ".join(x.text for x in checks if not x.met)
        return all_met(checks, f"course {k.title!r} not passed ({why})")

    def group(quizzes_: tuple[QuizRequirement, ...], courses: tuple[str, ...]) -> Check:
        checks = [quiz(q) for q in quizzes_] + [course(k) for k in courses]
        return all_met(checks, "; ".join(x.text for x in checks if not x.met))

    out = [quiz(q) for q in rules.quizzes] + [course(k) for k in rules.courses]
    alternatives = []
    for g in rules.groups:
        (alternatives if g.mode == "any" else out).append(group(g.quizzes, g.courses))
    if alternatives:
        met = [x for x in alternatives if x.met]
        if met:
            out.append(Check(True, met_on=min((x.met_on for x in met if x.met_on),
                                              default=None)))
        else:
            texts = [x.text for x in alternatives]
            text = texts[0] if len(texts) == 1 else "one of: " + " / ".join(
                f"({t})" for t in texts)
            out.append(Check(False, text, failed=all(x.failed for x in alternatives)))
    return out


def assessed(a: Academy, key: str, learner: str, as_of: datetime) -> Check:
    """A required practical assessment: any attempt by the day of ``as_of`` that passes."""
    program, _, ident = key.partition("/")
    x = next(x for x in a.programs[program].assessments if x.id == ident)
    tries = sorted((r for r in a.assessment_results if r.learner == learner
                    and r.assessment == key and r.on <= as_of.date()),
                   key=lambda r: (r.attempt, r.on))
    critical = [(c.id, c.title) for c in x.criteria if c.critical]

    def short(r: AssessmentResult) -> list[str]:
        return [t for cid, t in critical if dict(r.results).get(cid) not in x.passing]
    for r in tries:
        if r.overall == "pass" and not short(r):
            return Check(True, met_on=r.on)
    if not tries:
        return Check(False, f"practical assessment {x.title!r} not yet taken")
    why = ", ".join(f"critical criterion {t!r} not yet {x.passing[0]}" for t in short(tries[-1]))
    last = max(r.attempt for r in tries) >= x.attempts
    return Check(False, f"practical assessment {x.title!r} not yet passed: "
                        f"{why or 'the assessor' + chr(39) + 's overall verdict was fail'}, "
                        f"{'no attempts left' if last else 'resit allowed'}", failed=last)


def random_assessments(a: Academy, rng: random.Random) -> list[AssessmentResult]:
    """Random attempts at every assessment by the learners of its program's cohorts."""
    out = []
    for c in a.cohorts.values():
        for x in a.programs[c.program].assessments:
            day = min(s.start.date() for s in c.sessions)
            for e in c.enrollments:
                for attempt in range(1, rng.randint(1, x.attempts + 1)):
                    results = tuple((k.id, rng.choice(x.levels)) for k in x.criteria)
                    on = day + timedelta(days=rng.randint(0, 60) + 7 * attempt)
                    out.append(AssessmentResult(e.learner, x.key, attempt, on, "i",
                                                results, rng.choice(["pass", "fail"]), "", "",
                                                "x.csv", len(out) + 2))
    return out


def random_records(a: Academy, rng: random.Random, order: str) -> tuple[list[AttendanceRecord],
                                                                       list[QuizResult]]:
    """Random rows for the sessions of every cohort, in one of three orders.

    ``import``: per session, every enrolled learner by id (as ``trainkit
    import`` writes a file); ``runs``: per session, most enrolled learners in
    enrollment order, strays (make-ups, not enrolled) and repeated rows;
    ``mixed``: the same rows shuffled, with repeats anywhere.
    """
    learners = sorted(a.learners)
    att = []
    for c in a.cohorts.values():
        enrolled = [e.learner for e in c.enrollments]
        for s in c.sessions:
            if order == "import":
                who = sorted(e.learner for e in c.enrollments if e.status == "enrolled")
            else:
                who = [x for x in enrolled + rng.sample(learners, 2) if rng.random() < 0.8]
                who += rng.sample(who, len(who) // 5)  # repeated rows: the later one wins
            for lid in who:
                status = rng.choice(["present", "present", "late", "excused", "absent"])
                att.append(AttendanceRecord(s.key, lid, status, None, "", "a.csv", 0))
    if order == "mixed":
        att += rng.sample(att, len(att) // 20)
        rng.shuffle(att)
    att = [r._replace(line=i + 2) for i, r in enumerate(att)]
    graded = [q for k in a.courses.values() for q in k.quizzes]
    res = []
    start = min(s.start for c in a.cohorts.values() for s in c.sessions)
    for lid in learners:
        for q in rng.sample(graded, min(3, len(graded))):
            for attempt in range(1, rng.randint(1, 4)):
                when = start + timedelta(days=rng.randint(-30, 400), hours=rng.randint(0, 23))
                maximum = float(rng.choice([10, 20]))
                res.append(QuizResult(lid, q.id, float(rng.randint(0, int(maximum))), maximum,
                                      when.astimezone(UTC), attempt, "r.csv", len(res) + 2))
    return att, res


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("order", ["import", "runs", "mixed"])
def test_evaluate_matches_the_plain_reading(demo: Academy, seed: int, order: str) -> None:
    rng = random.Random(seed)
    att, res = random_records(demo, rng, order)
    as_columns = seed % 2 == 0  # the resolver's column tables, or plain tuples of rows
    a = dataclasses.replace(
        demo,
        attendance=Records.of(AttendanceRecord, att) if as_columns else tuple(att),
        quiz_results=Records.of(QuizResult, res) if as_columns else tuple(res),
        assessment_results=tuple(random_assessments(demo, rng)))
    ends = sorted(s.end for c in demo.cohorts.values() for s in c.sessions)
    moments = [ends[0] - timedelta(days=1), ends[len(ends) // 3], ends[len(ends) // 2],
               ends[-1] + timedelta(days=1), ends[-1] + timedelta(days=800)]
    for as_of in moments:
        got, want = evaluate(a, as_of), reference(a, as_of)
        assert [o.learner for o in got] == [o.learner for o in want]
        for g, w in zip(got, want, strict=True):
            assert g == w, (as_of, g, w)
    statuses = {o.status for m in moments for o in evaluate(a, m)}
    assert len(statuses) >= 3, statuses  # the records exercise more than one verdict
    reasons = " ".join(o.reason for m in moments for o in evaluate(a, m))
    assert "resit allowed" in reasons and "no attempts left" in reasons  # assessments judged
