"""The cohort page's registration button: where it leads and what it says, by state.

The state is decided at the build's fixed time (``registration.state``). The
markup carries the cohort id, the state and the window's dates as data
attributes (``data-opens``: first day registrations are taken,
``data-closes``: first day they are not, both ISO dates in the cohort's time
zone; ``data-starts``/``data-ends``: the cohort's first and last moment), so
a script on the page can bring the state up to date against the reader's
clock. Only public facts go into the button: no learner data.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from trainkit.model import Cohort, Settings
from trainkit.resolve import registration
from trainkit.writers.site import md
from trainkit.writers.site.common import Site, fmt_date

ISSUE_FORM = "registration.yml"  # in .github/ISSUE_TEMPLATE/, as trainkit init writes it
NO_BUTTON = (registration.RUNNING, registration.FINISHED, registration.CANCELLED)


def register_url(settings: Settings, cohort: Cohort, program_title: str,
                 waitlist: bool) -> str | None:
    """Where the button leads for the cohort's channel; ``None`` when it has nowhere to go."""
    reg = cohort.registration
    if reg.channel == "email":
        address = reg.email or settings.contact_email
        return _mailto(address, cohort, program_title, waitlist) if address else None
    if reg.channel == "form" and reg.form_url:
        return prefilled_url(reg.form_url, cohort.id)
    if reg.channel == "github-issue":
        repo = (reg.repository or settings.site.repo_url or "").rstrip("/")
        if not repo.startswith("https://github.com/"):
            return None
        query = urlencode({"template": ISSUE_FORM, "title": f"Registration: {cohort.id}",
                           "cohort": cohort.id}, quote_via=quote)
        return f"{repo}/issues/new?{query}"
    return None


def _mailto(address: str, cohort: Cohort, program_title: str, waitlist: bool) -> str:
    what = "the waitlist of" if waitlist else "a place in"
    subject = f"Registration: {program_title}, {cohort.title} ({cohort.id})"
    body = (f"Please register me for {what} {program_title}, {cohort.title} "
            f"(cohort {cohort.id}).\n\nFull name:\nE-mail:\nOrganisation:\n")
    return f"mailto:{quote(address, safe='@')}?" + urlencode(
        {"subject": subject, "body": body}, quote_via=quote)


def prefilled_url(url: str, cohort_id: str) -> str:
    """An external form's address pre-filled with the cohort: ``{cohort}`` replaced, or
    ``cohort=<id>`` added to the query (registration forms and feedback surveys)."""
    if "{cohort}" in url:
        return url.replace("{cohort}", quote(cohort_id, safe=""))
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({"cohort": cohort_id})) if q)
    return urlunsplit(parts._replace(query=query))


def register_block(site: Site, cohort: Cohort) -> str:
    """The button (or the words saying why there is none); empty once the cohort runs."""
    state = registration.state(cohort, site.epoch)
    if state in NO_BUTTON or cohort.registration.channel is None:
        return ""
    program = site.academy.programs[cohort.program]
    url = register_url(site.academy.settings, cohort, program.title,
                       waitlist=state == registration.WAITLIST)
    safe = md.safe_url(url)
    if safe is None:
        return ""
    win = registration.window(cohort)
    attrs = {
        "class": "tk-register", "data-cohort": cohort.id, "data-state": state,
        "data-opens": win.opens.isoformat() if win.opens else "",
        "data-closes": win.closes.isoformat() if win.closes else "",
        "data-starts": cohort.start.isoformat() if cohort.start else "",
        "data-ends": cohort.end.isoformat() if cohort.end else "",
        "data-timezone": cohort.timezone,
        "data-approval": "true" if cohort.registration.approval else "false",
    }
    head = "<div " + " ".join(f'{k}="{md.h(v)}"' for k, v in attrs.items()) + ">"
    return "\n".join([head, _button(cohort, state, safe), _note(cohort, state, win), "</div>\n"])


def _button(cohort: Cohort, state: str, url: str) -> str:
    label = _label(cohort, state, registration.window(cohort))
    common = f'data-cohort="{md.h(cohort.id)}" data-href="{md.h(url)}"'
    if state in (registration.REGISTER, registration.WAITLIST):
        primary = " md-button--primary" if state == registration.REGISTER else ""
        return (f'<a class="md-button{primary} tk-register-button" {common} '
                f'href="{md.h(url)}">{md.h(label)}</a>')
    return (f'<span class="md-button tk-register-button" aria-disabled="true" {common}>'
            f"{md.h(label)}</span>")


def _label(cohort: Cohort, state: str, win: registration.Window) -> str:
    if state == registration.REGISTER:
        return "Request a place" if cohort.registration.approval else "Register"
    if state == registration.WAITLIST:
        return "Join the waitlist"
    if state == registration.NOT_OPEN and win.opens is not None:
        return f"Registration opens on {_day(win.opens)}"
    return "Registration closed"


def _note(cohort: Cohort, state: str, win: registration.Window) -> str:
    words = []
    if state == registration.WAITLIST:
        words.append("This cohort is full: join the waitlist and we will offer you the next "
                     "free place.")
    if state in (registration.REGISTER, registration.WAITLIST) and win.closes is not None:
        words.append(f"Registration closes at the end of {_day(win.closes - timedelta(1))}.")
    if cohort.registration.approval and state != registration.CLOSED:
        words.append("Places are confirmed by the team.")
    return f'<p class="tk-register-note">{md.h(" ".join(words))}</p>' if words else ""


def _day(day: date) -> str:
    return fmt_date(datetime.combine(day, time()))
