"""Feedback surveys (``surveys/<id>.yaml``) and their responses (``records/surveys/*.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainkit.model.common import Loc

RATING, NPS, CHOICE, TEXT = "rating", "nps", "choice", "text"
NPS_SCALE = (0, 10)  # the Net Promoter question's scale; 9-10 promote, 0-6 detract
# The fixed columns of a response file, in the order the importer writes them; every
# other column is a question id.
RESPONSE_COLUMNS = ("response", "survey", "cohort", "session", "submitted_at", "respondent")
Group = tuple[str, str, str]  # (survey, cohort, session) of a response row; session may be ""


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    id: str
    text: str
    type: str  # rating | nps | choice | text
    low: int  # rating and nps: the scale's bounds (nps: 0..10)
    high: int
    labels: tuple[str, ...]  # words for the lowest and highest rating
    choices: tuple[str, ...]
    multiple: bool  # choice: several may be ticked, written "a;b"
    loc: Loc

    @property
    def scaled(self) -> bool:
        """Answered with a number on a scale (rating or NPS)."""
        return self.type in (RATING, NPS)

    def values(self) -> tuple[str, ...]:
        """Every answer a distribution counts, in order: the scale, or the choices."""
        if self.scaled:
            return tuple(str(v) for v in range(self.low, self.high + 1))
        return self.choices


@dataclass(frozen=True, slots=True)
class Survey:
    id: str
    title: str
    when: str  # session | cohort-end | after
    days_after: int  # with when == "after"; 0 otherwise
    form_url: str | None
    anonymous: bool
    description: str
    questions: tuple[SurveyQuestion, ...]
    loc: Loc

    def question(self, ident: str) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.id == ident), None)


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """The rows of one response file that share a :data:`Group`, counted.

    ``cells``: per question column, how many of these rows hold each cell
    (the empty one too), in the order the cells first occur in the file.
    """

    responses: int
    cells: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class ResponseFile:
    """The good rows of one response file, column by column, and their counts.

    Held as columns, not one object per response: an academy collects
    responses without bound, and counting a column is what reports do.
    ``columns`` maps every fixed column (:data:`RESPONSE_COLUMNS`, absent
    optional ones as empty cells) and every question column to its cells;
    ``header`` is the header as written, for locating a cell's column.
    ``groups`` counts the rows once, when the file is resolved, per group in
    the order each first occurs (a file written by the importer has one):
    the ``surveys`` rule checks every distinct answer of a group once and
    the summaries add the counts up, so neither goes through the rows again
    except to locate a problem.
    """

    path: str
    header: tuple[str, ...]
    columns: Mapping[str, Sequence[str]]
    lines: Sequence[int]
    groups: Mapping[Group, GroupCounts]

    @property
    def questions(self) -> tuple[str, ...]:
        """The question columns, in header order."""
        return tuple(c for c in self.header if c not in RESPONSE_COLUMNS)

    def __len__(self) -> int:
        return len(self.lines)

    def loc(self, row: int, column: str = "response") -> Loc:
        """Where row ``row`` (or one of its cells) is written."""
        col = self.header.index(column) + 1 if column in self.header else 1
        return Loc(self.path, self.lines[row], col)


@dataclass(frozen=True, slots=True)
class FeedbackSettings:
    """``feedback:`` in ``trainkit.yaml``."""

    min_responses: int = 5  # smaller groups show counts only
    publish_ratings: bool = False  # program pages show aggregate ratings (opt-in)
