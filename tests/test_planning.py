"""trainkit plan: small academies whose best assignment can be worked out by hand."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from trainkit.cli import main
from trainkit.pipeline import check_dir

ACADEMY = """\
version: 1
id: plan
name: Planning Test Academy
base_url: https://academy.test/
timezone: Europe/London
locale: en-GB
"""
VENUE = """\
version: 1
name: {name}
timezone: Europe/London
address: {{street: 1 Test Street, city: London, postcode: EC1A 1AA, country: GB}}
rooms:
  - {{id: small, name: Small Room, capacity: 4, accessible: false}}
  - {{id: big, name: Big Room, capacity: 20, accessible: true}}
"""
PROGRAM = """\
version: 1
title: Safety
summary: One session.
delivery: in-person
capacity: 4
session_plan:
  - {{id: s1, title: Session, duration: 2h}}
{extra}"""


def instructor(name: str, *, qualified: bool = True, hours: int | None = None,
               leave: tuple[str, str] | None = None, home: str | None = None) -> str:
    text = f"version: 1\nname: {name.title()}\ntimezone: Europe/London\n"
    if home:
        text += f"home_venues: [{home}]\n"
    if hours is not None:
        text += f"max_hours_per_week: {hours}\n"
    text += "qualifications:\n" + ("  - id: safety\n" if qualified else "  - id: other\n")
    if leave:
        text += f"unavailable:\n  - {{from: {leave[0]}, until: {leave[1]}, reason: Leave}}\n"
    return text


def cohort(day: str, start: str = "10:00", *, lead: str = "auto", room: str = "auto",
           venue: str = "hq", learners: int = 0, capacity: int = 4, first: int = 0) -> str:
    people = "".join(f"  - {{learner: l-{i:02d}, status: enrolled}}\n"
                     for i in range(first, first + learners))
    return (f"version: 1\ntitle: Cohort on {day}\nvenue: {venue}\ncapacity: {capacity}\n"
            f"room: {room}  # left to the planner\n"
            f"instructors:\n  lead: {lead}\n"
            + (f"enrollments:\n{people}" if learners else "")
            + f"sessions:\n  - {{id: s1, template: s1, date: {day}, start: \"{start}\", "
            "duration: 2h}\n")


def make(root: Path, *, instructors: dict[str, str], cohorts: dict[str, str],
         program_extra: str = "", venues: tuple[str, ...] = ("hq",)) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "trainkit.yaml").write_text(ACADEMY)
    for v in venues:
        (root / "venues").mkdir(exist_ok=True)
        (root / "venues" / f"{v}.yaml").write_text(VENUE.format(name=v.upper()))
    folder = root / "programs" / "safety" / "cohorts"
    folder.mkdir(parents=True)
    (root / "programs" / "safety" / "program.yaml").write_text(
        PROGRAM.format(extra=program_extra))
    for cid, text in cohorts.items():
        (folder / f"{cid}.yaml").write_text(text)
    (root / "people" / "instructors").mkdir(parents=True)
    for iid, text in instructors.items():
        (root / "people" / "instructors" / f"{iid}.yaml").write_text(text)
    rows = "".join(f"  - {{id: l-{i:02d}, name: Learner {i}, email: l{i}@example.org}}\n"
                   for i in range(60))
    (root / "people" / "learners").mkdir(parents=True)
    (root / "people" / "learners" / "all.yaml").write_text(f"version: 1\nlearners:\n{rows}")
    return root


def plan(root: Path, *args: str) -> int:
    return main(["plan", "--root", str(root), *args])


def chosen(root: Path, cid: str) -> tuple[list[str] | str, str]:
    data = yaml.safe_load((root / "programs/safety/cohorts" / f"{cid}.yaml").read_text())
    return data["instructors"]["lead"], data["room"]


def errors(root: Path) -> list[str]:
    result = check_dir(root)
    return [f"{d.code}: {d.message}" for d in result.diagnostics]


def test_the_only_qualified_free_instructor_is_chosen_and_the_file_keeps_its_layout(
        tmp_path: Path) -> None:
    root = make(tmp_path, instructors={
        "ann": instructor("ann"), "bob": instructor("bob", qualified=False),
        "cat": instructor("cat", leave=("2027-03-01", "2027-03-31"))},
        cohorts={"a": cohort("2027-03-02")})
    before = (root / "programs/safety/cohorts/a.yaml").read_text()
    assert plan(root) == 0
    after = (root / "programs/safety/cohorts/a.yaml").read_text()
    assert chosen(root, "a") == (["ann"], "small")
    changed = [(x, y) for x, y in zip(before.splitlines(), after.splitlines(), strict=True)
               if x != y]
    assert changed == [("room: auto  # left to the planner", "room: small # left to the planner"),
                       ("  lead: auto", "  lead: [ann]")]
    assert errors(root) == []


def test_two_cohorts_at_the_same_time_share_out_the_instructors(tmp_path: Path) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann"), "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02"),
                         "b": cohort("2027-03-02", lead="{candidates: [ann]}", room="big")})
    assert plan(root) == 0
    assert chosen(root, "a")[0] == ["dee"] and chosen(root, "b")[0] == ["ann"]
    assert chosen(root, "a")[1] == "small"  # big is taken by b at that time
    assert errors(root) == []


def test_weekly_hours_and_preferences_decide(tmp_path: Path) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann", hours=3),
                                       "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02"), "b": cohort("2027-03-04")},
                program_extra="planning:\n  preferred_instructors: [ann]\n")
    assert plan(root) == 0
    leads = sorted([chosen(root, "a")[0][0], chosen(root, "b")[0][0]])
    assert leads == ["ann", "dee"]  # ann is preferred, but 2h + 2h > her 3h a week
    assert errors(root) == []


def test_an_avoided_instructor_is_chosen_only_when_nobody_else_can(tmp_path: Path) -> None:
    extra = "planning:\n  avoided_instructors: [ann]\n"
    root = make(tmp_path / "one", instructors={"ann": instructor("ann"),
                                               "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02")}, program_extra=extra)
    assert plan(root) == 0 and chosen(root, "a")[0] == ["dee"]
    root = make(tmp_path / "two", instructors={"ann": instructor("ann"),
                                               "dee": instructor("dee", qualified=False)},
                cohorts={"a": cohort("2027-03-02")}, program_extra=extra)
    assert plan(root) == 0 and chosen(root, "a")[0] == ["ann"]


def test_home_venues_and_one_venue_a_day(tmp_path: Path) -> None:
    root = make(tmp_path, venues=("hq", "north"), instructors={
        "ann": instructor("ann", home="hq"), "dee": instructor("dee", home="north")},
        cohorts={"a": cohort("2027-03-02", venue="north"),
                 "b": cohort("2027-03-02", "14:00", venue="hq")})
    assert plan(root) == 0
    assert chosen(root, "a")[0] == ["dee"] and chosen(root, "b")[0] == ["ann"]
    root2 = make(tmp_path / "x", venues=("hq", "north"), instructors={
        "ann": instructor("ann", home="hq")},
        cohorts={"a": cohort("2027-03-02", venue="north"),
                 "b": cohort("2027-03-02", "14:00", venue="hq")})
    assert plan(root2) == 1  # one person cannot be at two venues on one day


def test_the_room_fits_the_learners_and_wastes_fewest_seats(tmp_path: Path) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann"), "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02", learners=3),
                         "b": cohort("2027-03-09", learners=6, capacity=8),
                         "c": cohort("2027-03-16", room="{accessible: true}")})
    assert plan(root) == 0
    assert [chosen(root, c)[1] for c in "abc"] == ["small", "big", "big"]
    assert errors(root) == []


def test_no_possible_choice_is_explained_where_it_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, instructors={
        "ann": instructor("ann", leave=("2027-03-01", "2027-03-05")),
        "bob": instructor("bob", qualified=False)},
        cohorts={"a": cohort("2027-03-02")})
    before = (root / "programs/safety/cohorts/a.yaml").read_bytes()
    assert plan(root) == 1
    err = "".join(capsys.readouterr())
    assert "programs/safety/cohorts/a.yaml:7:9: error[plan-infeasible]" in err
    assert "ann unavailable 01 Mar-05 Mar 2027 (Leave) (people/instructors/ann.yaml:7)" in err
    assert "bob not qualified for 'safety' (people/instructors/bob.yaml)" in err
    assert (root / "programs/safety/cohorts/a.yaml").read_bytes() == before


def test_competing_cohorts_are_named_together(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann"), "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02", lead="{candidates: [ann]}", room="small"),
                         "b": cohort("2027-03-02", lead="{candidates: [ann]}", room="big")})
    assert plan(root) == 1
    err = "".join(capsys.readouterr())
    assert "cannot be chosen together with b (lead)" in err
    assert "cannot be chosen together with a (lead)" in err
    assert chosen(root, "a")[0] == {"candidates": ["ann"]}


def test_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann")},
                cohorts={"a": cohort("2027-03-02")})
    before = (root / "programs/safety/cohorts/a.yaml").read_bytes()
    assert plan(root, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "-  lead: auto\n+  lead: [ann]\n" in out
    assert (root / "programs/safety/cohorts/a.yaml").read_bytes() == before


def test_replan_keeps_what_still_works(tmp_path: Path) -> None:
    root = make(tmp_path, instructors={"ann": instructor("ann"), "dee": instructor("dee")},
                cohorts={"a": cohort("2027-03-02", lead="[dee]", room="big")})
    assert plan(root, "--replan", "a") == 0
    assert chosen(root, "a") == (["dee"], "big")


def _random_academy(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    people = {f"i{n}": instructor(f"i{n}", qualified=rng.random() < 0.8,
                                  hours=rng.choice([None, 4, 6]),
                                  leave=rng.choice([None, ("2027-03-03", "2027-03-04")]))
              for n in range(5)}
    cohorts = {f"c{n}": cohort(f"2027-03-0{rng.randint(1, 5)}", rng.choice(["09:00", "10:00",
                                                                            "14:00"]),
                               learners=rng.randint(0, 4), first=6 * n) for n in range(6)}
    return make(root, instructors=people, cohorts=cohorts)


@pytest.mark.parametrize("seed", range(8))
def test_every_plan_passes_check_and_runs_are_identical(tmp_path: Path, seed: int) -> None:
    first = _random_academy(tmp_path / "a", seed)
    second = tmp_path / "b"
    shutil.copytree(first, second)
    code = plan(first)
    assert plan(second) == code
    for f in sorted((first / "programs/safety/cohorts").iterdir()):
        assert f.read_bytes() == (second / "programs/safety/cohorts" / f.name).read_bytes()
    if code == 0:
        problems = errors(first)
        assert problems == [], problems  # no double booking, hours, capacity: nothing
    else:
        assert all(chosen(first, c)[0] == "auto" for c in ("c0", "c1"))


def test_a_conflict_names_only_the_cohorts_that_cause_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only_ann = "{candidates: [ann]}"
    root = make(tmp_path, instructors={"ann": instructor("ann"), "dee": instructor("dee"),
                                       "eve": instructor("eve")},
                cohorts={"a": cohort("2027-03-02", lead=only_ann, room="small"),
                         "b": cohort("2027-03-02", "11:00", lead=only_ann, room="big"),
                         "c": cohort("2027-03-03"), "d": cohort("2027-03-03", "10:30")})
    assert plan(root) == 1
    text = "".join(capsys.readouterr())
    blamed = {line.split(":", 1)[0] for line in text.splitlines() if "plan-infeasible" in line}
    assert blamed == {"programs/safety/cohorts/a.yaml", "programs/safety/cohorts/b.yaml"}


def test_a_cohort_nobody_covers_whole_gets_a_substitute_per_session(tmp_path: Path) -> None:
    two_days = cohort("2027-03-02", lead="[ann]", room="small").replace(
        "duration: 2h}\n", "duration: 2h}\n  - {id: s2, template: s1, date: 2027-03-09, "
        "start: \"10:00\", duration: 2h}\n")
    root = make(tmp_path, instructors={
        "ann": instructor("ann"), "dee": instructor("dee", leave=("2027-03-08", "2027-03-10")),
        "eve": instructor("eve", leave=("2027-03-01", "2027-03-03"))},
        cohorts={"a": two_days})
    args = ["substitute", "ann", "--from", "2027-03-01", "--to", "2027-03-31",
            "--root", str(root), "--apply"]
    assert main(args) == 0
    data = yaml.safe_load((root / "programs/safety/cohorts/a.yaml").read_text())
    assert [s.get("instructors") for s in data["sessions"]] == [["dee"], ["eve"]]
    assert errors(root) == []
