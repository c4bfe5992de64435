"""A `kind: probabilities` chart: horizontal bars of one table's probability column."""

from __future__ import annotations

from report.brand.theme import Theme
from report.charts.style import STRIPES, stripe
from report.input.model import ProbabilityChart, Report

def plot(ax, chart: ProbabilityChart, report: Report, theme: Theme) -> None:
    table = report.table(chart.table)
    labels, values = table.labels(), table.probabilities()
    ys = list(range(len(labels)))[::-1]
    bars = []
    for y, label, value in zip(ys, labels, values):
        tone = table.tones.get(label, "neutral")
        ax.barh(y, value, height=0.62, color=theme.color(tone), edgecolor=theme.color(tone),
                linewidth=0.6)
        bars.append((value, y, tone))
        ax.annotate(f"{value:g}%", (value, y), xytext=(4, 0), textcoords="offset points",
                    va="center", ha="left", color=theme.color("ink"), fontweight="bold")
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, max(100, *values) if max(values) > 60 else max(values) * 1.25 + 5)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}%")
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    for value, y, tone in bars:
        stripe(ax, (0, y - 0.31, value, y + 0.31), STRIPES[tone])
