"""``trainkit schema``: list, print and write the JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from trainkit.cli import main
from trainkit.schemas import KINDS


def test_lists_every_kind(capsys) -> None:
    assert main(["schema"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(KINDS)
    assert any("programs/<program>/cohorts/<cohort>.yaml" in line for line in lines)


def test_prints_one_schema_that_validates_a_cohort(capsys) -> None:
    assert main(["schema", "cohort"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"version": 1, "title": 3})


def test_unknown_kind_is_a_usage_error(capsys) -> None:
    assert main(["schema", "cohorts"]) == 64
    assert "did you mean 'cohort'" in capsys.readouterr().err


def test_output_writes_all_and_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    out = tmp_path / "schemas"
    assert main(["schema", "--output", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}.schema.json" for k in KINDS)
    (out / "cohort.schema.json").write_text("{}")
    assert main(["schema", "--output", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert (out / "cohort.schema.json").read_text() == "{}"
    assert main(["schema", "--output", str(out), "--force"]) == 0
    assert json.loads((out / "cohort.schema.json").read_text())["title"].startswith("trainkit")
