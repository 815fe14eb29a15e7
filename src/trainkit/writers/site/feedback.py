"""Feedback on the public site: the cohort page's "Give feedback" links, and (opt-in)
a program's aggregate ratings.

The link leads to the survey's external form pre-filled with the cohort, the
way the registration form channel builds its address
(:func:`~trainkit.writers.site.registration.prefilled_url`). It shows once
the survey opens: after the cohort's first session for a per-session survey,
after its last for ``cohort-end``, ``days_after`` days later for ``after``.
``live.js`` keeps that true on the reader's day: the link's element carries
the moment it opens as ``data-tk-end`` and is shown in the ``finished`` phase.

Ratings are published only with ``feedback.publish_ratings: true``, only for
a program whose responses reach ``feedback.min_responses``, and only as
means, NPS and counts: never a comment, never a single response.
"""

from __future__ import annotations

from trainkit.model import Cohort, Program
from trainkit.outcomes.feedback import Feedback, asked_at, summarize
from trainkit.writers.site import md
from trainkit.writers.site.common import Site
from trainkit.writers.site.live import instant
from trainkit.writers.site.registration import prefilled_url


def feedback_block(site: Site, cohort: Cohort) -> str:
    """The "Give feedback" links of the cohort's surveys (hidden until each opens)."""
    program = site.academy.programs[cohort.program]
    if cohort.status == "cancelled":
        return ""
    parts = []
    for sid in program.surveys:
        survey = site.academy.surveys.get(sid)
        asked = asked_at(survey, cohort) if survey else []
        moment = asked[0][0] if asked else None
        url = md.safe_url(prefilled_url(survey.form_url, cohort.id)) if (
            survey and survey.form_url) else None
        if survey is None or moment is None or url is None:
            continue
        off = "" if moment < site.epoch else " tk-off"
        parts.append(
            f'<div class="tk-live tk-feedback{off}" data-tk-start="{instant(cohort.start)}" '
            f'data-tk-end="{instant(moment)}" data-tk-status="{md.h(cohort.status)}" '
            f'data-tk-when="finished"><a class="md-button tk-feedback-button" '
            f'href="{md.h(url)}">Give feedback: {md.h(survey.title)}</a></div>')
    return "\n".join(parts) + "\n" if parts else ""


_SUMMARY: list[tuple[object, Feedback]] = []  # the academy last summarised, and its feedback


def ratings_block(site: Site, program: Program) -> list[str]:
    """``## Ratings`` with each survey's means and NPS, when the academy publishes them."""
    settings = site.academy.settings.feedback
    if not settings.publish_ratings or not program.surveys:
        return []
    if not _SUMMARY or _SUMMARY[0][0] is not site.academy:
        _SUMMARY[:] = [(site.academy, summarize(site.academy, site.epoch))]
    feedback = _SUMMARY[0][1]
    out = []
    for sid in program.surveys:
        group = feedback.programs.get((sid, program.id))
        if group is None or group.below_minimum:
            continue
        rows = [[md.text(s.question.text), f"{s.mean:.1f} of {s.question.high}"
                 + (f" · NPS {s.nps:+.0f}" if s.nps is not None else ""), str(s.answered)]
                for s in group.questions if s.question.scaled and s.mean is not None]
        if rows:
            out.append(f"**{md.text(group.survey.title)}** ({group.responses} responses)\n")
            out.append(md.stacked(md.table(["Question", "Average", "Answers"], rows)) + "\n")
    if not out:
        return []
    return ["## What learners say\n", *out]
