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
from report.brand.assets import MAX_FONT_BYTES, MAX_LOGO_BYTES, check_ttf, confined
from report.brand.discover import BRAND_FILE, DEFAULT_BRAND, builtin_brands_dir, find_brand
from report.brand.logo import check_logo
from report.input.model import Number, ShortText
from report.input.parse import parse_file

__all__ = ["BRAND_FILE", "DEFAULT_BRAND", "Theme", "available_brands", "load_theme", "read_theme"]

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
MIN_SERIES = 6  # series colours a brand must offer (a chart has up to 8 series, 3 of them toned)
DEFAULT_SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
MAX_SERIES_LIGHTNESS = 0.62  # relative luminance: lighter colours vanish on white paper and under white hatching


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Meta(_Strict):
    name: ShortText
    link: ShortText | None = None


class Logo(_Strict):
    images: dict[str, ShortText]
    small: ShortText | None = None
    medium: ShortText | None = None
    large: ShortText | None = None


class Color(_Strict):
    palette: dict[str, ShortText]
    foreground: ShortText
    background: ShortText
    primary: ShortText
    secondary: ShortText | None = None
    tertiary: ShortText | None = None
    light: ShortText | None = None
    dark: ShortText | None = None

    @field_validator("palette")
    @classmethod
    def _hex(cls, palette: dict[str, str]) -> dict[str, str]:
        for name, value in palette.items():
            if not _HEX.match(str(value)):
                raise ValueError(f"palette colour {name!r} must be written #RRGGBB, got {value!r}")
        return palette


class FontFile(_Strict):
    path: ShortText
    weight: Literal[400, 700, "normal", "bold"] = 400
    style: Literal["normal", "italic"] = "normal"


class FontFamily(_Strict):
    family: ShortText
    source: Literal["file"]
    files: list[FontFile] = Field(min_length=1)


class BaseType(_Strict):
    family: ShortText
    size: ShortText = Field(pattern=r"^\d+(\.\d+)?pt$")
    line_height: Number = Field(alias="line-height", ge=1.0, le=2.0)


class HeadingType(_Strict):
    family: ShortText
    weight: Literal[400, 700, "normal", "bold"] = 700
    color: ShortText | None = None


class Typography(_Strict):
    fonts: list[FontFamily] = Field(min_length=1)
    base: BaseType
    headings: HeadingType


ROLES = ("ink", "muted", "rule", "masthead", "masthead_text", "accent", "heading", "zebra",
         "callout_fill", "callout_rule", "tile_fill", "link", "bear", "base", "bull", "neutral", "negative")


class Roles(_Strict):
    """Colour by role: each value is a palette name or #RRGGBB."""

    ink: ShortText
    muted: ShortText
    rule: ShortText
    masthead: ShortText
    masthead_text: ShortText
    accent: ShortText
    heading: ShortText
    zebra: ShortText
    callout_fill: ShortText
    callout_rule: ShortText
    tile_fill: ShortText
    link: ShortText
    bear: ShortText
    base: ShortText
    bull: ShortText
    neutral: ShortText
    negative: ShortText | None = Field(None, description="Negative figures in tables (after their minus "
                                       "sign); defaults to the bear colour, so a brand made before this role "
                                       "still builds.")


class Sizes(_Strict):
    """Type sizes in points, by role."""

    title: Number = Field(ge=14, le=40)
    dek: Number = Field(ge=9, le=18)
    section: Number = Field(ge=10, le=24)
    subhead: Number = Field(ge=8, le=16)
    small: Number = Field(ge=6, le=10)
    table: Number = Field(ge=7, le=11)
    tile_value: Number = Field(ge=10, le=28)
    tile_text: Number | None = Field(None, ge=8, le=20, description="a key stat written in words; "
                                    "defaults to the subhead size + 1")
    chart: Number = Field(ge=6, le=11)


class ReportDefaults(_Strict):
    disclaimer_short: ShortText = Field(max_length=140)
    report_label: ShortText = Field("Research", max_length=40)
    margin_mm: Number = Field(ge=12, le=30)
    text_indent_mm: Number = Field(0, ge=0, le=60, description="Running text is indented by this "
                                  "much, keeping lines at a readable length; tables and charts use "
                                  "the full width.")
    date_style: Literal["month-day-year", "day-month-year"] = "month-day-year"
    toc_pages: int | None = Field(None, ge=2, le=500, description="A report longer than this many "
                                  "pages opens with a table of contents; none when left out.")
    roles: Roles
    series: list[str] = Field(list(DEFAULT_SERIES), min_length=MIN_SERIES, max_length=16, description=(
        "The ordered series palette: a chart's series beyond bear / base / bull take these colours "
        "in order (each with its own dash, marker and hatch); palette names or #RRGGBB. Without it, "
        "the Okabe-Ito colours, which colour-blind readers tell apart."))
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
        if ref is None:  # an optional role: the colour of the role it stands in for
            ref = roles.bear
        value = palette.get(ref, ref)
        if not _HEX.match(value):
            line, col = smap.locate(("defaults", "report", "roles", role))
            raise ReportError([Diagnostic(smap.file, line, col, f"colour '{ref}' is neither a palette "
                                          "name nor #RRGGBB", f"defaults.report.roles.{role}",
                                          f"palette names: {', '.join(palette)}")], ExitCode.BRAND_ERROR)
        out[role] = value.upper()
    return out


def _luminance(value: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(value[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _resolve_series(brand: BrandFile, series: list[str], smap: SourceMap) -> tuple[str, ...]:
    """The series palette as #RRGGBB: each a palette name or a colour, distinct, dark enough to read."""
    palette = brand.color.palette
    out: list[str] = []
    for i, ref in enumerate(series):
        value = palette.get(ref, ref).upper()
        where = ("defaults", "report", "series", i)
        problem, hint = "", ""
        if not _HEX.match(value):
            problem, hint = f"colour '{ref}' is neither a palette name nor #RRGGBB", \
                f"palette names: {', '.join(palette)}"
        elif value in out:
            problem = f"colour '{ref}' is in the series palette twice (as entry {out.index(value) + 1})"
            hint = "each series needs a colour of its own"
        elif _luminance(value) > MAX_SERIES_LIGHTNESS:
            problem = f"colour '{ref}' ({value}) is too light for a chart series on white paper"
            hint = "use a darker colour; white hatching must show on it"
        if problem:
            line, col = smap.locate(where)
            raise ReportError([Diagnostic(smap.file, line, col, problem, format_path(where), hint)],
                              ExitCode.BRAND_ERROR)
        out.append(value)
    return tuple(out)


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
    check_logo(logo, lambda m, h="": ReportError(
        [Diagnostic(smap.file, line, col, m, format_path(where), h)], ExitCode.BRAND_ERROR))
    size = float(brand.typography.base.size.removesuffix("pt"))
    return Theme(
        name=brand.meta.name,
        folder=folder,
        logo=logo,
        colors=_resolve_colors(brand, settings.roles, smap),
        series=_resolve_series(brand, settings.series, smap),
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
