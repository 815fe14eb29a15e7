"""docs/rules.md is generated from the rules and stays in step with them.

Refresh it after changing a rule's docstring or codes::

    trainkit check --list-rules --format markdown > docs/rules.md
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trainkit.cli import main
from trainkit.rules import _catalog, all_rules

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "trainkit"
# Modules that report problems of one file while reading it (not rule modules).
READERS = sorted([*(p.relative_to(SRC).as_posix() for stage in ("load", "resolve")
                     for p in (SRC / stage).glob("*.py")), "pipeline.py"])
CODE_ARG = re.compile(r'(?:error|warning|YamlError)\([^"]*?"([a-z][a-z0-9-]+)"\s*,', re.S)


def test_docs_rules_md_is_up_to_date() -> None:
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == _catalog.markdown(), (
        "docs/rules.md is out of date: run "
        "'trainkit check --list-rules --format markdown > docs/rules.md'"
    )


def test_cli_prints_the_same_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-rules", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == _catalog.markdown()


def test_json_reference_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    listed = {c for r in data["rules"] for c in r["codes"]} | set(data["file_codes"])
    declared = {c for r in all_rules() for c in r.codes} | set(_catalog.FILE_CODES)
    assert listed == declared


def test_markdown_format_without_list_rules_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--format", "markdown"]) == 64
    assert "--list-rules" in capsys.readouterr().err


def test_every_rule_documents_itself() -> None:
    for rule in all_rules():
        assert rule.codes, rule.name
        assert set(rule.codes.values()) <= {"error", "warning"}, rule.name
        first = rule.doc.splitlines()[0] if rule.doc else ""
        # The first docstring line names the codes the rule reports.
        named = [w.rstrip("*:,") for w in first.split() if w.rstrip(":,").endswith("*")]
        assert any(code in first or any(code.startswith(n) for n in named)
                   for code in rule.codes), (rule.name, first)
        assert len(rule.doc.split()) >= 25, f"{rule.name}: the docstring is too thin to teach"


def test_every_code_the_readers_report_is_documented() -> None:
    documented = set(_catalog.FILE_CODES) | {c for r in all_rules() for c in r.codes}
    found = {
        code
        for name in READERS
        for code in CODE_ARG.findall((SRC / name).read_text(encoding="utf-8"))
    }
    assert found, "the pattern no longer finds codes: fix the test"
    assert found - documented == set()
