"""Chart specs from the model -> matplotlib Figures -> vector reportlab Drawings (report.chartdraw).

Style is one rc dict built from the theme and applied with `rc_context`, so plotting code names roles,
never colours. Text stays real text in the brand's font (mapped to the
fonts registered with reportlab); math parsing and TeX are off, so `$` prints as `$`. Tones (bear /
base / bull) differ by line style, marker and hatch as well as colour, so greyscale print reads the same.
With report.chartdraw, the only modules that import matplotlib, and only when a chart is drawn.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.graphics.shapes import Drawing, Group, String

from report.model import LineChart, ProbabilityChart, Report
from report.styles import Styles
from report.theme import FontFaces, Theme

ASPECT = 0.38  # height / width of every chart
LINE_STYLE = {"bear": (0, (5, 2.2)), "base": (0, (1.2, 1.6)), "bull": "solid", "neutral": (0, (6, 2, 1, 2))}
MARKER = {"bear": "v", "base": "o", "bull": "^", "neutral": "s"}
STRIPES = {"bear": "diagonal", "base": "horizontal", "bull": None, "neutral": "vertical"}
STRIPE_GAP = 3.2  # points between hatch lines


@lru_cache(maxsize=None)
def _matplotlib():
    """Import matplotlib lazily and isolated from any matplotlibrc or style around the user."""
    import matplotlib

    matplotlib.rcdefaults()
    from matplotlib import font_manager
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.figure import Figure

    return matplotlib, font_manager, Figure, FigureCanvasBase


@lru_cache(maxsize=None)
def _add_fonts(faces: FontFaces) -> None:
    """Make a brand's family known to matplotlib, once per process (adding clears its font cache)."""
    _, font_manager, _, _ = _matplotlib()
    for path in sorted({faces.regular, faces.bold, faces.italic, faces.bold_italic}):
        font_manager.fontManager.addfont(str(path))


def rc(theme: Theme) -> dict:
    """The theme as matplotlib rc settings."""
    size = theme.sizes.chart
    ink, muted, rule = theme.color("ink"), theme.color("muted"), theme.color("rule")
    return {
        "font.family": [theme.heading.family],
        "font.size": size,
        "text.color": ink,
        "text.usetex": False,
        "text.parse_math": False,
        "axes.formatter.use_mathtext": False,
        "axes.unicode_minus": True,
        "axes.edgecolor": rule,
        "axes.labelcolor": muted,
        "axes.labelsize": size,
        "axes.titlesize": size,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.6,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": rule,
        "grid.alpha": 0.35,
        "grid.linewidth": 0.4,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelsize": size,
        "ytick.labelsize": size,
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
        "hatch.color": "#FFFFFF",
        "path.simplify": False,
        "figure.dpi": 72,
        "savefig.dpi": 72,
    }


def _figure(theme: Theme, width_pt: float):
    _, _, Figure, FigureCanvas = _matplotlib()
    fig = Figure(figsize=(width_pt / 72, width_pt * ASPECT / 72))
    FigureCanvas(fig)
    return fig


def _lines(ax, chart: LineChart, theme: Theme) -> None:
    xs = list(range(len(chart.x)))
    step = max(1, len(xs) // 6)
    for series in chart.series:
        color = theme.color(series.tone)
        ax.plot(xs, series.values, color=color, linewidth=1.6, linestyle=LINE_STYLE[series.tone],
                marker=MARKER[series.tone], markevery=step, markersize=4)
        ax.annotate(series.name, (xs[-1], series.values[-1]), xytext=(5, 0), textcoords="offset points",
                    va="center", ha="left", color=color, fontweight="bold")
    labels = [chart.x[i] if i % step == 0 or i == len(xs) - 1 else "" for i in xs]
    ax.set_xticks(xs, labels)
    ax.set_xlim(xs[0], xs[-1])
    ax.margins(x=0)
    if chart.x_label:
        ax.set_xlabel(chart.x_label)
    if chart.y_label:
        ax.set_ylabel(chart.y_label)
    if chart.illustrative:
        ax.text(0.01, 0.03, "Illustrative, not a forecast", transform=ax.transAxes, ha="left",
                va="bottom", color=theme.color("muted"), fontstyle="italic")


def _probabilities(ax, chart: ProbabilityChart, report: Report, theme: Theme) -> None:
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
        _stripe(ax, (0, y - 0.31, value, y + 0.31), STRIPES[tone])


def _stripe(ax, rect, kind: str | None) -> None:
    """Hatch a bar with white lines drawn as plain vector strokes (as plain strokes they print the same everywhere)."""
    if kind is None:
        return
    from matplotlib.collections import LineCollection
    from matplotlib.transforms import IdentityTransform

    (x0, y0), (x1, y1) = ax.transData.transform([(rect[0], rect[1]), (rect[2], rect[3])])
    segments = []
    if kind == "horizontal":
        y = y0 + STRIPE_GAP / 2
        while y < y1:
            segments.append([(x0, y), (x1, y)])
            y += STRIPE_GAP
    elif kind == "vertical":
        x = x0 + STRIPE_GAP / 2
        while x < x1:
            segments.append([(x, y0), (x, y1)])
            x += STRIPE_GAP
    else:  # diagonal: lines y - y0 = x - c, clipped to the bar
        c = x0 - (y1 - y0)
        while c < x1:
            lo, hi = max(x0, c), min(x1, c + (y1 - y0))
            if lo < hi:
                segments.append([(lo, y0 + lo - c), (hi, y0 + hi - c)])
            c += STRIPE_GAP * 1.41
    ax.add_collection(LineCollection(segments, colors="#FFFFFF", linewidths=0.9,
                                     transform=IdentityTransform()))


class _BrandFonts:
    """The reportlab font for each matplotlib font, from the brand's registered fonts only.

    A system or base-14 font must never reach the PDF: an unknown family is an error.
    """

    def __init__(self, styles: Styles):
        self.faces = {}
        for faces, names in ((styles.theme.heading, styles.head_font), (styles.theme.body, styles.body_font)):
            self.faces[faces.family.lower()] = names

    def find_font(self, name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        names = self.faces.get(name.strip("'\" ").lower())
        if names is None:
            raise RuntimeError(f"chart asks for font {name!r}, which is not one of the brand's")
        bold = str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
        italic = str(style).lower() in ("italic", "oblique")
        face = {(False, False): names.regular, (True, False): names.bold,
                (False, True): names.italic, (True, True): names.bold_italic}[(bold, italic)]
        return face, True


def _check_fonts(node, allowed: set[str]) -> None:
    """Only the brand's fonts may reach the PDF."""
    if isinstance(node, String) and node.fontName not in allowed:
        raise RuntimeError(f"chart text would use font {node.fontName!r}, not the brand's")
    if isinstance(node, Group):
        for child in node.contents:
            _check_fonts(child, allowed)


def _look(styles: Styles, width_pt: float) -> dict:
    """Everything of the theme a chart's drawing depends on, for the chart cache's key."""
    faces = styles.theme.heading
    files = [(p.name, p.stat().st_size, p.stat().st_mtime_ns)
             for p in (faces.regular, faces.bold, faces.italic, faces.bold_italic)]
    return {"rc": rc(styles.theme), "colors": styles.theme.colors, "files": files,
            "names": vars(styles.head_font), "dates": styles.theme.date_style, "width": width_pt}


def draw(chart: LineChart | ProbabilityChart, report: Report, styles: Styles, width_pt: float) -> Drawing:
    """One chart as a vector Drawing `width_pt` wide, in the theme's look (cached on disk)."""
    from report.chartcache import cached

    payload = {"kind": "chart", "spec": chart.model_dump(mode="json"), **_look(styles, width_pt)}
    if isinstance(chart, ProbabilityChart):
        table = report.table(chart.table)
        payload["table"] = [table.labels(), table.probabilities(), table.tones]
    return cached(payload, lambda: _draw(chart, report, styles, width_pt))


def _draw(chart: LineChart | ProbabilityChart, report: Report, styles: Styles, width_pt: float) -> Drawing:
    matplotlib, _, _, _ = _matplotlib()
    theme = styles.theme
    _add_fonts(theme.heading)
    with matplotlib.rc_context(rc(theme)):
        fig = _figure(theme, width_pt)
        ax = fig.add_axes((0.09, 0.15, 0.76, 0.8) if isinstance(chart, LineChart)
                          else (0.2, 0.14, 0.72, 0.82))
        if isinstance(chart, LineChart):
            _lines(ax, chart, theme)
        else:
            _probabilities(ax, chart, report, theme)
        return _to_drawing(fig, styles)


def _to_drawing(fig, styles: Styles) -> Drawing:
    """The figure as vector shapes and real text in the brand's fonts, checked to use no other."""
    from report.chartdraw import figure_to_drawing

    drawing = figure_to_drawing(fig, _BrandFonts(styles))
    drawing.initialFontName = styles.head_font.regular  # else reportlab opens it in Helvetica
    _check_fonts(drawing, {getattr(styles.head_font, f) for f in ("regular", "bold", "italic", "bold_italic")})
    return drawing


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


def draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    """A `report.versions.history.History` as a vector Drawing: one line per row, one point per update
    (cached on disk like every chart)."""
    from report.chartcache import cached

    payload = {"kind": "history", "history": repr(history), **_look(styles, width_pt)}
    return cached(payload, lambda: _draw_history(history, styles, width_pt))


def _draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    matplotlib, _, _, _ = _matplotlib()
    theme = styles.theme
    _add_fonts(theme.heading)
    with matplotlib.rc_context(rc(theme)):
        _, _, Figure, FigureCanvas = _matplotlib()
        fig = Figure(figsize=(width_pt / 72, width_pt * HISTORY_ASPECT / 72))
        FigureCanvas(fig)
        _history(fig.add_axes((0.07, 0.17, 0.75, 0.78)), history, theme)
        return _to_drawing(fig, styles)
