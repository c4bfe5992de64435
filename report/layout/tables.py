"""`table:` blocks -> platypus tables: column widths from their content, columns of figures printed in
their format and aligned on the decimal point (negatives in the brand's `negative` colour), other
number-like columns right-aligned, long words broken inside their cell, split by the policy with the
header repeated.

Column widths start from the CSS automatic table layout's minimum (each column's widest word); the
rest of the width then goes where it makes the table shortest, which keeps the cells of a row at
similar numbers of lines. A word wider than the policy's long-token limit (a URL, an identifier)
counts only up to that limit and breaks inside its cell instead, so one long token never starves
the other columns. A figure never breaks: its column is at least as wide as its widest integer part
plus its widest decimal part (with the unit), which is what aligning on the decimal point needs.
"""

from __future__ import annotations

import math

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, TableStyle

from report.brand.styles import Styles
from report.charts.looks import colour, looks
from report.input.model import Table as TableSpec
from report.input.model import Column
from report.layout.flowables import ContinuedTable, Keep
from report.numbers import MINUS, NBSP, NOT_AVAILABLE, decimal_anchor, format_number, is_negative, is_number_column
from report.policy import POLICY
from report.text import para

_RULES = POLICY.tables


def table_style(styles: Styles, commands: list) -> TableStyle:
    """A table style that also sets the brand font: reportlab's cells default to Helvetica."""
    font = styles.head_font.regular
    return TableStyle([("FONT", (0, 0), (-1, -1), font, styles.theme.sizes.table)] + commands)


def cell_texts(spec: TableSpec) -> list[list[str]]:
    """Every cell as it prints, row by row: figures in their column's format, text as written."""
    formats = spec.formats()
    return [[str(v) if f is None or isinstance(v, str) else format_number(v, f) for v, f in zip(row, formats)]
            for row in spec.rows]


def in_fonts(text: str, drawable: frozenset[int]) -> str:
    """A figure's own characters (the minus sign, the space before a unit) in fonts that lack them:
    a hyphen and a space rather than an empty box. The input's characters are checked before."""
    return text.translate({ord(c): plain for c, plain in ((MINUS, "-"), (NBSP, " ")) if ord(c) not in drawable})


def table(spec: TableSpec, styles: Styles, width: float, *, notes: dict[str, int] | None = None) -> list[Flowable]:
    """The table's flowables; `notes` numbers the footnotes its cells may call."""
    st = styles
    texts = [[in_fonts(t, st.theme.drawable) for t in row] for row in cell_texts(spec)]
    formats = spec.formats()
    numeric = [f is not None or i > 0 and is_number_column([row[i] for row in texts])
               for i, f in enumerate(formats)]  # the first column names the row
    figures = {i: _Figures(f, [row[i] for row in spec.rows], [row[i] for row in texts], st)
               for i, f in enumerate(formats) if f is not None}
    widths = column_widths(spec.names, texts, numeric, styles, width,
                           {i: f.width for i, f in figures.items()})
    pad = _RULES.cell_padding
    header = [para(c, st["th_number" if numeric[i] else "th"], room=widths[i] - 2 * pad)
              for i, c in enumerate(spec.names)]
    rows = [[figures[i].cell(r, widths[i] - 2 * pad) if i in figures else
             para(text, st["td_number" if numeric[i] else "td_first" if i == 0 else "td"],
                  room=widths[i] - 2 * pad, notes=notes)
             for i, text in enumerate(row)] for r, row in enumerate(texts)]
    n = len(spec.columns)
    data = [[para(spec.title, st["subhead"])] + [""] * (n - 1), header] + rows
    if spec.source:
        data.append([para(f"Source: {spec.source}", st["source"])] + [""] * (n - 1))
    flowable = ContinuedTable(data, colWidths=widths, repeatRows=2, source_row=bool(spec.source),
                              continued=para(f"{spec.title} (continued)", st["subhead"]))
    flowable.setStyle(_style(spec, styles, numeric))
    return [Keep([flowable]) if len(spec.rows) <= _RULES.keep_rows else flowable]


class _Figures:
    """One column of figures: each cell right-aligned with its decimal point (or the end of its digits)
    at the same place, negatives in the `negative` colour, a cell with no figure (n/a) muted."""

    def __init__(self, fmt: Column, values: list, texts: list[str], styles: Styles):
        self.values, self.texts, self.styles = values, texts, styles
        body = styles["td_number"]
        self._font = (body.fontName, body.fontSize)
        split = [(t[:decimal_anchor(t)], t[decimal_anchor(t):]) for t, v in zip(texts, values)
                 if not isinstance(v, str)]
        self.tail = max((self._w(tail) for _, tail in split), default=0.0)
        heads = [self._w(head) for head, _ in split] + [self._w(t) - self.tail for t in texts if t in NOT_AVAILABLE]
        self.width = max(heads, default=0.0) + self.tail
        self.negative = [not isinstance(v, str) and is_negative(v, fmt) for v in values]
        self._styles: dict[tuple, ParagraphStyle] = {}

    def _w(self, text: str) -> float:
        return stringWidth(text, *self._font)

    def cell(self, row: int, room: float) -> Paragraph:
        text, value = self.texts[row], self.values[row]
        indent = 0.0 if isinstance(value, str) else self.tail - self._w(text[decimal_anchor(text):])
        role = "muted" if isinstance(value, str) else "negative" if self.negative[row] else "ink"
        key = (round(indent, 2), role)
        if key not in self._styles:
            self._styles[key] = ParagraphStyle(f"figure-{key}", parent=self.styles["td_number"],
                                               rightIndent=key[0], textColor=self.styles.color(role))
        return para(text, self._styles[key], room=room - key[0])


def column_widths(columns: list[str], texts: list[list[str]], numeric: list[bool], styles: Styles,
                  width: float, figures: dict[int, float] | None = None) -> list[float]:
    """Each column gets at least its widest word (a column of figures: the width its aligned figures
    take, `figures[i]`); the rest of the width goes, a step at a time, to the column where it saves
    the most lines in the table (so no cell wraps far more than its neighbours), then to the columns
    whose longest line does not fit yet, and once nothing wraps, to all in proportion to their
    longest line (so a column of short figures is not left much wider than its neighbours)."""
    st = styles
    figures = figures or {}
    pad = 2 * _RULES.cell_padding + 1  # and a point to spare: a word as wide as its cell must not break
    low, lengths = [], []
    for i, name in enumerate(columns):
        body = st["td_number" if numeric[i] else "td_first" if i == 0 else "td"]
        cells = [(name, st["th"])] + ([] if i in figures else [(row[i], body) for row in texts])
        words = [min(stringWidth(w, s.fontName, s.fontSize), _RULES.long_token)
                 for text, s in cells for w in text.split()] + [figures.get(i, 0.0)]
        low.append(max(max(words, default=0) + pad, _RULES.min_column))
        lengths.append([stringWidth(t, s.fontName, s.fontSize) * 1.08 for t, s in cells]  # with wrapping's waste
                       + [figures.get(i, 0.0)] * len(texts) * (i in figures))
    high = [max(max(n) + pad, w) for n, w in zip(lengths, low)]
    if sum(low) >= width:  # even the minimums overflow: shrink them alike; long words break
        return [w * width / sum(low) for w in low]
    widths = list(low)
    while True:
        move = _best_widening(lengths, widths, pad, width - sum(widths))
        if move is None:
            break
        widths[move[0]] += move[1]
    spare = width - sum(widths)
    grow = [max(h - w, 0.0) for h, w in zip(high, widths)]
    if spare < sum(grow):  # not enough for every cell on one line: share it by what each lacks
        return [w + spare * g / sum(grow) for w, g in zip(widths, grow)]
    widths = [w + g for w, g in zip(widths, grow)]  # every cell on one line; the rest by content
    return [w + (spare - sum(grow)) * h / sum(high) for w, h in zip(widths, high)]


def _lines(length: float, width: float, pad: float) -> int:
    return max(1, math.ceil(length / max(width - pad, 1.0) - 1e-9))


def _best_widening(lengths: list[list[float]], widths: list[float], pad: float, spare: float):
    """(column, points) of the widening that saves the most lines of the table per point spent,
    or None when no widening within `spare` saves a line."""
    lines = [[_lines(n, w, pad) for n in col] for col, w in zip(lengths, widths)]
    rows = list(zip(*lines))
    tallest = [max(r) for r in rows]
    second = [sorted(r)[-2] if len(r) > 1 else 1 for r in rows]
    best, best_rate = None, 0.0
    for c, (col, w) in enumerate(zip(lengths, widths)):
        # the widths at which a cell of this column loses a line, nearest first
        steps = sorted({math.ceil(n / (k - 1)) + pad - w for n, k in zip(col, lines[c]) if k > 1})
        for delta in [d for d in steps if 0 < d <= spare][:6]:
            saved = sum(t - max(_lines(n, w + delta, pad), second[r] if lines[c][r] == t else t)
                        for r, (n, t) in enumerate(zip(col, tallest)))
            if saved > 0 and saved / delta > best_rate:
                best, best_rate = (c, delta), saved / delta
    return best


def _style(spec: TableSpec, styles: Styles, numeric: list[bool]) -> TableStyle:
    st = styles
    n = len(spec.columns)
    last = -2 if spec.source else -1  # the last row of figures, above the source line
    commands = [
        ("SPAN", (0, 0), (n - 1, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _RULES.cell_padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), _RULES.cell_padding),
        ("TOPPADDING", (0, 1), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (0, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ("LINEABOVE", (0, 1), (-1, 1), 1.2, st.color("ink")),
        ("LINEBELOW", (0, 1), (-1, 1), 0.6, st.color("ink")),
        ("LINEBELOW", (0, last), (-1, last), 1.0, st.color("ink")),
        ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 1.0, st.color("ink")),
        ("ROWBACKGROUNDS", (0, 2), (-1, last), [None, st.color("zebra")]),
    ]
    if spec.source:
        commands += [("SPAN", (0, -1), (n - 1, -1)), ("LEFTPADDING", (0, -1), (0, -1), 0),
                     ("TOPPADDING", (0, -1), (-1, -1), 2)]
    if spec.probability is not None:  # each row's bar in the colour of its bar in the chart
        for r, look in enumerate(looks(spec.row_tones(), st.theme.series)):
            commands.append(("LINEBEFORE", (0, r + 2), (0, r + 2), 2.4, colour(st.theme, look)))
    return table_style(styles, commands)
