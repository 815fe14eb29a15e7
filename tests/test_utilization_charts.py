"""The instructor utilization heatmap: charts of a bounded number of instructors, each
instructor once, on one colour scale; a change to one instructor's hours draws one chart."""

from __future__ import annotations

import csv
import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from trainkit.model import Academy
from trainkit.pipeline import check_dir
from trainkit.writers import charts, memo
from trainkit.writers.reports import operations
from trainkit.writers.reports.html import month_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth import TODAY, generate  # noqa: E402

SIZES = {"programs": 10, "cohorts": 60, "sessions": 400, "instructors": 90, "learners": 300}
TITLE = "Scheduled hours as % of monthly maximum"


def _as_of() -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)


def _academy(root: Path) -> Academy:
    result = check_dir(root)
    assert result.errors == [] and result.academy is not None
    return result.academy


@pytest.fixture()
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """About 60 instructors with sessions, in charts of at most 25: three charts."""
    monkeypatch.setattr(operations, "CHART_ROWS", 25)
    generate(tmp_path / "academy", **SIZES)
    return tmp_path / "academy"


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    real = charts.heatmap

    def heatmap(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return str(real(*args, **kwargs))

    monkeypatch.setattr(charts, "heatmap", heatmap)
    return calls


def test_charts_split_the_instructors_of_utilization_csv(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy(monkeypatch)
    academy = _academy(root)
    operations.write_utilization(academy, tmp_path / "out", _as_of())
    with (tmp_path / "out/utilization.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {r["instructor"]: r["name"] for r in rows}
    assert len(names) > 2 * operations.CHART_ROWS  # three charts at least
    assert len(set(names.values())) == len(names)  # each row is labelled by the name alone
    # Every instructor once, by name, in charts of at most CHART_ROWS as even as can be.
    by_name = sorted(names.values(), key=lambda n: (n.lower(), n))
    assert [n for args, _ in calls for n in args[0]] == by_name
    sizes = [len(args[0]) for args, _ in calls]
    assert len(calls) == -(-len(names) // operations.CHART_ROWS)
    assert max(sizes) <= operations.CHART_ROWS and max(sizes) - min(sizes) < len(calls)
    # The same months (without gaps) and the same colour scale in every chart.
    months = operations.month_range({r["month"] for r in rows})
    assert {tuple(args[1]) for args, _ in calls} == {
        tuple(month_words(m, academy.settings.locale) for m in months)}
    assert {(kw["vmax"], kw["colorbar"]) for _, kw in calls} == {
        (100.0, "scheduled / maximum (%)")}
    for args, kw in calls:
        assert kw["title"] == f"{TITLE}: {args[0][0]} – {args[0][-1]}"
    # Each cell is its row of the CSV: the share when there is a maximum, else the hours.
    cells = {(name, months[x]): (value, kw["labels"][y][x])
             for args, kw in calls for y, name in enumerate(args[0])
             for x, value in enumerate(args[2][y])}
    for r in rows:
        share = r["utilization"].rstrip("%")
        assert cells.pop((r["name"], r["month"])) == (
            (float(share), f"{float(share):.0f}%") if share
            else (None, f"{float(r['scheduled_hours']):g} h"))
    assert set(cells.values()) <= {(None, "")}  # months without hours stay empty
    html = (tmp_path / "out/utilization.html").read_text(encoding="utf-8")
    assert html.count("<svg") == len(calls)
    for _, kw in calls:
        assert f">{kw['title']}<" in html


def test_two_instructors_of_one_name_each_have_a_row(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[list[object]] = [
        ["a", "Sam Lee", "2026-01", 4.0, 0.0, 10, 44.3, "9.0%"],
        ["b", "Sam Lee", "2026-01", 6.0, 0.0, "", "", ""],
        ["c", "Ann Bo", "2026-02", 2.0, 0.0, 10, 40.0, "5.0%"]]
    calls = _spy(monkeypatch)
    operations.utilization_charts(rows, "en-GB")
    (args, kw), = calls
    assert args[0] == ["Ann Bo", "Sam Lee (a)", "Sam Lee (b)"]
    assert kw["labels"] == [["", "5%"], ["9%", ""], ["6 h", ""]]
    assert kw["title"] == TITLE  # one chart: no range in its title
    assert operations.utilization_charts([], "en-GB") == []


def _move_a_session(root: Path) -> tuple[Path, str]:
    """Start the first session of the first cohort half an hour later; its lead instructor."""
    path = sorted((root / "programs").glob("*/cohorts/*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    moved = re.sub(r'(    start: ")(\d\d):00(")', r"\g<1>\g<2>:30\3", text, count=1)
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    lead = re.search(r"lead: \[([^,\]]+)", text)
    assert lead
    return path, lead.group(1)


def test_a_moved_session_draws_only_its_instructors_chart_again(
        root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "memo"

    def build(out: Path) -> list[str]:
        with memo.kept_in(folder, lambda: "salt"):
            operations.write_utilization(_academy(root), out, _as_of())
        html = (out / "utilization.html").read_text(encoding="utf-8")
        return re.findall(r"<figure>(.*?)</figure>", html, re.S)

    def entries() -> set[Path]:
        return set(folder.rglob("*.txt"))

    before = build(tmp_path / "one")
    drawn = entries()
    assert len(drawn) == len(before) >= 3
    _, ident = _move_a_session(root)
    name = _academy(root).instructors[ident].name
    after = build(tmp_path / "two")
    new = entries() - drawn
    assert len(new) == 1  # one chart drawn again; the others from the build cache
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 1 and f">{name}<" in after[changed[0]]
    assert new.pop().read_text(encoding="utf-8").endswith(after[changed[0]])


def test_one_draw_crops_as_tight_savefig_with_every_label_in_layout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart is drawn once and cropped by its viewBox: the box shown is the one matplotlib's
    own ``bbox_inches="tight"`` crops to, even measured with every cell label in the layout
    (labels long enough to reach past narrow cells), and every label is drawn."""
    columns = [f"M{i}" for i in range(14)]
    people = ["Al", "Bea Long-Surname", "Cy"]
    values: list[list[float | None]] = [
        [None if (x + y) % 4 == 0 else 9.0 * x + y for x in range(14)] for y in range(3)]
    labels = [["160.5 h" if v is None else f"{v:.0f}%" for v in row] for row in values]

    def draw() -> str:
        return str(charts.heatmap(people, columns, values, labels=labels, title="T",
                                  colorbar="c", xlabel="month"))

    def size(svg: str) -> tuple[float, float]:
        found = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg)
        assert found, svg[:300]
        return float(found[1]), float(found[2])

    fast = draw()

    def plain(fig: Any, inside: Any = None) -> str:
        inside()
        for text in fig.axes[0].texts:
            text.set_in_layout(True)
        buf = io.StringIO()
        with charts._mpl().rc_context(charts._RC):
            fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight",
                        dpi=72)
        return buf.getvalue()[buf.getvalue().index("<svg"):]

    monkeypatch.setattr(charts, "to_svg", plain)
    tight = draw()
    assert size(fast) == pytest.approx(size(tight), abs=0.01)
    view = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"', fast)
    assert view and (float(view[3]), float(view[4])) == size(fast)
    assert float(view[1]) < 0  # the long name reaches past the figure's left edge: shown
    assert fast.count("160.5 h") == tight.count("160.5 h") == \
        sum(v is None for row in values for v in row)
