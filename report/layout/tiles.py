"""`key_stats:` -> the row(s) of key-stat tiles on the first page.

Tiles come in balanced rows by the policy (5 -> 3 + 2, 6 -> 3 + 3). The parts of the tiles of a row
start at the same heights, so every value of a row stands on one baseline whatever its label's
length (and each tile still reads label, value, source, in that order). Figures are set large; a value written in words is set smaller so that it fits in two
lines. A source that would run past its lines shrinks a little; if a tile still cannot hold its text
in the policy's lines, the tiles reflow into more, wider rows.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table

from report.brand.styles import Styles
from report.input.model import KeyStat
from report.numbers import is_number
from report.layout.tables import table_style
from report.policy import POLICY
from report.text import para

_RULES = POLICY.tiles
_PAD = 6.0  # points inside a tile


def tiles(stats: list[KeyStat], styles: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = []
    for row in _rows(stats, styles, width):
        if out:
            out.append(Spacer(1, _RULES.gap))
        out.append(_row(row, styles, width))
    return out


def _rows(stats: list[KeyStat], styles: Styles, width: float) -> list[list[KeyStat]]:
    for pattern in (_RULES.rows[len(stats)], _RULES.fallback.get(len(stats))):
        if pattern is None:
            continue
        rows, start = [], 0
        for count in pattern:
            rows.append(stats[start:start + count])
            start += count
        if all(_fits(stat, styles, _tile_width(len(row), width)) for row in rows for stat in row):
            return rows
    return rows  # the fallback reflow, even if some text takes an extra line


def _tile_width(count: int, width: float) -> float:
    """Tiles share the row; a lone tile takes half of it (a figure, not a banner)."""
    return (width - _RULES.gap * (max(count, 2) - 1)) / max(count, 2)


def _lines(text: str, style: ParagraphStyle, width: float) -> int:
    p = para(text, style, room=width)
    p.wrap(width, 1e6)
    return len(p.blPara.lines)


def _value_style(stat: KeyStat, styles: Styles) -> ParagraphStyle:
    return styles["tile_value" if is_number(stat.value) else "tile_text"]


def _source(stat: KeyStat, styles: Styles) -> str:
    return ", ".join(x for x in (stat.source, stat.date and styles.theme.format_date(stat.date)) if x)


def _source_style(stat: KeyStat, styles: Styles, inner: float) -> ParagraphStyle:
    """The source's style, shrunk (down to the policy's least size) until it fits its lines."""
    style = styles["tile_source"]
    text = _source(stat, styles)
    size = style.fontSize
    while text and size > _RULES.min_source_size and \
            _lines(text, ParagraphStyle("s", parent=style, fontSize=size), inner) > _RULES.source_lines:
        size -= 0.25
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"tile_source_{size}", parent=style, fontSize=size, leading=size * 1.3)


def _fits(stat: KeyStat, styles: Styles, width: float) -> bool:
    inner = width - 2 * _PAD
    source = _source(stat, styles)
    return (_lines(stat.label, styles["tile_label"], inner) <= _RULES.label_lines
            and _lines(stat.value, _value_style(stat, styles), inner) <= _RULES.value_lines
            and (not source or _lines(source, _source_style(stat, styles, inner), inner) <= _RULES.source_lines))


def _row(stats: list[KeyStat], styles: Styles, width: float) -> Table:
    """One row of tiles: each tile one cell, read label, value, source; the parts of every tile
    start at the same heights, so a row's labels, values and sources each share a line."""
    st = styles
    tile = _tile_width(len(stats), width)
    inner = tile - 2 * _PAD
    big = st["tile_value"].fontSize
    parts = []
    for stat in stats:
        style = _value_style(stat, styles)
        source = _source(stat, styles)
        value: list[Flowable] = [para(stat.value, style, room=inner)]
        if style.fontSize < big:  # the first baselines of a row's values line up
            value.insert(0, Spacer(1, big - style.fontSize))
        parts.append([[para(stat.label, st["tile_label"], room=inner)], value,
                      [para(source, _source_style(stat, styles, inner), room=inner)] if source else []])
    for k in (0, 1):  # pad each label and value to the tallest of the row
        heights = [sum(f.wrap(inner, 1e6)[1] for f in p[k]) for p in parts]
        for p, h in zip(parts, heights):
            p[k].append(Spacer(1, max(heights) - h + (2 if k == 0 else 3)))
    cells, widths = [], []
    for i, p in enumerate(parts):
        if i:
            cells.append("")
            widths.append(_RULES.gap)
        cells.append(p[0] + p[1] + p[2])
        widths.append(tile)
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
                ("TOPPADDING", (0, 0), (-1, -1), _PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD + 1)]
    for i, stat in enumerate(stats):
        c = i * 2
        commands += [("BACKGROUND", (c, 0), (c, 0), st.color("tile_fill")),
                     ("LINEABOVE", (c, 0), (c, 0), 2.2, st.color(stat.tone if stat.tone != "neutral" else "accent"))]
    table.setStyle(table_style(styles, commands))
    return table
