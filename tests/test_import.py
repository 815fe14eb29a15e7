"""``trainkit import``: real export formats become canonical record files."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainkit import importers
from trainkit.cli import main
from trainkit.importers.common import decode, merged_minutes, minutes_of
from trainkit.pipeline import check_dir
from trainkit.rules import records

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "imports"
SMALL = HERE / "cases" / "small" / "input"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "academy"
    shutil.copytree(SMALL, dest)
    (dest / "records/attendance/saf-a.csv").write_text(
        "".join(line for line in (SMALL / "records/attendance/saf-a.csv").open()
                if not line.startswith("saf-a/s1,")), encoding="utf-8")
    return dest


def run(root: Path, *args: str) -> int:
    return main(["import", *args, "--root", str(root)])


def table(path: Path) -> dict[str, tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["learner"]: (r["status"], r["minutes"], r["note"]) for r in csv.DictReader(fh)}


def attendance(root: Path, name: str, *extra: str) -> dict[str, tuple[str, str, str]]:
    assert run(root, "attendance", str(FIX / name), "--session", "saf-a/s1", *extra) == 0
    return table(root / "records/attendance/saf-a--s1.csv")


def test_zoom_new_header_block_rejoins_identity_map_and_unmatched(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = attendance(root, "zoom-new.csv", "--from", "zoom",
                      "--identity-map", str(FIX / "identity.yaml"))
    assert rows == {
        "l-01": ("present", "120", ""),  # three overlapping connections, clipped to 10:00-12:00
        "l-02": ("absent", "50", "50 of 120 min"),  # matched through the identity map
        "l-03": ("late", "95", "joined 10:25"),
        "l-04": ("absent", "", "not in the report"),
        "l-05": ("absent", "", "not in the report"),
        "l-06": ("absent", "", "not in the report"),
    }
    out = capsys.readouterr().out
    assert "6 row(s) from a zoom export; 3 learner(s) matched, 1 participant(s) unmatched" in out
    assert "line 11: Mystery Guest <guest@gmail.test>" in out
    assert "skipped 1 instructor(s)" in out
    academy = check_dir(root).academy
    assert academy is not None
    assert list(records.check(academy, datetime(2026, 4, 1, tzinfo=UTC))) == []


def test_zoom_old_header_spelling_sums_rejoined_rows(root: Path) -> None:
    rows = attendance(root, "zoom-old.csv")  # recognised without --from
    assert rows["l-05"] == ("present", "115", "")
    assert rows["l-06"] == ("present", "118", "")


def test_teams_utf16_sections_and_durations(root: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert (FIX / "teams.csv").read_bytes()[:2] == b"\xff\xfe"
    rows = attendance(root, "teams.csv", "--identity-map", str(FIX / "identity.csv"))
    assert rows["l-01"] == ("present", "118", "")  # two activity intervals merged
    assert rows["l-04"] == ("absent", "30", "30 of 120 min")  # e-mail matched case-insensitively
    assert rows["l-02"][0] == "absent"  # "(External)" alias is not in the CSV map
    assert "Zoë O'Brien (External) <no e-mail>" in capsys.readouterr().out


def test_teams_external_guest_matched_by_yaml_alias(root: Path) -> None:
    rows = attendance(root, "teams.csv", "--identity-map", str(FIX / "identity.yaml"))
    assert rows["l-02"] == ("late", "108", "joined 10:12")


def test_meet_durations_and_bare_times(root: Path) -> None:
    rows = attendance(root, "meet.csv", "--from", "meet", "--late-after", "20")
    assert rows["l-01"] == ("present", "118", "")  # joined 10:01 on the session's day
    assert rows["l-03"] == ("late", "95", "joined 10:25")
    assert rows["l-05"] == ("absent", "45", "45 of 120 min")


def test_present_threshold_comes_from_the_program(root: Path) -> None:
    program = root / "programs/safety/program.yaml"
    program.write_text(program.read_text().replace("present_threshold: 0.75",
                                                   "present_threshold: 0.3"))
    rows = attendance(root, "meet.csv")
    assert rows["l-05"] == ("present", "45", "")


def test_never_overwrites_without_force(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    attendance(root, "meet.csv")
    target = root / "records/attendance/saf-a--s1.csv"
    before = target.read_bytes()
    assert run(root, "attendance", str(FIX / "zoom-old.csv"), "--session", "saf-a/s1") == 1
    assert "already exists; pass --force" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert run(root, "attendance", str(FIX / "zoom-old.csv"), "--session", "saf-a/s1",
               "--force") == 0
    assert target.read_bytes() != before


def test_unknown_format_lists_the_known_ones(root: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "attendance", str(FIX / "moodle.csv"), "--session", "saf-a/s1") == 1
    assert "known formats: teams, meet, zoom" in capsys.readouterr().err
    assert not (root / "records/attendance/saf-a--s1.csv").exists()


def test_unknown_session_and_bad_identity_map(root: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "attendance", str(FIX / "meet.csv"), "--session", "saf-a/s9") == 1
    assert "session 'saf-a/s9' is not defined" in capsys.readouterr().err
    bad = tmp_path / "map.csv"
    bad.write_text("alias,learner\nx,l-99\n", encoding="utf-8")
    assert run(root, "attendance", str(FIX / "meet.csv"), "--session", "saf-a/s1",
               "--identity-map", str(bad)) == 1
    assert f"{bad}:2: learner 'l-99' is not in the learner directory" in capsys.readouterr().err


def quiz(root: Path, name: str, *extra: str) -> list[dict[str, str]]:
    out = root / "records/quiz-results/basics--final.csv"
    out.unlink(missing_ok=True)
    assert run(root, "quiz-results", str(FIX / name), "--quiz", "basics/final", *extra) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_google_forms_scores_attempts_and_gmt_offsets(root: Path) -> None:
    rows = quiz(root, "google-forms.csv", "--identity-map", str(FIX / "identity.yaml"))
    got = [(r["learner"], r["score"], r["max"], r["submitted_at"], r["attempt"]) for r in rows]
    # records/quiz-results/basics.csv already holds attempt 1 of l-01 and 1-2 of l-02.
    assert got == [
        ("l-01", "10", "10", "2026-01-21T10:15:02+00:00", "2"),
        ("l-02", "5", "10", "2026-01-21T11:00:00+00:00", "3"),
        ("l-02", "10", "10", "2026-01-25T09:30:00+00:00", "4"),
    ]
    academy = check_dir(root).academy
    assert academy is not None
    assert [d for d in records.check(academy, datetime(2026, 4, 1, tzinfo=UTC))
            if d.code == "record-duplicate"] == []


def test_moodle_grades_skip_unfinished_and_average_rows(root: Path) -> None:
    rows = quiz(root, "moodle.csv", "--from", "moodle")
    got = [(r["learner"], r["score"], r["attempt"], r["submitted_at"]) for r in rows]
    assert got == [  # after the attempts basics.csv holds already
        ("l-01", "9", "2", "2026-01-21T10:12:00+00:00"),
        ("l-05", "4", "3", "2026-01-21T10:20:00+00:00"),
        ("l-05", "6.5", "4", "2026-01-28T10:20:00+00:00"),
    ]


def test_moodle_grade_scale_is_converted_to_quiz_points(root: Path, tmp_path: Path) -> None:
    text = (FIX / "moodle.csv").read_text(encoding="utf-8").replace("Grade/10.00", "Grade/20.00")
    scaled = tmp_path / "scaled.csv"
    scaled.write_text(text, encoding="utf-8")
    out = root / "records/quiz-results/basics--final.csv"
    assert run(root, "quiz-results", str(scaled), "--quiz", "basics/final") == 0
    with out.open(encoding="utf-8", newline="") as fh:
        first = next(csv.DictReader(fh))
    assert (first["score"], first["max"]) == ("4.5", "10")


def test_detection_prefers_the_specific_format() -> None:
    text = decode((FIX / "teams.csv").read_bytes())
    assert importers.detect(importers.ATTENDANCE, text) == "teams"
    assert importers.detect(importers.ATTENDANCE, (FIX / "zoom-new.csv").read_text()) == "zoom"
    assert importers.detect(importers.QUIZ_RESULTS, (FIX / "moodle.csv").read_text()) == "moodle"
    assert importers.detect(importers.QUIZ_RESULTS, (FIX / "meet.csv").read_text()) is None


@pytest.mark.parametrize(("text", "minutes"), [
    ("1h 2m 3s", 62.05), ("1 hr 2 min", 62), ("45 min", 45), ("25 mins 3 secs", 25.05),
    ("01:02:30", 62.5), ("62", 62), ("-", None), ("", None), ("soon", None),
])
def test_durations(text: str, minutes: float | None) -> None:
    got = minutes_of(text)
    assert got == (None if minutes is None else pytest.approx(minutes, abs=0.01))


def test_merged_minutes_counts_overlaps_once_within_the_session() -> None:
    t0 = datetime(2026, 1, 6, 10, tzinfo=UTC)
    m = timedelta(minutes=1)
    spans = [(t0 - 5 * m, t0 + 30 * m), (t0 + 20 * m, t0 + 40 * m), (t0 + 60 * m, t0 + 200 * m)]
    assert merged_minutes(spans, t0, t0 + 120 * m) == 100


def test_learners_of_another_cohort_are_make_ups_only_when_allowed(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # zoom-old.csv moved to the day of saf-c/s1: l-05 and l-06 (of saf-a) at a saf-c session.
    export = tmp_path / "saf-c-s1.csv"
    export.write_text((FIX / "zoom-old.csv").read_text(encoding="utf-8").replace(
        "01/06/2026", "03/24/2026"), encoding="utf-8")
    assert run(root, "attendance", str(export), "--session", "saf-c/s1",
               "--output", str(root / "makeups.csv")) == 0
    rows = table(root / "makeups.csv")
    assert rows["l-05"] == ("present", "115", "make-up from saf-a")
    assert rows["l-07"] == ("absent", "", "not in the report")
    program = root / "programs/safety/program.yaml"
    program.write_text(program.read_text().replace("makeups: true", "makeups: false"))
    capsys.readouterr()
    assert run(root, "attendance", str(export), "--session", "saf-c/s1",
               "--output", str(root / "makeups.csv"), "--force") == 0
    assert set(table(root / "makeups.csv")) == {"l-07", "l-08"}
    assert "left out l-05: not enrolled in saf-c" in capsys.readouterr().out
