"""Every example file under tests/example-files/ is validated against its schema.

``positive/<kind>/*`` must validate without a single diagnostic.
``negative/<kind>/*`` must produce exactly the lines in the ``.expected`` file
beside it (``path:line:col: error[schema]: message``, paths relative to
``tests/example-files``), so a changed message or position fails the test.
Row examples (attendance and quiz-result rows) are JSON objects, which are
YAML too, so the same loader gives them positions.

After a deliberate change of messages, refresh the expected files and review
the diff like code::

    python -m pytest tests/test_schema_corpus.py --update-expected
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainkit.diagnostics import sort_key
from trainkit.load import schemas
from trainkit.load.yamlio import load_yaml

CORPUS = Path(__file__).parent / "example-files"
SUFFIXES = (".yaml", ".json")


def _examples(side: str) -> list[Path]:
    return sorted(p for p in (CORPUS / side).glob("*/*") if p.suffix in SUFFIXES)


def _problems(path: Path) -> list[str]:
    rel = path.relative_to(CORPUS).as_posix()
    kind = path.parent.name
    doc = load_yaml(rel, kind, path.read_bytes())
    found = list(doc.diagnostics)
    if doc.data is not None or not found:
        found += schemas.validate(doc)
    return [d.text() for d in sorted(found, key=sort_key)]


def _id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def test_corpus_covers_every_schema_kind() -> None:
    for side in ("positive", "negative"):
        kinds = {p.parent.name for p in _examples(side)}
        assert kinds == set(schemas.KINDS), side


def test_every_expected_file_belongs_to_an_example() -> None:
    examples = {p.with_suffix("") for p in _examples("negative")}
    stray = [_id(p) for p in sorted(CORPUS.glob("negative/*/*.expected"))
             if p.with_suffix("") not in examples]
    assert stray == []


@pytest.mark.parametrize("path", _examples("positive"), ids=_id)
def test_positive_example_is_valid(path: Path) -> None:
    assert _problems(path) == []


@pytest.mark.parametrize("path", _examples("negative"), ids=_id)
def test_negative_example_gives_the_expected_messages(
        path: Path, request: pytest.FixtureRequest) -> None:
    found = _problems(path)
    assert found, "a negative example must be invalid"
    expected_file = path.with_suffix(".expected")
    if request.config.getoption("--update-expected"):
        expected_file.write_text("".join(line + "\n" for line in found), encoding="utf-8")
    assert expected_file.is_file(), (
        f"{_id(expected_file)} is missing; write it with --update-expected and review it")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found == expected
