"""The input's history -> the "What changed since <date>" box and the probability history chart.

Both come after the key-stat tiles on the first page. The box is a few plain sentences (numbers that
moved, items added or removed), never a patch; the chart shows one point per update.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from report.brand.styles import Styles
from report.text import para
from report.versions.compare import summary

MAX_LINES = 6  # the box stays short: beyond this, groups are only named


def _has_glyphs(style: ParagraphStyle, text: str) -> bool:
    face = getFont(style.fontName).face
    return all(ord(c) in face.charToGlyph for c in text)


def _drawable(text: str, style: ParagraphStyle) -> str:
    """Names from old versions were never checked against today's fonts: no empty boxes on paper."""
    face = getFont(style.fontName).face
    return "".join(c if ord(c) in face.charToGlyph or c.isspace() else "?" for c in text)


def _lines(changes, style: ParagraphStyle) -> list[tuple[str, str]]:
    arrow = "→" if _has_glyphs(style, "→") else "to"
    quote = ("“", "”") if _has_glyphs(style, "“”") else ('"', '"')
    lines = [(lead, _drawable(text, style)) for lead, text in summary(changes, arrow, quote)]
    if len(lines) > MAX_LINES:
        rest = [lead.rstrip(":") for lead, _ in lines[MAX_LINES - 1:]]
        lines = lines[:MAX_LINES - 1] + [("Also changed:", ", ".join(rest))]
    return lines


def change_box(versions, styles: Styles, width: float, since: str) -> Table:
    st = styles
    line_style = ParagraphStyle("change_line", parent=st["td"], spaceBefore=1.5)
    cell: list[Flowable] = [para(f"What changed since {since}", st["subhead"])]
    cell += [para(text, line_style, lead=lead) for lead, text in _lines(versions.changes, line_style)]
    box = Table([[cell]], colWidths=[width])
    box.setStyle(st.table_style([
        ("BACKGROUND", (0, 0), (-1, -1), st.color("tile_fill")),
        ("LINEBEFORE", (0, 0), (0, -1), 3, st.color("accent")),
        ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))
    return box


def history_figure(history, styles: Styles, width: float, draw: Callable) -> list[Flowable]:
    st = styles
    return [para(f"{history.table}: probabilities at each update", st["figure_title"]),
            Spacer(1, 2), draw(history, styles, width),
            para("Source: this report's earlier updates, one point per as-of date", st["source"])]


def changes(versions, styles: Styles, width: float, draw_history: Callable) -> list[Flowable]:
    """The box and the chart, kept together; nothing when the input has no earlier update."""
    parts: list[Flowable] = []
    if versions is not None and versions.changes is not None:
        since = styles.theme.format_date(versions.changes.old.as_of)
        parts.append(change_box(versions, styles, width, since))
    if versions is not None and versions.history is not None:
        if parts:
            parts.append(Spacer(1, 3 * mm))
        parts += history_figure(versions.history, styles, width, draw_history)
    return [KeepTogether(parts), Spacer(1, 4 * mm)] if parts else []
