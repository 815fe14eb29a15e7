"""The benchmarks' own helpers: turn-taking rounds, counting rewritten files, the Hugo export."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_build import changes, snapshot  # noqa: E402
from site_engines import hugo_site  # noqa: E402
from timing import Run, alternate, one_against_two  # noqa: E402


def test_rounds_take_turns_and_keep_every_value() -> None:
    order: list[str] = []

    def step(name: str, value: float):  # type: ignore[no-untyped-def]
        return lambda: order.append(name) or value

    runs = alternate(4, [("base", step("base", 1.0)), ("subject", step("subject", 3.0))])
    assert order == ["base", "subject", "subject", "base"] * 2
    assert runs["subject"].values == [3.0] * 4 and runs["subject"].median == 3.0
    assert runs["base"].min == 1.0


def test_one_process_against_two_takes_turns_and_judges_the_medians(
        capsys: pytest.CaptureFixture[str]) -> None:
    order: list[int] = []
    walls = {1: iter([10.0, 12.0, 11.0]), 2: iter([7.0, 9.0, 8.0])}

    def build(jobs: int) -> Run:
        order.append(jobs)
        return Run(cpu=10.0 + jobs, wall=next(walls[jobs]), returncode=0, stdout="", stderr="")

    names = {1: "one", 2: "two"}
    assert one_against_two(build, 3, names, "split", 0.8, 1.15)  # 8/11 wall, 12/11 CPU
    assert order == [1, 2, 2, 1, 1, 2]
    assert "split / one process, wall: 0.73x (target <= 0.8x: met)" in capsys.readouterr().out
    walls = {1: iter([10.0] * 3), 2: iter([9.0] * 3)}
    assert not one_against_two(build, 3, names, "split", 0.8, 1.15)  # 0.9x: missed


def test_a_rewrite_with_the_same_bytes_still_counts_as_written(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    for name in ("a.html", "b.html", "c.html"):
        (out / name).write_text(name)
    os.link(out / "a.html", out / "twin.html")
    before = snapshot([out])
    (out / "b.new").write_text("b.html")  # same bytes, replaced as builds do: written
    (out / "b.new").replace(out / "b.html")
    (out / "c.html").unlink()
    (out / "d.html").write_text("new")
    said, count = changes(before, snapshot([out]))
    assert count == 3
    assert said.startswith("3 of 4 files written (1 replaced or rewritten, 0 with different "
                           "bytes, 1 added, 1 removed)")
    assert changes(before, before)[1] == 0


def test_the_hugo_export_keeps_every_page_and_its_url(tmp_path: Path) -> None:
    docs = tmp_path / "project/docs"
    for rel in ("index.md", "catalog.md", "cohorts/c-1/index.md", "courses/index.md",
                "courses/fire/intro.md", "schemas/cohort.schema.json"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("---\ntitle: T\n---\n# T\n")
    assert hugo_site(tmp_path / "project", tmp_path / "hugo") == 5
    content = sorted(p.relative_to(tmp_path / "hugo/content").as_posix()
                     for p in (tmp_path / "hugo/content").rglob("*.md"))
    # index.md becomes a branch bundle: it may have pages below it, as in MkDocs.
    assert content == ["_index.md", "catalog.md", "cohorts/c-1/_index.md", "courses/_index.md",
                       "courses/fire/intro.md"]
    assert (tmp_path / "hugo/static/schemas/cohort.schema.json").is_file()
    assert (tmp_path / "hugo/layouts/_default/single.html").is_file()
