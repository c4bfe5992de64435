"""`table:` blocks -> platypus tables: column widths from their content, number columns right-aligned,
long words broken inside their cell, split by the policy with the header repeated.

Column widths follow the CSS automatic table layout: each column has a minimum (its widest word)
and a preferred width (its longest cell on one line); when the preferred widths fit, the spare room
is shared in proportion to them, otherwise each column gets its minimum plus a share of the rest in
proportion to how much it would like to grow. A word wider than the policy's long-token limit (a
URL, an identifier) counts only up to that limit and breaks inside its cell instead, so one long
token never starves the other columns.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from report.brand.styles import Styles
from report.input.model import Table as TableSpec
from report.layout.flowables import ContinuedTable, Keep
from report.layout.numbers import is_number_column
from report.policy import POLICY
from report.text import para

_RULES = POLICY.tables
KEEP_ROWS = 8  # a table of up to this many rows splits only where moving it whole would leave a big gap


def table_style(styles: Styles, commands: list) -> TableStyle:
    """A table style that also sets the brand font: reportlab's cells default to Helvetica."""
    font = styles.head_font.regular
    return TableStyle([("FONT", (0, 0), (-1, -1), font, styles.theme.sizes.table)] + commands)


def cell_texts(spec: TableSpec) -> list[list[str]]:
    """Every cell as it prints, row by row (probabilities as percentages)."""
    prob = spec.columns.index(spec.probability) if spec.probability else None
    return [[f"{v:g}%" if i == prob else str(v) for i, v in enumerate(row)] for row in spec.rows]


def table(spec: TableSpec, styles: Styles, width: float) -> list[Flowable]:
    st = styles
    texts = cell_texts(spec)
    numeric = [is_number_column([row[i] for row in texts]) for i in range(len(spec.columns))]
    numeric[0] = False  # the first column names the row
    widths = column_widths(spec.columns, texts, numeric, styles, width)
    pad = _RULES.cell_padding
    header = [para(c, st["th_number" if numeric[i] else "th"], room=widths[i] - 2 * pad)
              for i, c in enumerate(spec.columns)]
    rows = [[para(text, st["td_number" if numeric[i] else "td_first" if i == 0 else "td"],
                  room=widths[i] - 2 * pad) for i, text in enumerate(row)] for row in texts]
    n = len(spec.columns)
    data = [[para(spec.title, st["subhead"])] + [""] * (n - 1), header] + rows
    if spec.source:
        data.append([para(f"Source: {spec.source}", st["source"])] + [""] * (n - 1))
    flowable = ContinuedTable(data, colWidths=widths, repeatRows=2, source_row=bool(spec.source),
                              continued=para(f"{spec.title} (continued)", st["subhead"]))
    flowable.setStyle(_style(spec, styles, numeric))
    return [Keep([flowable]) if len(spec.rows) <= KEEP_ROWS else flowable]


def column_widths(columns: list[str], texts: list[list[str]], numeric: list[bool], styles: Styles,
                  width: float) -> list[float]:
    st = styles
    pad = 2 * _RULES.cell_padding + 1  # and a point to spare: a word as wide as its cell must not break
    low, high = [], []
    for i, name in enumerate(columns):
        body = st["td_number" if numeric[i] else "td_first" if i == 0 else "td"]
        head = st["th"]
        cells = [(name, head)] + [(row[i], body) for row in texts]
        words = [min(stringWidth(w, s.fontName, s.fontSize), _RULES.long_token)
                 for text, s in cells for w in text.split()]
        low.append(max(max(words, default=0) + pad, _RULES.min_column))
        high.append(max(max(stringWidth(t, s.fontName, s.fontSize) for t, s in cells) + pad, low[-1]))
    if sum(high) <= width:  # every cell on one line: share the spare room in proportion
        return [h + (width - sum(high)) * h / sum(high) for h in high]
    if sum(low) >= width:  # even the minimums overflow: shrink them alike; long words break
        return [w * width / sum(low) for w in low]
    grow = sum(h - w for h, w in zip(high, low))
    return [w + (width - sum(low)) * (h - w) / grow for h, w in zip(high, low)]


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
    if spec.probability is not None:
        for r, label in enumerate(spec.labels()):
            tone = spec.tones.get(label)
            if tone:
                commands.append(("LINEBEFORE", (0, r + 2), (0, r + 2), 2.4, st.color(tone)))
    return table_style(styles, commands)
