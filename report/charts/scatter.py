"""A `kind: scatter` chart: points of two measures (valuation against growth), each named beside its
point, both axes titled.

Labels are measured with the brand's metrics and placed beside their points, nudged outwards until
they touch neither another label nor a point (report.charts.fit.place_labels), always inside the
plot; a label moved away from its point gets a hairline to it. Groups of points take their looks
from the brand's series palette (colour and marker) and are named in a legend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.charts import legend
from report.charts.fit import Measure, fit_axes, legend_layout, measuring_renderer, place_labels
from report.charts.lines import _number
from report.charts.looks import colour, looks
from report.policy import POLICY

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.chartspec import ScatterChart

_RULES = POLICY.charts
ASPECT = 0.55  # a scatter needs height as much as width
LABEL_LINES = 2


@dataclass(frozen=True)
class ScatterData:
    labels: tuple[str, ...]
    x: tuple[float, ...]
    y: tuple[float, ...]
    groups: tuple[str, ...]  # "" for no group
    x_label: str
    y_label: str


def data(chart: ScatterChart, report=None) -> ScatterData:
    p = chart.points
    return ScatterData(tuple(q.label for q in p), tuple(q.x for q in p), tuple(q.y for q in p),
                       tuple(q.group or "" for q in p), chart.x_label, chart.y_label)


def group_names(d: ScatterData) -> list[str]:
    return list(dict.fromkeys(d.groups))


@dataclass(frozen=True)
class Plan:
    height: float
    labels: tuple[str, ...]  # wrapped
    header: tuple[str, ...]
    legend: tuple[tuple[str, ...], ...] = ()
    legend_cols: int = 1
    legend_height: float = 0.0


def plan(d: ScatterData, width: float, m: Measure, height: float | None = None) -> Plan:
    room = width * 0.22
    labels = tuple("\n".join(m.wrap(t, room, LABEL_LINES) or m.wrap(t, width * 0.5, 99) or [t]) for t in d.labels)
    header = tuple(m.wrap(d.y_label, width, 99) or [d.y_label])
    groups = [g for g in group_names(d) if g]
    entries, cols, legend_h = legend_layout(groups, width, m) if len(groups) > 1 else ((), 1, 0.0)
    extra = len(header) * m.line + 3 + 3 * m.line + legend_h + 2 * _RULES.pad
    least = width * (ASPECT - 0.1) + extra
    return Plan(max(height or width * ASPECT + extra, least), labels, header, entries, cols, legend_h)


def heights(d: ScatterData, width: float, m: Measure) -> tuple[float, float, float, float]:
    preferred = plan(d, width, m).height
    return preferred, preferred - width * 0.1, preferred - width * 0.1, preferred + width * 0.08


def plot(fig, d: ScatterData, plan_: Plan, theme, m: Measure) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.add_axes((0, 0, 1, 1))
    groups = group_names(d)
    styles = dict(zip(groups, looks(["neutral"] * len(groups), theme.series)))
    for g in groups:
        xs = [x for x, k in zip(d.x, d.groups) if k == g]
        ys = [y for y, k in zip(d.y, d.groups) if k == g]
        look = styles[g]
        ax.plot(xs, ys, linestyle="none", marker=look.marker, markersize=5.5, color=colour(theme, look),
                markeredgecolor="#FFFFFF", markeredgewidth=0.5, zorder=3)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        axis.set_major_formatter(FuncFormatter(lambda v, _: _number(v)))
    ax.margins(0.12)
    ax.set_xlabel("\n".join(m.wrap(d.x_label, fig.bbox.width * 0.9, 99) or [d.x_label]))
    top = len(plan_.header) * m.line + 3
    fit_axes(fig, ax, measuring_renderer(fig), top=top, bottom=plan_.legend_height)
    _label_points(ax, d, plan_, theme, m)
    if plan_.legend:
        named = [g for g in groups if g]
        legend.draw(fig, plan_.legend, plan_.legend_cols, [("point", styles[g]) for g in named], theme, m)
    for i, text in enumerate(plan_.header):
        fig.text(_RULES.pad / fig.bbox.width, (fig.bbox.height - _RULES.pad - i * m.line) / fig.bbox.height,
                 text, ha="left", va="top", color=theme.color("muted"))


def _label_points(ax, d: ScatterData, plan_: Plan, theme, m: Measure) -> None:
    to_display = ax.transData.transform
    points = [tuple(float(v) for v in to_display((x, y))) for x, y in zip(d.x, d.y)]
    dots = [(x - 3.5, y - 3.5, x + 3.5, y + 3.5) for x, y in points]
    sizes = [(m.width(t) + 2, t.count("\n") * m.line + m.size * 1.15) for t in plan_.labels]
    box = ax.get_window_extent()
    spots = place_labels(points, sizes, (box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1), dots, radius=3.5)
    ink = theme.color("ink")
    for text, (x, y), spot in zip(plan_.labels, points, spots):
        cx, cy = (spot[0] + spot[2]) / 2, (spot[1] + spot[3]) / 2
        far = max(spot[0] - x, x - spot[2], spot[1] - y, y - spot[3]) > 8
        ax.annotate(text, (x, y), xycoords="figure points", xytext=(cx, cy), textcoords="figure points",
                    ha="center", va="center", color=ink, annotation_clip=False, linespacing=1.2, zorder=5,
                    arrowprops=dict(arrowstyle="-", color=theme.color("muted"), linewidth=0.5, shrinkA=0,
                                    shrinkB=3) if far else None)
