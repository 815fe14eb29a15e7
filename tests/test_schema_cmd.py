"""``trainkit schema``: list, print and write the JSON Schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from trainkit.cli import main
from trainkit.load.schemas import KINDS


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


@pytest.mark.parametrize("command", ["diff", "init", "serve", "schema"])
def test_help_teaches_with_examples_and_exit_codes(command: str, capsys) -> None:
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    examples = text.split("examples:\n", 1)[1]
    assert len(re.findall(rf"^  trainkit {command}\b", examples, re.M)) >= 2, text
    assert "exit codes:" in text


def test_diff_help_states_its_own_exit_codes(capsys) -> None:
    assert main(["diff", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "1 the change introduces errors, or HEAD has files that do not load" in text
    assert "64 a revision does not exist" in text
