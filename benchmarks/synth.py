"""Generate a valid synthetic academy of any size, for benchmarks and scale tests.

    python benchmarks/synth.py OUT_DIR [--scale 1.0] [--programs N] [--cohorts N]
        [--sessions N] [--instructors N] [--learners N] [--attendance-rows N]
        [--quiz-results N] [--git-history N] [--seed 1]

or, from Python::

    sys.path.insert(0, "benchmarks")
    from synth import generate
    summary = generate(Path("out"), programs=5, cohorts=20, sessions=200)

The academy is clean under ``trainkit check`` by construction, not by luck.
Every session belongs to a *lane*: one room of one venue, either its morning
(09:00-12:00) or its afternoon (13:30-16:30) slot. A lane runs its cohorts back
to back on consecutive working days of the venue's country (weekends, public
holidays from the ``holidays`` library and the academy's blackout skipped), and
each instructor teaches in exactly one lane, so neither rooms nor instructors
can be double-booked and nobody teaches more than 15 hours a week. Every
instructor is qualified for the programs of the cohorts they teach; every
learner is enrolled in at most one cohort. One cohort in five describes its
sessions with a weekday recurrence that produces exactly the same days.

Output is deterministic for a seed: YAML is written from plain string
templates in a fixed order, and git commits carry fixed dates.
"""


from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth_skills  # noqa: E402
from synth_text import (  # noqa: E402
    BLACKOUT,
    COURSES,
    DEFAULTS,
    LANE_LENGTH,
    LEARNERS_PER_FILE,
    MAX_ENROLLED,
    QUIZ_MAX,
    ROOMS_PER_VENUE,
    START,
    TODAY,
    ZONES,
    Plan,
    SynthCohort,
    SynthSession,
    academy_yaml,
    cohort_yaml,
    competencies_yaml,
    course_files,
    instructor_id,
    instructor_yaml,
    learner_id,
    learners_yaml,
    program_id,
    program_yaml,
    venue_id,
    venue_yaml,
)

__all__ = ["DEFAULTS", "TODAY", "generate", "main"]
SKILL_COMPETENCIES = 50  # the framework size when roles are generated


@cache
def working_days(zone: int, years: int) -> tuple[date, ...]:
    """Weekdays from START that are neither public holidays nor in the blackout."""
    _, country, subdiv, _ = ZONES[zone]
    hols = holidays.country_holidays(country, subdiv=subdiv,
                                     years=range(START.year, START.year + years + 1))
    out: list[date] = []
    day = START
    while day.year <= START.year + years:
        if day.weekday() < 5 and day not in hols and not BLACKOUT[0] <= day <= BLACKOUT[1]:
            out.append(day)
        day += timedelta(days=1)
    return tuple(out)


def plan_academy(programs: int, cohorts: int, sessions: int, instructors: int,
                 learners: int) -> Plan:
    """Place every cohort in a lane and every session on a working day of it."""
    rooms_needed = -(-sessions // (2 * LANE_LENGTH))
    per_zone = max(3, -(-rooms_needed // (len(ZONES) * ROOMS_PER_VENUE)))
    venues = per_zone * len(ZONES)
    lanes = max(1, min(instructors, 2 * venues * ROOMS_PER_VENUE))
    base, extra = divmod(sessions, cohorts) if cohorts else (0, 0)
    plan = Plan(programs, max(1, min(12, base)), venues)
    enrolled = min(MAX_ENROLLED, learners // cohorts) if cohorts else 0
    cursor = [0] * lanes
    taught = [0] * lanes
    years = 2 + sessions // max(1, lanes * 200)
    for k in range(cohorts):
        lane = k % lanes
        room = lane // 2
        venue = room % venues
        pool = range(lane, instructors, lanes)
        lead = pool[taught[lane] % len(pool)]
        assistant = pool[(taught[lane] + 1) % len(pool)] if len(pool) > 1 and k % 3 == 0 else None
        taught[lane] += 1
        days = working_days(venue % len(ZONES), years)
        count = base + (1 if k < extra else 0)
        chosen = days[cursor[lane]: cursor[lane] + count]
        cursor[lane] += count
        pid = program_id(k % programs)
        for who in (lead, assistant):
            if who is not None:
                plan.quals.setdefault(who, set()).add(pid)
                plan.instructor_zone[who] = venue % len(ZONES)
        plan.cohorts.append(SynthCohort(
            id=f"c-{k:05d}", program=pid, venue=venue, room=f"r{room // venues + 1}",
            slot=lane % 2, lead=lead, assistant=assistant,
            learners=range(k * enrolled, (k + 1) * enrolled),
            sessions=[SynthSession(f"s{i + 1:02d}", d, lane % 2,
                                   f"t{i + 1:02d}" if i < plan.plan_length else None)
                      for i, d in enumerate(chosen)],
            recurrent=k % 5 == 4 and len(chosen) > 0,
        ))
    return plan


# ---------------------------------------------------------------- records


def attendance_csv(plan: Plan, rows: int) -> list[str]:
    """Rows for past sessions only, each for a learner enrolled in that cohort."""
    out: list[str] = []
    statuses = ("present",) * 7 + ("late", "excused", "absent")
    for c in plan.cohorts:
        for s in c.sessions:
            if s.day >= TODAY or s.cancelled:
                continue
            for n in c.learners:
                if len(out) >= rows:
                    return out
                s.attended = True
                status = statuses[(n * 31 + s.day.toordinal()) % len(statuses)]
                minutes = {"present": "180", "late": "150", "excused": "", "absent": "0"}[status]
                out.append(f"{c.id}/{s.id},{learner_id(n)},{status},{minutes},\n")
    return out


def quiz_result_csv(learners: int, rows: int) -> list[str]:
    out: list[str] = []
    for n in range(learners):
        for c in range(COURSES):
            for quiz in ("check-1", "final"):
                attempts = 1 + (n + c) % 3
                for attempt in range(1, attempts + 1):
                    if len(out) >= rows:
                        return out
                    score = min(QUIZ_MAX, 1 + attempt + (n % 2))
                    day = TODAY - timedelta(days=1 + (n * 7 + c * 3 + attempt) % 120)
                    out.append(f"{learner_id(n)},course-{c}/{quiz},{score},{QUIZ_MAX},"
                               f"{day.isoformat()}T{10 + attempt:02d}:00:00+00:00,{attempt}\n")
    return out


def write_chunks(out_dir: Path, folder: str, header: str, rows: list[str], size: int) -> None:
    target = out_dir / folder
    target.mkdir(parents=True, exist_ok=True)
    for part, first in enumerate(range(0, len(rows), size)):
        body = "".join(rows[first:first + size])
        (target / f"part-{part + 1:03d}.csv").write_text(header + body, encoding="utf-8")


# ---------------------------------------------------------------- git history


def _git(out_dir: Path, *args: str, when: int = 0) -> None:
    stamp = f"{1767225600 + when * 3600} +0000"  # 2026-01-01T00:00Z plus an hour per commit
    env = {**os.environ, "GIT_AUTHOR_NAME": "Synth", "GIT_AUTHOR_EMAIL": "synth@example.org",
           "GIT_COMMITTER_NAME": "Synth", "GIT_COMMITTER_EMAIL": "synth@example.org",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=out_dir, env=env, check=True, capture_output=True)


def write_history(out_dir: Path, plan: Plan, commits: int, rng: random.Random) -> int:
    """Commit the academy, then ``commits`` changes that move or cancel sessions.

    Only sessions without attendance rows change, so records stay consistent.
    """
    _git(out_dir, "init", "-q")
    _git(out_dir, "add", "-A")
    _git(out_dir, "commit", "-q", "-m", "Synthetic academy")
    candidates = [c for c in plan.cohorts if any(not s.attended for s in c.sessions)]
    changes = 0
    for n in range(commits if candidates else 0):
        touched = rng.sample(candidates, min(3, len(candidates)))
        for cohort in sorted(touched, key=lambda c: c.id):
            free = [s for s in cohort.sessions if not s.attended and not s.cancelled]
            if not free:
                continue
            session = rng.choice(free)
            if session.moved:
                session.cancelled = True
            else:
                session.moved = True
            changes += 1
            (out_dir / cohort.path).write_text(cohort_yaml(cohort), encoding="utf-8")
            _git(out_dir, "add", cohort.path)
        _git(out_dir, "commit", "-q", "--allow-empty", "-m", f"Reschedule sessions ({n + 1})",
             when=n + 1)
    return changes


# ---------------------------------------------------------------- the whole


def _files(plan: Plan, instructors: int, learners: int, roles: int = 0) -> dict[str, str]:
    files = {"trainkit.yaml": academy_yaml(), "competencies.yaml": competencies_yaml()}
    if roles:
        files["competencies.yaml"] = synth_skills.competencies_yaml(SKILL_COMPETENCIES)
        for r in range(roles):
            files[f"roles/role-{r}.yaml"] = synth_skills.role_yaml(r, SKILL_COMPETENCIES)
    for p in range(plan.programs):
        files[f"programs/{program_id(p)}/program.yaml"] = program_yaml(p, plan.plan_length)
    for v in range(plan.venues):
        files[f"venues/{venue_id(v)}.yaml"] = venue_yaml(v)
    for i in range(instructors):
        files[f"people/instructors/{instructor_id(i)}.yaml"] = instructor_yaml(i, plan)
    for part, first in enumerate(range(0, learners, LEARNERS_PER_FILE)):
        last = min(learners, first + LEARNERS_PER_FILE)
        files[f"people/learners/org-{part + 1:03d}.yaml"] = (
            synth_skills.learners_yaml(part + 1, first, last, roles) if roles
            else learners_yaml(part + 1, first, last))
    for c in range(COURSES):
        files.update(course_files(c))
    for cohort in plan.cohorts:
        files[cohort.path] = cohort_yaml(cohort)
    return files


def generate(out_dir: Path, programs: int = 200, cohorts: int = 2000, sessions: int = 20000,
             instructors: int = 500, learners: int = 100000, attendance_rows: int = 0,
             quiz_results: int = 0, git_history: int = 0, seed: int = 1, roles: int = 0,
             evidence_rows: int = 0) -> dict[str, int]:
    """Write a clean academy into ``out_dir`` (created; must be empty) and summarise it."""
    if min(programs, cohorts, instructors) < 1:
        raise ValueError("programs, cohorts and instructors must each be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise ValueError(f"{out_dir} is not empty; choose a new folder")
    rng = random.Random(seed)
    plan = plan_academy(programs, cohorts, sessions, instructors, learners)
    files = _files(plan, instructors, learners, roles)
    for rel, text in files.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    attendance = attendance_csv(plan, attendance_rows) if attendance_rows else []
    if attendance:
        write_chunks(out_dir, "records/attendance", "session,learner,status,minutes,note\n",
                     sorted(attendance), 50_000)
    results = quiz_result_csv(learners, quiz_results) if quiz_results else []
    if results:
        write_chunks(out_dir, "records/quiz-results",
                     "learner,quiz,score,max,submitted_at,attempt\n", results, 50_000)
    evidence = (synth_skills.evidence_csv(learners, SKILL_COMPETENCIES if roles else 4,
                                          evidence_rows) if evidence_rows else [])
    if evidence:
        write_chunks(out_dir, "records/evidence",
                     "learner,competency,level,date,expires,source,assessor,note\n", evidence,
                     50_000)
    changes = write_history(out_dir, plan, git_history, rng) if git_history else 0
    return {
        "files": len(files), "programs": programs, "cohorts": len(plan.cohorts),
        "sessions": sum(len(c.sessions) for c in plan.cohorts), "instructors": instructors,
        "learners": learners, "venues": plan.venues, "attendance_rows": len(attendance),
        "quiz_results": len(results), "roles": roles, "evidence_rows": len(evidence),
        "commits": _commit_count(out_dir) if git_history else 0,
        "session_changes": changes,
    }


def _commit_count(out_dir: Path) -> int:
    done = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=out_dir, check=True,
                          capture_output=True, text=True)
    return int(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a clean synthetic trainkit academy.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the default sizes (200 programs, 2,000 cohorts, 20,000 "
                             "sessions, 500 instructors, 100,000 learners)")
    for name in (*DEFAULTS, "attendance-rows", "quiz-results", "git-history", "roles",
                 "evidence-rows"):
        parser.add_argument(f"--{name}", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = {k: getattr(args, k) if getattr(args, k) is not None else max(1, round(v * args.scale))
             for k, v in DEFAULTS.items()}
    summary = generate(args.out_dir, **sizes, attendance_rows=args.attendance_rows or 0,
                       quiz_results=args.quiz_results or 0, git_history=args.git_history or 0,
                       seed=args.seed, roles=args.roles or 0,
                       evidence_rows=args.evidence_rows or 0)
    print(", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
