"""Brand file (`_brand.yml`, Posit's brand.yml layout) -> Theme: pure data, every look by role name.

The brand file is valid brand.yml: `meta`, `logo`, `color`, `typography`, and our own settings under
`defaults.report` (brand.yml's place for tool-specific defaults). Asset paths are confined to the
brand's folder and checked for what they claim to be. Nothing here imports reportlab or matplotlib.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from report.brand.look import FontFaces, Theme, TypeSizes
from report.errors import Diagnostic, ExitCode, ReportError, format_path
from report.input.load import SourceMap
from report.brand.assets import MAX_FONT_BYTES, MAX_LOGO_BYTES, check_svg, check_ttf, confined
from report.brand.discover import BRAND_FILE, DEFAULT_BRAND, builtin_brands_dir, find_brand
from report.input.parse import parse_file

__all__ = ["BRAND_FILE", "DEFAULT_BRAND", "Theme", "available_brands", "load_theme", "read_theme"]

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
    tile_text: float | None = Field(None, ge=8, le=20, description="a key stat written in words; "
                                    "defaults to the subhead size + 1")
    chart: float = Field(ge=6, le=11)


class ReportDefaults(_Strict):
    disclaimer_short: str = Field(max_length=140)
    report_label: str = Field("Research", max_length=40)
    margin_mm: float = Field(ge=12, le=30)
    text_indent_mm: float = Field(0, ge=0, le=60, description="Running text is indented by this "
                                  "much, keeping lines at a readable length; tables and charts use "
                                  "the full width.")
    date_style: Literal["month-day-year", "day-month-year"] = "month-day-year"
    toc_pages: int | None = Field(None, ge=2, le=500, description="A report longer than this many "
                                  "pages opens with a table of contents; none when left out.")
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


def _faces(brand: BrandFile, family: str, folder: Path, smap: SourceMap) -> FontFaces:
    for i, fam in enumerate(brand.typography.fonts):
        if fam.family != family:
            continue
        faces: dict[tuple[bool, bool], Path] = {}
        for j, f in enumerate(fam.files):
            where = ("typography", "fonts", i, "files", j, "path")
            path = confined(folder, f.path, smap, where, MAX_FONT_BYTES)
            line, col = smap.locate(where)
            check_ttf(path, lambda m, h="": ReportError(
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


def available_brands() -> list[str]:
    """The names of the built-in brands."""
    return sorted(p.parent.name for p in builtin_brands_dir().glob(f"*/{BRAND_FILE}"))


def load_theme(name_or_path: str | Path | None = DEFAULT_BRAND, near: Path | str | None = None) -> Theme:
    """The brand that `--brand name_or_path` means for an input at `near` (see report.brand.discover),
    read into a Theme; raises ReportError (exit code 3)."""
    return read_theme(find_brand(name_or_path, near).file)


def read_theme(path: Path) -> Theme:
    """Read, validate and resolve one brand file into a Theme; raises ReportError (exit code 3)."""
    try:
        brand, smap = parse_file(path, BrandFile)
    except ReportError as exc:
        raise ReportError(exc.diagnostics, ExitCode.BRAND_ERROR) from None
    folder = path.parent
    settings: ReportDefaults = brand.defaults.report
    logo_ref = brand.logo.medium or brand.logo.small or next(iter(brand.logo.images), "")
    logo_rel = brand.logo.images.get(logo_ref, logo_ref)
    where = ("logo", "images", logo_ref) if logo_ref in brand.logo.images else ("logo",)
    logo = confined(folder, logo_rel, smap, where, MAX_LOGO_BYTES)
    line, col = smap.locate(where)
    check_svg(logo, lambda m, h="": ReportError(
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
        sizes=TypeSizes(**settings.sizes.model_dump()),
        margin_mm=settings.margin_mm,
        text_indent_mm=settings.text_indent_mm,
        disclaimer_short=settings.disclaimer_short,
        report_label=settings.report_label,
        date_style=settings.date_style,
        toc_pages=settings.toc_pages,
    )
