"""The layout rules, as data in one place: gap limits, minimum splits, tile rows, chart and label fitting.

Builders ask this policy; they carry no numbers of their own for these decisions. Sizes and colours
that are a matter of look come from the brand (report.brand.theme); these are the rules that keep
every article, of any shape, on the page: nothing clipped, no big white gaps, nothing stranded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MM = 72 / 25.4


@dataclass(frozen=True)
class Pages:
    """How blocks meet page breaks."""

    max_gap: float = 35 * MM  # no page but the last ends further than this above its frame's foot
    keep_gap: float = 28 * MM  # a kept block moves whole only if that leaves this little room (the
    # space before it, a spacer or a figure's foot, adds to the gap a reader sees)
    min_rows: int = 2  # table rows / list items on each side of a page break
    min_lines: int = 2  # lines of a paragraph on each side of a page break (no widows, no orphans;
    # reportlab knows 1 or 2)
    lead_in_lines: int = 3  # a heading needs this many lines of its text under it
    lead_in_max: float = 45 * MM  # ...but never drags more than this of an unsplittable block
    last_page_min: float = 22 * MM  # the last page holds at least this much: else more goes over to it
    stretch_target: float = 24 * MM  # a page that would end in a bigger gap stretches to end about here
    max_stretch: float = 24.0  # points added to the space between two blocks, at most
    row_stretch: float = 1.5  # points added to a table row, at most, when the spaces are not enough


@dataclass(frozen=True)
class Tiles:
    """Key-stat tiles on the first page."""

    rows: dict[int, tuple[int, ...]] = field(default_factory=lambda: {
        1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (3, 2), 6: (3, 3)})
    fallback: dict[int, tuple[int, ...]] = field(default_factory=lambda: {
        3: (2, 1), 4: (2, 2), 5: (2, 2, 1), 6: (2, 2, 2)})  # when a tile's text cannot fit its lines
    gap: float = 3 * MM  # between tiles, across and down
    label_lines: int = 2
    value_lines: int = 2
    source_lines: int = 2
    min_source_size: float = 5.8  # points: a long source shrinks down to this before the row reflows


@dataclass(frozen=True)
class Tables:
    """Column widths from content, the way browsers lay out automatic tables."""

    keep_rows: int = 8  # a table of up to this many rows splits only where moving it whole leaves a big gap
    long_token: float = 24 * MM  # a word wider than this may break inside, so it never starves a column
    min_column: float = 12 * MM
    cell_padding: float = 4.0  # points, each side


@dataclass(frozen=True)
class Charts:
    """Fitting a chart's text inside its box (the box is the text frame's width)."""

    aspect: float = 0.36  # height / width of a line chart's plot area and its labels
    min_aspect: float = 0.26  # a line chart may shrink to this to fill the space left on a page
    tight_aspect: float = 0.20  # ...and to this at its section's end, rather than leave its section
    max_aspect: float = 0.46  # it may grow to this to fill a page that would end in a gap
    bar_pitch: float = 17.0  # points per horizontal bar
    pad: float = 1.5  # points kept clear inside the chart's box on every side
    end_label_share: float = 0.24  # an end-of-line label may take this share of the chart's width...
    end_label_lines: int = 2  # ...in at most this many lines; beyond, the names move into a legend
    end_label_gap: float = 1.5  # points between stacked end labels
    bar_label_share: float = 0.34  # a bar's category label may take this share of the width...
    bar_label_lines: int = 3  # ...in at most this many lines
    tick_gap: float = 12.0  # points between neighbouring tick labels (1.5 em at 8 pt)
    max_ticks: int = 8


@dataclass(frozen=True)
class Images:
    """Figures from image files."""

    max_height_share: float = 0.75  # a picture is at most this share of the text width high
    min_dpi: int = 200  # a raster printing below this at its size is noted for the author


@dataclass(frozen=True)
class Policy:
    pages: Pages = Pages()
    tiles: Tiles = Tiles()
    tables: Tables = Tables()
    charts: Charts = Charts()
    images: Images = Images()


POLICY = Policy()
