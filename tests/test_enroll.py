"""enroll, withdraw, transfer, promote and waitlist, run on a real git repository.

Each change is compared, byte for byte, with the ``git diff`` it must make:
only the lines that change, change; comments, quoting, flow style and blank
lines stay as they were written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enroll_academy import (
    SEPTEMBER_PATH,
    assert_golden,
    diff,
    make_repo,
)
from trainkit.cli import main
from trainkit.pipeline import check_dir


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "academy")


def run(repo: Path, *argv: str) -> int:
    return main([*argv, "--root", str(repo)])


def snapshot(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and ".git" not in p.parts}


def test_the_academy_starts_clean(repo: Path) -> None:
    assert check_dir(repo).diagnostics == []


def test_enroll_appends_an_entry_and_keeps_the_layout(repo: Path, request: pytest.FixtureRequest,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, "enroll", "fa-sep", "l-0006", "--date", "2026-05-20") == 0
    assert_golden(request, "enroll-appends", diff(repo))
    assert "enrolled learner 'l-0006' in cohort 'fa-sep'" in capsys.readouterr().err
    assert check_dir(repo).diagnostics == []


def test_a_full_cohort_puts_the_learner_on_the_waitlist(repo: Path, request: pytest.FixtureRequest,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, "enroll", "fa-jun", "l-0006", "--date", "2026-05-20") == 0
    assert_golden(request, "enroll-waitlist", diff(repo))
    err = capsys.readouterr().err
    assert "cohort 'fa-jun' is full (2 of 2 places taken)" in err
    assert "learner 'l-0006' is on its waitlist, position 3" in err


def test_a_new_learner_joins_the_file_of_their_organisation(repo: Path,
        request: pytest.FixtureRequest) -> None:
    assert run(repo, "enroll", "fa-sep", "--email", "Gus.Hale@beta.example", "--name",
               "Gus Hale", "--org", "Beta Services", "--date", "2026-05-20") == 0
    assert_golden(request, "enroll-new-learner", diff(repo))
    assert check_dir(repo).diagnostics == []


def test_a_learner_of_no_known_organisation_goes_to_the_registrations_file(repo: Path) -> None:
    assert run(repo, "enroll", "fa-sep", "--email", "zoe@new.example", "--name", "Zoë Quinn",
               "--org", "New Co", "--date", "2026-05-20") == 0
    made = (repo / "people/learners/registrations.yaml").read_text(encoding="utf-8")
    assert made == """\
# yaml-language-server: $schema=../../schemas/learners.schema.json
version: 1
# Learners added by 'trainkit enroll' who belong to no organisation's file.
learners:
  - id: l-0009
    name: Zoë Quinn
    email: zoe@new.example
    organisation: New Co
"""
    assert check_dir(repo).diagnostics == []


def test_an_existing_learner_is_found_by_email_whatever_its_case(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, "enroll", "fa-sep", "--email", "PRIYA@Example.org", "--name", "P. Shah",
               "--date", "2026-05-20") == 0
    changed = diff(repo)
    assert "- learner: l-0001\n" in changed and "people/learners" not in changed
    assert "found learner 'l-0001' by e-mail" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "words"), [
    (("enroll", "fa-jun", "l-0002", "--date", "2026-05-01"),
     "learner 'l-0002' is already on the waitlist of cohort 'fa-jun' "
     "(programs/first-aid/cohorts/fa-jun.yaml:15)"),
    (("enroll", "fa-jun", "l-0001", "--date", "2026-05-01"),
     "learner 'l-0001' is already enrolled in cohort 'fa-jun'"),
    (("enroll", "fa-sept", "l-0006", "--date", "2026-05-01"),
     "there is no cohort 'fa-sept'; did you mean 'fa-sep'?"),
    (("enroll", "fa-sep", "l-0099", "--date", "2026-05-01"),
     "there is no learner 'l-0099' in the learner directory"),
    (("enroll", "fa-sep", "l-0006", "--date", "2026-09-05"),
     "registration for cohort 'fa-sep' closed on 2026-09-05 (the registration is dated "
     "2026-09-05); to enroll anyway, pass --force --reason TEXT"),
    (("enroll", "fa-sep", "l-0006", "--date", "2026-02-28"),
     "registration for cohort 'fa-sep' opens on 2026-03-01"),
    (("enroll", "fa-jun", "l-0006", "--date", "2026-06-02"),
     "cohort 'fa-jun' started on 2026-06-02"),
    (("enroll", "fa-sep", "--email", "nobody@x.example", "--date", "2026-05-01"),
     "no learner has the e-mail 'nobody@x.example'; give --name to add one"),
    (("withdraw", "fa-sep", "l-0001"),
     "learner 'l-0001' is not enrolled or waitlisted in cohort 'fa-sep'"),
    (("transfer", "l-0006", "fa-sep", "fa-jun", "--date", "2026-05-01"),
     "learner 'l-0006' is not enrolled or waitlisted in cohort 'fa-sep'"),
])
def test_refusals_say_why_and_leave_every_file_untouched(
        repo: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], words: str) -> None:
    before = snapshot(repo)
    assert run(repo, *argv) == 1
    err = capsys.readouterr().err
    assert words in err and "nothing was written" in err
    assert snapshot(repo) == before


def test_force_records_the_reason(repo: Path,
        request: pytest.FixtureRequest) -> None:
    assert run(repo, "enroll", "fa-sep", "l-0006", "--date", "2026-09-06", "--force",
               "--reason", "late: agreed with Beta") == 0
    assert_golden(request, "enroll-forced", diff(repo))
    assert check_dir(repo).diagnostics == []


def test_force_without_a_reason_is_a_usage_error(repo: Path) -> None:
    before = snapshot(repo)
    assert run(repo, "enroll", "fa-sep", "l-0006", "--force") == 64
    assert run(repo, "enroll", "fa-sep") == 64
    assert snapshot(repo) == before


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    assert run(repo, "enroll", "fa-sep", "l-0006", "--date", "2026-05-20", "--dry-run") == 0
    printed = capsys.readouterr().out
    assert snapshot(repo) == before
    assert run(repo, "enroll", "fa-sep", "l-0006", "--date", "2026-05-20") == 0
    real = diff(repo)
    assert printed.startswith(f"--- a/{SEPTEMBER_PATH}\n+++ b/{SEPTEMBER_PATH}\n@@ -7,6 +7,9 @@")
    assert printed.split("@@", 2)[2].split("\n", 1)[1] == real.split("@@", 2)[2].split("\n", 1)[1]


def test_withdraw_then_promote_fills_the_place_in_registration_order(
        repo: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, "withdraw", "fa-jun", "l-0001", "--reason", "left the company") == 0
    assert "'trainkit promote fa-jun' enrolls the first" in capsys.readouterr().err
    after_withdrawal = check_dir(repo)
    assert [d.code for d in after_withdrawal.diagnostics] == ["waitlist-with-space"]
    assert run(repo, "promote", "fa-jun") == 0
    # l-0004 registered on 2 April, before l-0002 (3 April), although it comes later in the file.
    assert "enrolled learner 'l-0004' from the waitlist" in capsys.readouterr().err
    assert_golden(request, "withdraw-promote", diff(repo))
    assert check_dir(repo).diagnostics == []


def test_promote_when_full_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    assert run(repo, "promote", "fa-jun") == 0
    assert "2 learner(s) stay on the waitlist" in capsys.readouterr().err
    assert snapshot(repo) == before


def test_waitlist_lists_in_registration_order(repo: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(repo, "waitlist", "fa-jun") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "fa-jun: 2 enrolled, 0 of 2 places free, 2 waiting"
    assert out[1].split()[:2] == ["1.", "l-0004"] and "registered 2026-04-02" in out[1]
    assert out[2].split()[:2] == ["2.", "l-0002"] and "registered 2026-04-03" in out[2]


def test_transfer_withdraws_and_enrolls_in_one_change(repo: Path) -> None:
    assert run(repo, "transfer", "l-0005", "fa-sep", "fa-jun", "--date", "2026-05-02") == 0
    changed = diff(repo)
    assert """\
 enrollments:
 - learner: l-0005
+  status: withdrawn
   date: 2026-05-01
+  reason: transferred to fa-jun
""" in changed
    assert """\
+  - learner: l-0005
+    status: waitlisted
+    date: 2026-05-02
+    reason: transferred from fa-sep
""" in changed
    assert check_dir(repo).diagnostics == []


def test_a_returning_learner_reuses_their_entry(repo: Path) -> None:
    assert run(repo, "withdraw", "fa-sep", "l-0005", "--reason", "ill") == 0
    assert run(repo, "enroll", "fa-sep", "l-0005", "--date", "2026-06-01") == 0
    assert diff(repo).count("learner: l-0005") == 1
    text = (repo / SEPTEMBER_PATH).read_text(encoding="utf-8")
    assert "- learner: l-0005\n  date: 2026-06-01\n  status: enrolled\n" not in text
    assert "- learner: l-0005\n  status: enrolled\n  date: 2026-06-01\n\n" in text


def test_an_edit_that_leaves_errors_is_not_written(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # An unrelated error already in the academy: nothing may be written on top of it.
    bad = "programs/first-aid/cohorts/fa-oct.yaml"
    repo = make_repo(tmp_path / "academy", {bad: "version: 1\ninstructors: {lead: [nobody]}\n"})
    before = snapshot(repo)
    assert run(repo, "enroll", "fa-sep", "l-0006", "--date", "2026-05-20") == 1
    captured = capsys.readouterr()
    assert f"{bad}:2:" in captured.out
    assert "nothing was written" in captured.err
    assert snapshot(repo) == before


def test_waitlist_as_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert run(repo, "waitlist", "fa-jun", "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["cohort"], shown["capacity"], shown["enrolled"], shown["free"]) == (
        "fa-jun", 2, 2, 0)
    assert [(w["learner"], w["date"]) for w in shown["waitlist"]] == [
        ("l-0004", "2026-04-02"), ("l-0002", "2026-04-03")]


def test_a_transfer_to_an_unknown_cohort_changes_nothing(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo)
    assert run(repo, "transfer", "l-0005", "fa-sep", "fa-jul", "--date", "2026-05-02") == 1
    assert "there is no cohort 'fa-jul'; did you mean 'fa-jun'?" in capsys.readouterr().err
    assert snapshot(repo) == before
