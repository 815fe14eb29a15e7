"""Charts for the private reports, as SVG text to embed in HTML.

matplotlib writes a creation date and random ids into SVG files by default;
both are pinned here (``metadata={"Date": None}`` and ``svg.hashsalt``) so
the same figures give byte-identical files, like every other output.
Text stays text (``svg.fonttype: none``): small files, and no glyph ids that
would clash when several charts share one page.

Each chart is a pure function of its arguments, so during a build it is
kept in the build cache (:mod:`trainkit.writers.memo`): a rebuild draws only
the charts whose numbers or words changed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from types import SimpleNamespace
from typing import Any

import numpy

from trainkit.writers.memo import remembered


@cache
def _mpl() -> Any:
    """matplotlib, imported on the first chart drawn: a build whose charts all come
    from the build cache (:mod:`trainkit.writers.memo`) never pays for importing it."""
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede pyplot-free figure use in threads
    from matplotlib import colormaps, rc_context, rcParams
    from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import MaxNLocator

    heat = ListedColormap(colormaps["YlGnBu"](numpy.linspace(0.12, 1.0, 256))).with_extremes(
        over="#c62828", bad="#f4f4f4")
    return SimpleNamespace(rc_context=rc_context, rcParams=rcParams,
                           BoundaryNorm=BoundaryNorm,
                           ListedColormap=ListedColormap, Normalize=Normalize, Figure=Figure,
                           Patch=Patch, Rectangle=Rectangle, MaxNLocator=MaxNLocator,
                           HEAT=heat)


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


def to_svg(fig: Any, inside: Callable[[], object] | None = None) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), deterministic, cropped to what
    it shows, as ``bbox_inches="tight"`` crops it.

    The figure is drawn once: the crop is measured on the renderer that has just drawn it
    (matplotlib's ``draw_event``) and applied as the SVG's ``viewBox``. ``savefig`` with
    ``bbox_inches="tight"`` draws every figure twice, once to measure and once to write,
    and a chart cost half again as much. ``inside`` adds artists that lie within what the
    figure already shows (the labels inside a heatmap's cells, ``in_layout=False``): they
    are drawn, but do not move the crop.
    """
    m = _mpl()
    if inside is not None:
        inside()
    boxes: list[Any] = []
    watch = fig.canvas.mpl_connect("draw_event",
                                   lambda event: boxes.append(fig.get_tightbbox(event.renderer)))
    buf = io.StringIO()
    try:
        with m.rc_context(_RC):
            fig.savefig(buf, format="svg", metadata={"Date": None},
                        dpi=72 if inside is not None else None)
            pad = m.rcParams["savefig.pad_inches"]
    finally:
        fig.canvas.mpl_disconnect(watch)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    return _cropped(text, boxes[-1].padded(pad), fig.get_size_inches()[1])


_SVG_SIZE = re.compile(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"')


def _cropped(svg: str, box: Any, height: float) -> str:
    """``svg`` (a whole figure ``height`` inches high) showing only ``box`` (in inches,
    from the bottom left; SVG counts from the top, in points)."""
    def pt(inches: float) -> str:
        return f"{inches * 72:f}".rstrip("0").rstrip(".")

    head = svg.index(">")
    size = (f'width="{pt(box.width)}pt" height="{pt(box.height)}pt" '
            f'viewBox="{pt(box.x0)} {pt(height - box.y1)} {pt(box.width)} {pt(box.height)}"')
    return _SVG_SIZE.sub(size, svg[:head], count=1) + svg[head:]


def _width(wanted: float) -> float:
    """Figure width in inches: grows with the data, but never so wide that the page
    scales it down until its text cannot be read (the SVG is shown at most ~9in wide)."""
    return min(max(4.5, wanted), 9.0)


def _figure(width: float, height: float) -> Any:
    m = _mpl()
    with m.rc_context(_RC):
        return m.Figure(figsize=(width, height))


MAX_TICK_LABELS = 36
SMALL = 1e5  # values below this are labelled in full, without an offset (see _title)


def _title(ax: Any, title: str, fixed: bool = True) -> None:
    """The chart's title, just above the frame. ``fixed``: set there, where matplotlib would
    put it when no tick labels and no offset text ("1e6") lie above the frame, which is
    the case for every chart here with a value axis of ``SMALL`` values or labelled rows.
    Otherwise matplotlib measures what lies above the frame at each drawing, twice per
    chart (the drawing and the crop): about a fifth of the time of a bar chart.
    """
    if fixed:
        ax.set_title(title, y=1.0)
    else:
        ax.set_title(title)


def _ticks(ax: Any, labels: Sequence[str]) -> None:
    """Label every tick, or every n-th when there are too many to read (or to lay out:
    a time axis spanning decades has thousands of months, and laying out each label
    would take minutes)."""
    step = max(1, -(-len(labels) // MAX_TICK_LABELS))
    ax.set_xticks(range(0, len(labels), step), list(labels)[::step], rotation=30, ha="right")


@remembered
def bars(labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str,
         ylabel: str, xlabel: str = "", percent: bool = False,
         limit: float | None = None, whole: bool = False) -> str:
    """Grouped vertical bars: one group per label, one bar per series (``whole``: counts,
    so the value axis is marked at whole numbers only)."""
    with _mpl().rc_context(_RC):
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
        # Values this small have no offset or power of ten above the value axis, the only
        # thing that could lift the title off the frame: it is set there, not measured.
        small = all(abs(v) < SMALL for values in series.values() for v in values)
        _title(ax, title, fixed=percent or small)
        if percent:
            ax.set_ylim(0, 100)
        if whole:
            ax.yaxis.set_major_locator(_mpl().MaxNLocator(integer=True))
        if len(series) > 1:
            ax.legend(frameon=False)
        return to_svg(fig)


# Sequential, light to dark: a pale cell is a quiet month, a dark one a full one. The scale
# starts at a clear yellow, not white, so that 3% still reads as "some". Past the top (over
# the maximum) the cell turns red, whatever the colours below mean. A cell without a value
# is the faintest grey (nothing that month), or mid grey when it has a label (hours of an
# instructor without a maximum: there is nothing to colour them against).
NO_SCALE = "#cfcfcf"


@remembered
def heatmap(rows: Sequence[str], columns: Sequence[str],
            values: Sequence[Sequence[float | None]], *, title: str, xlabel: str = "",
            colorbar: str = "", vmax: float = 100.0,
            labels: Sequence[Sequence[str]] | None = None) -> str:
    """A grid of rows x columns coloured on a fixed 0..``vmax`` scale, each cell labelled.

    ``labels`` gives each cell's text (default: the value as a whole percentage; a
    ``None`` value is a grey cell, labelled only if ``labels`` says so). The scale is
    fixed, not fitted to the data, so one colour means the same in every build.
    """
    texts = labels or [["" if v is None else f"{v:.0f}%" for v in row] for row in values]
    m = _mpl()
    with m.rc_context(_RC):
        fig = _figure(_width(0.7 * len(columns) + 3.0), 0.4 * len(rows) + 1.4)
        ax = fig.add_subplot()
        grid = [[float("nan") if v is None else v for v in row] for row in values]
        # "none": the SVG holds one pixel per cell, scaled up without smoothing by the
        # viewer, not an image resampled to the size of the page.
        image = ax.imshow(grid, cmap=m.HEAT, norm=m.Normalize(0, vmax), aspect="auto",
                          interpolation="none")
        for y, row in enumerate(values):
            for x, value in enumerate(row):
                if value is None and texts[y][x]:
                    ax.add_patch(m.Rectangle((x - 0.5, y - 0.5), 1, 1, color=NO_SCALE))
        # White lines between the cells: each month of each person reads as its own box.
        # Two collections of lines, above the cells and below their labels (where a grid
        # would be drawn): a grid on minor ticks made two text labels per line, to draw.
        ax.vlines([x - 0.5 for x in range(1, len(columns))], -0.5, len(rows) - 0.5,
                  colors="#ffffff", linewidths=2, zorder=1.5)
        ax.hlines([y - 0.5 for y in range(1, len(rows))], -0.5, len(columns) - 0.5,
                  colors="#ffffff", linewidths=2, zorder=1.5)
        ax.set_xticks(range(len(columns)), list(columns), rotation=30 if len(columns) > 5 else 0,
                      ha="right" if len(columns) > 5 else "center", rotation_mode="anchor")
        ax.set_yticks(range(len(rows)), list(rows))
        ax.set_xlim(-0.5, len(columns) - 0.5)  # white cells at the edges stay inside the frame
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.tick_params(length=0, left=False, bottom=False)  # names and months, no marks
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_xlabel(xlabel)
        _title(ax, title)  # the rows are names: nothing above them to make room for
        bar = fig.colorbar(image, ax=ax, extend="max", fraction=0.04, pad=0.02)
        bar.set_label(colorbar)
        bar.outline.set_visible(False)

        def cell_labels() -> None:
            # Inside their cells, framed by the names, months, title and colour bar: they
            # never widen the figure, so it is measured without them.
            for y, row in enumerate(values):
                for x, value in enumerate(row):
                    if texts[y][x]:
                        ax.text(x, y, texts[y][x], ha="center", va="center", fontsize=8,
                                color=_ink(value, vmax), in_layout=False)

        return to_svg(fig, cell_labels)


def _ink(value: float | None, vmax: float) -> str:
    """Text colour that stays readable on the cell: white on dark and red cells."""
    return "#ffffff" if value is not None and value >= 0.55 * vmax else "#222222"


@remembered
def category_grid(rows: Sequence[str], columns: Sequence[str],
                  cells: Sequence[Sequence[int]], *, colors: Sequence[str],
                  names: Sequence[str], title: str) -> str:
    """A grid of categories: ``cells[r][c]`` indexes ``colors`` and ``names`` (the legend)."""
    m = _mpl()
    with m.rc_context(_RC):
        fig = _figure(_width(0.55 * len(columns) + 3.0), min(0.22 * len(rows) + 1.6, 24.0))
        ax = fig.add_subplot()
        cmap = m.ListedColormap(list(colors))
        norm = m.BoundaryNorm([i - 0.5 for i in range(len(colors) + 1)], len(colors))
        ax.imshow([list(r) for r in cells] or [[0] * len(columns)], cmap=cmap, norm=norm,
                  aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(columns)), list(columns), rotation=30, ha="right")
        ax.set_yticks(range(len(rows)), list(rows), fontsize=7)
        _title(ax, title)  # the rows are names: nothing above them to make room for
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        handles = [m.Patch(facecolor=c, edgecolor="#999999", label=n)
                   for c, n in zip(colors, names, strict=True)]
        ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper left",
                  bbox_to_anchor=(1.01, 1))
        return to_svg(fig)
