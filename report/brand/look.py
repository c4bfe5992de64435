"""The theme as pure data: what the layout and the charts read of a brand, by role.

Built by report.brand.theme from a validated brand file. It holds no pydantic model and imports
nothing heavy, so that it travels cheaply to the chart helper process (report.charts.helper).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class TypeSizes:
    """Type sizes in points, by role (validated as report.brand.theme.Sizes)."""

    title: float
    dek: float
    section: float
    subhead: float
    small: float
    table: float
    tile_value: float
    tile_text: float | None
    chart: float


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
    series: tuple[str, ...]  # the ordered series palette, #RRGGBB
    body: FontFaces
    heading: FontFaces
    body_size: float
    leading: float
    sizes: TypeSizes
    margin_mm: float
    text_indent_mm: float
    disclaimer_short: str
    report_label: str
    date_style: str
    toc_pages: int | None = None  # a report longer than this opens with a table of contents

    def color(self, role: str) -> str:
        return self.colors[role]

    @cached_property
    def drawable(self) -> frozenset[int]:
        """Code points that every face of both families can draw."""
        from report.brand.fontinfo import codepoints

        faces = (self.body, self.heading)
        paths = {p for f in faces for p in (f.regular, f.bold, f.italic, f.bold_italic)}
        return frozenset.intersection(*(codepoints(p) for p in paths))

    def format_date(self, day: date) -> str:
        """'March 31, 2026' or '31 March 2026', by the brand's house style."""
        if self.date_style == "day-month-year":
            return f"{day.day} {day:%B} {day.year}"
        return f"{day:%B} {day.day}, {day.year}"
