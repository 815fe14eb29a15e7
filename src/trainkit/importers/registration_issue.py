"""A registration from a GitHub issue made with the academy's registration issue form.

GitHub writes an issue form's answers into the issue body as Markdown: one
``### <label>`` heading per field, a blank line, then the answer; a field
left empty reads ``_No response_``, a checkbox ``- [X] <label>``. This
module reads that body, or the whole ``issues`` event JSON a workflow gets
(``$GITHUB_EVENT_PATH``), whose issue also gives the registration date and
the issue number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

NO_RESPONSE = "_No response_"
# Field labels (as the form in .github/ISSUE_TEMPLATE/registration.yml names
# them, and a few other spellings) -> what they are.
LABELS = {
    "cohort": "cohort", "cohort id": "cohort",
    "full name": "name", "name": "name", "your name": "name",
    "e-mail": "email", "email": "email", "e-mail address": "email", "email address": "email",
    "organisation": "organisation", "organization": "organisation", "company": "organisation",
}
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class IssueError(Exception):
    """The issue is not a registration that can be read; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class IssueRegistration:
    cohort: str
    name: str
    email: str
    organisation: str | None = None
    day: date | None = None  # when the issue was opened (from the event JSON)
    number: int | None = None


def read(text: str) -> IssueRegistration:
    """A registration from an issue body, or from a GitHub ``issues`` event's JSON."""
    if text.lstrip().startswith("{"):
        return _from_event(text)
    return from_body(text)


def _from_event(text: str) -> IssueRegistration:
    try:
        event = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IssueError(f"is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    issue = event.get("issue") if isinstance(event, dict) else None
    if not isinstance(issue, dict) or not isinstance(issue.get("body"), str):
        raise IssueError("is JSON but not a GitHub issue event (no issue.body)")
    found = from_body(issue["body"])
    opened = issue.get("created_at")
    day = datetime.fromisoformat(opened.replace("Z", "+00:00")).date() if opened else None
    number = issue.get("number") if isinstance(issue.get("number"), int) else None
    return IssueRegistration(found.cohort, found.name, found.email, found.organisation,
                             day, number)


def sections(body: str) -> dict[str, str | None]:
    """``### Label`` sections of an issue-form body: label -> answer (``None`` if empty)."""
    body = body.replace("\r\n", "\n")
    heads = list(_HEADING.finditer(body))
    out: dict[str, str | None] = {}
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        value = body[head.end(): nxt.start() if nxt else len(body)].strip()
        out[head.group(1).strip()] = None if value in ("", NO_RESPONSE) else value
    return out


def from_body(body: str) -> IssueRegistration:
    fields: dict[str, str | None] = {}
    for label, value in sections(body).items():
        key = LABELS.get(label.casefold().rstrip(" *:"))
        if key is not None and key not in fields:
            fields[key] = value
    missing = [k for k in ("cohort", "name", "email") if not fields.get(k)]
    if missing:
        wanted = ", ".join({"cohort": "Cohort", "name": "Full name", "email": "E-mail"}[k]
                           for k in missing)
        raise IssueError(f"has no answer for {wanted}; the body should have '### Cohort', "
                         "'### Full name' and '### E-mail' sections as the registration "
                         "issue form writes them")
    # The answer is the cohort id, possibly followed by its title: "fa-lon-2027-01 (London)".
    first, _, rest = str(fields["cohort"]).strip().partition(" ")
    cohort = first.strip("`")
    if not _ID.match(cohort) or (rest.strip() and not rest.lstrip().startswith(("(", "-", "–"))):
        raise IssueError(f"names the cohort {fields['cohort']!r}, which is not a cohort id "
                         "(such as fa-lon-2027-01)")
    return IssueRegistration(cohort, _one_line(fields["name"]), _one_line(fields["email"]),
                             _one_line(fields.get("organisation")) or None)


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())
