"""The probability history: how one table's probabilities moved across the input's versions."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing

from report.brand.styles import Styles
from report.brand.theme import Theme
from report.charts.style import LINE_STYLE, MARKER, add_fonts, chart_fonts, look, matplotlib_modules, rc, to_drawing

HISTORY_ASPECT = 0.27  # the probability history sits on the first page: a low, wide strip


def _short_date(theme: Theme, day) -> str:
    if theme.date_style == "day-month-year":
        return f"{day.day} {day:%b} {day.year}"
    return f"{day:%b} {day.day}, {day.year}"


def _history(ax, history, theme: Theme) -> None:
    xs = list(range(len(history.points)))
    tones = dict(history.tones)
    top = 0.0
    ends: list = []
    for label in history.labels:
        values = [dict(p.values).get(label) for p in history.points]
        known = [(x, v) for x, v in zip(xs, values) if v is not None]
        if not known:
            continue
        tone = tones.get(label, "neutral")
        color = theme.color(tone)
        ax.plot([x for x, _ in known], [v for _, v in known], color=color, linewidth=1.5,
                linestyle=LINE_STYLE[tone], marker=MARKER[tone], markersize=4)
        ends.append((known[-1], f"{label} {known[-1][1]:g}%", color))
        top = max(top, *(v for _, v in known))
    width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72
    dates = [_short_date(theme, p.as_of) for p in history.points]
    fit = max(2, int(width_pt // (max(map(len, dates)) * theme.sizes.chart * 0.6 + 12)))
    step = -(-len(xs) // fit)  # every step-th date, counted back from the latest, so it is named
    ax.set_xticks(xs, [d if (len(xs) - 1 - i) % step == 0 else "" for i, d in enumerate(dates)])
    left = 0.15 * max(1, xs[-1])
    ax.set_xlim(-left, xs[-1] + 4 * (xs[-1] + left) / width_pt)  # end 4 pt after the last point:
    # the names printed beside the last points then sit outside the grid lines
    ax.set_ylim(0, min(100, (int(top) // 10 + 1) * 10 + 5))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}%")
    ax.yaxis.set_major_locator(_ticks(3))
    _end_labels(ax, ends, theme.sizes.chart * 1.4)


def _end_labels(ax, ends: list, gap_pt: float) -> None:
    """Name each line at its last point, nudged apart so close values never print on each other."""
    height_pt = ax.get_position().height * ax.figure.get_figheight() * 72
    low, high = ax.get_ylim()
    gap = gap_pt * (high - low) / height_pt
    placed: list[float] = []
    for (x, v), text, color in sorted(ends, key=lambda e: e[0][1]):
        y = max(v, placed[-1] + gap) if placed else v
        placed.append(y)
        ax.annotate(text, (x, v), xytext=(6, (y - v) * height_pt / (high - low)),
                    textcoords="offset points", va="center", ha="left", color=color,
                    fontweight="bold", annotation_clip=False)


def _ticks(n: int):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=n, steps=[1, 2, 5, 10])


def draw(history, styles: Styles, width_pt: float) -> Drawing:
    """A `report.versions.history.History` as a vector Drawing: one line per row, one point per update
    (cached on disk like every chart)."""
    from report.charts.cache import cached

    payload = {"kind": "history", "history": repr(history), **look(styles, width_pt)}
    return cached(payload, lambda: _draw_history(history, styles, width_pt), chart_fonts(styles))


def _draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    matplotlib, _, _, _ = matplotlib_modules()
    theme = styles.theme
    add_fonts(theme.heading)
    with matplotlib.rc_context(rc(theme)):
        _, _, Figure, FigureCanvas = matplotlib_modules()
        fig = Figure(figsize=(width_pt / 72, width_pt * HISTORY_ASPECT / 72))
        FigureCanvas(fig)
        _history(fig.add_axes((0.07, 0.17, 0.75, 0.78)), history, theme)
        return to_drawing(fig, styles)
