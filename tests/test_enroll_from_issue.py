"""``trainkit enroll --from-issue``: the registration issue form's body, and the event JSON.

The fixtures follow GitHub's documented issue-form output: one ``### Label``
heading per field, a blank line, the answer; ``_No response_`` for an empty
optional field; ``- [X]`` for a ticked checkbox. The event fixture is the
``issues``/``labeled`` payload a workflow reads from ``$GITHUB_EVENT_PATH``
(the body there has CRLF line ends, as GitHub stores it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enroll_academy import BETA_PATH, SEPTEMBER_PATH, diff, make_repo
from trainkit.cli import main
from trainkit.importers import registration_issue
from trainkit.pipeline import check_dir

FIXTURES = Path(__file__).parent / "fixtures" / "registration"


def test_the_body_is_read_section_by_section() -> None:
    found = registration_issue.read((FIXTURES / "issue-body.md").read_text(encoding="utf-8"))
    assert found == registration_issue.IssueRegistration(
        "fa-sep", "Gus Hale", "gus.hale@beta.example", "Beta Services")


def test_the_event_gives_the_opening_date_and_number() -> None:
    found = registration_issue.read((FIXTURES / "issue-event.json").read_text(encoding="utf-8"))
    assert (found.cohort, found.name, found.email, found.organisation) == (
        "fa-sep", "Ines Ortega", "ines@ortega.example", None)
    assert (found.day and found.day.isoformat(), found.number) == ("2026-05-19", 42)


@pytest.mark.parametrize(("body", "words"), [
    ("### Cohort\n\nfa-sep\n\n### Full name\n\n_No response_\n", "no answer for Full name, E-mail"),
    ("### Cohort\n\nFirst Aid in London!\n\n### Full name\n\nA\n\n### E-mail\n\na@b.example\n",
     "names the cohort 'First Aid in London!', which is not a cohort id"),
    ('{"action": "opened"}', "is JSON but not a GitHub issue event"),
    ("{not json", "is not valid JSON"),
])
def test_what_cannot_be_read_is_said(body: str, words: str) -> None:
    with pytest.raises(registration_issue.IssueError, match=words.replace("(", r"\(")):
        registration_issue.read(body)


def test_enroll_from_the_issue_body(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "academy")
    code = main(["enroll", "--from-issue", str(FIXTURES / "issue-body.md"), "--date",
                 "2026-05-20", "--root", str(repo)])
    assert code == 0
    changed = diff(repo)
    assert f"+++ b/{BETA_PATH}\n" in changed and f"+++ b/{SEPTEMBER_PATH}\n" in changed
    assert "+  - id: l-0009\n+    name: Gus Hale\n+    email: gus.hale@beta.example\n" in changed
    assert "+- learner: l-0009\n+  status: enrolled\n+  date: 2026-05-20\n" in changed
    assert check_dir(repo).diagnostics == []


def test_enroll_from_the_event_writes_the_step_outputs(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "academy")
    outputs = tmp_path / "github-output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    code = main(["enroll", "--from-issue", str(FIXTURES / "issue-event.json"),
                 "--root", str(repo)])
    assert code == 0
    text = (repo / "people/learners/registrations.yaml").read_text(encoding="utf-8")
    assert "  - id: l-0009\n    name: Ines Ortega\n    email: ines@ortega.example\n" in text
    # The registration date is the day the issue was opened.
    assert "+- learner: l-0009\n+  status: enrolled\n+  date: 2026-05-19\n" in diff(repo)
    assert outputs.read_text() == ("cohort=fa-sep\nlearner=l-0009\nstatus=enrolled\n"
                                   "approval=false\n")


def test_an_issue_for_a_closed_registration_is_refused(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "academy")
    code = main(["enroll", "--from-issue", str(FIXTURES / "issue-body.md"), "--date",
                 "2026-09-07", "--root", str(repo)])
    assert code == 1
    assert "registration for cohort 'fa-sep' closed on 2026-09-05" in capsys.readouterr().err
    assert diff(repo) == ""
