"""A chart's Drawing <-> plain JSON data (paths and strings): the chart cache's format on disk, and
what the chart helper process sends back. No pydantic here, so that the helper stays light; the
cache checks what it reads (report.charts.cache)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, Path as RlPath, String
from reportlab.lib.colors import Color


def _color(c: Color | None):
    return None if c is None else [c.red, c.green, c.blue]


def shape(node) -> dict | None:
    """One of a chart's shapes as plain data, or None for a shape of a kind this format lacks."""
    if isinstance(node, RlPath):
        return {"t": "path", "points": list(node.points), "ops": list(node.operators),
                "fill": _color(node.fillColor), "stroke": _color(node.strokeColor),
                "width": node.strokeWidth, "cap": node.strokeLineCap, "join": node.strokeLineJoin,
                "dash": node.strokeDashArray}
    if isinstance(node, Group) and len(node.contents) == 1 and isinstance(node.contents[0], String):
        s = node.contents[0]
        return {"t": "text", "transform": list(node.transform), "x": s.x, "y": s.y, "text": s.text,
                "font": s.fontName, "size": s.fontSize, "fill": _color(s.fillColor),
                "anchor": s.textAnchor}
    return None


def encode(drawing: Drawing) -> dict | None:
    """The drawing as plain data (width, height, font, shapes), or None if a shape has no form."""
    shapes = [shape(node) for node in drawing.contents]
    if any(s is None for s in shapes):
        return None
    return {"width": drawing.width, "height": drawing.height, "font": drawing.initialFontName,
            "shapes": shapes}


def _decode(item: dict):
    if item["t"] == "path":
        path = RlPath(points=item["points"], operators=item["ops"])
        path.fillColor = Color(*item["fill"]) if item["fill"] else None
        path.strokeColor = Color(*item["stroke"]) if item["stroke"] else None
        path.strokeWidth, path.strokeLineCap, path.strokeLineJoin = item["width"], item["cap"], item["join"]
        if item["dash"]:
            offset, dashes = item["dash"]
            path.strokeDashArray = (offset, dashes)
        return path
    text = String(item["x"], item["y"], item["text"], fontName=item["font"], fontSize=item["size"],
                  fillColor=Color(*item["fill"]) if item["fill"] else None, textAnchor=item["anchor"])
    group = Group(text)
    group.transform = tuple(item["transform"])
    return group


def decode(data: dict) -> Drawing:
    """The drawing `encode` gave `data` for (data from elsewhere is checked before, by its reader)."""
    drawing = Drawing(data["width"], data["height"])
    drawing.initialFontName = data["font"]
    for item in data["shapes"]:
        drawing.add(_decode(item))
    return drawing
