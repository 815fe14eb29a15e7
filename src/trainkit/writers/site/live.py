"""Facts that depend on today's date, true at build time and again in the reader's browser.

A build is reproducible: its "now" is the commit time or ``SOURCE_DATE_EPOCH``.
But a page is read days later, when an open cohort may have finished. So every
time-relative fact (a cohort's status, what shows only before or after it, the
next sessions) is written as it stands at the build's "now", inside an element
that carries the dates it depends on. ``assets/trainkit/live.js`` (first-party,
no request anywhere) recomputes them against the reader's clock; without
scripts the page shows the build-time facts and says which day they are from.

The markup, read by ``live.js``:

- ``data-tk-start``/``data-tk-end`` (UTC instants) and ``data-tk-status`` on an
  element give a cohort's phase: cancelled, finished, running or upcoming, the
  same rule as :func:`trainkit.site.common.phase`.
- ``data-tk-label-<phase>`` on it: its text for that phase.
- ``data-tk-when="<phase> …"``: shown only in those phases (class ``tk-off``
  hides it; a ``tk-row`` marker hides its table row, a list item its bullet).
- ``tk-first``: of its ``tk-opt`` children, only the first that matches shows.
- ``tk-session`` markers (``data-tk-start``, ``data-tk-limit``): table rows of
  sessions not yet started, at most ``limit`` of them.
- ``data-tk-until="<day>"``: shown up to and including that day (the
  reader's local day), e.g. an early-bird price.
- ``tk-asof``: "as of <day>", removed once the script has run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from trainkit.model import Cohort, Session
from trainkit.writers.site import md
from trainkit.writers.site.common import Site, date_span, fmt_date, local, phase

PHASES = ("upcoming", "running", "finished", "cancelled")


def instant(dt: datetime | None) -> str:
    """``2026-12-06T09:00:00Z``, or empty for an unknown time."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if dt else ""


def cohort_attrs(cohort: Cohort) -> str:
    """The attributes from which ``live.js`` works out a cohort's phase."""
    return (f'data-tk-start="{instant(cohort.start)}" data-tk-end="{instant(cohort.end)}" '
            f'data-tk-status="{md.h(cohort.status)}"')


def label(cohort: Cohort, epoch: datetime, labels: dict[str, str]) -> str:
    """A span whose text is ``labels[phase]``, for the phase now and on the reader's day."""
    words = " ".join(f'data-tk-label-{p}="{md.h(labels[p])}"' for p in PHASES)
    return (f'<span class="tk-live" {cohort_attrs(cohort)} {words}>'
            f"{md.h(labels[phase(cohort, epoch)])}</span>")


def when(cohort: Cohort, epoch: datetime, phases: Iterable[str], inner: str, *,
         tag: str = "span", row: bool = False, markdown: bool = False) -> str:
    """``inner``, shown only while the cohort is in one of ``phases``.

    ``row`` hides the table row the element sits in; ``markdown`` lets
    ``inner`` be Markdown (blocks) rather than HTML.
    """
    shown = tuple(phases)
    classes = "tk-live" + (" tk-row" if row else "") + (
        "" if phase(cohort, epoch) in shown else " tk-off")
    md_attr = " markdown" if markdown else ""
    pad = "\n\n" if markdown else ""
    return (f'<{tag} class="{classes}" {cohort_attrs(cohort)} data-tk-when="{" ".join(shown)}"'
            f"{md_attr}>{pad}{inner}{pad}</{tag}>")


def first_of(options: list[tuple[str, str]], fallback: str, epoch_pick: int | None) -> str:
    """Of ``(attrs, html)`` options, the first whose condition holds shows; else ``fallback``.

    ``epoch_pick`` is the index that holds at build time (``None``: the fallback).
    """
    spans = []
    for n, (attrs, html) in enumerate(options):
        off = "" if n == epoch_pick else " tk-off"
        spans.append(f'<span class="tk-opt{off}" {attrs}>{html}</span>')
    off = "" if epoch_pick is None else " tk-off"
    spans.append(f'<span class="tk-opt{off}">{fallback}</span>')
    return f'<span class="tk-first">{"".join(spans)}</span>'


def until(last: date, today: date, inner: str) -> str:
    """``inner`` (HTML), shown up to and including the day ``last``; ``today`` is the
    build's day, which decides whether it shows without scripts."""
    off = " tk-off" if today > last else ""
    return f'<span class="tk-until{off}" data-tk-until="{last.isoformat()}">{inner}</span>'


def session_marker(sess: Session, shown: bool, limit: int) -> str:
    """An empty marker that puts a session's row under ``live.js``'s control."""
    off = "" if shown else " tk-off"
    return (f'<span class="tk-session tk-row{off}" data-tk-start="{instant(sess.start)}" '
            f'data-tk-limit="{limit}"></span>')


def as_of(epoch: datetime, words: str = "(as of {})") -> str:
    """The no-script note: which day the time-relative facts on the page are from."""
    return f'<small class="tk-asof">{words.format(md.h(fmt_date(epoch)))}</small>'


def next_cohort(site: Site, program_id: str, template: str, fallback: str) -> str:
    """The program's next cohort (``template`` with ``{}`` for its dates), on any day.

    The options are the cohorts not over at build time: the first that has not
    started shows; when all have started, the one running longest says so.
    """
    cohorts = site.upcoming_of("program", program_id)
    latest = sorted(cohorts, key=lambda c: (c.end or site.epoch, c.id), reverse=True)
    options: list[tuple[str, str]] = []
    for c in cohorts:
        options.append((f'{cohort_attrs(c)} data-tk-when="upcoming"',
                        template.format(md.h(date_span(c)))))
    for c in latest:
        until = fmt_date(local(c.end or site.epoch, c.timezone))
        options.append((f'{cohort_attrs(c)} data-tk-when="running"',
                        template.format(f"running now, until {md.h(until)}")))
    wanted = [(c, "upcoming") for c in cohorts] + [(c, "running") for c in latest]
    pick = next((n for n, (c, want) in enumerate(wanted) if phase(c, site.epoch) == want), None)
    return first_of(options, fallback, pick)
