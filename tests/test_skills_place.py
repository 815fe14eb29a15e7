"""Recommendations prefer cohorts in the learner's city, or online at hours of their zone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from skills_helpers import SKILLS, academy_of, at, copy, edit
from trainkit.outcomes.completion import evaluate
from trainkit.outcomes.skills.evidence import gather
from trainkit.outcomes.skills.gaps import Gaps
from trainkit.outcomes.skills.place import fit
from trainkit.outcomes.skills.recommend import WEIGHTS, Recommendation, recommend
from trainkit.pipeline import check_dir

L02 = "{id: l-02, name: Ben Bold, email: ben@depot.test, roles: [operative], manager: Mo Boss"


def _recs(root: Path) -> list[Recommendation]:
    a = academy_of(root)
    moment = at("2026-04-10T00:00:00")
    held = gather(a, evaluate(a, moment), moment)
    return recommend(a, held, Gaps(a, held, moment.date()).rows(), moment)


def _with(tmp_path: Path, extra: str) -> Path:
    root = copy(tmp_path)
    edit(root, "people/learners/staff.yaml", L02 + "}", L02 + ", " + extra + "}")
    return root


def test_a_cohort_in_the_learners_city_ranks_higher_and_says_why(tmp_path: Path) -> None:
    (plain,) = _recs(SKILLS)
    (rec,) = _recs(_with(tmp_path, "city: leeds"))  # cities compare without regard to case
    assert dict(plain.parts)["place"] == 0.0 and "your city" not in plain.reason
    assert dict(rec.parts)["place"] == 1.0
    assert "(Leeds 15 Sep 2026), 2 seat(s) left; prerequisites met; in Leeds, your city; " \
        in rec.reason
    assert rec.score == round(plain.score + WEIGHTS["place"], 4)


def test_a_cohort_elsewhere_still_appears_lower(tmp_path: Path) -> None:
    (plain,) = _recs(SKILLS)
    (rec,) = _recs(_with(tmp_path, "city: York, timezone: Europe/London"))
    assert (rec.item, rec.score, dict(rec.parts)["place"]) == (plain.item, plain.score, 0.0)
    assert rec.reason == plain.reason  # an in-person cohort elsewhere: nothing to add


def test_online_cohorts_fit_when_every_session_is_in_local_working_hours() -> None:
    a = academy_of(SKILLS)
    cohort = a.cohorts["drv-sep"]  # 15 Sep 2026, 09:00-15:00 London time
    online = dataclasses.replace(cohort, sessions=tuple(
        dataclasses.replace(s, online=True, venue=None) for s in cohort.sessions))
    learner = a.learners["l-02"]

    def place(zone: str | None, city: str | None = None) -> tuple[float, str]:
        return fit(a, online, dataclasses.replace(learner, timezone=zone, city=city))
    assert place("Europe/Berlin") == (1.0, "online, in your time zone")  # 10:00-16:00
    assert place("America/New_York") == (0.0, "")  # 04:00-10:00: too early
    assert place("Asia/Kolkata") == (1.0, "online, in your time zone")  # 13:30-19:30
    assert place("Asia/Tokyo") == (0.0, "")  # 17:00-23:00: too late
    assert place(None, "Leeds") == (0.0, "")  # online: a city says nothing of the hours
    assert fit(a, cohort, dataclasses.replace(learner, timezone="Europe/Berlin")) == (0.0, "")


def test_an_unknown_learner_time_zone_is_reported_where_it_is_written(tmp_path: Path) -> None:
    root = _with(tmp_path, "timezone: Europe/Londn")
    found = [d.text() for d in check_dir(root).diagnostics if d.code == "invalid-timezone"]
    assert len(found) == 1
    assert found[0].startswith("people/learners/staff.yaml:")
    line = (root / "people/learners/staff.yaml").read_text(encoding="utf-8").splitlines()
    row, col = (int(x) for x in found[0].split(":")[1:3])
    assert line[row - 1][col - 1:].startswith("Europe/Londn")
    assert "did you mean 'Europe/London'?" in found[0]
