"""Files an input names beside it (figures from image files) -> checked paths, located errors.

A file is named relative to the input's folder and must stay inside it (symlinks are followed
before the check), be a regular file under the size cap, and be what its name says: a PNG or JPEG
whose header reads and whose pixels stay under the cap, or an SVG that is a picture, not a program
(the same checks as a brand's logo). Everything is checked before anything is drawn, also by
`report validate`.
"""

from __future__ import annotations

import os
import stat
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


class Refused(Exception):
    """A file the input names cannot be used; said at the field that names it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def inside(relative: str) -> str | None:
    """`relative` without `.` and `..` parts, or None when it leads out of the folder."""
    parts: list[str] = []
    for part in relative.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) or None


def confined(folder: Path, relative: str, limit: int, what: str, shown: str | None = None) -> Path:
    """The file `relative` names inside `folder`: relative, inside it once symlinks are resolved, a
    regular file of at most `limit` bytes; else Refused, in terms of `what` ("image file"; `shown`:
    the file's path as the user would write it)."""
    if Path(relative).is_absolute():
        raise Refused(f"{what} '{relative}' must be a path relative to the input's folder",
                      "keep the file beside the input, e.g. figures/chart.png")
    clean = inside(relative)
    if clean is None:
        raise Refused(f"{what} '{relative}' leads outside the input's folder",
                      "keep it in the input's folder or below it")
    try:
        real = (folder / clean).resolve(strict=True)
    except FileNotFoundError:
        raise Refused(f"{what} '{relative}' not found beside the input",
                      f"it is looked for at {shown or folder / clean}") from None
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
        raise Refused(f"{what} '{relative}' cannot be opened: {getattr(exc, 'strerror', None) or exc}") from None
    if not real.is_relative_to(folder.resolve()):
        raise Refused(f"{what} '{relative}' is a link to a file outside the input's folder",
                      "copy the file into the input's folder instead of linking to it")
    try:
        info = os.stat(real)
    except OSError as exc:
        raise Refused(f"{what} '{relative}' cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"{what} '{relative}' is not a regular file")
    if info.st_size > limit:
        raise Refused(f"{what} '{relative}' is {info.st_size:,} bytes, over the {limit:,}-byte limit")
    return real


def image_file(folder: Path, relative: str, smap: SourceMap, path: tuple) -> ImageFile:
    """A checked image file: PNG or JPEG with readable dimensions under the cap, or a safe SVG."""
    try:
        target = confined(folder, relative, MAX_IMAGE_BYTES, "image file", str(Path(smap.file).parent / relative))
    except Refused as exc:
        raise _fail(smap, path, exc.message, exc.hint) from None
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
