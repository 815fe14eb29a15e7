"""The synthetic academy generator makes academies that trainkit accepts as clean."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from trainkit.model import Academy
from trainkit.pipeline import check_dir
from trainkit.resolve.calendars import holiday_name
from trainkit.resolve.programs import cohort_calendars

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import TODAY, generate  # noqa: E402

SMALL = {"programs": 5, "cohorts": 20, "sessions": 200, "instructors": 10, "learners": 500}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synth") / "academy"
    summary = generate(out, **SMALL, attendance_rows=300, quiz_results=200, git_history=3)
    return out, summary


@pytest.fixture(scope="module")
def academy(small: tuple[Path, dict[str, int]]) -> Academy:
    result = check_dir(small[0])
    assert result.errors == []
    assert result.academy is not None
    return result.academy


def test_check_finds_no_errors_and_few_warnings(small: tuple[Path, dict[str, int]]) -> None:
    result = check_dir(small[0])
    assert result.errors == []
    assert len(result.warnings) <= 3, result.warnings


def test_sizes_match_the_request(small: tuple[Path, dict[str, int]], academy: Academy) -> None:
    _, summary = small
    assert summary["sessions"] == 200
    assert len(academy.programs) == 5
    assert len(academy.cohorts) == 20
    assert sum(len(c.sessions) for c in academy.cohorts.values()) == 200
    assert len(academy.instructors) == 10
    assert len(academy.learners) == 500
    assert len(academy.attendance) == 300
    assert len(academy.quiz_results) == 200
    assert len({v.timezone for v in academy.venues.values()}) == 4
    assert any(c.recurrence is not None for c in academy.cohorts.values())
    assert academy.courses and all(c.quizzes for c in academy.courses.values())


def _pairs_overlap(bookings: dict[str, list[tuple[object, object]]]) -> list[str]:
    clashes = []
    for owner, spans in bookings.items():
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:  # type: ignore[operator]
                clashes.append(f"{owner}: {s1}-{e1} and {s2}-{e2}")
    return clashes


def test_no_instructor_or_room_is_double_booked(academy: Academy) -> None:
    by_instructor: dict[str, list[tuple[object, object]]] = defaultdict(list)
    by_room: dict[str, list[tuple[object, object]]] = defaultdict(list)
    for s in academy.sessions():
        if s.cancelled:
            continue
        for i in s.instructors:
            by_instructor[i].append((s.start, s.end))
        by_room[f"{s.venue}/{s.room}"].append((s.start, s.end))
    assert _pairs_overlap(by_instructor) == []
    assert _pairs_overlap(by_room) == []


def test_sessions_avoid_holidays_and_instructors_are_qualified(academy: Academy) -> None:
    for cohort in academy.cohorts.values():
        venue = academy.venues[cohort.venue or ""]
        calendars = cohort_calendars(academy.settings, venue)
        program = academy.programs[cohort.program]
        for s in cohort.sessions:
            assert holiday_name(s.start.date(), calendars) is None, s.key
            assert s.start.weekday() < 5
            for i in s.instructors:
                held = {q.id for q in academy.instructors[i].qualifications}
                assert program.qualification in held, (s.key, i)
        enrolled = cohort.active_enrollments()
        assert len(enrolled) <= cohort.capacity <= venue.room(cohort.room or "").capacity


def test_each_learner_is_in_at_most_one_cohort(academy: Academy) -> None:
    seen: dict[str, str] = {}
    for cohort in academy.cohorts.values():
        for e in cohort.enrollments:
            assert e.learner not in seen, (e.learner, seen.get(e.learner), cohort.id)
            seen[e.learner] = cohort.id


def test_attendance_is_past_and_for_enrolled_learners(academy: Academy) -> None:
    for record in academy.attendance:
        session = academy.session(record.session)
        assert session is not None and not session.cancelled
        assert session.start.date() < TODAY
        cohort = academy.cohorts[session.cohort]
        assert record.learner in {e.learner for e in cohort.active_enrollments()}


def test_history_commits_change_sessions(small: tuple[Path, dict[str, int]]) -> None:
    out, summary = small
    assert summary["commits"] == 4
    log = subprocess.run(["git", "log", "--name-only", "--format=%s"], cwd=out, check=True,
                         capture_output=True, text=True).stdout
    assert "Reschedule sessions (3)" in log
    assert "/cohorts/" in log
    status = subprocess.run(["git", "status", "--porcelain"], cwd=out, check=True,
                            capture_output=True, text=True).stdout
    assert status == ""


def _listing(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    sizes = {"programs": 2, "cohorts": 4, "sessions": 20, "instructors": 3, "learners": 40}
    generate(tmp_path / "a", **sizes, attendance_rows=10)
    generate(tmp_path / "b", **sizes, attendance_rows=10)
    files_a = _listing(tmp_path / "a")
    files_b = _listing(tmp_path / "b")
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not empty"):
        generate(tmp_path, programs=1, cohorts=1, sessions=1, instructors=1, learners=1)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
