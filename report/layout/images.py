"""`image:` blocks -> the picture of a figure: a PNG or JPEG placed at the text width, or an SVG drawn
as vector shapes, never taller than the policy allows; a raster that would print below the policy's
resolution is noted for the author (the build still succeeds)."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable
from reportlab.platypus import Image as RasterImage

from report.input.model import Image
from report.policy import POLICY

_RULES = POLICY.images


class Picture(Flowable):
    """A vector picture (a Drawing from an SVG) scaled to a width."""

    def __init__(self, drawing, width: float, height: float):
        super().__init__()
        self.drawing, self.width, self.height = drawing, width, height

    def wrap(self, availWidth, availHeight):  # noqa: N803
        return self.width, self.height

    def draw(self):
        from reportlab.graphics import renderPDF

        scale = self.width / self.drawing.width
        self.canv.saveState()
        self.canv.scale(scale, scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


def _brand_text(node, regular: str, bold: str) -> None:
    """Text in an SVG figure is set in the brand's font: never a system or base-14 font."""
    from reportlab.graphics.shapes import Group, String

    if isinstance(node, String):
        node.fontName = bold if "bold" in str(node.fontName).lower() else regular
    for child in getattr(node, "contents", ()) if isinstance(node, Group) or hasattr(node, "contents") else ():
        _brand_text(child, regular, bold)


def picture(spec: Image, width: float, folder: Path, font: str, bold: str | None = None) -> tuple[Flowable, str | None]:
    """The figure's picture at `width` (or narrower, to keep within the policy's height), and a note
    when a raster prints below the policy's resolution."""
    path = (folder / spec.file).resolve()  # confined and checked by report.input.files
    if path.suffix.lower() == ".svg":
        from report.brand.logo import figure_drawing

        drawing = figure_drawing(path, font, bold or font)  # the tree the input's check passed
        drawing.initialFontName = font  # else reportlab opens it in Helvetica
        _brand_text(drawing, font, bold or font)
        w, h = _fit(drawing.width, drawing.height, width)
        return Picture(drawing, w, h), None
    from PIL import Image as PILImage

    with PILImage.open(path) as im:
        pixels = im.size
    w, h = _fit(*pixels, width)
    dpi = pixels[0] / (w / 72)
    note = None
    if dpi < _RULES.min_dpi:
        need = round(_RULES.min_dpi * w / 72)
        note = (f"figure '{spec.title}': {spec.file} prints at {dpi:.0f} dpi at its size; supply it at "
                f"least {need:,} pixels wide for {_RULES.min_dpi} dpi")
    image = RasterImage(str(path), width=w, height=h)
    image.hAlign = "LEFT"
    return image, note


def _fit(w: float, h: float, width: float) -> tuple[float, float]:
    """The largest size of aspect w:h at most `width` wide and the policy's share of it high."""
    scale = min(width / w, width * _RULES.max_height_share / h)
    return w * scale, h * scale
