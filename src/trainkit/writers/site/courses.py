"""Self-paced courses: course pages with their learning path, module pages, quizzes.

Practice quizzes are interactive: the page holds the questions without keys
and ``assets/trainkit/trainkit.js`` loads ``assets/quizzes/<course>/<quiz>.json``
(the keys and explanations) to give feedback. Graded quizzes are published as
questions only: no JSON is written for them and no key reaches any file.
Progress (modules done, best practice-quiz scores) lives in the learner's
browser (``localStorage``), never on a server.

Why not a MkDocs quiz plugin: the ones kept on PyPI were weighed first.
``mkdocs-quiz`` and ``mkdocs-mcq`` handle single and multiple choice only, and
``mkdocs-superquiz`` adds fill-in-the-blank but loads a script from a CDN;
none has numeric answers with a tolerance, and all of them write the key into
the page's HTML and read quizzes from Markdown blocks, while an academy's
quizzes are YAML files (checked against a schema) that graded quizzes share
with the records. A small script reading a per-quiz JSON key keeps the
question types of the course format, and lets graded keys stay out of the
site entirely.
"""

from __future__ import annotations

import json
import posixpath
import re

import yaml

from trainkit.model import Course, Loc, Module, Question, Quiz
from trainkit.writers.site import md, refs
from trainkit.writers.site.common import Site, course_path, module_path, program_path, rel, rel_url

_FRONT = re.compile(r"---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_LINK = re.compile(r"(\]\()([^)\s#]+\.md)(#[^)\s]*)?(\s[^)]*)?\)")


def quiz_data_path(quiz: Quiz) -> str:
    return f"assets/quizzes/{quiz.course}/{quiz.slug}.json"


def course_pages(site: Site) -> None:
    src = "courses/index.md"
    out = [md.front_matter("Self-paced courses"), "# Self-paced courses\n",
           "Work through these at your own pace. Your progress is kept in this browser.\n"]
    for course in site.academy.courses.values():
        out.append(f"## {md.link(course.title, rel(src, course_path(course.id)))}\n")
        out.append(f"{md.text(course.summary)}\n")
        out.append(f"{len(course.modules)} modules, about {course.minutes} minutes.\n")
        out.append(_progress_div(site, course) + "\n")
    site.add(src, "\n".join(out))
    for course in site.academy.courses.values():
        _course(site, course)
        _copy_assets(site, course)
        for n in range(len(course.modules)):
            _module(site, course, n)
        for quiz in course.quizzes:
            if quiz.mode == "practice":
                site.blobs[quiz_data_path(quiz)] = practice_json(quiz)


def _progress_div(site: Site, course: Course, module: str = "") -> str:
    modules = " ".join(m.id for m in course.modules)
    extra = f' data-module="{md.h(module)}"' if module else ""
    return (f'<div class="tk-progress" data-academy="{md.h(site.academy.settings.id)}" '
            f'data-course="{md.h(course.id)}" data-modules="{md.h(modules)}"{extra}></div>')


def _quizzes_after(course: Course, index: int) -> list[Quiz]:
    module = course.modules[index]
    last = index == len(course.modules) - 1
    known = {m.id for m in course.modules}
    return [q for q in course.quizzes
            if q.after_module == module.id or (last and q.after_module not in known)]


def _course(site: Site, course: Course) -> None:
    src = course_path(course.id)
    out = [md.front_matter(course.title), f"# {md.text(course.title)}\n",
           f"{md.text(course.summary)}\n", _progress_div(site, course) + "\n",
           f"**Estimated time:** about {course.minutes} minutes.\n"]
    pre = course.prerequisites
    items = [md.link(site.academy.courses[c].title, rel(src, course_path(c)))
             for c in pre.courses if c in site.academy.courses]
    items += [md.link(site.academy.programs[p].title, rel(src, program_path(p)))
              for p in pre.programs if p in site.academy.programs]
    out.append("## Prerequisites\n")
    out.append("\n".join(f"- {i}" for i in items) + ("\n" if items else ""))
    out.append((md.paragraphs(pre.text) if pre.text.strip() else "None.") + "\n")
    if course.competencies:
        out.append("## Competencies\n")
        for ref in course.competencies:
            comp = site.academy.competencies.get(ref.id)
            level = f" ({md.text(ref.level)})" if ref.level else ""
            out.append(f"- {md.text(comp.name if comp else ref.id)}{level}")
        out.append("")
    out.append("## Learning path\n")
    for n, module in enumerate(course.modules):
        mark = f'<span class="tk-check" data-module="{md.h(module.id)}"></span>'
        target = rel(src, module_path(course.id, module.id))
        out.append(f"{n + 1}. {mark}{md.link(module.title, target)} ({module.minutes} min)")
        for quiz in _quizzes_after(course, n):
            kind = "practice quiz" if quiz.mode == "practice" else "graded quiz"
            out.append(f"    - {md.text(quiz.title)} ({kind}, pass mark {quiz.pass_mark:g}%)")
    site.add(src, "\n".join(out) + "\n")


def _module_dir(course: Course) -> str:
    return posixpath.dirname(course.modules[0].file) if course.modules else posixpath.dirname(
        course.loc.path)


def _copy_assets(site: Site, course: Course) -> None:
    """Files the modules link (images …) are published; they keep their relative place.

    An unreferenced file beside the modules is not published.
    """
    from pathlib import Path

    base = _module_dir(course)
    linked: set[str] = set()
    for module in course.modules:
        linked |= refs.local_files(module.markdown, posixpath.dirname(module.file))
    for asset in course.assets:
        if asset.endswith(".md") or asset not in linked:
            continue
        relpath = posixpath.relpath(asset, base)
        if relpath.startswith(".."):
            relpath = posixpath.relpath(asset, posixpath.dirname(course.loc.path))
        site.copies[f"courses/{course.id}/{relpath}"] = Path(site.academy.root) / asset


def _rewrite_links(course: Course, module: Module) -> str:
    """Links between module files point at the modules' pages instead."""
    by_file = {m.file: m.id for m in course.modules}
    here = posixpath.dirname(module.file)

    def sub(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here, m.group(2)))
        if target not in by_file:
            return m.group(0)
        return f"{m.group(1)}{by_file[target]}.md{m.group(3) or ''}{m.group(4) or ''})"

    return _LINK.sub(sub, module.markdown)


def split_front_matter(text: str) -> tuple[str, dict[str, object]]:
    """A module's own front matter (``hide:``, ``search:`` …) is kept; its title is not."""
    found = _FRONT.match(text)
    if not found:
        return text, {}
    try:
        meta = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        return text, {}
    if not isinstance(meta, dict):
        return text, {}
    meta.pop("title", None)  # the title comes from course.yaml, escaped
    return text[found.end():].strip(), {str(k): v for k, v in meta.items()}


def _module(site: Site, course: Course, index: int) -> None:
    module = course.modules[index]
    src = module_path(course.id, module.id)
    site.sources[src] = Loc(module.file)
    body, meta = split_front_matter(_rewrite_links(course, module).strip())
    heading, rest = f"# {md.text(module.title)}", body
    if re.match(r"#\s", body):  # the author's own title stays
        heading, _, rest = body.partition("\n")
    out = [md.front_matter(module.title, **meta), heading + "\n",
           f"*{md.link(course.title, rel(src, course_path(course.id)))}, module "
           f"{index + 1} of {len(course.modules)}, about {module.minutes} minutes.*\n",
           rest.strip() + "\n"]
    for quiz in _quizzes_after(course, index):
        out.append(quiz_section(site, src, quiz))
    out.append("## Your progress\n")
    out.append(_progress_div(site, course, module.id) + "\n")
    site.add(src, "\n".join(out))


def quiz_section(site: Site, src: str, quiz: Quiz) -> str:
    """The quiz as it appears on a module page (questions only: never a key)."""
    head = f"## Quiz: {md.text(quiz.title)}\n\n"
    listing = _question_list(quiz)
    if quiz.mode != "practice":
        return (head + '!!! info "Graded: taken in class / on the form"\n\n'
                f"    This quiz counts towards certificates (pass mark {quiz.pass_mark:g}%). "
                "Its questions are shown so you can prepare; answer it in class or on the "
                "form your instructor sends you.\n\n" + listing + "\n")
    attrs = (f'class="tk-quiz" data-academy="{md.h(site.academy.settings.id)}" '
             f'data-course="{md.h(quiz.course)}" data-quiz="{md.h(quiz.slug)}" '
             f'data-src="{md.h(rel_url(src, quiz_data_path(quiz)))}" '
             f'data-pass="{quiz.pass_mark:g}"')
    return (head + f"Practice quiz: answer each question to see feedback (pass mark "
            f"{quiz.pass_mark:g}%).\n\n<div {attrs}>\n{listing}\n</div>\n")


def _question_list(quiz: Quiz) -> str:
    items = []
    for q in quiz.questions:
        hint = {"numeric": " (answer with a number)", "text": " (answer in a few words)",
                "multiple": " (select all that apply)"}.get(q.type, "")
        if hint[2:-1] in q.prompt.lower():  # the author already said so
            hint = ""
        choices = ""
        if q.type in ("single", "multiple"):
            choices = "<ul>" + "".join(f"<li>{md.h(c.text)}</li>" for c in q.choices) + "</ul>"
        elif q.type == "true-false":
            choices = "<ul><li>True</li><li>False</li></ul>"
        items.append(f"<li><p>{md.h(q.prompt)}<em>{md.h(hint)}</em></p>{choices}</li>")
    return '<ol class="tk-questions">\n' + "\n".join(items) + "\n</ol>"


def _question_json(q: Question) -> dict[str, object]:
    data: dict[str, object] = {"id": q.id, "type": q.type, "prompt": q.prompt,
                               "points": q.points, "explanation": q.explanation}
    if q.type in ("single", "multiple"):
        data["choices"] = [{"text": c.text, "correct": c.correct, "explanation": c.explanation}
                           for c in q.choices]
    elif q.type == "true-false":
        data["answer"] = q.answer_bool
    elif q.type == "numeric":
        data["answer"], data["tolerance"] = q.answer_number, q.tolerance
    else:
        data["answers"] = list(q.answers_text)
    return data


def practice_json(quiz: Quiz) -> bytes:
    """The key of a practice quiz, for the page's script. Refuses graded quizzes."""
    if quiz.mode != "practice":
        raise ValueError(f"{quiz.id} is graded: its key is never published")
    data = {"id": quiz.id, "title": quiz.title, "passMark": quiz.pass_mark,
            "questions": [_question_json(q) for q in quiz.questions]}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    # markup characters only occur inside strings: escaping them keeps the file inert
    # even if something ever served or embedded it as HTML
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, code)
    return (text + "\n").encode()
