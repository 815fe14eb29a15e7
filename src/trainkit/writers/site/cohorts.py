"""One page per cohort: schedule in the cohort's time zone, venue, subscribe buttons."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from trainkit.model import Cohort, Session
from trainkit.resolve import registration
from trainkit.writers import feedlinks, places
from trainkit.writers.site import live, md
from trainkit.writers.site.common import (
    Site,
    address_lines,
    cohort_path,
    date_span,
    fmt_date,
    fmt_time_range,
    instructor_links,
    local,
    map_url,
    program_path,
    rel,
    rel_url,
    seats_left,
    venue_path,
)
from trainkit.writers.site.feedback import feedback_block
from trainkit.writers.site.prices import price_block
from trainkit.writers.site.registration import register_block

STATUS = {"open": "Open for enrolment", "closed": "Enrolment closed", "cancelled": "Cancelled"}


def cohort_pages(site: Site) -> None:
    for cohort in site.academy.cohorts.values():
        make = partial(cohort_text, site, cohort)
        site.add(cohort_path(cohort.id),
                 make() if site.recall is None else site.recall.cohort(cohort, make))


def cohort_text(site: Site, cohort: Cohort) -> str:
    """The Markdown of a cohort's page: made from the cohort, and from nothing of any
    other cohort (the build cache keeps it by the cohort's own file)."""
    src = cohort_path(cohort.id)
    program = site.academy.programs[cohort.program]
    title = f"{program.title}: {cohort.title}"
    out = [md.front_matter(title), f"# {md.text(title)}\n"]
    out.append(f"- **Program:** {md.link(program.title, rel(src, program_path(program.id)))}")
    out.append(f"- **Dates:** {md.text(date_span(cohort))}")
    out.append(f"- **Status:** {live.label(cohort, site.epoch, status_labels(cohort, site.epoch))} "
               + live.as_of(site.epoch))
    seats = f"<strong>Seats left:</strong> {seats_left(cohort)}"
    out.append(f"- {live.when(cohort, site.epoch, ['upcoming'], seats)}")
    out.append(f"- **Instructors:** {instructor_links(site, src, cohort.instructors)}")
    out += price_block(cohort.price, site.academy.settings.locale,
                       local(site.epoch, site.academy.settings.timezone).date())
    out.append("")
    button = register_block(site, cohort)
    if button:  # gone once the cohort starts, on the reader's day too
        out.append(live.when(cohort, site.epoch, ["upcoming"], button, tag="div") + "\n")
    out += [feedback_block(site, cohort)] if program.surveys else []
    see = (f"    See {md.link(program.title, rel(src, program_path(program.id)))} for the "
           "upcoming cohorts.")
    if cohort.status == "cancelled":
        out.append(f'!!! warning "This cohort was cancelled"\n\n{see}\n')
    else:
        notice = f'!!! warning "This cohort has finished"\n\n{see}'
        out.append(live.when(cohort, site.epoch, ["finished"], notice, tag="div",
                             markdown=True) + "\n")
    if cohort.notes.strip():
        out.append(f'!!! note "Good to know"\n\n    {md.text(cohort.notes)}\n')
    out.append("## Schedule\n")
    out.append(_zone_words(cohort) + "\n")
    out.append(md.stacked(_schedule(site, src, cohort)) + "\n")
    out += _venue(site, src, cohort)
    # A finished or cancelled cohort has nothing left to put in a calendar. The
    # heading is HTML so that it stays out of the page's table of contents, which
    # would otherwise link to a section the reader cannot see.
    buttons = subscribe_block(site, src, feedlinks.cohort_feed_path(cohort.id), title)
    calendar = '\n<h2 id="add-to-your-calendar">Add to your calendar</h2>\n' + "\n".join(
        f"<p>{part}</p>" if not part.startswith("<") else part for part in buttons.split("\n\n"))
    out.append(live.when(cohort, site.epoch, ["upcoming", "running"], calendar + "\n",
                         tag="div") + "\n")
    return "\n".join(out)


def status_labels(cohort: Cohort, epoch: datetime | None = None) -> dict[str, str]:
    """What the cohort's status line says in each phase; upcoming is the enrolment state.

    With a registration channel and ``epoch``, an open cohort's upcoming label
    says when registration is closed or not yet open at that moment.
    """
    upcoming = STATUS.get(cohort.status, cohort.status)
    if epoch is not None and cohort.status == "open" and cohort.registration.channel:
        state = registration.state(cohort, epoch)
        upcoming = {registration.CLOSED: "Registration closed",
                    registration.NOT_OPEN: "Registration not yet open"}.get(state, upcoming)
    return {"upcoming": upcoming, "running": "Running now",
            "finished": "Finished", "cancelled": "Cancelled"}


def _zone_words(cohort: Cohort) -> str:
    """Which clock the times are on: the zone's city, and the labels the table uses."""
    labels = sorted({places.zone_label(local(s.start, cohort.timezone)) for s in cohort.sessions})
    # Labels are made here from tzdata ("IST (UTC+5:30)"), not typed by anyone: nothing to escape.
    shown = f": {md.join_words(labels, 'or')}" if labels else ""
    city = places.zone_city(cohort.timezone)
    return (f"All times are local time in {md.text(city)} ({md.text(cohort.timezone)})"
            f"{shown}.")


def _schedule(site: Site, src: str, cohort: Cohort) -> str:
    rows = []
    for sess in sorted(cohort.sessions, key=lambda s: (s.start, s.id)):
        start, end = local(sess.start, cohort.timezone), local(sess.end, cohort.timezone)
        cells = [fmt_date(start), fmt_time_range(start, end), md.text(sess.title),
                 _room(site, sess), instructor_links(site, src, sess.instructors)]
        if sess.cancelled:
            why = f" Cancelled: {md.text(sess.reason)}" if sess.reason else " Cancelled"
            cells = [f"<del>{c}</del>" for c in cells]
            cells[2] += f' <span class="tk-cancelled">{why}</span>'
        rows.append(cells)
    if not rows:
        return "The schedule will be published soon."
    return md.table(["Date", "Time", "Session", "Room", "Instructor"], rows)


def _room(site: Site, sess: Session) -> str:
    if sess.online or not sess.venue:
        return "Online"
    venue = site.academy.venues.get(sess.venue)
    if venue is None:
        return ""
    room = venue.room(sess.room) if sess.room else None
    where = f"{room.name}, {venue.name}" if room else venue.name
    return md.text(where)


def _venue(site: Site, src: str, cohort: Cohort) -> list[str]:
    if not cohort.venue or cohort.venue not in site.academy.venues:
        return ["## Where\n", "Online. The joining link is sent to enrolled learners.\n"]
    venue = site.academy.venues[cohort.venue]
    out = ["## Where\n", f"**{md.link(venue.name, rel(src, venue_path(venue.id)))}**  ",
           "  \n".join(address_lines(site, venue.id)) + "\n"]
    if venue.directions.strip():
        out.append(md.paragraphs(venue.directions) + "\n")
    out.append(md.ext_link("Open the map", map_url(venue.id, site)) + "\n")
    return out


def subscribe_block(site: Site, src: str, feed: str, name: str) -> str:
    """Five buttons for one public feed; the download link is relative.

    The feed is written by the feeds writer after MkDocs ran, so the links
    are raw HTML that MkDocs does not validate; a test checks the files exist.
    """
    links = feedlinks.subscribe_links(site.academy.settings.base_url, feed, name)
    buttons = [
        ("Apple / Outlook desktop (webcal)", links.webcal, "webcal"),
        ("Google Calendar", links.google, "google"),
        ("Outlook.com", links.outlook, "outlook"),
        ("Microsoft 365", links.office365, "office365"),
        ("Download .ics", rel_url(src, feed), "download"),
    ]
    html = [f'<a class="md-button tk-subscribe" data-kind="{kind}" href="{md.h(href)}">'
            f"{md.h(label)}</a>" for label, href, kind in buttons]
    return ('<div class="tk-subscribe-row">\n' + "\n".join(html) + "\n</div>\n\n"
            "Subscribing keeps your calendar up to date when sessions move or are cancelled.")
