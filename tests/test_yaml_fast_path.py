"""The fast YAML path gives exactly what the plain, reference path gives.

The reference composes with PyYAML's pure-Python parser, resolves scalars with
the generic ``BaseResolver.resolve`` over the registered core-schema patterns,
and builds with the alias-guarded ``_Builder``. The fast path (libyaml, one
combined pattern, ``_build_tree``) must agree on every value, type, key order,
position and duplicate key, for tricky snippets and for whole academies.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import write_academy
from trainkit.cli import main
from trainkit.load import yamlcore
from trainkit.load.yamlcore import CoreResolver, YamlError
from trainkit.load.yamlio import MarkedDict, MarkedList, _Builder, parse
from trainkit.rules._catalog import FILE_CODES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import generate  # noqa: E402


class _Reference(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
    CoreResolver,  # type: ignore[misc]
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        CoreResolver.__init__(self)


def reference(text: str) -> tuple[Any, list[tuple[int, int, str]]]:
    node = _Reference(text).get_single_node()
    if node is None:
        return None, []
    builder = _Builder(budget=max(10_000, len(text)))
    return builder.build(node), builder.duplicates


def same(a: Any, b: Any, where: str = "") -> None:
    assert type(a) is type(b), where
    if isinstance(a, MarkedDict):
        assert a.pos == b.pos, where
        assert list(a) == list(b), where
        assert a.marks == b.marks, where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, MarkedList):
        assert (a.pos, a.marks, len(a)) == (b.pos, b.marks, len(b)), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and a != a:
        assert b != b, where  # NaN
    else:
        assert a == b, where


SNIPPETS = [
    "a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1.5\ng: .5\nh: 1e3\ni: -.inf\nj: .NaN\nk: 12.\n",
    "t: true\nT: True\nu: TRUE\nf: false\nn: null\nN: Null\nNU: NULL\ntilde: ~\nempty:\n",
    "yes: yes\nno: NO\non: on\ndate: 2026-03-01\ntime: 09:30\nsex: 1:30:00\nver: 1.2.3\n",
    "q1: '1'\nq2: \"true\"\nq3: 'null'\nplain: hello world\nnanx: nan\ninfx: inf\n",
    "nul: nullx\nneg: '-'\nplus: +\ndot: .\nminus_dot: -.5e-3\nhexish: 0x\noctish: 0o8\n",
    "list:\n  - a\n  - 1\n  -\n  - [x, 2, {k: v}]\n  - {a: [1, 2], b: ~}\n",
    "dup: 1\nother: 2\ndup: 3\nnested:\n  x: 1\n  x: 2\n",
    "text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n",
    "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: &l [1, 2]\nagain: *l\n",
    "many:\n  <<: [{a: 1}, {b: 2}]\n  c: 3\n",
    "- top\n- level\n- list: true\n",
    "just text\n",
    "42\n",
    "key with spaces: value with colon\n'quoted key': 1\n? complex\n: value\n",
    "unicode: Café ☕ 東京\nemoji: \"\\U0001F600\"\n",
    "binary: !!binary aGVsbG8=\nstr: !!str 123\nstamp: !!timestamp 2026-01-01\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets_agree(text: str) -> None:
    fast, fast_dups = parse(text)
    ref, ref_dups = reference(text)
    same(fast, ref)
    assert fast_dups == ref_dups


@pytest.mark.parametrize("text", [
    "a: !custom x\n",
    "a: !!python/object:os.system {x: 1}\n",
    "- !!set {a, b}\n",
    "? [a, b]\n: v\n",
    "a: &x [1]\nb: *x\nc: !!python/tuple [1]\n",
])
def test_refusals_agree(text: str) -> None:
    with pytest.raises(YamlError) as fast:
        parse(text)
    with pytest.raises(YamlError) as ref:
        reference(text)
    assert (fast.value.code, fast.value.line, fast.value.col) == (
        ref.value.code, ref.value.line, ref.value.col)


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if ".git" not in p.parts)


def test_demo_academy_agrees() -> None:
    files = _yaml_files(ROOT / "programs") + _yaml_files(ROOT / "people") + [ROOT / "trainkit.yaml"]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, _ = parse(text)
        ref, _ = reference(text)
        same(fast, ref, str(path))


def test_synthetic_academy_agrees(tmp_path: Path) -> None:
    generate(tmp_path, programs=3, cohorts=6, sessions=60, instructors=4, learners=90)
    files = _yaml_files(tmp_path)
    assert any("/cohorts/" in p.as_posix() for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, _ = parse(text)
        ref, _ = reference(text)
        same(fast, ref, str(path))


def test_uses_libyaml_when_available() -> None:
    available = bool(getattr(yaml, "__with_libyaml__", False))
    assert available == yamlcore.WITH_LIBYAML
    assert issubclass(yamlcore.Composer, yaml.parser.Parser) is not available


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    "- " * 100_000 + "x\n",
    "".join(f"{'  ' * i}k{i}:\n" for i in range(600)),
])
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    # Which layer stops it is not the point: some libyaml releases refuse deep
    # nesting themselves (a yaml-syntax error), older ones leave it to our
    # guard (yaml-too-deep). Either way the user gets a located error.
    with pytest.raises(YamlError) as problem:
        parse(text)
    assert problem.value.code in {"yaml-too-deep", "yaml-syntax"}
    assert FILE_CODES[problem.value.code][0] == "error"
    assert problem.value.line >= 1 and problem.value.col >= 1
    assert "nest" in problem.value.message


def test_deep_nesting_in_an_academy_file_is_a_located_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = write_academy(tmp_path / "a", {})
    (root / "venues/deep.yaml").write_text("rooms: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert main(["check", "--root", str(root)]) == 1
    out, _ = capsys.readouterr()
    located = re.compile(r"^venues/deep\.yaml:1:\d+: error\[yaml-(too-deep|syntax)\]: .*nest",
                         re.MULTILINE)
    assert located.search(out), out


def test_nesting_up_to_the_limit_is_read() -> None:
    lists = yamlcore.MAX_DEPTH - 1  # the innermost value is a level too
    data, _ = parse("[" * lists + "x" + "]" * lists)
    for _ in range(lists - 1):
        data = data[0]
    assert data == ["x"]
    with pytest.raises(YamlError):
        parse("[" * (lists + 1) + "x" + "]" * (lists + 1))
