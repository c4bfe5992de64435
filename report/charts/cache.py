"""A disk cache of drawn charts, so that rebuilding a report whose charts did not change never
imports matplotlib (its import alone costs about half of a cold build).

A chart is stored as plain JSON vector shapes (paths and strings, never pickles) under a key that
hashes everything the drawing depends on: the chart's data, the theme's chart settings and font
files, the width, the matplotlib version and the source of the drawing code. A read-back chart
gives byte-identical PDFs; anything unreadable is ignored and drawn again. Set REPORT_CACHE_DIR to
choose the folder, or to `off` to disable the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Group, Path as RlPath, String
from reportlab.lib.colors import Color

FORMAT = 1


def cache_dir() -> Path | None:
    setting = os.environ.get("REPORT_CACHE_DIR")
    if setting is not None:
        return None if setting.strip().lower() in ("", "0", "off", "no", "none") else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "report" / "charts"


@lru_cache(maxsize=1)
def _code_version() -> str:
    from importlib import metadata  # here: the chart helper process encodes, never keys

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(here.glob("*.py")):  # every module of the charts package draws or stores
        digest.update(source.name.encode() + source.read_bytes())
    try:
        digest.update(metadata.version("matplotlib").encode())
        digest.update(metadata.version("reportlab").encode())
    except metadata.PackageNotFoundError:
        pass
    return digest.hexdigest()


def key(payload: dict) -> str:
    text = json.dumps({"format": FORMAT, "code": _code_version(), **payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _color(c: Color | None):
    return None if c is None else [c.red, c.green, c.blue]


def _encode(node) -> dict | None:
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


def encode(drawing: Drawing) -> dict | None:
    """A drawing as plain JSON data, or None when it holds a shape this cache does not know."""
    shapes = [_encode(node) for node in drawing.contents]
    if any(s is None for s in shapes):
        return None
    return {"width": drawing.width, "height": drawing.height, "font": drawing.initialFontName,
            "shapes": shapes}


def decode(data: dict) -> Drawing:
    """The drawing `encode` gave `data` for; raises ValueError, KeyError or TypeError if damaged."""
    drawing = Drawing(data["width"], data["height"])
    drawing.initialFontName = data["font"]
    for item in data["shapes"]:
        drawing.add(_decode(item))
    return drawing


def _read(path: Path) -> Drawing | None:
    try:
        return decode(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: draw it again


def _write(path: Path, drawing: Drawing) -> None:
    data = encode(drawing)
    if data is None:
        return  # a shape this cache does not know: never store a partial chart
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def lookup(payload: dict) -> Drawing | None:
    """The stored drawing for `payload`, or None (not stored, damaged, or the cache is off)."""
    folder = cache_dir()
    return None if folder is None else _read(folder / f"{key(payload)}.json")


def store(payload: dict, drawing: Drawing) -> None:
    folder = cache_dir()
    if folder is not None:
        _write(folder / f"{key(payload)}.json", drawing)


def _marker(source: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}:{_code_version()}:".encode() + source).hexdigest()
    return folder / "built" / digest


def all_stored(source: bytes) -> bool:
    """Whether an input with exactly these bytes was built before with every chart stored here: a
    hint that needs no parsing (its charts will most likely all be read back, nothing drawn)."""
    marker = _marker(source)
    return marker is not None and marker.exists()


def mark_stored(source: bytes) -> None:
    """Note that an input with these bytes was just built with every chart stored (see all_stored)."""
    marker = _marker(source)
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def cached(payload: dict, draw: Callable[[], Drawing]) -> Drawing:
    """The drawing for `payload`, from the cache when it is there, else `draw()` (and stored)."""
    if cache_dir() is None:
        return draw()
    drawing = lookup(payload)
    if drawing is None:
        drawing = draw()
        store(payload, drawing)
    return drawing
