"""The framework as CASE 1.1 on the public site, and Open Badges aligned to its items."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from skills_helpers import SKILLS, academy_of, at
from trainkit.outcomes.certificates import issue, open_badge
from trainkit.outcomes.completion import evaluate
from trainkit.writers.build import BuildOptions, run_build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("case")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1775779200")
    try:
        result, _ = run_build(SKILLS, BuildOptions(site_dir=out / "site",
                                                   reports_dir=out / "reports",
                                                   only=("framework",)))
    finally:
        mp.undo()
    assert not result.errors
    return out / "site"


def test_every_competency_and_level_is_a_cf_item(site: Path) -> None:
    data = json.loads((site / "competencies/case.json").read_text(encoding="utf-8"))
    assert data["CFDocument"]["uri"] == "https://skills.test/competencies/case.json"
    codes = [i["humanCodingScheme"] for i in data["CFItems"]]
    assert codes == ["driving", "driving/supervised", "driving/operator", "first-aid",
                     "lifting", "lifting/awareness", "lifting/practitioner"]
    ids = [i["identifier"] for i in data["CFItems"]]
    assert len(set(ids)) == len(ids) and all(uuid.UUID(i).version == 5 for i in ids)
    assert {i["lastChangeDateTime"] for i in data["CFItems"]} == {"2026-04-10T00:00:00+00:00"}
    parents = {a["originNodeURI"]["title"]: a["destinationNodeURI"]["title"]
               for a in data["CFAssociations"]}
    assert parents["lifting/awareness"] == "lifting" and parents["lifting"] == "competencies"


def test_badges_align_to_items_that_resolve(site: Path) -> None:
    a = academy_of(SKILLS)
    moment = at("2026-04-10T00:00:00")
    (cert,) = issue(a, evaluate(a, moment), b"s")
    badge = open_badge(cert, a)
    achievement = badge["credentialSubject"]["achievement"]  # type: ignore[index]
    targets = {x["targetCode"]: x for x in achievement["alignment"]}
    assert sorted(targets) == ["driving/operator", "lifting/practitioner"]
    data = json.loads((site / "competencies/case.json").read_text(encoding="utf-8"))
    uris = {i["uri"] for i in data["CFItems"]}
    for target in targets.values():
        assert target["type"] == ["Alignment"] and target["targetType"] == "CFItem"
        assert target["targetUrl"] in uris


def test_the_framework_is_written_the_same_twice(site: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775779200")
    run_build(SKILLS, BuildOptions(site_dir=tmp_path / "site", reports_dir=tmp_path / "r",
                                   only=("framework",)))
    assert (tmp_path / "site/competencies/case.json").read_bytes() == \
        (site / "competencies/case.json").read_bytes()
