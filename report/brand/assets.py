"""A brand's files, checked before anything renders them: paths confined to the brand folder, fonts
that are whole TrueType files, SVG logos that are pictures and not programs."""

from __future__ import annotations

import math
import re
from pathlib import Path

from report.errors import Diagnostic, ExitCode, ReportError, format_path
from report.input.load import SourceMap

MAX_FONT_BYTES = 8_000_000
MAX_LOGO_BYTES = 500_000
MAX_LOGO_UNITS = 100_000  # width, height and viewBox numbers of an SVG logo


def confined(folder: Path, relative: str, smap: SourceMap, path: tuple, limit: int) -> Path:
    def fail(message: str, hint: str = "") -> ReportError:
        line, col = smap.locate(path)
        return ReportError([Diagnostic(smap.file, line, col, message, format_path(path), hint)],
                           ExitCode.BRAND_ERROR)

    if Path(relative).is_absolute():
        raise fail(f"'{relative}' must be a path relative to the brand folder",
                   "keep the brand's files in its folder and name them from there")
    target = (folder / relative).resolve()  # symlinks followed: a link must not lead outside either
    if not target.is_relative_to(folder.resolve()):
        raise fail(f"'{relative}' leads outside the brand folder",
                   "a brand may only use files inside its own folder")
    if not target.exists():
        raise fail(f"file '{relative}' not found in the brand folder", "check the spelling and the folder")
    if not target.is_file():
        raise fail(f"'{relative}' is not a regular file")
    if target.stat().st_size > limit:
        raise fail(f"'{relative}' is {target.stat().st_size:,} bytes, over the {limit:,}-byte limit")
    return target


_TTF_TABLES = {b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post"}


def check_ttf(path: Path, fail) -> None:
    """A TrueType file whose table directory is whole: a truncated or disguised file is refused here,
    in the brand's terms, rather than crashing the font parser later."""
    data = path.read_bytes()
    magic = data[:4]
    if magic == b"OTTO":
        raise fail(f"'{path.name}' is a CFF-based OpenType font; use a TrueType (.ttf) file")
    if magic not in (b"\x00\x01\x00\x00", b"true"):
        raise fail(f"'{path.name}' is not a TrueType font file",
                   "use the family's .ttf files as distributed")
    count = int.from_bytes(data[4:6], "big")
    tables = {}
    for i in range(count):
        record = data[12 + 16 * i: 28 + 16 * i]
        if len(record) < 16:
            break
        offset, length = int.from_bytes(record[8:12], "big"), int.from_bytes(record[12:16], "big")
        tables[record[:4]] = offset + length <= len(data)
    if len(tables) < count or not all(tables.values()) or not _TTF_TABLES <= set(tables):
        raise fail(f"'{path.name}' is damaged or incomplete (its tables do not add up)",
                   "download the font file again")


def check_svg(path: Path, fail) -> None:
    """A logo must be a plain SVG: no DTD or entities, no scripts, nothing fetched from elsewhere."""
    import xml.etree.ElementTree as ElementTree

    text = path.read_text("utf-8", errors="replace")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise fail(f"'{path.name}': an SVG with a DTD or entities is refused")
    try:
        root = ElementTree.fromstring(text)  # safe here: without a DTD there is nothing to expand
    except ElementTree.ParseError as exc:
        raise fail(f"'{path.name}' is not an SVG image ({exc})") from None
    if root.tag.rpartition("}")[2] != "svg":
        raise fail(f"'{path.name}' is not an SVG image")
    sizes = [root.get("width", ""), root.get("height", "")] + root.get("viewBox", "").replace(",", " ").split()
    numbers = [float(m.group()) for v in sizes if (m := re.match(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", v))]
    if any(not math.isfinite(n) or abs(n) > MAX_LOGO_UNITS for n in numbers):
        raise fail(f"'{path.name}' declares a size over {MAX_LOGO_UNITS:,} units",
                   "export the logo at its natural size")
    for node in root.iter():
        tag = str(node.tag).rpartition("}")[2]
        if tag in ("script", "foreignObject"):
            raise fail(f"'{path.name}' holds a <{tag}> element, which a logo never needs")
        for name, value in node.attrib.items():
            external = (name.rpartition("}")[2] == "href" and not value.startswith("#")) or \
                re.search(r"url\(\s*['\"]?(?!#)", value)
            if external:
                raise fail(f"'{path.name}' refers to an external resource ({value[:60]})")
        if tag == "style" and re.search(r"url\(\s*['\"]?(?!#)|@import", node.text or ""):
            raise fail(f"'{path.name}' refers to an external resource in a <style>")
