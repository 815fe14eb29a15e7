"""Charts for the private reports, as SVG text to embed in HTML.

matplotlib writes a creation date and random ids into SVG files by default;
both are pinned here (``metadata={"Date": None}`` and ``svg.hashsalt``) so
the same figures give byte-identical files, like every other output.
Text stays text (``svg.fonttype: none``): small files, and no glyph ids that
would clash when several charts share one page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot-free figure use in threads

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# Any: matplotlib types rcParams keys as a Literal of every name.
_RC: Any = {
    "svg.hashsalt": "trainkit",
    "svg.fonttype": "none",  # real <text>: small, selectable, no glyph ids to clash
    "font.family": "DejaVu Sans",  # shipped with matplotlib: same glyphs everywhere
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PALETTE = ("#00796b", "#ffb300", "#5c6bc0", "#e53935", "#8d6e63", "#43a047", "#8e24aa")
# Past seven series colours repeat, so each round of the palette gets its own marker and
# dash: two instructors never share a line that looks the same.
MARKERS = ("o", "s", "^", "D")
DASHES = ("-", "--", ":", "-.")


def _style(i: int) -> dict[str, Any]:  # Any: matplotlib types each keyword apart
    turn = i // len(PALETTE)
    return {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[turn % len(MARKERS)],
            "linestyle": DASHES[turn % len(DASHES)]}


def to_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), deterministic."""
    buf = io.StringIO()
    with rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _width(wanted: float) -> float:
    """Figure width in inches: grows with the data, but never so wide that the page
    scales it down until its text cannot be read (the SVG is shown at most ~9in wide)."""
    return min(max(4.5, wanted), 9.0)


def _figure(width: float, height: float) -> Figure:
    with rc_context(_RC):
        return Figure(figsize=(width, height))


MAX_TICK_LABELS = 36


def _ticks(ax: Any, labels: Sequence[str]) -> None:
    """Label every tick, or every n-th when there are too many to read (or to lay out:
    a time axis spanning decades has thousands of months, and laying out each label
    would take minutes)."""
    step = max(1, -(-len(labels) // MAX_TICK_LABELS))
    ax.set_xticks(range(0, len(labels), step), list(labels)[::step], rotation=30, ha="right")


def bars(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
         ylabel: str, xlabel: str = "", percent: bool = False,
         limit: float | None = None) -> str:
    """Grouped vertical bars: one group per label, one bar per series."""
    with rc_context(_RC):
        fig = _figure(_width(0.5 * len(labels) * max(1, len(series)) + 1.5), 3.2)
        ax = fig.add_subplot()
        n = max(1, len(series))
        width = 0.8 / n
        xs = list(range(len(labels)))
        for i, (name, values) in enumerate(series.items()):
            ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], list(values), width,
                   label=name, color=PALETTE[i % len(PALETTE)])
        if limit is not None:
            ax.axhline(limit, color="#555555", linewidth=1, linestyle="--")
        _ticks(ax, labels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        if percent:
            ax.set_ylim(0, 100)
        if len(series) > 1:
            ax.legend(frameon=False)
        return to_svg(fig)


def lines(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
          ylabel: str, xlabel: str = "", limit: float | None = None) -> str:
    """One line per series over the labels (months, for example)."""
    with rc_context(_RC):
        fig = _figure(_width(0.6 * len(labels) + 2.0), 3.2)
        ax = fig.add_subplot()
        xs = list(range(len(labels)))
        for i, (name, values) in enumerate(series.items()):
            ax.plot(xs, list(values), label=name, **_style(i))
        if limit is not None:
            ax.axhline(limit, color="#555555", linewidth=1, linestyle="--")
        _ticks(ax, labels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        if series:
            # Beside the plot, not on it: the legend never hides a line.
            ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        return to_svg(fig)
