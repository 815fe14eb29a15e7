"""The package layout stays true: stages import only from stages before them.

docs/architecture.md holds the table this test enforces; both name the
stages in the same order. Every import of every module counts, including
imports inside functions, so a deferred import cannot hide a reversed edge.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "trainkit"
# In pipeline order; each entry may import itself and everything before it.
STAGES = (
    ("model", "diagnostics"),
    ("load",),
    ("resolve",),
    ("outcomes",),
    ("rules",),
    ("pipeline",),
    ("planning",),
    ("history",),
    ("writers",),
    ("edit",),
    ("notify",),
    ("importers",),
    ("commands",),
    ("cli", "__main__"),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
MAX_LINES = 420  # "small modules": a module past this is two ideas


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "scaffold" not in p.parts)


def dotted(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str | None:
    """The stage of ``trainkit.x.y``; None for the root package (``__version__``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def imports(path: Path, *, top_level_only: bool = False) -> Iterator[tuple[int, str]]:
    """(line, module) of every trainkit module ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "trainkit":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "trainkit":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield node.lineno, sub if _is_module(sub) else node.module


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (SRC / rel).with_suffix(".py").is_file() or (SRC / rel / "__init__.py").is_file()


def test_every_top_level_name_has_a_stage() -> None:
    names = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").is_file()) and p.name != "__init__.py"}
    assert names - RANK.keys() == set(), "a new top-level module or package needs a stage here "\
        "and in docs/architecture.md"


def test_stages_import_only_from_stages_before_them() -> None:
    wrong = []
    for path in modules():
        own = stage(dotted(path))
        if own is None:
            continue
        for line, target in imports(path):
            theirs = stage(target)
            if theirs is not None and RANK[theirs] > RANK[own]:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {own} imports {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = {dotted(p): {t for _, t in imports(p, top_level_only=True)} for p in modules()}
    # A submodule import also runs its package's __init__.
    for name in list(graph):
        graph[name] = {t for t in graph[name] if t != name}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*trail[trail.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_modules_stay_small() -> None:
    big = {dotted(p): n for p in modules()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}


def test_architecture_doc_names_every_stage_in_order() -> None:
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = [m.group(1) for m in re.finditer(r"^\| \d+ \| `([a-z_]+)", doc, re.M)]
    assert table == [names[0] for names in STAGES]


@pytest.mark.parametrize("reversed_edge", [
    "from trainkit.writers.build import BuildContext\n",
    "def f():\n    from trainkit.commands.common import EXIT_OK\n",
])
def test_the_direction_check_would_catch_a_reversed_import(tmp_path: Path,
                                                           reversed_edge: str) -> None:
    # The check reads real files: a rule module that imported a writer (or a
    # command, even inside a function) is reported.
    path = tmp_path / "mod.py"
    path.write_text(reversed_edge, encoding="utf-8")
    targets = [t for _, t in imports(path)]
    assert targets and all(RANK[stage(t) or "model"] > RANK["rules"] for t in targets)


def test_trainkit_imports_are_at_the_top_of_modules() -> None:
    # A deferred import hides an edge from readers (and a cycle from this test).
    # Module-level `if TYPE_CHECKING:` blocks are still the top of the module.
    hidden = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                            "trainkit") or isinstance(inner, ast.Import) and any(
                            a.name.startswith("trainkit") for a in inner.names):
                        hidden.append(f"{path.relative_to(REPO)}:{inner.lineno}")
    assert hidden == []
