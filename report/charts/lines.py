"""Line charts: lines over a shared x axis, each series named at its end, or in a legend below when
the names cannot stand there. Used by `kind: lines` and by the probability history.

Layout, top to bottom: a header line (the y axis' unit at the left, the "Illustrative" stamp at the
right, where no data can be), the plot with its tick labels and end labels, the x axis label, the
legend. Every label is planned with the brand's font metrics before anything is drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.charts import marks as marking
from report.charts.fit import Measure, fit_axes, legend_layout, measuring_renderer, stack
from report.charts.looks import colour, looks
from report.charts.marks import Marks, marks_of
from report.policy import POLICY

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.model import LineChart

STAMP = "Illustrative, not a forecast"
_RULES = POLICY.charts


@dataclass(frozen=True)
class Line:
    name: str  # the series' name, as written
    tone: str
    values: tuple[float | None, ...]  # None: no value at that x
    end: str  # its end label, e.g. "Bear" or "Bear 30%"


@dataclass(frozen=True)
class Shade:
    """A shaded range between two of the lines (by index), named in the legend."""

    name: str
    low: int
    high: int


@dataclass(frozen=True)
class LineData:
    """What a line chart shows, whichever input it comes from."""

    x: tuple[str, ...]
    lines: tuple[Line, ...]
    x_label: str | None = None
    y_label: str | None = None
    illustrative: bool = False
    percent: bool = False  # y values are percentages (ticks "30%")
    from_zero: bool = False  # the y axis starts at 0
    aspect: float = _RULES.aspect
    elastic: bool = True  # may be drawn lower or taller than its aspect to suit the page
    marks: Marks = Marks()  # annotations and reference lines
    bands: tuple[Shade, ...] = ()  # shaded ranges (kind: band)


def data(chart: LineChart, report=None) -> LineData:
    return LineData(tuple(chart.x), tuple(Line(s.name, s.tone, tuple(s.values), s.name) for s in chart.series),
                    chart.x_label, chart.y_label, chart.illustrative, marks=marks_of(chart))


@dataclass(frozen=True)
class Plan:
    height: float
    header: tuple[str, ...]  # the y label's lines
    stamp_apart: bool  # the stamp needs a line of its own under the header
    ends: tuple[tuple[str, ...], ...] | None  # each line's wrapped end label; None: a legend instead
    legend: tuple[tuple[str, ...], ...] = ()
    legend_cols: int = 1

    @property
    def header_lines(self) -> int:
        return len(self.header) + (1 if self.stamp_apart else 0)


def plan(data: LineData, width: float, m: Measure, height: float | None = None) -> Plan:
    """The chart's labels and height: `height` when given (within `heights`), else the preferred one.

    End labels or a legend is decided at the least height, so the choice never depends on where
    the chart falls on a page."""
    header, apart = _header(data, width, m)
    top = (len(header) + apart) * m.line + 4
    least = width * data.aspect * (_RULES.tight_aspect / _RULES.aspect if data.elastic else 1.0)
    room = least - 3 * m.line - (m.line if data.x_label else 0)  # the plot's own height, about
    ends = _end_labels(data, width, room, m)
    names = [b.name for b in data.bands] + ([line.name for line in data.lines] if ends is None else [])
    legend, cols, legend_h = legend_layout(names, width, m) if names else ((), 1, 0.0)
    extra = top + legend_h
    if height is None:
        height = width * data.aspect + extra
    return Plan(max(height, least + extra), header, apart, ends, legend, cols)


def heights(data: LineData, width: float, m: Measure) -> tuple[float, float, float, float]:
    """(preferred, least, tightest, tallest) height of the chart at `width`: it may shrink to let its
    figure stay where it is written, or grow to fill a page."""
    preferred = plan(data, width, m).height
    if not data.elastic:
        return preferred, preferred, preferred, preferred
    return tuple(preferred - width * data.aspect * (1 - a / _RULES.aspect)
                 for a in (_RULES.aspect, _RULES.min_aspect, _RULES.tight_aspect, _RULES.max_aspect))


def _header(data: LineData, width: float, m: Measure) -> tuple[tuple[str, ...], bool]:
    stamp = m.width(STAMP, italic=True) + 12 if data.illustrative else 0
    if not data.y_label:  # the stamp still takes a line above the plot, where no line can end
        return (), bool(stamp)
    lines = m.wrap(data.y_label, width - stamp, 1) if stamp else None
    if lines:
        return tuple(lines), False
    return tuple(m.wrap(data.y_label, width, 99) or [data.y_label]), bool(stamp)


def _end_labels(data: LineData, width: float, room: float, m: Measure):
    share = width * _RULES.end_label_share
    wrapped = [m.wrap(line.end, share, _RULES.end_label_lines, bold=True) for line in data.lines]
    if any(w is None for w in wrapped):
        return None
    need = sum(len(w) * m.line for w in wrapped) + _RULES.end_label_gap * (len(wrapped) - 1)
    return tuple(tuple(w) for w in wrapped) if need <= room else None


def plot(fig, data: LineData, plan_: Plan, theme, m: Measure) -> None:
    ax = fig.add_axes((0, 0, 1, 1))
    xs = list(range(len(data.x)))
    step = max(1, len(xs) // 6)
    handles = _shades(ax, data, xs, theme)
    for line, look in zip(data.lines, looks([line.tone for line in data.lines], theme.series)):
        values = [math.nan if v is None else v for v in line.values]
        handles += ax.plot(xs, values, color=colour(theme, look), linewidth=1.6,
                           linestyle=look.dash, marker=look.marker,
                           markevery=step if len(xs) > 12 else None, markersize=4)
    ax.set_xlim(xs[0], xs[-1])
    ax.margins(x=0)
    _y_axis(ax, data)
    if data.x_label:
        ax.set_xlabel("\n".join(m.wrap(data.x_label, fig.bbox.width * 0.9, 99) or [data.x_label]))
    renderer = measuring_renderer(fig)
    top = plan_.header_lines * m.line + (3 if plan_.header_lines else 0)
    bottom = 0.0
    if plan_.legend:
        if plan_.ends is not None:
            handles = handles[:len(data.bands)]
        legend = fig.legend(handles, ["\n".join(e) for e in plan_.legend], loc="lower center",
                            bbox_to_anchor=(0.5, _RULES.pad / fig.bbox.height), ncols=plan_.legend_cols,
                            borderaxespad=0, borderpad=0, handlelength=2, columnspacing=2)
        bottom = legend.get_window_extent(renderer).height + 6
    right = (max(m.width("\n".join(e), bold=True) for e in plan_.ends) + 6) if plan_.ends else 4
    for _ in range(2):  # ticks depend on the plot's width, the plot's width on the ticks
        fit_axes(fig, ax, renderer, right=right, top=top, bottom=bottom)
        _x_ticks(ax, data, m)
    fit_axes(fig, ax, renderer, right=right, top=top, bottom=bottom)
    if plan_.ends is not None:
        _place_ends(ax, data, plan_, theme, m)
    marking.draw(ax, data.marks, theme, m, _along_lines(ax, data))
    _place_header(fig, plan_, theme, m, data.illustrative)


def _along_lines(ax, data: LineData) -> list:
    """Small boxes along every line (display units): what a mark's label should not cover."""
    to_display = ax.transData.transform
    out = []
    for line in data.lines:
        known = [tuple(to_display((x, v))) for x, v in enumerate(line.values) if v is not None]
        for (x0, y0), (x1, y1) in zip(known, known[1:]):
            steps = max(1, int(math.hypot(x1 - x0, y1 - y0) // 6))
            out += [(x0 + (x1 - x0) * t / steps - 2, y0 + (y1 - y0) * t / steps - 2,
                     x0 + (x1 - x0) * t / steps + 2, y0 + (y1 - y0) * t / steps + 2) for t in range(steps + 1)]
    return out


def _shades(ax, data: LineData, xs: list[int], theme) -> list:
    """Fill each band between its two lines, under them; the legend's handles for the bands."""
    from matplotlib.patches import Patch

    handles = []
    for k, band in enumerate(data.bands):
        low, high = data.lines[band.low].values, data.lines[band.high].values
        known = [i for i in xs if low[i] is not None and high[i] is not None]
        tint = _tint(theme.color("muted"), 0.22 - 0.07 * k)
        ax.fill_between(known, [low[i] for i in known], [high[i] for i in known], color=tint,
                        linewidth=0, zorder=1)
        handles.append(Patch(facecolor=tint, edgecolor="none"))
    return handles


def _tint(hexcode: str, share: float) -> str:
    """`share` of the colour on white paper, as an opaque colour (prints the same everywhere)."""
    rgb = [int(hexcode[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - share * (255 - c)):02X}" for c in rgb)


def _y_axis(ax, data: LineData) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    known = [v for line in data.lines for v in line.values if v is not None] + data.marks.values()
    locator = MaxNLocator(nbins=4 if data.from_zero else 5, steps=[1, 2, 2.5, 5, 10])
    if data.from_zero:  # from 0 to the first tick above the data
        top = max(max(known) * 1.08, 1.0)
        step = locator.tick_values(0, top)[1]
        ax.set_ylim(0, step * math.ceil(top / step))
    elif data.marks.values():  # a reference level or marked value beyond the lines stays in view
        ax.update_datalim([(0, v) for v in data.marks.values()])
        ax.autoscale_view()
    ax.yaxis.set_major_locator(locator)
    suffix = "%" if data.percent else ""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v) + suffix))


def _number(v: float) -> str:
    text = f"{v:,.10f}".rstrip("0").rstrip(".")
    return ("\u2212" + text[1:]) if text.startswith("-") else ("0" if text == "-0" else text)


def _x_ticks(ax, data: LineData, m: Measure) -> None:
    """Every step-th x label, counted back from the last (which is always named), none touching."""
    n = len(data.x)
    fig = ax.figure
    plot_w = ax.get_position().width * fig.bbox.width
    spacing = plot_w / max(n - 1, 1)
    room = max(spacing * n / 2, m.size * 3)
    labels = ["\n".join(m.wrap(x, min(room, plot_w / 3), 2) or [x]) for x in data.x]
    widest = max(m.width(label) for label in labels)
    step = max(1, math.ceil((widest + _RULES.tick_gap) / spacing), math.ceil((n - 1) / (_RULES.max_ticks - 1)))
    ticks = [i for i in range(n) if (n - 1 - i) % step == 0]
    ax.set_xticks(ticks, [labels[i] for i in ticks])


def _place_ends(ax, data: LineData, plan_: Plan, theme, m: Measure) -> None:
    """Each end label beside its line's last point, nudged apart so that none touch."""
    to_display = ax.transData.transform
    box = ax.get_window_extent()
    ends, targets, heights = [], [], []
    for line, look, label in zip(data.lines, looks([line.tone for line in data.lines], theme.series), plan_.ends):
        known = [(x, v) for x, v in enumerate(line.values) if v is not None]
        if not known:
            continue
        x, v = known[-1]
        ends.append((colour(theme, look), label, x, v))
        targets.append(float(to_display((x, v))[1]))
        heights.append(len(label) * m.line)
    ceiling = ax.figure.bbox.height - _RULES.pad  # (a label may rise half a line above the plot)
    placed = stack(targets, heights, box.y0, min(box.y1 + m.size / 2, ceiling)) or stack(
        targets, heights, _RULES.pad, ceiling) or targets
    for (ink, label, x, v), y, target in zip(ends, placed, targets):
        ax.annotate("\n".join(label), (x, v), xytext=(box.x1 - to_display((x, v))[0] + 5, y - target),
                    textcoords="offset points", va="center", ha="left", color=ink,
                    fontweight="bold", annotation_clip=False, linespacing=1.2)


def _place_header(fig, plan_: Plan, theme, m: Measure, illustrative: bool) -> None:
    top = fig.bbox.height - _RULES.pad
    muted = theme.color("muted")
    for i, text in enumerate(plan_.header):
        fig.text(_RULES.pad / fig.bbox.width, (top - i * m.line) / fig.bbox.height, text,
                 ha="left", va="top", color=muted)
    if illustrative:
        row = len(plan_.header) if plan_.stamp_apart else 0
        fig.text(1 - _RULES.pad / fig.bbox.width, (top - row * m.line) / fig.bbox.height, STAMP,
                 ha="right", va="top", color=muted, fontstyle="italic")
