"""A `kind: probabilities` chart: horizontal bars of one table's probability column.

Row labels stand left of their bars, wrapped to a few lines so that a long label never pushes the
chart off the page; each bar's value stands beside its end, in room kept for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.charts.fit import Measure, fit_axes, measuring_renderer
from report.charts.looks import colour, looks
from report.charts.style import stripe
from report.policy import POLICY

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.model import ProbabilityChart, Report

_RULES = POLICY.charts


@dataclass(frozen=True)
class Bars:
    labels: tuple[str, ...]
    values: tuple[float, ...]
    tones: tuple[str, ...]
    texts: tuple[str, ...] = ()  # each value as the table prints it (report.numbers.format_number)


def data(chart: ProbabilityChart, report: Report) -> Bars:
    from report.numbers import format_number

    table = report.table(chart.table)
    labels = tuple(table.labels())
    fmt = table.formats()[table.names.index(table.probability)]
    values = tuple(table.probabilities())
    return Bars(labels, values, tuple(table.row_tones()), tuple(format_number(v, fmt) for v in values))


@dataclass(frozen=True)
class Plan:
    height: float
    labels: tuple[str, ...]  # wrapped row labels


def value_text(v: float) -> str:
    return f"{v:g}%"


def plan(bars: Bars, width: float, m: Measure, height: float | None = None) -> Plan:
    room = width * _RULES.bar_label_share
    wrapped = []
    for label in bars.labels:
        lines = m.wrap(label, room, _RULES.bar_label_lines) or m.wrap(label, width * 0.6, 99) or [label]
        wrapped.append("\n".join(lines))
    tallest = max(w.count("\n") + 1 for w in wrapped)
    pitch = max(_RULES.bar_pitch, tallest * m.line + 5)
    height = max(height or 0.0, len(bars.labels) * pitch + 3 * m.line + 2 * _RULES.pad)
    return Plan(height, tuple(wrapped))


def heights(bars: Bars, width: float, m: Measure) -> tuple[float, float, float, float]:
    """(preferred, least, tightest, tallest) height: bars keep their pitch, so all are the same."""
    height = plan(bars, width, m).height
    return height, height, height, height


def plot(fig, bars: Bars, plan_: Plan, theme, m: Measure) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.add_axes((0, 0, 1, 1))
    ys = list(range(len(bars.labels)))[::-1]
    styles = looks(bars.tones, theme.series)
    for y, value, look in zip(ys, bars.values, styles):
        ax.barh(y, value, height=0.62, color=colour(theme, look), edgecolor=colour(theme, look), linewidth=0.6)
    ax.set_yticks(ys, plan_.labels)
    top = max(max(bars.values), 1.0)
    step = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)[1]
    ax.set_xlim(0, min(100.0, step * math.ceil(top / step)) if top < 100 else top)  # ends on a tick
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: value_text(v)))
    ax.set_ylim(-0.6, len(bars.labels) - 0.4)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    right = max(m.width(t, bold=True) for t in bars.texts) + 6
    fit_axes(fig, ax, measuring_renderer(fig), right=right)
    for y, value, text, look in zip(ys, bars.values, bars.texts, styles):
        ax.annotate(text, (value, y), xytext=(4, 0), textcoords="offset points", va="center",
                    ha="left", color=theme.color("ink"), fontweight="bold", annotation_clip=False)
        stripe(ax, (0, y - 0.31, value, y + 0.31), look.hatch)
