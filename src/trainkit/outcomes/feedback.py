"""What the feedback says: survey responses summed up per cohort, program and instructor.

:func:`summarize` is the one way any output reads feedback (the private
reports, a program's public ratings, pages that weigh a program's
effectiveness). For each survey it returns a :class:`FeedbackGroup` per
cohort that has responses, per program (its cohorts together) and per
instructor (the cohorts, or for a per-session survey the sessions, they
taught). A group holds the number of responses, the learners asked and the
response rate, and per question the distribution over the whole scale or
every choice, the mean, the Net Promoter Score and the free-text comments.

The minimum group size protects respondents: a group with fewer responses
than ``min_responses`` (``feedback.min_responses`` in ``trainkit.yaml``,
default 5) is ``below_minimum`` and carries counts only: its ``questions``
are empty, so no caller can show a distribution or a comment that would
point at one person. The function is pure: the model and a moment in, the
summaries out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, repeat
from operator import mul

from trainkit.model import (
    Academy,
    Cohort,
    Group,
    GroupCounts,
    Session,
    Survey,
    SurveyQuestion,
)

COHORT, PROGRAM, INSTRUCTOR = "cohort", "program", "instructor"
PROMOTERS, DETRACTORS = 9, 6  # NPS: 9-10 promote, 0-6 detract


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    """One question of a group: how it was answered."""

    question: SurveyQuestion
    answered: int  # responses that answer it
    counts: tuple[tuple[str, int], ...]  # every scale point or choice, in order, with its count
    mean: float | None  # rating and NPS questions
    nps: float | None  # NPS questions: % promoters - % detractors, -100 to 100
    comments: tuple[str, ...]  # text questions: every answer, in response order


@dataclass(frozen=True, slots=True)
class FeedbackGroup:
    """The responses to one survey from one cohort, program or instructor."""

    kind: str  # cohort | program | instructor
    key: str  # the cohort's, program's or instructor's id
    survey: Survey
    responses: int
    invited: int  # learners asked (per-session surveys: learners x sessions held)
    min_responses: int
    questions: tuple[QuestionSummary, ...]  # empty when below the minimum

    @property
    def below_minimum(self) -> bool:
        """Too few responses to show anything but counts."""
        return self.responses < self.min_responses

    @property
    def response_rate(self) -> float | None:
        """Responses per learner asked (may pass 1 when people answer twice); None: nobody."""
        return self.responses / self.invited if self.invited else None


@dataclass(frozen=True, slots=True)
class Feedback:
    """Every group, keyed by (survey id, cohort / program / instructor id), sorted."""

    cohorts: dict[tuple[str, str], FeedbackGroup]
    programs: dict[tuple[str, str], FeedbackGroup]
    instructors: dict[tuple[str, str], FeedbackGroup]

    def groups(self) -> list[FeedbackGroup]:
        return [*self.cohorts.values(), *self.programs.values(), *self.instructors.values()]


@dataclass
class _Tally:
    """A group's answers, a part per (survey, cohort, session), until it is summed up."""

    parts: list[_Answers] = field(default_factory=list)  # in the order comments are listed
    invited: int = 0


def summarize(academy: Academy, as_of: datetime,
              min_responses: int | None = None) -> Feedback:
    """Every survey's responses per cohort, program and instructor, as of ``as_of``.

    ``as_of`` decides how many sessions a per-session survey has asked about
    (those ended by then); ``min_responses`` defaults to the academy's setting.
    """
    least = academy.settings.feedback.min_responses if min_responses is None else min_responses
    columns = {sid: _columns(survey) for sid, survey in academy.surveys.items()}
    cohorts: dict[tuple[str, str], _Tally] = {}
    programs: dict[tuple[str, str], _Tally] = {}
    people: dict[tuple[str, str], _Tally] = {}
    for (sid, cid, session), answers in sorted(_parts(academy, columns).items()):
        cohort = academy.cohorts[cid]
        cohorts.setdefault((sid, cid), _Tally()).parts.append(answers)
        held = next((s for s in cohort.sessions if s.id == session), None) if session else None
        for person in held.instructors if held else cohort.instructors:
            people.setdefault((sid, person), _Tally()).parts.append(answers)
    for (sid, cid), tally in cohorts.items():
        cohort = academy.cohorts[cid]
        tally.invited = _invited(academy.surveys[sid], cohort, as_of)
        program = programs.setdefault((sid, cohort.program), _Tally())
        program.parts += tally.parts
        program.invited += tally.invited
        for person in cohort.instructors:  # they taught the learners asked
            if (sid, person) in people:
                people[(sid, person)].invited += tally.invited

    def done(kind: str, tallies: dict[tuple[str, str], _Tally]
             ) -> dict[tuple[str, str], FeedbackGroup]:
        return {key: _group(kind, key[1], academy.surveys[key[0]], columns[key[0]], t, least)
                for key, t in sorted(tallies.items())}

    return Feedback(done(COHORT, cohorts), done(PROGRAM, programs), done(INSTRUCTOR, people))


def asked_at(survey: Survey, cohort: Cohort) -> list[tuple[datetime, Session | None]]:
    """When ``survey`` asks the learners of ``cohort``, and about which session.

    ``session``: at the end of every session held; ``cohort-end``: at the end of
    the last one; ``after``: ``days_after`` days later. Empty without sessions.
    """
    held = [s for s in cohort.sessions if not s.cancelled]
    if survey.when == "session":
        return [(s.end, s) for s in sorted(held, key=lambda s: (s.end, s.id))]
    if not held:
        return []
    last = max(s.end for s in held)
    return [(last + timedelta(days=survey.days_after), None)]


def _invited(survey: Survey, cohort: Cohort, as_of: datetime) -> int:
    learners = len(cohort.active_enrollments())
    if survey.when != "session":
        return learners
    return learners * sum(1 for s in cohort.sessions if not s.cancelled and s.end <= as_of)


@dataclass(frozen=True, slots=True)
class _Column:
    """How the answers in a question's column are counted: as its question asks (the
    first of the survey's questions with that id, as :meth:`Survey.question` finds)."""

    question: SurveyQuestion
    values: tuple[str, ...]  # counted, in order: the scale or the choices
    points: tuple[int, ...]  # rating and NPS: each value as a number, for the mean
    net: tuple[int, ...]  # NPS: each value's part in the score: promoter 1, detractor -1


def _columns(survey: Survey) -> dict[str, _Column]:
    out: dict[str, _Column] = {}
    for q in survey.questions:
        if q.id not in out:
            values = q.values()
            points = tuple(map(int, values)) if q.scaled else ()
            net = tuple(1 if PROMOTERS <= p <= 10 else -1 if 0 <= p <= DETRACTORS else 0
                        for p in points) if q.type == "nps" else ()
            out[q.id] = _Column(q, values, points, net)
    return out


@dataclass(frozen=True, slots=True)
class _Answers:
    """The answers of one (survey, cohort, session), from every file that holds some.

    ``counts``: per counted question, how many chose each of its values, then
    how many answered it; ``comments``: per text question, every answer.
    """

    responses: int
    counts: dict[str, tuple[int, ...]]
    comments: dict[str, list[str]]


def _parts(academy: Academy, columns: dict[str, dict[str, _Column]]) -> dict[Group, _Answers]:
    """The answers of every (survey, cohort, session) of a known survey and cohort (each
    file counted its rows once, see :class:`ResponseFile`)."""
    found: dict[Group, list[GroupCounts]] = {}
    for f in academy.survey_responses:
        for key, counts in f.groups.items():
            if key[0] in academy.surveys and key[1] in academy.cohorts:
                found.setdefault(key, []).append(counts)
    return {key: _answers(columns[key[0]], files) for key, files in found.items()}


def _answers(columns: dict[str, _Column], files: list[GroupCounts]) -> _Answers:
    counts: dict[str, tuple[int, ...]] = {}
    comments: dict[str, list[str]] = {}
    for qid, column in columns.items():
        mine = [g.cells.get(qid, {}) for g in files]  # a file may leave a question out
        if column.question.type == "text":  # in file order, each file in its order
            comments[qid] = [*chain.from_iterable(repeat(value, n) for cells in mine
                                                  for value, n in cells.items() if value)]
        else:
            counts[qid] = _sum([_count(column, cells) for cells in mine])
    return _Answers(sum(g.responses for g in files), counts, comments)


def _count(column: _Column, cells: Mapping[str, int]) -> tuple[int, ...]:
    """How many chose each counted value, then how many answered (a cell is not empty)."""
    if not column.question.multiple:
        chosen = tuple(map(cells.get, column.values, repeat(0)))
        return (*chosen, sum(chosen))
    ticked: Counter[str] = Counter()
    answered = 0
    for value, n in cells.items():
        if value:
            answered += n
            for part in value.split(";"):
                ticked[part] += n
    return (*map(ticked.get, column.values, repeat(0)), answered)


def _sum(counts: list[tuple[int, ...]]) -> tuple[int, ...]:
    return counts[0] if len(counts) == 1 else tuple(map(sum, zip(*counts, strict=True)))


def _group(kind: str, key: str, survey: Survey, columns: dict[str, _Column], tally: _Tally,
           least: int) -> FeedbackGroup:
    responses = sum(p.responses for p in tally.parts)
    questions: tuple[QuestionSummary, ...] = ()
    if responses >= least:
        questions = tuple(_question(q, columns[q.id], tally.parts) for q in survey.questions)
    return FeedbackGroup(kind, key, survey, responses, tally.invited, least, questions)


def _question(q: SurveyQuestion, column: _Column, parts: list[_Answers]) -> QuestionSummary:
    if q is not column.question:
        return _another(q, column, parts)
    if q.type == "text":
        comments = tuple(chain.from_iterable(p.comments[q.id] for p in parts))
        return QuestionSummary(q, len(comments), (), None, None, comments)
    total = _sum([p.counts[q.id] for p in parts])
    answered = total[-1]
    mean = nps = None
    if answered and column.points:
        mean = sum(map(mul, column.points, total)) / answered
    if answered and column.net:
        nps = 100.0 * sum(map(mul, column.net, total)) / answered
    return QuestionSummary(q, answered, tuple(zip(column.values, total, strict=False)),
                           mean, nps, ())


def _another(q: SurveyQuestion, column: _Column, parts: list[_Answers]) -> QuestionSummary:
    """A question with the id of one before it (a declaration error): it reads the column
    as the first one counted it."""
    got: dict[str, int] = {}
    comments: tuple[str, ...] = ()
    if column.question.type == "text":
        comments = tuple(chain.from_iterable(p.comments[q.id] for p in parts))
    else:
        total = _sum([p.counts[q.id] for p in parts])
        got = dict(zip(column.values, total, strict=False))
        if column.question.multiple:
            got[""] = total[-1]
    if q.type == "text":
        return QuestionSummary(q, len(comments), (), None, None, comments)
    counts = tuple((v, got.get(v, 0)) for v in q.values())
    answered = got.get("", 0) if q.multiple else sum(n for _, n in counts)
    mean = nps = None
    if q.scaled and answered:
        mean = sum(int(v) * n for v, n in counts) / answered
    if q.type == "nps" and answered:
        nps = 100.0 * (_share(counts, PROMOTERS, 10) - _share(counts, 0, DETRACTORS)) / answered
    return QuestionSummary(q, answered, counts, mean, nps, ())


def _share(counts: Iterable[tuple[str, int]], low: int, high: int) -> int:
    return sum(n for v, n in counts if low <= int(v) <= high)
