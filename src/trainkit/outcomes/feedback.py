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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from trainkit.model import Academy, Cohort, ResponseFile, Session, Survey, SurveyQuestion

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
    responses: int = 0
    invited: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: _Tally) -> None:
        """Add the other's responses and answers (the learners asked are counted apart)."""
        self.responses += other.responses
        for q, c in other.counts.items():
            self.counts.setdefault(q, Counter()).update(c)
        for q, texts in other.comments.items():
            self.comments.setdefault(q, []).extend(texts)


def summarize(academy: Academy, as_of: datetime,
              min_responses: int | None = None) -> Feedback:
    """Every survey's responses per cohort, program and instructor, as of ``as_of``.

    ``as_of`` decides how many sessions a per-session survey has asked about
    (those ended by then); ``min_responses`` defaults to the academy's setting.
    """
    least = academy.settings.feedback.min_responses if min_responses is None else min_responses
    parts = _tallies(academy)  # (survey, cohort, session) -> tally
    cohorts: dict[tuple[str, str], _Tally] = {}
    programs: dict[tuple[str, str], _Tally] = {}
    people: dict[tuple[str, str], _Tally] = {}
    for (sid, cid, session), tally in sorted(parts.items()):
        cohort = academy.cohorts[cid]
        cohorts.setdefault((sid, cid), _Tally()).add(tally)
        held = next((s for s in cohort.sessions if s.id == session), None) if session else None
        for person in held.instructors if held else cohort.instructors:
            people.setdefault((sid, person), _Tally()).add(tally)
    for (sid, cid), tally in cohorts.items():
        cohort = academy.cohorts[cid]
        tally.invited = _invited(academy.surveys[sid], cohort, as_of)
        programs.setdefault((sid, cohort.program), _Tally()).add(tally)
        programs[(sid, cohort.program)].invited += tally.invited
        for person in cohort.instructors:  # they taught the learners asked
            if (sid, person) in people:
                people[(sid, person)].invited += tally.invited

    def done(kind: str, tallies: dict[tuple[str, str], _Tally]
             ) -> dict[tuple[str, str], FeedbackGroup]:
        return {key: _group(kind, key[1], academy.surveys[key[0]], t, least)
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


Key = tuple[str, str, str]  # (survey, cohort, session)


@dataclass(frozen=True, slots=True)
class FileTally:
    """One response file counted once: what the rule checks and the summaries add up.

    ``sizes``: responses per (survey, cohort, session); ``cells``: per
    question column, how often each (group, cell) occurs, in first-seen order.
    Every distinct answer is then checked and counted once, not once a row.
    """

    file: ResponseFile
    sizes: dict[Key, int]
    cells: dict[str, dict[tuple[Key, str], int]]


_TALLIES: list[tuple[Academy, list[FileTally]]] = []  # the academy last asked about


def file_tallies(academy: Academy) -> list[FileTally]:
    """A :class:`FileTally` per response file; kept for the last academy (it is immutable),
    so the surveys rule and every summary share one count."""
    if not _TALLIES or _TALLIES[0][0] is not academy:
        _TALLIES[:] = [(academy, [_tally_file(f) for f in academy.survey_responses])]
    return _TALLIES[0][1]


def _tally_file(f: ResponseFile) -> FileTally:
    c = f.columns
    fixed = (c["survey"], c["cohort"], c["session"])
    if len(f) and all(len(set(col)) == 1 for col in fixed):  # the importer's files
        key: Key = (fixed[0][0], fixed[1][0], fixed[2][0])
        return FileTally(f, {key: len(f)}, {q: {(key, v): n for v, n in Counter(c[q]).items()}
                                            for q in f.questions})
    # Several groups: number them, so each cell is counted with a small int, not a tuple
    # that would be hashed again for every column.
    keys = list(zip(*fixed, strict=True))
    number = {k: n for n, k in enumerate(dict.fromkeys(keys))}
    groups = list(number)
    ids = list(map(number.__getitem__, keys))
    return FileTally(f, {groups[n]: size for n, size in Counter(ids).items()},
                     {q: {(groups[n], v): size
                          for (n, v), size in Counter(zip(ids, c[q], strict=True)).items()}
                      for q in f.questions})


def _tallies(academy: Academy) -> dict[Key, _Tally]:
    out: dict[Key, _Tally] = {}
    for ft in file_tallies(academy):
        for key, n in ft.sizes.items():
            if key[0] in academy.surveys and key[1] in academy.cohorts:
                out.setdefault(key, _Tally()).responses += n
        for column, cells in ft.cells.items():
            asked = {s: survey.question(column) for s, survey in academy.surveys.items()}
            for (key, value), n in cells.items():
                q = asked.get(key[0])
                if value and q is not None and key in out:
                    _count(out[key], q, value, n)
    return out


def _count(tally: _Tally, q: SurveyQuestion, value: str, n: int) -> None:
    if q.type == "text":
        tally.comments.setdefault(q.id, []).extend([value] * n)
        return
    counts = tally.counts.setdefault(q.id, Counter())
    if q.multiple:
        for part in value.split(";"):
            counts[part] += n
        counts[""] += n  # "": responses that answered
    else:
        counts[value] += n


def _group(kind: str, key: str, survey: Survey, tally: _Tally, least: int) -> FeedbackGroup:
    questions: tuple[QuestionSummary, ...] = ()
    if tally.responses >= least:
        questions = tuple(_question(q, tally) for q in survey.questions)
    return FeedbackGroup(kind, key, survey, tally.responses, tally.invited, least, questions)


def _question(q: SurveyQuestion, tally: _Tally) -> QuestionSummary:
    if q.type == "text":
        comments = tuple(tally.comments.get(q.id, ()))
        return QuestionSummary(q, len(comments), (), None, None, comments)
    got = tally.counts.get(q.id, Counter())
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
