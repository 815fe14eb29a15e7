"""The text of a synthetic academy: constants, the plan's data types and YAML templates.

Plain string templates, not ``yaml.dump``: writing 100,000 learners this way
takes a fraction of a second. :mod:`synth` decides what goes where; this
module only spells it out in the formats of ``docs/format.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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


def program_id(p: int) -> str:
    return f"prog-{p:04d}"


def instructor_id(i: int) -> str:
    return f"inst-{i:04d}"


def learner_id(n: int) -> str:
    return f"l-{n:06d}"


def venue_id(v: int) -> str:
    return f"venue-{v:03d}"


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
awards:
  - competency: comp-{p % 4}
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
awards:
  - competency: comp-{c % 4}
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
