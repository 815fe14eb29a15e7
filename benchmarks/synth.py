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
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays

START = date(2026, 1, 5)  # a Monday: the first day any lane may use
TODAY = date(2026, 6, 1)  # the fixed "now": attendance exists only before it
BLACKOUT = (date(2026, 12, 24), date(2027, 1, 1))
SLOTS = (("09:00", "12:00", "09:30", "12:30"), ("13:30", "16:30", "14:00", "17:00"))
ZONES = (  # (time zone, country, subdivision, city)
    ("Europe/London", "GB", "ENG", "London"),
    ("America/New_York", "US", "NY", "New York"),
    ("Asia/Kolkata", "IN", None, "Bengaluru"),
    ("Europe/Berlin", "DE", "BE", "Berlin"),
)
ROOMS_PER_VENUE = 4
ROOM_CAPACITY = 20
COHORT_CAPACITY = 16
MAX_ENROLLED = 15
LANE_LENGTH = 400  # working days a lane may run before more rooms are opened
LEARNERS_PER_FILE = 1000
COURSES = 3
GIVEN = ("Priya", "Tom", "Ana", "Kofi", "Mei", "Lars", "Aisha", "Diego", "Ines", "Ravi",
         "Sara", "Jonas", "Leila", "Omar", "Hana", "Piotr")
FAMILY = ("Shah", "Berg", "Silva", "Mensah", "Chen", "Nilsson", "Khan", "Lopez", "Costa",
          "Iyer", "Meyer", "Novak", "Haddad", "Sato", "Walsh", "Okoro")
DEFAULTS = {"programs": 200, "cohorts": 2000, "sessions": 20000, "instructors": 500,
            "learners": 100000}


@dataclass
class SynthSession:
    id: str
    day: date
    slot: int
    template: str | None
    moved: bool = False
    cancelled: bool = False
    attended: bool = False  # has attendance rows, so history never moves it


@dataclass
class SynthCohort:
    id: str
    program: str
    venue: int
    room: str
    slot: int
    lead: int
    assistant: int | None
    learners: range
    sessions: list[SynthSession]
    recurrent: bool

    @property
    def path(self) -> str:
        return f"programs/{self.program}/cohorts/{self.id}.yaml"


@dataclass
class Plan:
    programs: int
    plan_length: int
    venues: int
    cohorts: list[SynthCohort] = field(default_factory=list)
    quals: dict[int, set[str]] = field(default_factory=dict)
    instructor_zone: dict[int, int] = field(default_factory=dict)


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


def program_id(p: int) -> str:
    return f"prog-{p:04d}"


def instructor_id(i: int) -> str:
    return f"inst-{i:04d}"


def learner_id(n: int) -> str:
    return f"l-{n:06d}"


def venue_id(v: int) -> str:
    return f"venue-{v:03d}"


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


# ---------------------------------------------------------------- rendering


def academy_yaml() -> str:
    return f"""version: 1
id: synth
name: Synthetic Academy
description: A generated academy for benchmarks.
base_url: https://synth.example.org/
timezone: Europe/London
locale: en-GB
contact_email: hello@synth.example.org
holidays:
  - country: GB
    subdivision: ENG
blackout_dates:
  - from: {BLACKOUT[0].isoformat()}
    until: {BLACKOUT[1].isoformat()}
    reason: Winter closure
certificates:
  issuer_name: Synthetic Academy Ltd
  issuer_url: https://synth.example.org/
"""


def competencies_yaml() -> str:
    items = "".join(
        f"  - id: comp-{c}\n    name: Competency {c}\n    description: Generated competency {c}.\n"
        "    levels: [awareness, practitioner]\n"
        for c in range(4)
    )
    return f"version: 1\ncompetencies:\n{items}"


def program_yaml(p: int, plan_length: int) -> str:
    templates = "".join(
        f"""  - id: t{t + 1:02d}
    title: "Part {t + 1}"
    duration: 3h
    mandatory: {"true" if t == 0 else "false"}
    agenda: [Introduction, Practice, Review]
"""
        for t in range(plan_length)
    )
    course = f"\n  courses: [course-{p % COURSES}]" if p % 4 == 0 else ""
    return f"""version: 1
title: Program {p}
summary: Generated program number {p}.
description: |
  A generated program used to measure trainkit at scale.
delivery: in-person
capacity: {COHORT_CAPACITY}
instructor_qualification: {program_id(p)}
tags: [synthetic, group-{p % 7}]
session_plan:
{templates}competencies:
  - id: comp-{p % 4}
    level: practitioner
completion:
  attendance:
    min_share: 0.8
  mandatory_sessions: [t01]{course}
certificate:
  title: Program {p} certificate
  validity_months: 24
"""


def venue_yaml(v: int) -> str:
    tz, country, subdiv, city = ZONES[v % len(ZONES)]
    sub = f"\n  subdivision: {subdiv}" if subdiv else ""
    rooms = "".join(
        f"  - id: r{r + 1}\n    name: Room {r + 1}\n"
        f"    capacity: {ROOM_CAPACITY}\n    accessible: true\n"
        for r in range(ROOMS_PER_VENUE)
    )
    return f"""version: 1
name: {city} centre {v}
timezone: {tz}
address:
  street: {v + 1} Example Street
  city: {city}
  postcode: "{10000 + v}"
  country: {country}{sub}
directions: Generated venue.
rooms:
{rooms}"""


def instructor_yaml(i: int, plan: Plan) -> str:
    zone = plan.instructor_zone.get(i, i % len(ZONES))
    quals = sorted(plan.quals.get(i, {program_id(i % plan.programs)}))
    qtext = "".join(f"  - id: {q}\n" for q in quals)
    away = (f"unavailable:\n  - from: {2030 + i % 3}-08-03\n    until: {2030 + i % 3}-08-14\n"
            "    reason: Annual leave\n") if i % 10 == 0 else ""
    return f"""version: 1
name: {GIVEN[i % len(GIVEN)]} {FAMILY[i * 7 % len(FAMILY)]} {i}
email: {instructor_id(i)}@synth.example.org
bio: Generated instructor {i}.
timezone: {ZONES[zone][0]}
max_hours_per_week: 40
qualifications:
{qtext}{away}"""


def learners_yaml(part: int, first: int, last: int) -> str:
    rows = [f"version: 1\norganisation: Organisation {part:03d}\nlearners:\n"]
    for n in range(first, last):
        lid = learner_id(n)
        rows.append(f"  - id: {lid}\n    name: {GIVEN[n % 16]} {FAMILY[n // 16 % 16]}\n"
                    f"    email: {lid}@org{part:03d}.example\n")
    return "".join(rows)


def cohort_yaml(c: SynthCohort) -> str:
    tz = ZONES[c.venue % len(ZONES)][0]
    assist = f"\n  assistants: [{instructor_id(c.assistant)}]" if c.assistant is not None else ""
    out = [f"""version: 1
title: Cohort {c.id}
timezone: {tz}
venue: {venue_id(c.venue)}
room: {c.room}
instructors:
  lead: [{instructor_id(c.lead)}]{assist}
capacity: {COHORT_CAPACITY}
status: open
"""]
    if len(c.learners):
        out.append("enrollments:\n")
        out.extend(f"  - learner: {learner_id(n)}\n    status: enrolled\n" for n in c.learners)
    if c.recurrent:
        start, end = SLOTS[c.slot][:2]
        out.append(f"""recurrence:
  start_date: {c.sessions[0].day.isoformat()}
  frequency: weekly
  days: [MO, TU, WE, TH, FR]
  start: "{start}"
  end: "{end}"
  count: {len(c.sessions)}
  skip_holidays: true
  skip_blackouts: true
  id_prefix: s
""")
        changed = [s for s in c.sessions if s.moved or s.cancelled]
        if changed:
            out.append("sessions:\n")
            out.extend(_override(s) for s in changed)
    elif c.sessions:
        out.append("sessions:\n")
        out.extend(_explicit(s) for s in c.sessions)
    return "".join(out)


def _times(s: SynthSession) -> tuple[str, str]:
    slot = SLOTS[s.slot]
    return (slot[2], slot[3]) if s.moved else (slot[0], slot[1])


def _explicit(s: SynthSession) -> str:
    start, end = _times(s)
    template = f"    template: {s.template}\n" if s.template else ""
    status = "    status: cancelled\n    reason: Instructor unavailable\n" if s.cancelled else ""
    return (f"  - id: {s.id}\n{template}    date: {s.day.isoformat()}\n"
            f'    start: "{start}"\n    end: "{end}"\n{status}')


def _override(s: SynthSession) -> str:
    if s.cancelled:
        return f"  - id: {s.id}\n    status: cancelled\n    reason: Instructor unavailable\n"
    start, end = _times(s)
    return (f"  - id: {s.id}\n    date: {s.day.isoformat()}\n"
            f'    start: "{start}"\n    end: "{end}"\n')


def course_files(c: int) -> dict[str, str]:
    base = f"courses/course-{c}"
    files = {f"{base}/course.yaml": f"""version: 1
title: Self-paced course {c}
summary: Generated self-paced course {c}.
competencies:
  - id: comp-{c % 4}
    level: awareness
modules:
  - id: intro
    title: Introduction
    file: modules/01-intro.md
    minutes: 10
  - id: practice
    title: Practice
    file: modules/02-practice.md
    minutes: 15
quizzes: [check-1, final]
"""}
    files[f"{base}/modules/01-intro.md"] = f"# Introduction\n\nWhat course {c} covers.\n"
    files[f"{base}/modules/02-practice.md"] = "# Practice\n\nWork through the examples.\n"
    for quiz, mode, after in (("check-1", "practice", "intro"), ("final", "graded", "practice")):
        files[f"{base}/quizzes/{quiz}.yaml"] = f"""version: 1
title: Course {c} {quiz}
mode: {mode}
pass_mark: 70
attempts: 3
after_module: {after}
questions:
  - id: q1
    type: single
    prompt: Which answer is right?
    choices:
      - text: This one
        correct: true
      - text: That one
        correct: false
  - id: q2
    type: true-false
    prompt: Is this statement true?
    answer: true
  - id: q3
    type: numeric
    prompt: How many?
    answer: 3
    tolerance: 0.5
  - id: q4
    type: text
    prompt: Name the first step.
    answers: [Raise the alarm, alarm]
"""
    return files


QUIZ_MAX = 4


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


def _files(plan: Plan, instructors: int, learners: int) -> dict[str, str]:
    files = {"trainkit.yaml": academy_yaml(), "competencies.yaml": competencies_yaml()}
    for p in range(plan.programs):
        files[f"programs/{program_id(p)}/program.yaml"] = program_yaml(p, plan.plan_length)
    for v in range(plan.venues):
        files[f"venues/{venue_id(v)}.yaml"] = venue_yaml(v)
    for i in range(instructors):
        files[f"people/instructors/{instructor_id(i)}.yaml"] = instructor_yaml(i, plan)
    for part, first in enumerate(range(0, learners, LEARNERS_PER_FILE)):
        last = min(learners, first + LEARNERS_PER_FILE)
        files[f"people/learners/org-{part + 1:03d}.yaml"] = learners_yaml(part + 1, first, last)
    for c in range(COURSES):
        files.update(course_files(c))
    for cohort in plan.cohorts:
        files[cohort.path] = cohort_yaml(cohort)
    return files


def generate(out_dir: Path, programs: int = 200, cohorts: int = 2000, sessions: int = 20000,
             instructors: int = 500, learners: int = 100000, attendance_rows: int = 0,
             quiz_results: int = 0, git_history: int = 0, seed: int = 1) -> dict[str, int]:
    """Write a clean academy into ``out_dir`` (created; must be empty) and summarise it."""
    if min(programs, cohorts, instructors) < 1:
        raise ValueError("programs, cohorts and instructors must each be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise ValueError(f"{out_dir} is not empty; choose a new folder")
    rng = random.Random(seed)
    plan = plan_academy(programs, cohorts, sessions, instructors, learners)
    files = _files(plan, instructors, learners)
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
    changes = write_history(out_dir, plan, git_history, rng) if git_history else 0
    return {
        "files": len(files), "programs": programs, "cohorts": len(plan.cohorts),
        "sessions": sum(len(c.sessions) for c in plan.cohorts), "instructors": instructors,
        "learners": learners, "venues": plan.venues, "attendance_rows": len(attendance),
        "quiz_results": len(results), "commits": _commit_count(out_dir) if git_history else 0,
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
    for name in (*DEFAULTS, "attendance-rows", "quiz-results", "git-history"):
        parser.add_argument(f"--{name}", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = {k: getattr(args, k) if getattr(args, k) is not None else max(1, round(v * args.scale))
             for k, v in DEFAULTS.items()}
    summary = generate(args.out_dir, **sizes, attendance_rows=args.attendance_rows or 0,
                       quiz_results=args.quiz_results or 0, git_history=args.git_history or 0,
                       seed=args.seed)
    print(", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
