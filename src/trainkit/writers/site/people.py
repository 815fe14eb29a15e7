"""Instructor pages (public bio, what they teach; never an e-mail) and venue pages."""

from __future__ import annotations

from trainkit.model import Cohort, Instructor, Venue
from trainkit.writers import feedlinks
from trainkit.writers.site import live, md
from trainkit.writers.site.cohorts import subscribe_block
from trainkit.writers.site.common import (
    Site,
    address_lines,
    cohort_path,
    date_span,
    instructor_path,
    map_url,
    program_path,
    rel,
    venue_path,
)


def instructor_pages(site: Site) -> None:
    src = "instructors/index.md"
    out = [md.front_matter("Instructors"), "# Instructors\n"]
    people = sorted(site.academy.instructors.values(), key=lambda i: (i.name.lower(), i.id))
    out += [f"- {md.link(p.name, rel(src, instructor_path(p.id)))}" for p in people]
    site.add(src, "\n".join(out) + "\n")
    for person in people:
        _instructor(site, person)


def _teaches(site: Site, person: Instructor) -> list[str]:
    """Programs whose qualification they hold, or whose cohorts they teach."""
    held = {q.id for q in person.qualifications}
    teaching = site.teaching.get(person.id, set())
    return [p.id for p in site.academy.programs.values()
            if p.qualification in held or p.id in teaching]


def _instructor(site: Site, person: Instructor) -> None:
    src = instructor_path(person.id)
    out = [md.front_matter(person.name), f"# {md.text(person.name)}\n"]
    if person.bio.strip():
        out.append(md.paragraphs(person.bio) + "\n")
    programs = _teaches(site, person)
    if programs:
        out.append("## Teaches\n")
        out += [f"- {md.link(site.academy.programs[p].title, rel(src, program_path(p)))}"
                for p in programs]
        out.append("")
    cohorts = site.upcoming_of("instructor", person.id)
    if cohorts:
        out.append("## Current and upcoming cohorts\n")
        out += [_cohort_items(site, src, cohorts), ""]
    site.add(src, "\n".join(out))


def _cohort_items(site: Site, src: str, cohorts: list[Cohort]) -> str:
    return site.listing(f"cohort items of {src}", cohorts,
                        lambda: "\n".join(_cohort_item(site, src, c) for c in cohorts))


def _cohort_item(site: Site, src: str, cohort: Cohort) -> str:
    name = f"{site.academy.programs[cohort.program].title}: {cohort.title}"
    item = f"{md.link(name, rel(src, cohort_path(cohort.id)))} ({md.text(date_span(cohort))})"
    return f"- {live.when(cohort, site.epoch, ['upcoming', 'running'], item)}"  # gone once over


def venue_pages(site: Site) -> None:
    src = "venues/index.md"
    out = [md.front_matter("Venues"), "# Venues\n"]
    out += [f"- {md.link(v.name, rel(src, venue_path(v.id)))}: {md.text(v.address.city)}"
            for v in site.academy.venues.values()]
    site.add(src, "\n".join(out) + "\n")
    for venue in site.academy.venues.values():
        _venue(site, venue)


def _venue(site: Site, venue: Venue) -> None:
    src = venue_path(venue.id)
    out = [md.front_matter(venue.name), f"# {md.text(venue.name)}\n", "## Address\n",
           "  \n".join(address_lines(site, venue.id)) + "\n",
           md.ext_link("Open the map", map_url(venue.id, site)) + "\n"]
    if venue.directions.strip():
        out += ["## Getting there\n", md.paragraphs(venue.directions) + "\n"]
    if venue.rooms:
        out.append("## Rooms\n")
        rows = [[md.text(r.name), str(r.capacity), "yes" if r.accessible else "no"]
                for r in venue.rooms]
        out.append(md.table(["Room", "Seats", "Step-free access"], rows) + "\n")
    out += ["## Everything at this venue in your calendar\n",
            subscribe_block(site, src, feedlinks.venue_feed_path(venue.id), venue.name) + "\n"]
    cohorts = site.upcoming_of("venue", venue.id)
    if cohorts:
        out.append("## Current and upcoming cohorts here\n")
        out += [_cohort_items(site, src, cohorts), ""]
    site.add(src, "\n".join(out))
