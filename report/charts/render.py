"""A matplotlib Figure -> a reportlab Drawing, through a minimal matplotlib renderer.

matplotlib lays the figure out and measures its text with the brand's TTF files; this renderer
receives the resulting paths and strings and turns them into reportlab vector shapes and real text
in the brand's registered fonts. Going direct (instead of SVG and a converter) keeps every glyph in
the brand's font, keeps charts exact, and is several times faster.
"""

from __future__ import annotations

import math
from functools import lru_cache

from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.path import Path as MplPath
from reportlab.graphics.shapes import Drawing, Group, Path, String
from reportlab.lib.colors import Color

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def _color(rgba, alpha: float | None = None) -> Color | None:
    """An opaque colour, pre-blended with the white page (prints the same on every device)."""
    if rgba is None:
        return None
    r, g, b = rgba[:3]
    a = rgba[3] if len(rgba) > 3 else 1.0
    if alpha is not None:
        a *= alpha
    if a <= 0:
        return None
    return Color(*(a * c + (1 - a) for c in (r, g, b)))


class _Renderer(RendererBase):
    def __init__(self, width: float, height: float, fonts):
        super().__init__()
        self.width, self.height, self.fonts = width, height, fonts
        self.drawing = Drawing(width, height)

    def flipy(self):
        return False

    def get_canvas_width_height(self):
        return self.width, self.height

    def points_to_pixels(self, points):
        return points  # the figure is laid out at 72 dpi: one pixel is one point

    def new_gc(self):
        return GraphicsContextBase()

    def get_text_width_height_descent(self, s, prop, ismath):
        """Every line of text is as tall as its font's face box, whatever its glyphs: matplotlib
        then sets the lines of a label, and labels side by side, on baselines that do not move with
        an accent or a descender, and what it fits inside the figure is the box that
        report.charts.fit.check_inside measures (reportlab's ascent and descent of the face)."""
        width, height, descent = super().get_text_width_height_descent(s, prop, ismath)
        ascent, below = _face_box(prop)
        return width, ascent + below, below

    def draw_path(self, gc, path, transform, rgbFace=None):  # noqa: N803 - matplotlib's signature
        shape = Path()
        for points, code in path.iter_segments(transform, remove_nans=True, simplify=False, curves=True):
            if code == MplPath.MOVETO:
                shape.moveTo(*points)
            elif code == MplPath.LINETO:
                shape.lineTo(*points)
            elif code == MplPath.CURVE3:
                (cx, cy), (x, y) = points[:2], points[2:]
                x0, y0 = shape.points[-2:] if shape.points else (cx, cy)
                shape.curveTo(x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
                              x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), x, y)
            elif code == MplPath.CURVE4:
                shape.curveTo(*points)
            elif code == MplPath.CLOSEPOLY:
                shape.closePath()
        if not shape.points:
            return
        alpha = gc.get_alpha() if gc.get_forced_alpha() else None
        shape.fillColor = _color(rgbFace, alpha)
        stroke = _color(gc.get_rgb(), alpha) if gc.get_linewidth() > 0 else None
        shape.strokeColor = stroke
        shape.strokeWidth = gc.get_linewidth()
        shape.strokeLineCap = _CAPS.get(gc.get_capstyle(), 0)
        shape.strokeLineJoin = _JOINS.get(gc.get_joinstyle(), 0)
        offset, dashes = gc.get_dashes()
        if dashes:
            shape.strokeDashArray = (offset or 0, list(dashes))
        if shape.fillColor is None and shape.strokeColor is None:
            return
        self.drawing.add(shape)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        family = prop.get_family()[0]
        font, _ = self.fonts.find_font(family, str(prop.get_weight()), prop.get_style())
        text = String(0, 0, s, fontName=font, fontSize=prop.get_size_in_points(),
                      fillColor=_color(gc.get_rgb(), gc.get_alpha() if gc.get_forced_alpha() else None))
        group = Group(text)
        rad = math.radians(angle)
        group.transform = (math.cos(rad), math.sin(rad), -math.sin(rad), math.cos(rad), x, y)
        self.drawing.add(group)

    def draw_image(self, gc, x, y, im):
        raise RuntimeError("charts must be vector: a raster image was drawn")


@lru_cache(maxsize=256)
def _face_box(prop) -> tuple[float, float]:
    """(ascent, descent) in points of the font `prop` names, by reportlab's rule (ttfonts.TTFontFile):
    the OS/2 table's typographic ascender and descender, else the head table's glyph box."""
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import FT2Font

    font = FT2Font(findfont(prop, fallback_to_default=False))
    head = font.get_sfnt_table("head")
    os2 = font.get_sfnt_table("OS/2")
    top, bottom = (os2["sTypoAscender"], os2["sTypoDescender"]) if os2 else (head["yMax"], head["yMin"])
    scale = prop.get_size_in_points() / head["unitsPerEm"]
    return top * scale, -bottom * scale


def figure_to_drawing(figure, fonts) -> Drawing:
    """Draw `figure` (laid out at 72 dpi) into a reportlab Drawing of the same size in points.

    `fonts.find_font(family, weight, style)` names the reportlab font for each matplotlib font.
    """
    FigureCanvasBase(figure)
    width, height = figure.get_size_inches() * 72
    renderer = _Renderer(float(width), float(height), fonts)
    figure.draw(renderer)
    return renderer.drawing


def measuring_renderer(figure):
    """A renderer that only measures: for laying a figure's text out before it is drawn."""
    width, height = figure.get_size_inches() * 72
    return _Renderer(float(width), float(height), None)
