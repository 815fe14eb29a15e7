"""Self-paced courses: Markdown modules and quizzes with their questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainkit.model.common import Loc
from trainkit.model.programs import Prerequisites
from trainkit.model.settings import CompetencyRef

# ---------------------------------------------------------------- self-paced courses


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str  # single | multiple | true-false | numeric | text
    prompt: str
    choices: tuple[Choice, ...]
    answer_bool: bool | None
    answer_number: float | None
    tolerance: float
    answers_text: tuple[str, ...]
    explanation: str
    points: float
    loc: Loc


@dataclass(frozen=True, slots=True)
class Quiz:
    id: str  # "<course>/<quiz>"
    course: str
    slug: str
    title: str
    mode: str  # practice | graded
    pass_mark: float  # percent
    attempts: int | None  # None: unlimited
    after_module: str | None
    questions: tuple[Question, ...]
    loc: Loc
    awards: tuple[CompetencyRef, ...] = ()  # evidenced by passing this (graded) quiz
    stage: str = ""  # "pre" | "post" knowledge check, or "" for neither

    def question(self, ident: str) -> Question | None:
        return next((q for q in self.questions if q.id == ident), None)

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    title: str
    file: str  # repository-relative path of the Markdown
    markdown: str
    minutes: int
    loc: Loc
    found: bool = True  # False: ``file`` names no Markdown file of the course
    file_loc: Loc | None = None  # where ``file`` is written


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    summary: str
    modules: tuple[Module, ...]
    quizzes: tuple[Quiz, ...]
    prerequisites: Prerequisites
    competencies: tuple[CompetencyRef, ...]
    assets: tuple[str, ...]  # repository-relative files next to the modules (images …)
    declared_quizzes: tuple[str, ...]  # the quiz ids course.yaml lists (for the reference rule)
    loc: Loc
    awards: tuple[CompetencyRef, ...] = ()  # evidenced by passing every graded quiz

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)
