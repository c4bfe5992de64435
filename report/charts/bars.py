"""A `kind: bars` chart: columns (or horizontal bars) of categories × series, grouped or stacked,
negative values below (left of) the zero line, each value labelled on its bar.

Planned before drawing with the brand's metrics: category labels wrapped to their slot (columns) or
to a share of the width (bars); room kept beyond the bars' ends for their value labels; a stacked
segment's value inside it where it fits, else beside it, clear of the other bars and labels. Columns
whose category or value labels cannot fit under or above them are drawn as horizontal bars instead,
so that no label is ever cut or overlaps its neighbour. Several series are named in a legend whose
keys carry each series' hatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from report.charts import legend
from report.charts.fit import Measure, fit_axes, legend_layout, measuring_renderer, place_labels
from report.charts.lines import _number
from report.charts.looks import colour, looks
from report.charts.style import stripe
from report.policy import POLICY

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.chartspec import BarChart

_RULES = POLICY.charts
BAR_SHARE = 0.78  # of a category's slot taken by its bars; the rest parts the groups
COLUMN_LABEL_LINES = 4


@dataclass(frozen=True)
class BarData:
    categories: tuple[str, ...]
    names: tuple[str, ...]
    tones: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # per series, one per category
    horizontal: bool = False
    stacked: bool = False
    x_label: str | None = None
    y_label: str | None = None
    prefix: str = ""
    suffix: str = ""


def data(chart: BarChart, report=None) -> BarData:
    return BarData(tuple(chart.categories), tuple(s.name for s in chart.series), tuple(s.tone for s in chart.series),
                   tuple(tuple(s.values) for s in chart.series), chart.horizontal, chart.stacked,
                   chart.x_label, chart.y_label, chart.prefix or "", chart.suffix or "")


def decimals(values) -> int:
    """The decimals of the most precise value, so that every label of a chart shows as many."""
    return min(4, max((len(_number(abs(v)).partition(".")[2]) for v in values), default=0))


def label(d: BarData, v: float, places: int | None = None) -> str:
    """A value as its bar's label: the chart's decimals, a true minus, the prefix and suffix."""
    places = decimals(v for s in d.values for v in s) if places is None else places
    text = f"{abs(v):,.{places}f}"
    return ("\u2212" if v < 0 and float(text.replace(",", "")) != 0 else "") + d.prefix + text + d.suffix


def tick(d: BarData, v: float) -> str:
    if abs(v) < 1e-12:
        return "0"
    return ("\u2212" if v < 0 else "") + d.prefix + _number(abs(v)) + d.suffix


@dataclass(frozen=True)
class Plan:
    height: float
    horizontal: bool
    categories: tuple[str, ...]  # wrapped
    header: tuple[str, ...]
    title: tuple[str, ...]  # the axis title under the plot
    legend: tuple[tuple[str, ...], ...] = ()
    legend_cols: int = 1
    legend_height: float = 0.0


def _per_group(d: BarData) -> int:
    return 1 if d.stacked else len(d.names)


def _columns_fit(d: BarData, width: float, m: Measure) -> tuple[str, ...] | None:
    """The wrapped category labels when columns fit their labels, else None (draw bars)."""
    slot = (width - 6 * m.size) / len(d.categories)
    bar = slot * BAR_SHARE / _per_group(d)
    widest_value = max(m.width(label(d, v)) for s in d.values for v in s) * 0.9
    if not d.stacked and widest_value > bar + slot * (1 - BAR_SHARE) / max(_per_group(d), 1):
        return None
    wrapped = [m.wrap(c, slot - 3, COLUMN_LABEL_LINES) for c in d.categories]
    return None if any(w is None for w in wrapped) else tuple("\n".join(w) for w in wrapped)


def plan(d: BarData, width: float, m: Measure, height: float | None = None) -> Plan:
    columns = None if d.horizontal else _columns_fit(d, width, m)
    horizontal = columns is None
    header_text, title_text = (d.x_label, d.y_label) if horizontal else (d.y_label, d.x_label)
    header = tuple(m.wrap(header_text, width, 99) or [header_text]) if header_text else ()
    title = tuple(m.wrap(title_text, width * 0.9, 99) or [title_text]) if title_text else ()
    entries, cols, legend_h = legend_layout(list(d.names), width, m) if len(d.names) > 1 else ((), 1, 0.0)
    extra = len(header) * m.line + len(title) * m.line + legend_h + 2 * _RULES.pad + 4
    if horizontal:
        room = width * _RULES.bar_label_share
        cats = tuple("\n".join(m.wrap(c, room, _RULES.bar_label_lines) or m.wrap(c, width * 0.6, 99) or [c])
                     for c in d.categories)
        tallest = max(c.count("\n") + 1 for c in cats)
        pitch = max(_RULES.bar_pitch * (0.62 + 0.55 * _per_group(d)), tallest * m.line + 5)
        least = len(cats) * pitch + 2 * m.line + extra
    else:
        cats = columns
        lines = max(c.count("\n") + 1 for c in cats)
        least = width * _RULES.min_aspect + (lines + 2) * m.line + extra
    preferred = least if horizontal else width * _RULES.aspect + (lines + 2) * m.line + extra
    return Plan(max(height or preferred, least), horizontal, cats, header, title, entries, cols, legend_h)


def heights(d: BarData, width: float, m: Measure) -> tuple[float, float, float, float]:
    """Columns may lower or grow with the page; horizontal bars keep their pitch."""
    p = plan(d, width, m)
    if p.horizontal:
        return p.height, p.height, p.height, p.height
    least = p.height - width * (_RULES.aspect - _RULES.min_aspect)
    return p.height, least, least, p.height + width * (_RULES.max_aspect - _RULES.aspect)


def _geometry(d: BarData) -> list[list[tuple[float, float, float, float]]]:
    """Per series, per category: (centre, thickness, start, end) of each bar, in data units."""
    n = _per_group(d)
    thick = BAR_SHARE / n
    ups, downs = [0.0] * len(d.categories), [0.0] * len(d.categories)
    out = []
    for k, values in enumerate(d.values):
        bars = []
        for c, v in enumerate(values):
            centre = c if d.stacked else c - BAR_SHARE / 2 + thick * (k + 0.5)
            if d.stacked:
                base = ups[c] if v >= 0 else downs[c]
                if v >= 0:
                    ups[c] += v
                else:
                    downs[c] += v
                bars.append((centre, thick, base, base + v))
            else:
                bars.append((centre, thick, 0.0, v))
        out.append(bars)
    return out


def plot(fig, d: BarData, plan_: Plan, theme, m: Measure) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax = fig.add_axes((0, 0, 1, 1))
    geometry = _geometry(d)
    styles = looks(d.tones, theme.series)
    horizontal = plan_.horizontal
    n = len(d.categories)
    for bars, look in zip(geometry, styles):
        ink = colour(theme, look)
        for centre, thick, start, end in bars:
            if horizontal:
                ax.barh(n - 1 - centre, end - start, height=thick * 0.92, left=start, color=ink, edgecolor=ink, linewidth=0.5)
            else:
                ax.bar(centre, end - start, width=thick * 0.92, bottom=start, color=ink, edgecolor=ink, linewidth=0.5)
    value_axis, category_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    positions = [n - 1 - c for c in range(n)] if horizontal else list(range(n))
    (ax.set_yticks if horizontal else ax.set_xticks)(positions, plan_.categories)
    (ax.set_ylim if horizontal else ax.set_xlim)(-0.6, n - 0.4)
    ax.grid(axis="y" if horizontal else "x", visible=False)
    ax.tick_params(axis="y" if horizontal else "x", length=0)
    value_axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    value_axis.set_major_formatter(FuncFormatter(lambda v, _: tick(d, v)))
    low = min(0.0, *(min(b[2], b[3]) for s in geometry for b in s))
    high = max(0.0, *(max(b[2], b[3]) for s in geometry for b in s))
    if low < 0:
        (ax.axvline if horizontal else ax.axhline)(0, color=theme.color("ink"), linewidth=0.7, zorder=2.5)
    if plan_.title:
        ax.set_xlabel("\n".join(plan_.title))
    renderer = measuring_renderer(fig)
    top = len(plan_.header) * m.line + (3 if plan_.header else 0)
    bottom = plan_.legend_height
    _value_room(fig, ax, d, renderer, top, bottom, low, high, horizontal, m)
    _label_bars(ax, d, geometry, styles, horizontal, theme, m)
    for bars, look in zip(geometry, styles):
        for centre, thick, start, end in bars:
            lo, hi = sorted((start, end))
            c = n - 1 - centre if horizontal else centre
            rect = (lo, c - thick * 0.46, hi, c + thick * 0.46) if horizontal else (c - thick * 0.46, lo, c + thick * 0.46, hi)
            stripe(ax, rect, look.hatch)
    if plan_.legend:
        legend.draw(fig, plan_.legend, plan_.legend_cols, [("bar", look) for look in styles], theme, m)
    for i, text in enumerate(plan_.header):
        fig.text(_RULES.pad / fig.bbox.width, (fig.bbox.height - _RULES.pad - i * m.line) / fig.bbox.height,
                 text, ha="left", va="top", color=theme.color("muted"))


def _value_room(fig, ax, d: BarData, renderer, top, bottom, low, high, horizontal, m: Measure) -> None:
    """Place the plot, its value axis widened so each end's value labels fit inside the plot."""
    set_lim = ax.set_xlim if horizontal else ax.set_ylim
    set_lim(low, high if high > low else low + 1)
    widest = max(m.width(label(d, v)) for s in d.values for v in s) + 6
    # every value is labelled beyond its bar's end: a zero too (its label stands above 0, or right of it)
    above = d.stacked or high == low or any(v >= 0 for s in d.values for v in s)
    need_high = (widest if horizontal else m.line + 4) if above else 0
    need_low = (widest if horizontal else m.line + 4) if low < 0 else 0
    for _ in range(3):
        fit_axes(fig, ax, renderer, top=top, bottom=bottom)
        box = ax.get_window_extent()
        room = box.width if horizontal else box.height
        span = (high - low) or 1.0
        scale = (room - need_high - need_low) / span
        set_lim(low - need_low / scale, high + need_high / scale)


def _label_bars(ax, d: BarData, geometry, styles, horizontal: bool, theme, m: Measure) -> None:
    """Each value on its bar: beyond the end of a grouped bar; inside a stacked segment where it fits,
    else beside it, clear of the bars and of the other labels."""
    n = len(d.categories)
    to_display = ax.transData.transform
    ink = theme.color("ink")
    size = m.size * 0.9
    rects = []
    for bars in geometry:
        for centre, thick, start, end in bars:
            c = n - 1 - centre if horizontal else centre
            corners = [(start, c - thick / 2), (end, c + thick / 2)] if horizontal else \
                [(c - thick / 2, start), (c + thick / 2, end)]
            (x0, y0), (x1, y1) = to_display(corners)
            rects.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    k = 0
    placed, beside = [], []
    for s, bars in enumerate(geometry):
        for cat, (centre, thick, start, end) in enumerate(bars):
            value, rect = d.values[s][cat], rects[k]
            k += 1
            text = label(d, value)
            w, h = m.width(text) * 0.9 + 2, size * 1.2
            c = n - 1 - centre if horizontal else centre
            if not d.stacked:
                sign = 1 if value >= 0 else -1
                at = (end, c) if horizontal else (c, end)
                offset = (sign * 3, 0) if horizontal else (0, sign * 2)
                ha = ("left" if sign > 0 else "right") if horizontal else "center"
                va = "center" if horizontal else ("bottom" if sign > 0 else "top")
                ax.annotate(text, at, xytext=offset, textcoords="offset points", ha=ha, va=va, color=ink,
                            fontsize=size, fontweight="bold", annotation_clip=False, zorder=5)
                continue
            fits = (rect[2] - rect[0]) >= w + 2 and (rect[3] - rect[1]) >= h + 1
            if fits:
                cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
                placed.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
                _boxed(ax, text, (cx, cy), size, ink)
            else:
                beside.append((text, ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2), (w, h)))
    if beside:
        box = ax.get_window_extent()
        spots = place_labels([b[1] for b in beside], [b[2] for b in beside],
                             (box.x0, box.y0, box.x1, box.y1), rects + placed, radius=3)
        for (text, anchor, _), spot in zip(beside, spots):
            _boxed(ax, text, ((spot[0] + spot[2]) / 2, (spot[1] + spot[3]) / 2), size, ink, anchor)


def _boxed(ax, text: str, centre, size: float, ink: str, anchor=None) -> None:
    """A value label on a white ground (display units), with a hairline to its segment if away from it."""
    ax.annotate(text, anchor or centre, xycoords="figure points", xytext=centre, textcoords="figure points",
                ha="center", va="center", color=ink, fontsize=size, fontweight="bold", annotation_clip=False,
                zorder=6, bbox=dict(boxstyle="square,pad=0.15", facecolor="#FFFFFF", edgecolor="none"),
                arrowprops=None if anchor is None else dict(arrowstyle="-", color=ink, linewidth=0.5,
                                                            shrinkA=0, shrinkB=0))
