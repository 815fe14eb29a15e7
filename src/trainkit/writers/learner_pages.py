""""My training": each learner's own page, beside their personal calendar feed.

Written only when the feed secret is set, at ``calendars/p/<token>.html``
next to ``calendars/p/<token>.ics`` (the same keyed hash: nobody without the
secret can work out whose page is whose). A page shows one learner's coming
sessions with the link to subscribe to their feed, their completion status
and its reason, their certificates with verification links, their roles,
gaps and recommended next steps.

Each page stands alone: inline styles, no script, no font, image or request
to any other site, ``noindex`` for search engines, outside the MkDocs
project (so neither its search index nor its sitemap lists it), and it
links to no other learner's page. The list of page links goes to
``reports/feeds/learner-pages.csv``, beside the personal feed list.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from trainkit.model import Academy, Session
from trainkit.outcomes.certificates import issue
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import Gaps, Standing
from trainkit.outcomes.skills.recommend import Recommendation, recommend
from trainkit.writers.feedlinks import LinkMaker, personal_feed_path
from trainkit.writers.feeds.personal import LEARNER, feed_token
from trainkit.writers.feeds.tokens import Tokens
from trainkit.writers.reports.formats import write_csv
from trainkit.writers.scope import kinds_key
from trainkit.writers.spelling import spelled
from trainkit.writers.units import Units, fan_out

_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive">
<meta name="referrer" content="no-referrer">
<title>My training · {{ academy }}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.muted{color:#666}.gap{color:#b71c1c}.ok{color:#1b5e20}
</style></head><body>
<h1>My training</h1>
<p>{{ name }} · {{ academy }}</p>
<h2 id="sessions">Coming sessions</h2>
<p><a href="{{ feed }}">Subscribe to my calendar</a> (or add <code>{{ webcal }}</code> to your
calendar app).</p>
{% if sessions %}<table><thead><tr><th>When</th><th>Session</th><th>Where</th></tr></thead>
<tbody>{% for s in sessions %}<tr><td>{{ s.when }}</td><td>{{ s.title }}</td>
<td>{{ s.where }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="muted">No sessions to come.</p>{% endif %}
<h2 id="completion">Completion</h2>
{% if outcomes %}<table><thead><tr><th>Program</th><th>Cohort</th><th>Status</th><th>Why</th>
</tr></thead><tbody>{% for o in outcomes %}<tr><td>{{ o.program }}</td><td>{{ o.cohort }}</td>
<td>{{ o.status }}</td><td>{{ o.reason }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="muted">Not enrolled in any cohort.</p>{% endif %}
<h2 id="certificates">Certificates</h2>
{% if certificates %}<table><thead><tr><th>Certificate</th><th>Issued</th><th>Expires</th>
<th>Status</th></tr></thead><tbody>{% for c in certificates %}<tr>
<td><a href="{{ c.href }}">{{ c.title }}</a> ({{ c.id }})</td><td>{{ c.issued }}</td>
<td>{{ c.expires }}</td><td>{{ c.status }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p class="muted">No certificates yet.</p>{% endif %}
<h2 id="skills">My roles and skills</h2>
{% if standings %}<table><thead><tr><th>Role</th><th>Competency</th><th>Needed</th>
<th>Held</th><th>Standing</th></tr></thead><tbody>{% for s in standings %}<tr>
<td>{{ s.role }}</td><td>{{ s.competency }}</td><td>{{ s.required }}</td><td>{{ s.held }}</td>
<td class="{{ 'gap' if s.gap else 'ok' }}">{{ s.status }}</td></tr>{% endfor %}
</tbody></table>{% else %}<p class="muted">No role is recorded for you.</p>{% endif %}
<h2 id="next">Recommended next steps</h2>
{% if recommendations %}<ol>{% for r in recommendations %}<li>{{ r }}</li>{% endfor %}</ol>
{% else %}<p class="muted">Nothing to recommend: no gaps, or nothing on offer closes them.</p>
{% endif %}
<p class="muted">Private page: please do not share its address. As of {{ as_of }}.</p>
</body></html>
"""
ENV = Environment(loader=DictLoader({"page": _PAGE}), autoescape=True,
                  undefined=StrictUndefined, keep_trailing_newline=True)
LIST = "feeds/learner-pages.csv"
LIST_KINDS = frozenset({"academy", "learners"})  # what the list is made from


def page_path(secret: bytes, learner: str) -> str:
    """Site-relative path of a learner's page: beside their feed, with the same token."""
    return _page_of(personal_feed_path(feed_token(secret, LEARNER, learner)))


def _page_of(feed: str) -> str:
    return feed[: -len(".ics")] + ".html"


def write(ctx: Any) -> None:
    academy: Academy = ctx.academy
    if ctx.secret is None or not ctx.personal:
        return  # the feeds writer already says that personal outputs need the secret
    facts = _facts(academy, ctx)
    s = academy.settings
    maker = LinkMaker(s.base_url, s.site.title or s.name)

    # Every page is keyed here, in this process: in a build after another, nearly all of
    # them are taken over, and forking for that costs more than it saves. The pages left
    # to make are split across cores.
    units = Units(ctx, "learner_pages")
    token = Tokens(ctx.cache, ctx.secret)  # kept by the feeds writer; never written here
    # the list of pages is made from the settings and the learner files alone
    key = kinds_key(ctx, "learner page list", LIST_KINDS)
    listed = units.keep_scoped("reports", LIST, key)
    rows = []
    todo: list[tuple[str, dict[str, Any]]] = []  # (page, values) of the pages to make
    for lid in sorted(academy.learners):
        feed = personal_feed_path(token(LEARNER, lid))
        rel = _page_of(feed)
        values = _context(academy, facts, lid, feed, maker, ctx)
        # keyed by the digest of the coming sessions' rows: learners of the same cohorts
        # share them, and they are spelled out once
        coming, digest = _coming(academy, facts, tuple(facts["seats"].get(lid, ())))
        if not units.keep("site", rel, (values, digest)):
            todo.append((rel, {**values, "sessions": coming}))
        if not listed:
            person = academy.learners[lid]
            rows.append([lid, person.name, person.email, maker.https(rel)])
    units.hand_on()

    def make(part: Sequence[int]) -> None:
        template = ENV.get_template("page")
        folders: set[str] = set()
        for i in part:
            rel, values = todo[i]
            _write(f"{ctx.public}/{rel}", template.render(**values), folders)

    fan_out(make, range(len(todo)), ctx.jobs)
    if not listed:
        write_csv(ctx.private / LIST, ("id", "name", "email", "page"), rows)


def _write(path: str, text: str, folders: set[str]) -> None:
    """``text`` into ``path`` (os-level calls: this runs once per learner)."""
    folder = os.path.dirname(path)
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _facts(academy: Academy, ctx: Any) -> dict[str, Any]:
    outcomes = evaluate(academy, ctx.epoch)
    held = gather(academy, outcomes, ctx.epoch)
    rows = Gaps(academy, held, ctx.epoch.date()).rows()
    by: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for o in outcomes:
        by[o.learner]["outcomes"].append(o)
    for cert in issue(academy, outcomes, ctx.secret):
        by[cert.learner]["certificates"].append(cert)
    for standing in rows:
        by[standing.learner]["standings"].append(standing)
    for r in recommend(academy, held, rows, ctx.epoch):
        by[r.learner]["recommendations"].append(r)
    upcoming: dict[str, list[Session]] = {}  # by cohort
    seats: dict[str, list[str]] = defaultdict(list)  # by learner: the cohorts they are in
    for cid, c in academy.cohorts.items():
        if c.status == "cancelled":
            continue
        upcoming[cid] = [s for s in c.sessions if not s.cancelled and s.end > ctx.epoch]
        for e in c.active_enrollments():
            seats[e.learner].append(cid)
    return {"by": by, "upcoming": upcoming, "seats": seats, "shown": {}, "rows": {},
            "fixed": {"lang": academy.settings.locale, "academy": academy.settings.name,
                      "as_of": f"{ctx.epoch:%Y-%m-%d}"}}


def _coming(academy: Academy, facts: dict[str, Any],
            cohorts: tuple[str, ...]) -> tuple[list[dict[str, str]], bytes]:
    """The coming sessions of a learner in ``cohorts``, in time order, and their digest:
    made once for every learner in the same cohorts."""
    found: tuple[list[dict[str, str]], bytes] | None = facts["rows"].get(cohorts)
    if found is None:
        sessions = [s for cid in cohorts for s in facts["upcoming"][cid]]
        rows = [_shown(academy, facts["shown"], s)
                for s in sorted(sessions, key=attrgetter("start"))]
        found = facts["rows"][cohorts] = (rows, hashlib.sha256(spelled(rows)).digest())
    return found


def _context(academy: Academy, facts: dict[str, Any], lid: str, feed: str, maker: LinkMaker,
             ctx: Any) -> dict[str, Any]:
    mine = facts["by"].get(lid, {})
    up = "../../"  # from calendars/p/ back to the site root
    programs = academy.programs
    recs: list[Recommendation] = mine.get("recommendations", [])
    standings: list[Standing] = mine.get("standings", [])
    return {
        **facts["fixed"], "name": academy.learners[lid].name,
        "feed": feed.rsplit("/", 1)[-1], "webcal": maker.webcal(feed),
        "outcomes": [{"program": programs[o.program].title if o.program in programs
                      else o.program, "cohort": o.cohort, "status": o.status,
                      "reason": o.reason} for o in mine.get("outcomes", [])],
        "certificates": [{"title": c.title, "id": c.id, "href": up + c.verify_path,
                          "issued": c.issued_on.isoformat(),
                          "expires": c.expires_on.isoformat() if c.expires_on else "never",
                          "status": c.status(ctx.epoch.date())}
                         for c in mine.get("certificates", [])],
        "standings": [{"role": academy.roles[s.role].name if s.role in academy.roles
                       else s.role, "competency": s.competency, "required": s.required or "any",
                       "held": s.held.level if s.held else "", "status": s.status,
                       "gap": s.gap} for s in standings],
        "recommendations": [r.reason for r in recs if r.rank <= 3],
    }


def _shown(academy: Academy, shown: dict[int, dict[str, str]], s: Session) -> dict[str, str]:
    """A session's row, made once for all its learners (``shown``: by session)."""
    found = shown.get(id(s))
    if found is None:
        found = shown[id(s)] = {
            "when": f"{s.start:%a %d %b %Y %H:%M}-{s.end:%H:%M} {s.timezone}",
            "title": s.title, "where": _where(academy, s)}
    return found


def _where(academy: Academy, s: Session) -> str:
    if s.online:
        return "online (the link is in your calendar)"
    venue = academy.venues.get(s.venue or "")
    if venue is None:
        return ""
    room = venue.room(s.room or "")
    return f"{venue.name}, {venue.address.city}" + (f" ({room.name})" if room else "")
