"""Home page, catalog, and one page per program."""

from __future__ import annotations

import posixpath
import re
from datetime import timedelta
from pathlib import Path

from trainkit.model import Cohort, CompletionRules, Program, QuizRequirement, RequirementGroup
from trainkit.writers import feedlinks
from trainkit.writers.site import live, md
from trainkit.writers.site.cohorts import status_labels, subscribe_block
from trainkit.writers.site.common import (
    Site,
    cohort_path,
    course_path,
    date_span,
    fmt_date,
    fmt_time_range,
    instructor_links,
    local,
    next_sessions,
    phase,
    place,
    program_path,
    rel,
    seats_left,
)
from trainkit.writers.site.feedback import ratings_block
from trainkit.writers.site.prices import price_block

NEXT = 8  # sessions on the home page
DELIVERY = {"in-person": "In person", "virtual": "Live online", "blended": "Blended"}


def duration_words(total: timedelta) -> str:
    minutes = int(total.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def home(site: Site) -> None:
    s = site.academy.settings
    src = "index.md"
    out = [md.front_matter(s.site.title or s.name), f"# {md.text(s.site.title or s.name)}\n"]
    if s.description:
        out.append(md.paragraphs(s.description) + "\n")
    featured = [site.academy.programs[p] for p in s.site.featured if p in site.academy.programs]
    if featured:
        out.append("## Featured programs\n")
        for program in featured:
            when = live.next_cohort(site, program.id, " Next cohort: {}.", "")
            out.append(f"- **{md.link(program.title, rel(src, program_path(program.id)))}**: "
                       f"{md.text(program.summary)}{when}")
        out.append("")
    out.append("## Next sessions\n")
    out.append(_next_sessions(site, src) + "\n")
    out.append(live.as_of(site.epoch, "Sessions not yet started as of {}.") + "\n")
    out.append(f"\nSee the full {md.link('catalog', 'catalog.md')} and the "
               f"{md.link('self-paced courses', 'courses/index.md')}.\n")
    out.append("## Every session in your calendar\n")
    out.append(subscribe_block(site, src, feedlinks.academy_feed_path(), s.name) + "\n")
    site.add(src, "\n".join(out))


def _next_sessions(site: Site, src: str) -> str:
    rows = []
    # More sessions than are shown: on a later day the script shows the next ones.
    for n, sess in enumerate(next_sessions(site.academy, site.epoch, NEXT * 4)):
        cohort = site.academy.cohorts[sess.cohort]
        program = site.academy.programs[sess.program]
        start, end = local(sess.start, cohort.timezone), local(sess.end, cohort.timezone)
        rows.append([
            live.session_marker(sess, n < NEXT, NEXT) + fmt_date(start),
            fmt_time_range(start, end),
            md.link(f"{program.title}: {sess.title}", rel(src, cohort_path(cohort.id)))
            + f"<br><small>{md.text(cohort.title)}</small>",  # two cohorts may share a title
            "Online" if sess.online or not sess.venue else place(site, src, cohort),
        ])
    none = '<p class="tk-sessions-none{}">No sessions are scheduled yet.</p>'
    if not rows:
        return none.format("")
    return (md.stacked(md.table(["Date", "Time", "Session", "Where"], rows)) + "\n\n"
            + none.format(" tk-off"))


def catalog(site: Site) -> None:
    src = "catalog.md"
    out = [md.front_matter("Catalog"), "# Catalog\n",
           "Instructor-led programs. Each program page lists its upcoming cohorts.\n",
           live.as_of(site.epoch, "Next cohorts as of {}.") + "\n"]
    rows = []
    for program in site.academy.programs.values():
        rows.append([md.link(program.title, rel(src, program_path(program.id))),
                     md.text(program.summary), DELIVERY.get(program.delivery, program.delivery),
                     live.next_cohort(site, program.id, "{}", "none scheduled")])
    out.append(md.stacked(md.table(["Program", "Summary", "Delivery", "Next cohort"], rows))
               if rows else "No programs yet.")
    site.add(src, "\n".join(out) + "\n")
    for program in site.academy.programs.values():
        program_page(site, program)


def program_page(site: Site, program: Program) -> None:
    src = program_path(program.id)
    site.sources[src] = program.loc
    total = sum((t.duration for t in program.plan), timedelta())
    out = [md.front_matter(program.title), f"# {md.text(program.title)}\n",
           f"**{md.text(program.summary)}**\n"]
    if program.description.strip():
        out.append(description_with_files(site, program) + "\n")  # cleaned by the hook
    out.append(f"- **Delivery:** {DELIVERY.get(program.delivery, md.text(program.delivery))}")
    out.append(f"- **Duration:** {len(program.plan)} sessions, {duration_words(total)} in total")
    out.append(f"- **Group size:** up to {program.capacity} learners")
    out += price_block(program.price, site.academy.settings.locale,
                       local(site.epoch, site.academy.settings.timezone).date())
    out.append("")
    out.append("## Session plan\n")
    rows = [[str(n), md.text(t.title), duration_words(t.duration),
             "yes" if t.mandatory else "no", md.text("; ".join(t.agenda))]
            for n, t in enumerate(program.plan, 1)]
    out.append(md.stacked(md.table(["#", "Session", "Duration", "Mandatory", "Agenda"], rows))
               + "\n")
    out += _prerequisites(site, src, program)
    out += _competencies(site, program)
    out.append("## What completion requires\n")
    out.append(completion_words(site, src, program) + "\n")
    out.append("## Certificate\n")
    out.append(_certificate_words(program) + "\n")
    out += ratings_block(site, program)
    out.append(site.listing(f"cohorts of {src}", site.by_program.get(program.id, []),
                            lambda: "\n".join(_cohorts(site, src, program))))
    out.append("## Add every cohort to your calendar\n")
    out.append(subscribe_block(site, src, feedlinks.program_feed_path(program.id),
                               program.title) + "\n")
    site.add(src, "\n".join(out))


_MD_TARGET = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)")
_HTML_SRC = re.compile(r"""\b(?:src|href)=["']([^"'#?]+)""")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _program_file(site: Site, program: Program, target: str) -> str | None:
    """``target`` relative to the program's folder, when it names a file there."""
    if _SCHEME.match(target) or target.startswith(("/", "#")) or target.endswith(".md"):
        return None
    base = posixpath.dirname(program.loc.path)
    relpath = posixpath.normpath(target)
    if relpath.startswith("..") or not (Path(site.academy.root) / base / relpath).is_file():
        return None
    site.copies[f"programs/{program.id}/{relpath}"] = Path(site.academy.root) / base / relpath
    return relpath


def description_with_files(site: Site, program: Program) -> str:
    """The description, with images and files beside ``program.yaml`` published too.

    ``![map](img/map.png)`` in ``programs/<id>/program.yaml`` is copied to
    ``programs/<id>/img/map.png`` in the site. Markdown links are rewritten
    (the page's Markdown lives in ``programs/``); raw HTML ``src=`` needs no
    change, because the built page's URL is ``programs/<id>/``.
    """
    def markdown(m: re.Match[str]) -> str:
        relpath = _program_file(site, program, m.group(2))
        return m.group(1) + (f"{program.id}/{relpath}" if relpath else m.group(2))

    text = _MD_TARGET.sub(markdown, program.description.strip())
    for found in _HTML_SRC.finditer(text):
        _program_file(site, program, found.group(1))
    return text


def _prerequisites(site: Site, src: str, program: Program) -> list[str]:
    pre = program.prerequisites
    items = [md.link(site.academy.programs[p].title, rel(src, program_path(p)))
             for p in pre.programs if p in site.academy.programs]
    items += [md.link(site.academy.courses[c].title, rel(src, course_path(c)))
              for c in pre.courses if c in site.academy.courses]
    items += [md.text(site.academy.competencies[c].name)
              for c in pre.competencies if c in site.academy.competencies]
    out = ["## Prerequisites\n"]
    if items:
        out.append("\n".join(f"- {i}" for i in items) + "\n")
    out.append((md.paragraphs(pre.text) if pre.text.strip() else "None." if not items else "")
               + "\n")
    return out


def _competencies(site: Site, program: Program) -> list[str]:
    if not program.competencies:
        return []
    lines = []
    for ref in program.competencies:
        comp = site.academy.competencies.get(ref.id)
        name = comp.name if comp else ref.id
        level = f" ({md.text(ref.level)})" if ref.level else ""
        lines.append(f"- {md.text(name)}{level}")
    return ["## Competencies\n", "\n".join(lines) + "\n"]


def _quiz_words(site: Site, src: str, req: QuizRequirement) -> str:
    quiz = site.academy.quizzes().get(req.quiz)
    course_id = req.quiz.split("/", 1)[0]
    name = quiz.title if quiz else req.quiz
    course = site.academy.courses.get(course_id)
    where = f" ({md.link(course.title, rel(src, course_path(course_id)))})" if course else ""
    return f"pass the quiz “{md.text(name)}”{where} with at least {req.pass_mark:g}%"


def _course_words(site: Site, src: str, course_id: str) -> str:
    course = site.academy.courses.get(course_id)
    if course is None:
        return f"complete the course {md.text(course_id)}"
    target = md.link(course.title, rel(src, course_path(course_id)))
    return f"complete the self-paced course {target} (pass its graded quizzes)"


def completion_words(site: Site, src: str, program: Program) -> str:
    """What a learner must do, as one plain sentence."""
    rules = program.completion
    parts = [_attendance_words(program, rules)]
    parts += [_quiz_words(site, src, q) for q in rules.quizzes]
    parts += [_course_words(site, src, c) for c in rules.courses]
    for group in (g for g in rules.groups if g.mode != "any"):
        parts.append(md.join_words(_group_items(site, src, group)))
    # any_of lists alternatives: one of them (all of its items) is enough
    options = [md.join_words(_group_items(site, src, g)) for g in rules.groups if g.mode == "any"]
    if len(options) == 2:
        parts.append(f"either {options[0]} or {options[1]}")
    elif options:
        parts.append(("one of: " if len(options) > 1 else "") + md.join_words(options, "or"))
    parts = [p for p in parts if p]
    # "attend …, and pass …": the comma keeps long clauses apart
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    sentence = text[:1].upper() + text[1:] + "."
    if rules.makeups:
        sentence += " A missed session can be made up in another cohort of this program."
    return sentence


def _group_items(site: Site, src: str, group: RequirementGroup) -> list[str]:
    return ([_quiz_words(site, src, q) for q in group.quizzes]
            + [_course_words(site, src, c) for c in group.courses])


def _attendance_words(program: Program, rules: CompletionRules) -> str:
    if rules.min_attendance_sessions is not None:
        words = f"attend at least {rules.min_attendance_sessions} sessions"
    elif rules.min_attendance_share is None or rules.min_attendance_share >= 1:
        words = "attend every session"
    else:
        words = f"attend at least {rules.min_attendance_share * 100:g}% of sessions"
    titles = []
    for tid in rules.mandatory_sessions:
        template = program.template(tid)
        titles.append(f"“{md.text(template.title if template else tid)}”")
    if titles and not words.startswith("attend every"):
        words += " including the session" + ("s " if len(titles) > 1 else " ") + md.join_words(
            titles)
    if rules.late_weight <= 0:
        words += " (arriving late does not count as attending)"
    elif rules.late_weight < 1:
        words += f" (a late arrival counts as {rules.late_weight:g} of a session)"
    return words


def _certificate_words(program: Program) -> str:
    cert = program.certificate
    if cert is None:
        return "This program does not lead to a certificate."
    title = md.text(cert.title)
    if cert.validity_months is None:
        return f"Successful learners receive the **{title}**. It does not expire."
    years, months = divmod(cert.validity_months, 12)
    span = f"{years} years" if not months and years > 1 else (
        "1 year" if not months and years == 1 else f"{cert.validity_months} months")
    return (f"Successful learners receive the **{title}**, valid for {span}. Every certificate "
            "has a public verification page.")


def _cohort_rows(site: Site, src: str, cohorts: list[Cohort], seats: bool) -> str:
    header = ["Cohort", "Dates", "Place", "Instructors", "Status"] + (
        ["Seats left"] if seats else [])
    rows = [[md.link(c.title, rel(src, cohort_path(c.id))), md.text(date_span(c)),
             place(site, src, c), instructor_links(site, src, c.instructors),
             live.label(c, site.epoch, status_labels(c, site.epoch))]
            + ([live.when(c, site.epoch, ["upcoming"], seats_left(c))] if seats else [])
            for c in cohorts]
    return md.stacked(md.table(header, rows)) + "\n"


def _cohorts(site: Site, src: str, program: Program) -> list[str]:
    """Upcoming cohorts (with seats), those running now, then past and cancelled ones."""
    by_phase: dict[str, list[Cohort]] = {}
    for c in site.by_program.get(program.id, []):
        by_phase.setdefault(phase(c, site.epoch), []).append(c)
    soonest = sorted(by_phase.get("upcoming", []), key=lambda c: (c.start or site.epoch, c.id))
    out = ["## Upcoming cohorts\n"]
    if soonest:
        out.append(live.as_of(site.epoch, "Status as of {}.") + "\n")
    out.append(_cohort_rows(site, src, soonest, seats=True) if soonest
               else "No new cohort is scheduled at the moment. Subscribe below to hear of new "
               "dates as soon as they are published.\n")
    running = sorted(by_phase.get("running", []), key=lambda c: (c.start or site.epoch, c.id))
    if running:
        out += ["## Running now\n", _cohort_rows(site, src, running, seats=False)]
    past = by_phase.get("finished", []) + by_phase.get("cancelled", [])
    if past:
        out.append("## Past and cancelled cohorts\n")
        for c in sorted(past, key=lambda c: (c.start or site.epoch, c.id), reverse=True):
            gone = ", cancelled" if c.status == "cancelled" else ""
            out.append(f"- {md.link(c.title, rel(src, cohort_path(c.id)))} "
                       f"({md.text(date_span(c))}{gone})")
        out.append("")
    return out
