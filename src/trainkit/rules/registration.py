"""registration-channel, registration-window: how people register.

* **registration-channel** (error): a ``registration.channel`` that has
  nowhere to lead: ``email`` without ``email`` (or the academy's
  ``contact_email``), ``form`` without ``form_url``, ``github-issue``
  without ``repository`` (or ``site.repo_url`` on github.com). Reported
  once where the settings are written. Give the missing setting, or another
  channel.
* **registration-window** (warning): an open cohort whose registration
  would close before it opens (``opens`` on or after ``closes``), so nobody
  can ever register. Move ``opens`` earlier or ``closes`` later.

Cohorts without a ``channel`` show no registration button and are not
checked for one; the window is checked whenever ``opens`` is given.
"""

from __future__ import annotations

from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Cohort, Loc, Settings
from trainkit.resolve import registration
from trainkit.rules._util import err, warn

CODES = {"registration-channel": "error", "registration-window": "warning"}


def check(academy: Academy) -> Iterator[Diagnostic]:
    seen: set[Loc] = set()
    for cohort in academy.cohorts.values():
        if cohort.status == "cancelled":
            continue
        reg = cohort.registration
        where = reg.loc or cohort.loc
        missing = _missing(academy.settings, cohort)
        if missing and where not in seen:
            seen.add(where)
            yield err(where, "registration-channel",
                      f"registration channel {reg.channel!r} needs {missing} (cohort "
                      f"{cohort.id!r} and any other using these settings); give it, or "
                      "choose another channel")
        win = registration.window(cohort)
        if cohort.status == "open" and win.opens and win.closes and win.opens >= win.closes:
            yield warn(where, "registration-window",
                       f"registration for cohort {cohort.id!r} opens on "
                       f"{win.opens.isoformat()} but closes on {win.closes.isoformat()}, so "
                       "nobody can register; move 'opens' earlier or 'closes' later")


def _missing(settings: Settings, cohort: Cohort) -> str | None:
    reg = cohort.registration
    if reg.channel == "email" and not (reg.email or settings.contact_email):
        return "an 'email' address (or the academy's 'contact_email')"
    if reg.channel == "form" and not reg.form_url:
        return "a 'form_url'"
    repo = reg.repository or settings.site.repo_url or ""
    if reg.channel == "github-issue" and not repo.startswith("https://github.com/"):
        return "a 'repository' on github.com (or 'site.repo_url' there)"
    return None
