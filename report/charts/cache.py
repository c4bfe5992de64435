"""A disk cache of drawn charts, so that rebuilding a report whose charts did not change never
imports matplotlib (its import alone costs about half of a cold build).

A chart is stored as plain JSON vector shapes (paths and strings, never pickles) under a key that
hashes everything the drawing depends on: the chart's data, the theme's chart settings and font
files, the width, the matplotlib version and the source of the drawing code. A read-back chart
gives byte-identical PDFs. The folder is untrusted data: an entry is used only when it is a regular
file under the size cap, its checksum matches, it names its own key and it passes a strict schema
(types, ranges, operator counts, the brand's fonts only); anything else is drawn again, so a damaged
cache never changes the PDF or the exit code. Entries are written atomically (temp file + rename);
the shapes' format is report.charts.shapes'. Set REPORT_CACHE_DIR to choose the folder, or to `off`
to disable the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from reportlab.graphics.shapes import Drawing

from report.charts.shapes import decode as _drawing
from report.charts.shapes import shape as _encode
from report.diskcache import cache_root, read_entry, write_entry

FORMAT = 2
MAX_ENTRY_BYTES = 4_000_000  # the sample's charts take 20-60 KB
MAX_SHAPES = 20_000
MAX_COORD = 1e6  # points; a chart is a few hundred points wide


def cache_dir() -> Path | None:
    return cache_root()


@lru_cache(maxsize=1)
def _code_version() -> str:
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


Coord = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_COORD, le=MAX_COORD)]
Unit = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)]
Size = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=200)]
Rgb = Annotated[list[Unit], Field(min_length=3, max_length=3)]


class _Entry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _PathShape(_Entry):
    t: Literal["path"]
    points: list[Coord] = Field(max_length=200_000)
    ops: list[Literal[0, 1, 2, 3]] = Field(max_length=100_000)  # moveTo, lineTo, curveTo, closePath
    fill: Rgb | None
    stroke: Rgb | None
    width: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=100)]
    cap: Literal[0, 1, 2]
    join: Literal[0, 1, 2]
    dash: tuple[Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1000)],
                Annotated[list[Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1000)]],
                          Field(min_length=1, max_length=32)]] | None

    def consistent(self) -> bool:
        needed = sum({0: 2, 1: 2, 2: 6, 3: 0}[op] for op in self.ops)
        dashes_ok = self.dash is None or sum(self.dash[1]) > 0
        return needed == len(self.points) and (not self.ops or self.ops[0] == 0) and dashes_ok


class _TextShape(_Entry):
    t: Literal["text"]
    transform: Annotated[list[Coord], Field(min_length=6, max_length=6)]
    x: Coord
    y: Coord
    text: str = Field(max_length=1000, pattern=r"^[^\x00-\x1f\x7f]*$")
    font: str = Field(max_length=200)
    size: Size
    fill: Rgb | None
    anchor: Literal["start", "middle", "end"]


Extent = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=2000)]


class _Chart(_Entry):
    key: str = Field(max_length=64)
    width: Extent
    height: Extent
    font: str = Field(max_length=200)
    shapes: list[Annotated[Union[_PathShape, _TextShape], Field(discriminator="t")]] = Field(max_length=MAX_SHAPES)

    def usable(self, fonts: frozenset[str]) -> bool:
        return self.font in fonts and all(s.consistent() if isinstance(s, _PathShape) else s.font in fonts
                                          for s in self.shapes)


def _parse(body: bytes | None, expected_key: str, fonts: frozenset[str]) -> dict | None:
    """The entry's data when it passes every check, as written (ints stay ints: same PDF bytes)."""
    if body is None:
        return None
    try:  # pydantic's JSON parser first: strict types, no NaN or Infinity, bounded nesting
        chart = _Chart.model_validate_json(body)
        if chart.key != expected_key or not chart.usable(fonts):
            return None
        return json.loads(body)
    except (ValueError, RecursionError, ValidationError):
        return None


def _read(path: Path, expected_key: str, fonts: frozenset[str]) -> Drawing | None:
    data = _parse(read_entry(path, MAX_ENTRY_BYTES), expected_key, fonts)
    return None if data is None else _drawing(data)  # missing, damaged or foreign: draw it again


def _write(path: Path, drawing: Drawing, expected_key: str, fonts: frozenset[str]) -> None:
    shapes = [_encode(node) for node in drawing.contents]
    if any(s is None for s in shapes):
        return  # a shape this cache does not know: never store a partial chart
    data = {"key": expected_key, "width": drawing.width, "height": drawing.height,
            "font": drawing.initialFontName, "shapes": shapes}
    body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(body) >= MAX_ENTRY_BYTES - 100 or _parse(body, expected_key, fonts) is None:
        return  # it would not be read back: storing it would only cost time
    write_entry(path, body)


def lookup(payload: dict, fonts: frozenset[str]) -> Drawing | None:
    """The stored drawing for `payload`, or None (not stored, unusable, or the cache is off)."""
    folder = cache_dir()
    if folder is None:
        return None
    name = key(payload)
    return _read(folder / f"{name}.json", name, fonts)


def store(payload: dict, drawing: Drawing, fonts: frozenset[str]) -> None:
    folder = cache_dir()
    if folder is not None:
        name = key(payload)
        _write(folder / f"{name}.json", drawing, name, fonts)


def _marker(source: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}:{_code_version()}:".encode() + source).hexdigest()
    return folder / "built" / digest


def all_stored(source: bytes) -> bool:
    """Whether an input with exactly these bytes was built before with every chart stored here: a
    hint that needs no parsing (its charts will most likely all be read back, nothing drawn). A
    wrong hint only costs time: a chart that is not stored after all is drawn."""
    marker = _marker(source)
    return marker is not None and marker.is_file()


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


def cached(payload: dict, draw: Callable[[], Drawing], fonts: frozenset[str]) -> Drawing:
    """The drawing for `payload`, from the cache when it is there, else `draw()` (and stored).
    `fonts` are the reportlab font names the chart may use (the brand's)."""
    folder = cache_dir()
    if folder is None:
        return draw()
    name = key(payload)
    path = folder / f"{name}.json"
    drawing = _read(path, name, fonts)
    if drawing is None:
        drawing = draw()
        _write(path, drawing, name, fonts)
    return drawing
