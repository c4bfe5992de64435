"""Brand file (`_brand.yml`, Posit's brand.yml layout) -> Theme: pure data, every look by role name.

The brand file is valid brand.yml: `meta`, `logo`, `color`, `typography`, and our own settings under
`defaults.report` (brand.yml's place for tool-specific defaults). Asset paths are confined to the
brand's folder and checked for what they claim to be. Nothing here imports reportlab or matplotlib.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from report.errors import Diagnostic, ExitCode, ReportError, format_path
from report.load import SourceMap
from report.parse import parse_file

BRANDS_DIR = Path(__file__).resolve().parent.parent / "assets" / "brands"
BRAND_FILE = "_brand.yml"
DEFAULT_BRAND = "meridian"
MAX_FONT_BYTES = 8_000_000
MAX_LOGO_BYTES = 500_000
MAX_LOGO_UNITS = 100_000  # width, height and viewBox numbers of an SVG logo

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Meta(_Strict):
    name: str
    link: str | None = None


class Logo(_Strict):
    images: dict[str, str]
    small: str | None = None
    medium: str | None = None
    large: str | None = None


class Color(_Strict):
    palette: dict[str, str]
    foreground: str
    background: str
    primary: str
    secondary: str | None = None
    tertiary: str | None = None
    light: str | None = None
    dark: str | None = None

    @field_validator("palette")
    @classmethod
    def _hex(cls, palette: dict[str, str]) -> dict[str, str]:
        for name, value in palette.items():
            if not _HEX.match(str(value)):
                raise ValueError(f"palette colour {name!r} must be written #RRGGBB, got {value!r}")
        return palette


class FontFile(_Strict):
    path: str
    weight: Literal[400, 700, "normal", "bold"] = 400
    style: Literal["normal", "italic"] = "normal"


class FontFamily(_Strict):
    family: str
    source: Literal["file"]
    files: list[FontFile] = Field(min_length=1)


class BaseType(_Strict):
    family: str
    size: str = Field(pattern=r"^\d+(\.\d+)?pt$")
    line_height: float = Field(alias="line-height", ge=1.0, le=2.0)


class HeadingType(_Strict):
    family: str
    weight: Literal[400, 700, "normal", "bold"] = 700
    color: str | None = None


class Typography(_Strict):
    fonts: list[FontFamily] = Field(min_length=1)
    base: BaseType
    headings: HeadingType


ROLES = ("ink", "muted", "rule", "masthead", "masthead_text", "accent", "heading", "zebra",
         "callout_fill", "callout_rule", "tile_fill", "link", "bear", "base", "bull", "neutral")


class Roles(_Strict):
    """Colour by role: each value is a palette name or #RRGGBB."""

    ink: str
    muted: str
    rule: str
    masthead: str
    masthead_text: str
    accent: str
    heading: str
    zebra: str
    callout_fill: str
    callout_rule: str
    tile_fill: str
    link: str
    bear: str
    base: str
    bull: str
    neutral: str


class Sizes(_Strict):
    """Type sizes in points, by role."""

    title: float = Field(ge=14, le=40)
    dek: float = Field(ge=9, le=18)
    section: float = Field(ge=10, le=24)
    subhead: float = Field(ge=8, le=16)
    small: float = Field(ge=6, le=10)
    table: float = Field(ge=7, le=11)
    tile_value: float = Field(ge=10, le=28)
    chart: float = Field(ge=6, le=11)


class ReportDefaults(_Strict):
    disclaimer_short: str = Field(max_length=140)
    report_label: str = Field("Research", max_length=40)
    margin_mm: float = Field(ge=12, le=30)
    text_indent_mm: float = Field(0, ge=0, le=60, description="Running text is indented by this "
                                  "much, keeping lines at a readable length; tables and charts use "
                                  "the full width.")
    date_style: Literal["month-day-year", "day-month-year"] = "month-day-year"
    roles: Roles
    sizes: Sizes


class Defaults(BaseModel):
    """brand.yml's `defaults`: other tools' settings pass through; ours live under `report`."""

    model_config = ConfigDict(extra="allow", frozen=True)
    report: ReportDefaults


class BrandFile(_Strict):
    meta: Meta
    logo: Logo
    color: Color
    typography: Typography
    defaults: Defaults


@dataclass(frozen=True)
class FontFaces:
    """One family's TTF files by face."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Theme:
    """Everything the PDF and the charts need to know about the look, by role."""

    name: str
    folder: Path
    logo: Path
    colors: dict[str, str]  # role -> #RRGGBB
    body: FontFaces
    heading: FontFaces
    body_size: float
    leading: float
    sizes: Sizes
    margin_mm: float
    text_indent_mm: float
    disclaimer_short: str
    report_label: str
    date_style: str

    def color(self, role: str) -> str:
        return self.colors[role]

    @cached_property
    def drawable(self) -> frozenset[int]:
        """Code points that every face of both families can draw."""
        from report.fontinfo import codepoints

        faces = (self.body, self.heading)
        paths = {p for f in faces for p in (f.regular, f.bold, f.italic, f.bold_italic)}
        return frozenset.intersection(*(codepoints(p) for p in paths))

    def format_date(self, day: date) -> str:
        """'March 31, 2026' or '31 March 2026', by the brand's house style."""
        if self.date_style == "day-month-year":
            return f"{day.day} {day:%B} {day.year}"
        return f"{day:%B} {day.day}, {day.year}"


def _confined(folder: Path, relative: str, smap: SourceMap, path: tuple, limit: int) -> Path:
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


def _check_ttf(path: Path, fail) -> None:
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


def _check_svg(path: Path, fail) -> None:
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


def _faces(brand: BrandFile, family: str, folder: Path, smap: SourceMap) -> FontFaces:
    for i, fam in enumerate(brand.typography.fonts):
        if fam.family != family:
            continue
        faces: dict[tuple[bool, bool], Path] = {}
        for j, f in enumerate(fam.files):
            where = ("typography", "fonts", i, "files", j, "path")
            path = _confined(folder, f.path, smap, where, MAX_FONT_BYTES)
            line, col = smap.locate(where)
            _check_ttf(path, lambda m, h="": ReportError(
                [Diagnostic(smap.file, line, col, m, format_path(where), h)], ExitCode.BRAND_ERROR))
            faces[(f.weight in (700, "bold"), f.style == "italic")] = path
        regular = faces.get((False, False))
        if regular is None:
            line, col = smap.locate(("typography", "fonts", i))
            raise ReportError([Diagnostic(smap.file, line, col, f"font family '{family}' has no "
                                          "regular (weight 400, normal) file")], ExitCode.BRAND_ERROR)
        bold = faces.get((True, False), regular)
        italic = faces.get((False, True), regular)
        return FontFaces(family, regular, bold, italic, faces.get((True, True), bold))
    line, col = smap.locate(("typography", "base"))
    raise ReportError([Diagnostic(smap.file, line, col, f"font family '{family}' is not declared "
                                  "under typography.fonts")], ExitCode.BRAND_ERROR)


def _resolve_colors(brand: BrandFile, roles: Roles, smap: SourceMap) -> dict[str, str]:
    palette = brand.color.palette
    out = {}
    for role in ROLES:
        ref = getattr(roles, role)
        value = palette.get(ref, ref)
        if not _HEX.match(value):
            line, col = smap.locate(("defaults", "report", "roles", role))
            raise ReportError([Diagnostic(smap.file, line, col, f"colour '{ref}' is neither a palette "
                                          "name nor #RRGGBB", f"defaults.report.roles.{role}",
                                          f"palette names: {', '.join(palette)}")], ExitCode.BRAND_ERROR)
        out[role] = value.upper()
    return out


def brand_file(name_or_path: str | Path) -> Path:
    """A brand given by name (a folder under assets/brands) or by the path of its folder or file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yml", ".yaml"):
        return candidate
    if candidate.is_dir():
        return candidate / BRAND_FILE
    return BRANDS_DIR / str(name_or_path) / BRAND_FILE


def available_brands() -> list[str]:
    return sorted(p.parent.name for p in BRANDS_DIR.glob(f"*/{BRAND_FILE}"))


def load_theme(name_or_path: str | Path = DEFAULT_BRAND) -> Theme:
    """Read, validate and resolve a brand into a Theme; raises ReportError (exit code 3)."""
    path = brand_file(name_or_path)
    if not path.is_file():
        known = ", ".join(available_brands())
        raise ReportError([Diagnostic(str(path), 0, 0, f"brand '{name_or_path}' not found",
                                      hint=f"available brands: {known}")], ExitCode.BRAND_ERROR)
    try:
        brand, smap = parse_file(path, BrandFile)
    except ReportError as exc:
        raise ReportError(exc.diagnostics, ExitCode.BRAND_ERROR) from None
    folder = path.parent
    settings: ReportDefaults = brand.defaults.report
    logo_ref = brand.logo.medium or brand.logo.small or next(iter(brand.logo.images), "")
    logo_rel = brand.logo.images.get(logo_ref, logo_ref)
    where = ("logo", "images", logo_ref) if logo_ref in brand.logo.images else ("logo",)
    logo = _confined(folder, logo_rel, smap, where, MAX_LOGO_BYTES)
    line, col = smap.locate(where)
    _check_svg(logo, lambda m, h="": ReportError(
        [Diagnostic(smap.file, line, col, m, format_path(where), h)], ExitCode.BRAND_ERROR))
    size = float(brand.typography.base.size.removesuffix("pt"))
    return Theme(
        name=brand.meta.name,
        folder=folder,
        logo=logo,
        colors=_resolve_colors(brand, settings.roles, smap),
        body=_faces(brand, brand.typography.base.family, folder, smap),
        heading=_faces(brand, brand.typography.headings.family, folder, smap),
        body_size=size,
        leading=round(size * brand.typography.base.line_height, 2),
        sizes=settings.sizes,
        margin_mm=settings.margin_mm,
        text_indent_mm=settings.text_indent_mm,
        disclaimer_short=settings.disclaimer_short,
        report_label=settings.report_label,
        date_style=settings.date_style,
    )
