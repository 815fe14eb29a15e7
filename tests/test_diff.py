"""``trainkit diff`` in real git repositories made from a small fixture academy.

Each test commits the fixture, changes it (and commits, or leaves the edit in
the working tree), runs the command in-process and checks the semantic entry
and its impact counts in the JSON output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from trainkit.cli import main

FIXTURE = Path(__file__).parent / "cases" / "diff-fixture" / "academy"
FA9 = "programs/first-aid/cohorts/fa-2026-09.yaml"
FA3 = "programs/first-aid/cohorts/fa-2026-03.yaml"
FW10 = "programs/fire-warden/cohorts/fw-2026-10.yaml"


class Repo:
    """A git repository holding a copy of the fixture academy; commits have fixed dates."""

    def __init__(self, path: Path, branch: str = "main", commit: bool = True) -> None:
        self.root = path
        shutil.copytree(FIXTURE, path)
        self.git("init", "-q", "-b", branch)
        self.day = 0
        if commit:
            self.commit("fixture academy")

    def git(self, *args: str) -> str:
        # Fixed identities and dates make commit ids, and so golden files, stable.
        date = f"2026-06-{1 + self.day:02d}T12:00:00+00:00" if hasattr(self, "day") else ""
        env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
               "GIT_CONFIG_GLOBAL": "/dev/null"}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True)
        return done.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        self.day += 1

    def edit(self, path: str, old: str, new: str, count: int = 1) -> None:
        file = self.root / path
        text = file.read_text()
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, count))

    def write(self, path: str, text: str) -> None:
        (self.root / path).parent.mkdir(parents=True, exist_ok=True)
        (self.root / path).write_text(text)


def run_diff(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["diff", "--root", str(repo.root), *args])
    return code, capsys.readouterr().out


def changes(repo: Repo, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out = run_diff(repo, "--format", "json", *args, capsys=capsys)
    data = json.loads(out)
    data["code"] = code
    return data


def only(data: dict, kind: str) -> dict:
    found = [c for c in data["changes"] if c["kind"] == kind]
    assert len(found) == 1, (kind, data["changes"])
    return found[0]


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "academy")


def test_no_change_is_an_empty_diff(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    data = changes(repo, capsys)
    assert data["code"] == 0
    assert data["changes"] == [] and data["new_problems"] == []
    assert data["base"]["label"].startswith("merge-base with main (")


def test_reschedule_in_working_tree_shows_local_times(repo: Repo, capsys) -> None:
    repo.edit(FA9, "date: 2026-09-16", "date: 2026-09-17")
    change = only(changes(repo, capsys), "session-rescheduled")
    assert change["text"] == ("session day2 rescheduled from Wed 16 Sep 2026 09:00-16:00 to "
                              "Thu 17 Sep 2026 09:00-16:00 (Europe/London)")
    assert (change["cohort"], change["learners"], change["instructors"]) == ("fa-2026-09", 2, 1)


def test_session_added_removed_cancelled_restored(repo: Repo, capsys) -> None:
    repo.edit(FA3, "    end: \"16:00\"\n", "    end: \"16:00\"\n    status: cancelled\n"
              "    reason: Trainer ill\n")
    repo.commit("cancel day1")
    repo.edit(FA9, "  - id: day2\n    template: day2\n    date: 2026-09-16\n"
              "    start: \"09:00\"\n    end: \"16:00\"\n", "")
    repo.edit(FW10, "sessions:\n", "sessions:\n  - id: day0\n    template: day1\n"
              "    date: 2026-10-01\n    start: \"10:00\"\n    end: \"12:00\"\n")
    repo.edit(FA3, "    status: cancelled\n    reason: Trainer ill\n", "")
    repo.commit("shuffle")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    assert only(data, "session-restored")["text"] == (
        "session day1 (Tue 10 Mar 2026 09:00-16:00 Europe/London) restored")
    assert only(data, "session-removed")["text"] == (
        "session day2 removed (was Wed 16 Sep 2026 09:00-16:00 Europe/London); calendars that "
        "hold it show it cancelled for 90 days: to tell people why, keep it with 'status: "
        "cancelled' and a 'reason'")
    added = only(data, "session-added")
    assert added["text"] == (
        "session day0 added: Thu 1 Oct 2026 10:00-12:00 (Europe/London)")
    assert (added["learners"], added["instructors"]) == (2, 1)
    back = changes(repo, capsys, "HEAD~2", "HEAD~1")
    assert only(back, "session-cancelled")["text"] == (
        "session day1 (Tue 10 Mar 2026 09:00-16:00 Europe/London) cancelled: Trainer ill")
    assert only(back, "session-cancelled")["learners"] == 4


def test_room_move_and_instructor_swap(repo: Repo, capsys) -> None:
    repo.edit(FA3, "room: quay", "room: dock")
    repo.edit(FA3, "assistants: [bob]", "assistants: [dan]")
    data = changes(repo, capsys)
    moved = only(data, "session-moved")
    assert moved["text"] == "all 2 sessions moved from hq/quay to hq/dock"
    assert (moved["learners"], moved["instructors"]) == (4, 3)
    swap = only(data, "instructors-changed")
    assert swap["text"] == "all 2 sessions: instructor 'bob' replaced by 'dan'"
    assert (swap["learners"], swap["instructors"]) == (4, 2)
    assert data["summary"] == {"changes": 2, "cohorts": 1, "learners": 4, "instructors": 3,
                               "new_problems": 0, "resolved_problems": 0}


def test_cohorts_added_and_removed(repo: Repo, capsys) -> None:
    text = (repo.root / FA9).read_text().replace("2026-09-", "2026-11-")
    repo.write("programs/first-aid/cohorts/fa-2026-11.yaml", text.replace("September", "November"))
    (repo.root / FW10).unlink()
    data = changes(repo, capsys)
    added = only(data, "cohort-added")
    assert added["text"] == ("cohort added: Harbour, November 2026 (2 sessions, from "
                             "Sun 15 Nov 2026 09:00-16:00 to Mon 16 Nov 2026 09:00-16:00 "
                             "Europe/London)")
    assert (added["cohort"], added["learners"], added["instructors"]) == ("fa-2026-11", 2, 1)
    removed = only(data, "cohort-removed")
    assert (removed["cohort"], removed["learners"], removed["instructors"]) == ("fw-2026-10", 2, 1)


def test_enrollments(repo: Repo, capsys) -> None:
    repo.edit(FA9, "l-07\n    status: waitlisted", "l-07\n    status: enrolled")
    repo.edit(FA9, "l-05\n    status: enrolled", "l-05\n    status: withdrawn")
    repo.edit(FW10, "enrollments:\n", "enrollments:\n  - learner: l-02\n    status: enrolled\n"
              "  - learner: l-03\n    status: enrolled\n")
    data = changes(repo, capsys)
    assert only(data, "from-waitlist")["text"] == "1 learner moved from the waitlist to enrolled"
    assert only(data, "withdrawn")["learners"] == 1
    enrolled = only(data, "enrolled")
    assert (enrolled["cohort"], enrolled["learners"]) == ("fw-2026-10", 2)


def test_new_problem_double_booking_is_reported(repo: Repo, capsys) -> None:
    repo.edit(FW10, "sessions:\n", "sessions:\n  - id: extra\n    template: day1\n"
              "    date: 2026-09-15\n    start: \"10:00\"\n    end: \"12:00\"\n"
              "    instructors: [ann]\n    room: dock\n")
    data = changes(repo, capsys)
    assert data["code"] == 1  # HEAD has check errors
    codes = {p["code"] for p in data["new_problems"]}
    assert "instructor-double-booked" in codes, data["new_problems"]
    message = next(p["message"] for p in data["new_problems"]
                   if p["code"] == "instructor-double-booked")
    assert "'ann'" in message and "2026-09-15" in message
    repo.commit("double-book")
    (repo.root / FW10).write_text(repo.git("show", f"HEAD~1:{FW10}"))
    repo.commit("fix")
    back = changes(repo, capsys, "HEAD~1", "HEAD")
    assert back["code"] == 0
    assert "instructor-double-booked" in {p["code"] for p in back["resolved_problems"]}
    assert back["new_problems"] == []


def test_problems_matched_without_line_numbers(repo: Repo, capsys) -> None:
    repo.edit(FA9, "  lead: [ann]", "  lead: [nobody]")
    repo.commit("unknown instructor")
    repo.edit(FA9, "version: 1\n", "version: 1\n# a comment moves every line down\n")
    data = changes(repo, capsys, "HEAD")
    assert data["new_problems"] == [] and data["resolved_problems"] == []
    assert data["code"] == 0  # HEAD has the error, but this change did not bring it


def test_completion_rules_certificate_and_records(repo: Repo, capsys) -> None:
    program = "programs/first-aid/program.yaml"
    repo.edit(program, "min_share: 1.0", "min_share: 0.5")
    repo.edit(program, "validity_months: 36", "validity_months: 24")
    repo.commit("relax")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    rules = only(data, "completion-rules-changed")
    assert rules["text"] == "completion rules changed: min attendance share 100% -> 50%"
    assert rules["learners"] == 6
    certificate = only(data, "certificate-changed")
    assert certificate["text"] == "certificate validity 36 months -> 24 months"
    completion = only(data, "completion-changed")
    # l-03 attended one of two days: 50% now completes; l-04 attended none.
    assert completion["cohort"] == "fa-2026-03" and completion["learners"] == 1
    repo.edit("records/attendance/fa-2026-03.csv", "day1,l-04,absent", "day1,l-04,present")
    repo.commit("record")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    assert only(data, "attendance-changed")["text"] == "attendance records: 1 changed"
    assert only(data, "completion-changed")["learners"] == 1


def test_rename_and_move_to_another_program(repo: Repo, capsys) -> None:
    repo.git("mv", FA9, "programs/first-aid/cohorts/fa-2026-autumn.yaml")
    data = changes(repo, capsys)
    renamed = only(data, "cohort-renamed")
    assert renamed["text"] == (
        "cohort 'fa-2026-09' renamed to 'fa-2026-autumn': its feed address and its events' ids "
        "change with the name; committed as a rename, the build keeps the old address alive "
        "with the cohort's events, but tell subscribers the new one")
    assert renamed["learners"] == 2
    assert not [c for c in data["changes"] if c["kind"] in ("cohort-added", "cohort-removed")]
    repo.commit("rename")
    repo.git("mv", "programs/first-aid/cohorts/fa-2026-autumn.yaml",
             "programs/fire-warden/cohorts/fa-2026-autumn.yaml")
    moved = only(changes(repo, capsys, "HEAD"), "cohort-moved")
    assert moved["text"] == "moved from program 'first-aid' to 'fire-warden'"


def test_new_repository_everything_added(tmp_path: Path, capsys) -> None:
    fresh = Repo(tmp_path / "new", commit=False)
    data = changes(fresh, capsys)
    assert data["code"] == 0
    assert {c["cohort"] for c in data["changes"] if c["kind"] == "cohort-added"} == {
        "fa-2026-03", "fa-2026-09", "fw-2026-10"}
    assert {c["program"] for c in data["changes"] if c["kind"] == "program-added"} == {
        "first-aid", "fire-warden"}
    assert data["base"]["commit"] is None
    other = Repo(tmp_path / "branch", branch="work")  # no main/master: no base either
    assert len(changes(other, capsys)["changes"]) == 6


def test_invalid_base_yaml_is_reported_not_a_crash(repo: Repo, capsys) -> None:
    repo.edit(FA9, "title: \"Harbour, September 2026\"", "title: [unclosed")
    repo.commit("broken")
    (repo.root / FA9).write_text(repo.git("show", f"HEAD~1:{FA9}"))
    repo.commit("fixed")
    data = changes(repo, capsys, "HEAD~1", "HEAD")
    assert data["code"] == 0
    assert data["notes"] == [f"BASE has 1 file that did not load ({FA9}): what is in it now "
                             "shows as added"]
    assert [p["path"] for p in data["resolved_problems"]] == [FA9]
    assert only(data, "cohort-added")["cohort"] == "fa-2026-09"
    repo.write("trainkit.yaml", "version: [\n")
    repo.commit("broken settings")
    code, out = run_diff(repo, "HEAD~1", "HEAD", capsys=capsys)
    assert code == 1 and "HEAD could not be loaded" in out


def test_privacy_counts_only_unless_private(repo: Repo, capsys) -> None:
    repo.edit(FA9, "l-07\n    status: waitlisted", "l-07\n    status: enrolled")
    repo.edit(FA9, "lead: [ann]", "lead: [ann]\n  assistants: [l-05]")  # a learner id in a message
    secrets = ["Ines Carvalho", "ines.carvalho", "l-07", "l-05", "Ruth Okonjo"]
    for fmt in ("text", "markdown", "json"):
        _, out = run_diff(repo, "--format", fmt, capsys=capsys)
        assert "waitlist" in out
        assert not [s for s in secrets if s in out], (fmt, out)
    _, out = run_diff(repo, "--format", "markdown", "--private", capsys=capsys)
    assert "Ines Carvalho (l-07): waitlisted -> enrolled" in out


def test_bad_revision_is_a_usage_error(repo: Repo, capsys) -> None:
    code = main(["diff", "--root", str(repo.root), "no-such-branch"])
    assert code == 64
    assert "'no-such-branch' is not a revision" in capsys.readouterr().err


def test_academy_in_a_subfolder(tmp_path: Path, capsys) -> None:
    top = tmp_path / "top"
    top.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(top)], check=True)
    shutil.copytree(FIXTURE, top / "academy")
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@x"}
    subprocess.run(["git", "add", "-A"], cwd=top, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=top, check=True, env=env)
    path = top / "academy" / FA9
    path.write_text(path.read_text().replace("room: quay", "room: dock"))
    capsys.readouterr()
    assert main(["diff", "--root", str(top / "academy"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"all 2 sessions moved from hq/quay to hq/dock "
                     r"\[2 learners, 1 instructor\]", out)


def test_markdown_of_a_huge_change_stays_comment_sized(tmp_path: Path, capsys) -> None:
    repo = Repo(tmp_path / "academy")
    template = (repo.root / FW10).read_text()
    for n in range(70):
        repo.write(f"programs/fire-warden/cohorts/fw-extra-{n:02d}.yaml",
                   template.replace("room: dock", "room: quay" if n % 2 else "room: dock"))
    code, out = run_diff(repo, "--format", "markdown", capsys=capsys)
    assert out.count("#### ") <= 62 and "more group(s): run `trainkit diff`" in out
    assert len(out) < 65536


def test_time_zone_change_shows_each_side_in_its_own_zone(repo: Repo, capsys) -> None:
    repo.edit(FA9, "venue: hq\n", "venue: hq\ntimezone: America/New_York\n")
    data = changes(repo, capsys)
    texts = [c["text"] for c in data["changes"] if c["kind"] == "session-rescheduled"]
    assert texts[0] == ("session day1 rescheduled from Tue 15 Sep 2026 09:00-16:00 "
                        "(Europe/London) to Tue 15 Sep 2026 09:00-16:00 (America/New_York)")
    assert len(texts) == 2


def test_an_unknown_learner_id_is_hidden_with_its_suggestions(repo: Repo, capsys) -> None:
    # A mistyped id is one character from a real learner's: neither is shown.
    repo.edit(FW10, "enrollments:\n", "enrollments:\n  - learner: l-0\n    status: enrolled\n")
    for fmt in ("text", "markdown", "json"):
        code, out = run_diff(repo, "--format", fmt, capsys=capsys)
        assert code == 1 and "unknown-learner" in out
        assert not re.search(r"l-0\d?\b", out) and "did you mean" not in out, (fmt, out)
    _, out = run_diff(repo, "--private", capsys=capsys)
    assert "learner 'l-0' is not defined" in out


def test_a_head_file_that_fails_to_load_is_noted(repo: Repo, capsys) -> None:
    repo.edit(FW10, "title:", "title: [unclosed\nx:")
    code, out = run_diff(repo, capsys=capsys)
    assert code == 1
    assert (f"note: HEAD has 1 file that does not load ({FW10}): what was in it shows as "
            "removed or changed") in out
    assert "cohort removed" in out and "yaml-syntax" in out
    repo.commit("broken")
    code, out = run_diff(repo, "HEAD", "HEAD", capsys=capsys)
    assert code == 1  # HEAD does not load, even if this change did not break it
    assert out.splitlines()[1] == (
        f"note: Both revisions have 1 file that does not load ({FW10}): changes to it are not "
        "shown ('trainkit check' says why)")


def test_private_names_everyone_a_change_touches(repo: Repo, capsys) -> None:
    repo.edit(FA9, "room: quay", "room: dock")
    _, out = run_diff(repo, capsys=capsys)
    assert "Ruth Okonjo" not in out and "learners:" not in out
    _, out = run_diff(repo, "--private", capsys=capsys)
    moved = out.split("moved from hq/quay to hq/dock", 1)[1].splitlines()[1]
    # The enrolled learners, not the waitlisted one (l-07).
    assert moved == "    learners: Ruth Okonjo (l-05), Pavel Szabo (l-06)"
    _, out = run_diff(repo, "--private", "--format", "markdown", capsys=capsys)
    assert "- session-moved: Ruth Okonjo (l-05), Pavel Szabo (l-06)" in out
