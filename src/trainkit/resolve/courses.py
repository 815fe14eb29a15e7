"""Self-paced courses: modules (Markdown), quizzes and their questions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

from trainkit.load.loader import Loaded
from trainkit.load.yamlio import Document
from trainkit.model import Choice, CompetencyRef, Course, Loc, Module, Question, Quiz
from trainkit.resolve.common import awards, competency_refs, prerequisites


def _loc(doc: Document, *pointer: str | int) -> Loc:
    line, col = doc.locate(pointer)
    return Loc(doc.path, line, col)


def resolve_courses(loaded: Loaded,
                    good: Callable[[list[Document]], list[Document]]) -> Iterable[Course]:

    quizzes_by_course: dict[str, list[Document]] = {}
    for qdoc in good(loaded.of("quiz")):
        quizzes_by_course.setdefault(PurePosixPath(qdoc.path).parent.parent.name, []).append(qdoc)
    for doc in good(loaded.of("course")):
        d = doc.data
        folder = PurePosixPath(doc.path).parent
        cid = folder.name
        modules = tuple(_module(loaded, doc, folder, m, i)
                        for i, m in enumerate(d.get("modules", [])))
        by_slug = {PurePosixPath(q.path).stem: q for q in quizzes_by_course.get(cid, [])}
        order = list(d.get("quizzes", sorted(by_slug)))
        order += [slug for slug in sorted(by_slug) if slug not in order]
        quizzes = tuple(_quiz(by_slug[slug], cid, slug) for slug in order if slug in by_slug)
        prefix = folder.as_posix() + "/"
        yield Course(
            id=cid,
            title=d["title"],
            summary=d.get("summary", ""),
            modules=modules,
            quizzes=quizzes,
            prerequisites=prerequisites(d.get("prerequisites", {}), doc),
            competencies=competency_refs(doc, d.get("competencies", []), "competencies"),
            assets=tuple(sorted(a for a in loaded.assets if a.startswith(prefix))),
            declared_quizzes=tuple(d.get("quizzes", ())),
            loc=Loc(doc.path, 1, 1),
            awards=awards(doc, d.get("awards", []), "awards"),
        )


def _module(loaded: Loaded, doc: Document, folder: PurePosixPath, m: dict[str, Any], i: int
            ) -> Module:
    path = (folder / m["file"]).as_posix()
    return Module(
        id=m["id"], title=m["title"], file=path, markdown=loaded.texts.get(path, ""),
        minutes=int(m.get("minutes", 0)), loc=_loc(doc, "modules", i),
        found=path in loaded.texts, file_loc=_loc(doc, "modules", i, "file"),
    )


def _awards(doc: Document, items: list[Any], *pointer: str | int) -> tuple[CompetencyRef, ...]:
    return awards(doc, items, *pointer)


def _quiz(doc: Document, course: str, slug: str) -> Quiz:
    d = doc.data
    return Quiz(
        id=f"{course}/{slug}",
        course=course,
        slug=slug,
        title=d.get("title", slug),
        mode=d.get("mode", "practice"),
        pass_mark=float(d.get("pass_mark", 0)),
        attempts=d.get("attempts"),
        after_module=d.get("after_module"),
        questions=tuple(_question(doc, q, i) for i, q in enumerate(d.get("questions", []))),
        loc=Loc(doc.path, 1, 1),
        awards=_awards(doc, d.get("awards", []), "awards"),
        stage=d.get("stage", ""),
    )


def _question(doc: Document, q: dict[str, Any], i: int) -> Question:
    answer = q.get("answer")
    answers = q.get("answers", ())
    return Question(
        id=q["id"],
        type=q["type"],
        prompt=q["prompt"],
        choices=tuple(
            Choice(chr(ord("a") + j) if j < 26 else f"c{j}", c["text"],
                   bool(c.get("correct", False)),
                   c.get("explanation", ""))
            for j, c in enumerate(q.get("choices", []))
        ),
        answer_bool=answer if isinstance(answer, bool) else None,
        answer_number=(float(answer) if isinstance(answer, int | float)
                       and not isinstance(answer, bool) else None),
        tolerance=float(q.get("tolerance", 0)),
        answers_text=tuple(str(a) for a in (answers if isinstance(answers, list) else [answers])),
        explanation=q.get("explanation", ""),
        points=float(q.get("points", 1)),
        loc=_loc(doc, "questions", i),
    )
