"""A `kind: lines` chart: lines over a shared x axis, each series named at its end."""

from __future__ import annotations

from report.brand.theme import Theme
from report.charts.style import LINE_STYLE, MARKER, end_labels
from report.input.model import LineChart

def plot(ax, chart: LineChart, theme: Theme) -> None:
    xs = list(range(len(chart.x)))
    step = max(1, len(xs) // 6)
    ends = []
    for series in chart.series:
        color = theme.color(series.tone)
        ax.plot(xs, series.values, color=color, linewidth=1.6, linestyle=LINE_STYLE[series.tone],
                marker=MARKER[series.tone], markevery=step, markersize=4)
        ends.append(((xs[-1], series.values[-1]), series.name, color))
    labels = [chart.x[i] if i % step == 0 or i == len(xs) - 1 else "" for i in xs]
    ax.set_xticks(xs, labels)
    ax.set_xlim(xs[0], xs[-1])
    ax.margins(x=0)
    if chart.x_label:
        ax.set_xlabel(chart.x_label)
    if chart.y_label:
        ax.set_ylabel(chart.y_label)
    end_labels(ax, ends, theme.sizes.chart * 1.4, offset=5)  # after the axes know their limits
    if chart.illustrative:
        ax.text(0.01, 0.03, "Illustrative, not a forecast", transform=ax.transAxes, ha="left",
                va="bottom", color=theme.color("muted"), fontstyle="italic")
