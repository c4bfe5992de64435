"""A `kind: combo` chart: columns on the left axis with lines on a second axis at the right (spending
as bars, earnings as a line), each axis titled above it, the columns' values labelled on them, every
series named in a legend whose keys are drawn as the series are.

Bars and lines take their looks from one assignment (report.charts.looks), so no line shares a
colour or pattern with a bar. Both axes' tick labels are measured and kept inside the chart's box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.charts import legend
from report.charts.bars import BAR_SHARE, BarData, label
from report.charts.fit import Measure, fit_axes, legend_layout, measuring_renderer
from report.charts.lines import _number
from report.charts.looks import colour, looks
from report.charts.style import stripe
from report.policy import POLICY

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.chartspec import ComboChart

_RULES = POLICY.charts


@dataclass(frozen=True)
class ComboData:
    bars: BarData  # the columns, on the left axis
    lines: tuple[tuple[str, str, tuple[float, ...]], ...]  # (name, tone, values), on the right axis
    y_label: str
    y2_label: str


def data(chart: ComboChart, report=None) -> ComboData:
    bars = BarData(tuple(chart.categories), tuple(s.name for s in chart.bars), tuple(s.tone for s in chart.bars),
                   tuple(tuple(s.values) for s in chart.bars), x_label=chart.x_label)
    return ComboData(bars, tuple((s.name, s.tone, tuple(s.values)) for s in chart.lines), chart.y_label, chart.y2_label)


@dataclass(frozen=True)
class Plan:
    height: float
    categories: tuple[str, ...]
    header: tuple[tuple[str, ...], tuple[str, ...]]  # the left and the right axis' titles, wrapped
    legend: tuple[tuple[str, ...], ...]
    legend_cols: int
    legend_height: float


def plan(d: ComboData, width: float, m: Measure, height: float | None = None) -> Plan:
    slot = (width - 12 * m.size) / len(d.bars.categories)
    cats = tuple("\n".join(m.wrap(c, slot - 3, 4) or m.wrap(c, slot - 3, 99) or [c]) for c in d.bars.categories)
    half = width / 2 - 6
    header = (tuple(m.wrap(d.y_label, half, 99) or [d.y_label]), tuple(m.wrap(d.y2_label, half, 99) or [d.y2_label]))
    names = list(d.bars.names) + [name for name, _, _ in d.lines]
    entries, cols, legend_h = legend_layout(names, width, m)
    lines = max(c.count("\n") + 1 for c in cats) + (1 if d.bars.x_label else 0)
    extra = max(len(h) for h in header) * m.line + 4 + (lines + 1) * m.line + legend_h + 2 * _RULES.pad
    least = width * _RULES.min_aspect + extra
    return Plan(max(height or width * _RULES.aspect + extra, least), cats, header, entries, cols, legend_h)


def heights(d: ComboData, width: float, m: Measure) -> tuple[float, float, float, float]:
    preferred = plan(d, width, m).height
    return (preferred, preferred - width * (_RULES.aspect - _RULES.min_aspect),
            preferred - width * (_RULES.aspect - _RULES.min_aspect), preferred + width * (_RULES.max_aspect - _RULES.aspect))


def plot(fig, d: ComboData, plan_: Plan, theme, m: Measure) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.add_axes((0, 0, 1, 1))
    right_ax = ax.twinx()
    n = len(d.bars.categories)
    styles = looks(list(d.bars.tones) + [tone for _, tone, _ in d.lines], theme.series)
    bar_looks, line_looks = styles[:len(d.bars.names)], styles[len(d.bars.names):]
    thick = BAR_SHARE / len(d.bars.names)
    centres = [[c - BAR_SHARE / 2 + thick * (k + 0.5) for c in range(n)] for k in range(len(d.bars.names))]
    for xs, values, look in zip(centres, d.bars.values, bar_looks):
        ax.bar(xs, values, width=thick * 0.92, color=colour(theme, look), edgecolor=colour(theme, look), linewidth=0.5)
    for (name, _, values), look in zip(d.lines, line_looks):
        right_ax.plot(range(n), values, color=colour(theme, look), linewidth=1.6, linestyle=look.dash,
                      marker=look.marker, markersize=4, zorder=4)
    ax.set_xticks(range(n), plan_.categories)
    ax.set_xlim(-0.6, n - 0.4)
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="x", visible=False)
    right_ax.grid(False)
    right_ax.spines["right"].set_visible(True)
    for axis in (ax, right_ax):
        axis.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v)))
    every = [v for s in d.bars.values for v in s]
    low, high = min(0.0, *every), max(0.0, *every)
    if low < 0:
        ax.axhline(0, color=theme.color("ink"), linewidth=0.7, zorder=2.5)
    if d.bars.x_label:
        ax.set_xlabel(d.bars.x_label)
    _fit(fig, ax, right_ax, d, plan_, low, high, m)
    places = None
    for xs, values, look in zip(centres, d.bars.values, bar_looks):
        for x, v in zip(xs, values):
            right_ax.annotate(label(d.bars, v, places), (x, v), xycoords=ax.transData, xytext=(0, 2 if v >= 0 else -2), textcoords="offset points",
                        ha="center", va="bottom" if v >= 0 else "top", color=theme.color("ink"),
                        fontsize=m.size * 0.9, fontweight="bold", annotation_clip=False, zorder=5,
                        bbox=dict(boxstyle="square,pad=0.1", facecolor="#FFFFFF", edgecolor="none"))
            stripe(ax, (x - thick * 0.46, min(0, v), x + thick * 0.46, max(0, v)), look.hatch)
    legend.draw(fig, plan_.legend, plan_.legend_cols, [("bar", k) for k in bar_looks] + [("line", k) for k in line_looks],
                theme, m)
    top = fig.bbox.height - _RULES.pad
    for lines, (x, ha) in zip(plan_.header, ((_RULES.pad, "left"), (fig.bbox.width - _RULES.pad, "right"))):
        for i, text in enumerate(lines):
            fig.text(x / fig.bbox.width, (top - i * m.line) / fig.bbox.height, text, ha=ha, va="top",
                     color=theme.color("muted"))


def _fit(fig, ax, right_ax, d: ComboData, plan_: Plan, low: float, high: float, m: Measure) -> None:
    """Both axes inside the box: the right axis' tick labels get room of their own, and the left
    axis room above the columns for their value labels."""
    renderer = measuring_renderer(fig)
    top = max(len(h) for h in plan_.header) * m.line + 3
    line_values = [v for _, _, values in d.lines for v in values]
    lo, hi = min(line_values), max(line_values)
    span = (hi - lo) or abs(hi) or 1.0
    right_ax.set_ylim(lo - 0.15 * span, hi + 0.25 * span)  # clear of the axis and the value labels
    ax.set_ylim(low, high or 1.0)
    for _ in range(3):
        right = max((t.get_window_extent(renderer).width for t in right_ax.get_yticklabels()
                     if t.get_text()), default=0.0) + 8
        fit_axes(fig, ax, renderer, top=top, bottom=plan_.legend_height, right=right)
        right_ax.set_position(ax.get_position())
        room = ax.get_window_extent().height
        need = m.line + 4
        span = (high - low) or 1.0
        scale = (room - need * (2 if low < 0 else 1)) / span
        ax.set_ylim(low - (need / scale if low < 0 else 0), high + need / scale)
