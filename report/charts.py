"""Chart specs from the model -> matplotlib Figures -> vector reportlab Drawings (via SVG and svglib).

Style is one rc dict built from the theme and applied with `rc_context`, so plotting code names roles,
never colours. Text stays real text in the brand's font (SVG `fonttype: none`, mapped by svglib to the
fonts registered with reportlab); math parsing and TeX are off, so `$` prints as `$`. Tones (bear /
base / bull) differ by line style, marker and hatch as well as colour, so greyscale print reads the same.
This is the only module that imports matplotlib or svglib, and only when a chart is drawn.
"""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.graphics.shapes import Drawing, Group, String

from report.model import LineChart, ProbabilityChart, Report
from report.styles import Styles
from report.theme import FontFaces, Theme

ASPECT = 0.46  # height / width of every chart
LINE_STYLE = {"bear": (0, (5, 2.2)), "base": (0, (1.2, 1.6)), "bull": "solid", "neutral": (0, (6, 2, 1, 2))}
MARKER = {"bear": "v", "base": "o", "bull": "^", "neutral": "s"}
STRIPES = {"bear": "diagonal", "base": "horizontal", "bull": None, "neutral": "vertical"}
STRIPE_GAP = 3.2  # points between hatch lines


@lru_cache(maxsize=None)
def _matplotlib():
    """Import matplotlib lazily and isolated from any matplotlibrc or style around the user."""
    import matplotlib

    matplotlib.use("svg", force=True)
    matplotlib.rcdefaults()
    from matplotlib import font_manager
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    return matplotlib, font_manager, Figure, FigureCanvasSVG


def _add_fonts(faces: FontFaces) -> None:
    _, font_manager, _, _ = _matplotlib()
    for path in {faces.regular, faces.bold, faces.italic, faces.bold_italic}:
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
        "svg.fonttype": "none",
        "svg.hashsalt": "report",
        "svg.id": "chart",
        "path.simplify": False,
        "figure.dpi": 72,
        "savefig.dpi": 72,
    }


def _figure(theme: Theme, width_pt: float):
    _, _, Figure, FigureCanvasSVG = _matplotlib()
    fig = Figure(figsize=(width_pt / 72, width_pt * ASPECT / 72))
    FigureCanvasSVG(fig)
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
    """Hatch a bar with white lines drawn as plain vector strokes (svglib ignores SVG patterns)."""
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


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=None)
    return buf.getvalue()


class _BrandFonts:
    """svglib's font lookup, answered from the brand's registered fonts only.

    svglib would otherwise guess file names, ask fontconfig, or fall back to Helvetica: a system or
    base-14 font must never reach the PDF.
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
    """svglib falls back to Helvetica for a font it cannot map: never let that reach the PDF."""
    if isinstance(node, String) and node.fontName not in allowed:
        raise RuntimeError(f"chart text would use font {node.fontName!r}, not the brand's")
    if isinstance(node, Group):
        for child in node.contents:
            _check_fonts(child, allowed)


def draw(chart: LineChart | ProbabilityChart, report: Report, styles: Styles, width_pt: float) -> Drawing:
    """One chart as a vector Drawing `width_pt` wide, in the theme's look."""
    matplotlib, _, _, _ = _matplotlib()
    from svglib.svglib import svg2rlg

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
        svg = _svg(fig)
    drawing = svg2rlg(io.BytesIO(svg), font_map=_BrandFonts(styles))
    drawing.initialFontName = styles.head_font.regular  # else reportlab opens it in Helvetica
    allowed = {getattr(styles.head_font, f) for f in ("regular", "bold", "italic", "bold_italic")}
    _check_fonts(drawing, allowed)
    return drawing
