"""``trainkit import``: the other layouts real exports come in, and files that are no export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_import import FIX, SMALL, run, table
from trainkit import importers
from trainkit.importers.common import decode


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "academy"
    shutil.copytree(SMALL, dest)
    (dest / "records/attendance/saf-a.csv").write_text(
        "".join(line for line in (SMALL / "records/attendance/saf-a.csv").open()
                if not line.startswith("saf-a/s1,")), encoding="utf-8")
    return dest


OUT = "records/attendance/saf-a--s1.csv"


def test_zoom_unique_users_export_counts_total_minutes_and_never_late(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "attendance", str(FIX / "zoom-unique.csv"), "--session", "saf-a/s1") == 0
    rows = table(root / OUT)
    assert rows["l-01"] == ("present", "118", "")
    assert rows["l-03"] == ("present", "95", "")  # no join time in the file: cannot be late
    assert rows["l-05"] == ("absent", "60", "60 of 120 min")
    out = capsys.readouterr().out
    assert "from a zoom export" in out
    assert "line 9: Mystery Guest <guest@gmail.test>" in out
    assert "skipped 1 instructor(s)" in out


def test_teams_2021_layout_is_recognised_and_merges_connections(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = decode((FIX / "teams-2021.csv").read_bytes())
    assert importers.detect(importers.ATTENDANCE, text) == "teams"
    assert run(root, "attendance", str(FIX / "teams-2021.csv"), "--session", "saf-a/s1") == 0
    rows = table(root / OUT)
    assert rows["l-01"] == ("present", "118", "")  # 10:00-10:40 and 10:42-12:00
    assert rows["l-03"] == ("late", "95", "joined 10:25")
    out = capsys.readouterr().out
    assert "Unknown Caller <no e-mail>" in out


def test_teams_legacy_events_need_the_identity_map(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["attendance", str(FIX / "teams-legacy.csv"), "--session", "saf-a/s1"]
    assert run(root, *args) == 0
    out = capsys.readouterr().out
    assert "0 learner(s) matched, 4 participant(s) unmatched" in out  # no e-mail in this layout
    assert "Priya Shah <no e-mail>" in out
    names = tmp_path / "names.csv"
    names.write_text("alias,learner\nPriya Shah,l-01\nTom Late,l-03\nQuiz Failer,l-05\n"
                     "Zoë's iPad,l-02\n", encoding="utf-8")
    assert run(root, *args, "--identity-map", str(names), "--force") == 0
    rows = table(root / OUT)
    assert rows["l-01"] == ("present", "115", "")  # joined before, left 11:00, back at 11:05
    assert rows["l-03"] == ("late", "95", "joined 10:25")  # never left: counted to the end
    assert rows["l-05"] == ("absent", "45", "45 of 120 min")
    assert rows["l-02"] == ("present", "118", "")


def test_a_binary_file_is_no_known_format_and_nothing_is_written(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(128, 256)) * 20)
    assert run(root, "attendance", str(junk), "--session", "saf-a/s1") == 1
    err = capsys.readouterr().err
    assert "not a format I know; known formats: teams, meet, zoom" in err
    assert "Traceback" not in err
    assert not (root / OUT).exists()


def test_a_file_with_nul_bytes_is_reported_not_raised(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "nul.csv"
    junk.write_bytes(b"\x00\x00\x00Join Time,Leave Time\n\x00")
    assert run(root, "attendance", str(junk), "--session", "saf-a/s1") == 1
    assert f"trainkit import: {junk}" in capsys.readouterr().err
    assert not (root / OUT).exists()


def test_unknown_session_lists_the_cohorts_sessions(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "attendance", str(FIX / "meet.csv"), "--session", "saf-a/day1") == 1
    err = capsys.readouterr().err
    assert "the sessions of saf-a are: saf-a/s1, saf-a/s2, saf-a/s3" in err
    assert run(root, "attendance", str(FIX / "meet.csv"), "--session", "nope/s1") == 1
    assert "there is no cohort 'nope'" in capsys.readouterr().err


def test_unknown_quiz_and_missing_file(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "quiz-results", str(FIX / "moodle.csv"), "--quiz", "basics/nope") == 1
    assert "quiz 'basics/nope' is not defined; write it as COURSE/QUIZ" in capsys.readouterr().err
    assert run(root, "quiz-results", str(FIX / "gone.csv"), "--quiz", "basics/final") == 1
    assert "gone.csv: No such file or directory" in capsys.readouterr().err


def test_moodle_says_what_it_skipped_and_rescaled(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (FIX / "moodle.csv").read_text(encoding="utf-8").replace("Grade/10.00", "Grade/20.00")
    scaled = tmp_path / "scaled.csv"
    scaled.write_text(text, encoding="utf-8")
    assert run(root, "quiz-results", str(scaled), "--quiz", "basics/final") == 0
    out = capsys.readouterr().out
    assert "scores out of 20 rescaled to the quiz's 10 points" in out
    assert "skipped 1 attempt(s) not finished or without a grade (line(s) 5)" in out


def test_moodle_without_email_column_matches_through_the_identity_map(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (FIX / "moodle.csv").read_text(encoding="utf-8").splitlines()
    hidden = tmp_path / "no-email.csv"  # the "Email address" column (third) removed
    hidden.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 2)
                                for line in lines) + "\n", encoding="utf-8")
    assert importers.detect(importers.QUIZ_RESULTS, hidden.read_text()) == "moodle"
    assert run(root, "quiz-results", str(hidden), "--quiz", "basics/final") == 0
    assert "Priya Shah <no e-mail>" in capsys.readouterr().out  # listed, not guessed
    names = tmp_path / "names.csv"
    names.write_text("alias,learner\nPriya Shah,l-01\n", encoding="utf-8")
    assert run(root, "quiz-results", str(hidden), "--quiz", "basics/final",
               "--identity-map", str(names), "--force") == 0
    out = capsys.readouterr().out
    assert "1 learner(s) matched" in out
    assert "Quiz Failer <no e-mail>" in out


def test_an_export_from_another_day_or_a_cancelled_session_writes_nothing(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "attendance", str(FIX / "zoom-old.csv"), "--session", "saf-a/s2") == 1
    assert ("the export's times are on 2026-01-06, the session saf-a/s2 on 2026-01-13; "
            "is --session right?") in capsys.readouterr().err
    assert not (root / "records/attendance/saf-a--s2.csv").exists()
    assert run(root, "attendance", str(FIX / "zoom-old.csv"), "--session", "saf-b/s2") == 1
    assert "session saf-b/s2 is cancelled" in capsys.readouterr().err
    assert not (root / "records/attendance/saf-b--s2.csv").exists()
