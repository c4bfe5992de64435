"""The chart look shared by every kind: the theme as matplotlib rc settings, hatching (each series'
look is report.charts.looks'), the brand's fonts, and the matplotlib Figure -> vector Drawing step.

Style is one rc dict built from the theme and applied with `rc_context`, so plotting code names roles,
never colours. Text stays real text in the brand's font; math parsing and TeX are off, so `$` prints
as `$`. With report.charts.render, the only modules that import matplotlib, and only when a chart is drawn.
"""

from __future__ import annotations

import math
from functools import lru_cache

from reportlab.graphics.shapes import Drawing, Group, String

from report.brand.styles import Styles
from report.brand.look import FontFaces, Theme

STRIPE_GAP = 3.2  # points between hatch lines


@lru_cache(maxsize=None)
def matplotlib_modules():
    """Import matplotlib lazily and isolated from any matplotlibrc or style around the user."""
    from report.safety import away_from_settings

    with away_from_settings():
        import matplotlib

    matplotlib.rcdefaults()
    from matplotlib import font_manager
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.figure import Figure

    return matplotlib, font_manager, Figure, FigureCanvasBase


@lru_cache(maxsize=None)
def add_fonts(faces: FontFaces) -> None:
    """Make a brand's family known to matplotlib, once per process (adding clears its font cache)."""
    _, font_manager, _, _ = matplotlib_modules()
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


def figure(width_pt: float, height_pt: float):
    _, _, Figure, FigureCanvas = matplotlib_modules()
    fig = Figure(figsize=(width_pt / 72, height_pt / 72))
    FigureCanvas(fig)
    return fig


def stripe(ax, rect, angles: tuple[int, ...]) -> None:
    """Hatch a bar with white lines at each of `angles` (degrees), drawn as plain vector strokes
    clipped to the bar (as plain strokes they print the same everywhere)."""
    if not angles:
        return
    (x0, y0), (x1, y1) = ax.transData.transform([(rect[0], rect[1]), (rect[2], rect[3])])
    ax.add_collection(_hatching((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), angles))


def hatch_box(fig, box, angles: tuple[int, ...]) -> None:
    """Hatch a box of the figure (x0, y0, x1, y1 in points), e.g. a legend's key."""
    if angles:
        fig.add_artist(_hatching(box, angles))


def _hatching(box, angles: tuple[int, ...]):
    from matplotlib.collections import LineCollection
    from matplotlib.transforms import IdentityTransform

    gap = STRIPE_GAP * (1 + 0.35 * (len(angles) - 1))  # a crossed hatch spaced wider stays a hatch
    segments = [seg for angle in angles for seg in _hatch_lines(box, angle, gap)]
    return LineCollection(segments, colors="#FFFFFF", linewidths=0.9, transform=IdentityTransform())


def _hatch_lines(box, angle: int, gap: float) -> list:
    """Parallel lines at `angle` degrees, `gap` apart, clipped to `box` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    nx, ny = -dy, dx
    offsets = [cx * nx + cy * ny for cx in (x0, x1) for cy in (y0, y1)]
    out = []
    t = min(offsets) + gap / 2
    while t < max(offsets):
        seg = _clip((t * nx, t * ny), (dx, dy), box)
        if seg is not None:
            out.append(seg)
        t += gap
    return out


def _clip(point, direction, box):
    """The part inside `box` of the line through `point` along `direction` (Liang-Barsky)."""
    lo, hi = -1e9, 1e9
    for p, d, a, b in ((point[0], direction[0], box[0], box[2]), (point[1], direction[1], box[1], box[3])):
        if abs(d) < 1e-12:
            if not a <= p <= b:
                return None
            continue
        t0, t1 = sorted(((a - p) / d, (b - p) / d))
        lo, hi = max(lo, t0), min(hi, t1)
    if hi - lo < 0.5:
        return None
    return [(point[0] + lo * direction[0], point[1] + lo * direction[1]),
            (point[0] + hi * direction[0], point[1] + hi * direction[1])]


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


def look(styles: Styles, width_pt: float) -> dict:
    """Everything of the theme a chart's drawing depends on, for the chart cache's key."""
    faces = styles.theme.heading
    files = [(p.name, p.stat().st_size, p.stat().st_mtime_ns)
             for p in (faces.regular, faces.bold, faces.italic, faces.bold_italic)]
    return {"rc": rc(styles.theme), "colors": styles.theme.colors, "series": styles.theme.series, "files": files,
            "names": vars(styles.head_font), "dates": styles.theme.date_style, "width": width_pt}


def chart_fonts(styles: Styles) -> frozenset[str]:
    """The reportlab font names a chart may use: the brand's heading family."""
    return frozenset(getattr(styles.head_font, f) for f in ("regular", "bold", "italic", "bold_italic"))


def to_drawing(fig, styles: Styles) -> Drawing:
    """The figure as vector shapes and real text in the brand's fonts, checked to use no other."""
    from report.charts.render import figure_to_drawing

    drawing = figure_to_drawing(fig, _BrandFonts(styles))
    drawing.initialFontName = styles.head_font.regular  # else reportlab opens it in Helvetica
    _check_fonts(drawing, chart_fonts(styles))
    return drawing
