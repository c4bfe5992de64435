"""Files an input names beside it (figures from image files) -> checked paths, located errors.

A file is named relative to the input's folder and must stay inside it (symlinks are followed
before the check), be a regular file under the size cap, and be what its name says: a PNG or JPEG
whose header reads and whose pixels stay under the cap, or an SVG that is a picture, not a program
(the same checks as a brand's logo). Everything is checked before anything is drawn, also by
`report validate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.errors import Diagnostic, ReportError, format_path
from report.input.load import SourceMap

MAX_IMAGE_BYTES = 20_000_000
MAX_IMAGE_PIXELS = 40_000_000  # 8,000 × 5,000: far more than a page needs at 300 dpi


@dataclass(frozen=True)
class ImageFile:
    path: Path
    kind: str  # "png", "jpeg" or "svg"
    pixels: tuple[int, int] | None  # width, height; None for SVG (vector)


def _fail(smap: SourceMap, path: tuple, message: str, hint: str = "") -> ReportError:
    line, col = smap.locate(path)
    return ReportError([Diagnostic(smap.file, line, col, message, format_path(path), hint)])


def confined_file(folder: Path, relative: str, smap: SourceMap, path: tuple, limit: int) -> Path:
    """`relative` resolved inside `folder`, a regular file of at most `limit` bytes (else a located error)."""
    if Path(relative).is_absolute():
        raise _fail(smap, path, f"'{relative}' must be a path relative to the input's folder",
                    "keep the file beside the input, e.g. figures/chart.png")
    target = (folder / relative).resolve()  # symlinks followed: a link must not lead outside either
    if not target.is_relative_to(folder.resolve()):
        raise _fail(smap, path, f"'{relative}' leads outside the input's folder",
                    "an input may only use files in its own folder")
    if not target.exists():
        raise _fail(smap, path, f"file '{relative}' not found beside the input", "check the spelling and the folder")
    if not target.is_file():
        raise _fail(smap, path, f"'{relative}' is not a regular file")
    size = target.stat().st_size
    if size > limit:
        raise _fail(smap, path, f"'{relative}' is {size:,} bytes, over the {limit:,}-byte limit")
    return target


def image_file(folder: Path, relative: str, smap: SourceMap, path: tuple) -> ImageFile:
    """A checked image file: PNG or JPEG with readable dimensions under the cap, or a safe SVG."""
    target = confined_file(folder, relative, smap, path, MAX_IMAGE_BYTES)
    if target.suffix.lower() == ".svg":
        from report.brand.logo import FIGURE, check_svg

        check_svg(target, lambda message, hint="": _fail(smap, path, message, hint), kind=FIGURE)
        return ImageFile(target, "svg", None)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(target) as image:  # reads the header only
            kind, size = (image.format or "").lower(), image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise _fail(smap, path, f"'{relative}' is not a readable PNG or JPEG image ({exc})") from None
    if kind not in ("png", "jpeg"):
        raise _fail(smap, path, f"'{relative}' is a {kind or 'unknown'} image; use PNG or JPEG")
    if size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise _fail(smap, path, f"'{relative}' has {size[0]:,} × {size[1]:,} pixels, over the "
                    f"{MAX_IMAGE_PIXELS:,}-pixel limit", "export it smaller: 2,500 pixels across print sharply")
    return ImageFile(target, kind, size)


def check_files(report, smap: SourceMap, folder: Path) -> dict[int, ImageFile]:
    """Every image an input names, checked: id of the Image spec -> its file."""
    from report.input.model import ImageBlock

    found, problems = {}, []
    for where, block in report.blocks_with_paths():
        if isinstance(block, ImageBlock):
            try:
                found[id(block.image)] = image_file(folder, block.image.file, smap, where + ("image", "file"))
            except ReportError as exc:
                problems += exc.diagnostics
    if problems:
        raise ReportError(problems)
    return found
