"""Home page, catalog, and one page per program."""

from __future__ import annotations

from datetime import timedelta

from trainkit import feedlinks
from trainkit.model import CompletionRules, Program, QuizRequirement, RequirementGroup
from trainkit.site import md
from trainkit.site.cohorts import subscribe_block
from trainkit.site.common import (
    Site,
    cohort_path,
    course_path,
    date_span,
    fmt_date,
    fmt_time_range,
    instructor_links,
    is_upcoming,
    local,
    next_sessions,
    place,
    program_path,
    rel,
    seats_left,
)

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
            nxt = site.upcoming_of("program", program.id)
            when = f" Next: {md.text(date_span(nxt[0]))}." if nxt else ""
            out.append(f"- **{md.link(program.title, rel(src, program_path(program.id)))}**: "
                       f"{md.text(program.summary)}{when}")
        out.append("")
    out.append("## Next sessions\n")
    out.append(_next_sessions(site, src))
    out.append(f"\nSee the full {md.link('catalog', 'catalog.md')} and the "
               f"{md.link('self-paced courses', 'courses/index.md')}.\n")
    out.append("## Every session in your calendar\n")
    out.append(subscribe_block(site, src, feedlinks.academy_feed_path(), s.name) + "\n")
    site.add(src, "\n".join(out))


def _next_sessions(site: Site, src: str) -> str:
    rows = []
    for sess in next_sessions(site.academy, site.epoch):
        cohort = site.academy.cohorts[sess.cohort]
        program = site.academy.programs[sess.program]
        start, end = local(sess.start, cohort.timezone), local(sess.end, cohort.timezone)
        rows.append([
            fmt_date(start), fmt_time_range(start, end),
            md.link(f"{program.title}: {sess.title}", rel(src, cohort_path(cohort.id))),
            "Online" if sess.online or not sess.venue else place(site, src, cohort),
        ])
    if not rows:
        return "No sessions are scheduled yet."
    return md.table(["Date", "Time", "Session", "Where"], rows)


def catalog(site: Site) -> None:
    src = "catalog.md"
    out = [md.front_matter("Catalog"), "# Catalog\n",
           "Instructor-led programs. Each program page lists its upcoming cohorts.\n"]
    rows = []
    for program in site.academy.programs.values():
        nxt = site.upcoming_of("program", program.id)
        rows.append([md.link(program.title, rel(src, program_path(program.id))),
                     md.text(program.summary), DELIVERY.get(program.delivery, program.delivery),
                     md.text(date_span(nxt[0])) if nxt else "none scheduled"])
    out.append(md.table(["Program", "Summary", "Delivery", "Next cohort"], rows)
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
        out.append(program.description.strip() + "\n")  # authored Markdown, cleaned by the hook
    out.append(f"- **Delivery:** {DELIVERY.get(program.delivery, md.text(program.delivery))}")
    out.append(f"- **Duration:** {len(program.plan)} sessions, {duration_words(total)} in total")
    out.append(f"- **Group size:** up to {program.capacity} learners\n")
    out.append("## Session plan\n")
    rows = [[str(n), md.text(t.title), duration_words(t.duration),
             "yes" if t.mandatory else "no", md.text("; ".join(t.agenda))]
            for n, t in enumerate(program.plan, 1)]
    out.append(md.table(["#", "Session", "Duration", "Mandatory", "Agenda"], rows) + "\n")
    out += _prerequisites(site, src, program)
    out += _competencies(site, program)
    out.append("## What completion requires\n")
    out.append(completion_words(site, src, program) + "\n")
    out.append("## Certificate\n")
    out.append(_certificate_words(program) + "\n")
    out += _cohorts(site, src, program)
    out.append("## Add every cohort to your calendar\n")
    out.append(subscribe_block(site, src, feedlinks.program_feed_path(program.id),
                               program.title) + "\n")
    site.add(src, "\n".join(out))


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
    if options:
        parts.append(("one of: " if len(options) > 1 else "") + md.join_words(options, "or"))
    text = md.join_words([p for p in parts if p], "and")
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
        titles.append(md.text(template.title if template else tid))
    if titles and not words.startswith("attend every"):
        words += " including " + md.join_words(titles)
    if rules.late_weight < 1:
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


def _cohorts(site: Site, src: str, program: Program) -> list[str]:
    upcoming = site.upcoming_of("program", program.id)
    out = ["## Upcoming cohorts\n"]
    rows = [[md.link(c.title, rel(src, cohort_path(c.id))), md.text(date_span(c)),
             place(site, src, c), instructor_links(site, src, c.instructors), seats_left(c)]
            for c in upcoming]
    out.append((md.table(["Cohort", "Dates", "Place", "Instructors", "Seats left"], rows)
                if rows else "No cohorts are scheduled at the moment.") + "\n")
    past = [c for c in site.by_program.get(program.id, []) if not is_upcoming(c, site.epoch)]
    if past:
        out.append("## Past and cancelled cohorts\n")
        for c in past:
            gone = ", cancelled" if c.status == "cancelled" else ""
            out.append(f"- {md.link(c.title, rel(src, cohort_path(c.id)))} "
                       f"({md.text(date_span(c))}{gone})")
        out.append("")
    return out
