"""Fitting a chart's text inside its box: measuring and wrapping labels, stacking end labels apart,
placing the plot area so that ticks and labels stay inside, and a final check on the drawn shapes.

Text is measured with reportlab's metrics of the brand's registered fonts: the same TTF files
matplotlib lays out with, and the widths the text will have on paper. Every chart kind plans its
labels here before drawing; `check_inside` then proves the result, so a chart can never print a
character outside its box (the build fails with the chart and the label named instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from report.brand.styles import Styles
from report.policy import POLICY
from report.wordbreak import break_word

class ChartTextOutside(Exception):
    """A chart's text would print outside its box; the build names the chart and the text.

    Raised while reportlab draws a page, it comes back as a copy made from its message alone
    (reportlab's annotateException): `overflow` may be left out, and the original is the copy's
    __context__ (see `original`)."""

    def __init__(self, text: str, overflow: float = 0.0):
        super().__init__(text)
        self.text, self.overflow = text, overflow

    def original(self) -> ChartTextOutside:
        """The exception as first raised, with its text, overflow and chart."""
        exc = self
        while not hasattr(exc, "chart") and isinstance(exc.__context__, ChartTextOutside):
            exc = exc.__context__
        return exc


@dataclass(frozen=True)
class Measure:
    """Widths and line heights of chart text in the brand's heading family at the chart size."""

    regular: str
    bold: str
    italic: str
    size: float

    @classmethod
    def of(cls, styles: Styles) -> Measure:
        f = styles.head_font
        return cls(f.regular, f.bold, f.italic, styles.theme.sizes.chart)

    @property
    def line(self) -> float:
        """Distance between baselines of wrapped chart text (matplotlib's default 1.2)."""
        return self.size * 1.2

    def width(self, text: str, *, bold: bool = False, italic: bool = False) -> float:
        font = self.bold if bold else self.italic if italic else self.regular
        return max((stringWidth(line, font, self.size) for line in text.split("\n")), default=0.0)

    def wrap(self, text: str, room: float, lines: int, *, bold: bool = False) -> list[str] | None:
        """`text` broken into at most `lines` lines no wider than `room`, or None if it cannot be.

        Breaks at spaces; a word wider than `room` breaks after - / _ . first, at any character if
        it must. Every character is kept, in order.
        """
        out: list[str] = []
        for piece, joins in self._pieces(text, room, bold):
            glue = "" if joins else " "
            if out and self.width(out[-1] + glue + piece, bold=bold) <= room:
                out[-1] += glue + piece
            else:
                out.append(piece)
        return out if len(out) <= lines else None

    def _pieces(self, text: str, room: float, bold: bool):
        """(piece, joins the previous piece) for each word, a word wider than `room` cut to fit."""
        def fits(piece: str) -> bool:
            return self.width(piece, bold=bold) <= room

        for word in text.split():
            for n, piece in enumerate(break_word(word, fits)):
                yield piece, n > 0


def stack(targets: list[float], heights: list[float], low: float, high: float,
          gap: float = POLICY.charts.end_label_gap) -> list[float] | None:
    """Centres for labels of `heights` as near their `targets` as possible, none overlapping, all
    within [low, high] (display units). None when they cannot all fit."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    need = sum(heights) + gap * (len(heights) - 1)
    if need > high - low + 1e-6:
        return None
    placed = [0.0] * len(targets)
    floor = low
    for i in order:  # upwards from the lowest, each at or above the previous one's top
        placed[i] = max(targets[i], floor + heights[i] / 2)
        floor = placed[i] + heights[i] / 2 + gap
    ceiling = high
    for i in reversed(order):  # then down from the top, so the highest never leaves the box
        placed[i] = min(placed[i], ceiling - heights[i] / 2)
        ceiling = placed[i] - heights[i] / 2 - gap
    return placed


def legend_layout(names: list[str], width: float, m: Measure):
    """A legend below a chart: its entries (wrapped names), columns, and its height."""
    handle = 2.8 * m.size  # matplotlib: handle length 2 + text pad 0.8, in font sizes
    spacing = 2 * m.size
    room = width - handle - 2 * POLICY.charts.pad
    entries = tuple(tuple(m.wrap(name, room, 99) or [name]) for name in names)
    widest = max(m.width("\n".join(e)) for e in entries) + handle
    cols = max(1, min(len(entries), int((width + spacing) // (widest + spacing))))
    rows = math.ceil(len(entries) / cols)
    tall = sum(max(len(e) for e in entries[r * cols:(r + 1) * cols]) for r in range(rows))
    return entries, cols, tall * m.line + (rows - 1) * 0.5 * m.size + 6


def measuring_renderer(fig):
    from report.charts.render import measuring_renderer as renderer

    return renderer(fig)


def fit_axes(fig, ax, renderer, *, left: float = 0, right: float = 0, top: float = 0,
             bottom: float = 0, pad: float = POLICY.charts.pad) -> None:
    """Place `ax` so that it and its ticks, tick labels and axis labels lie inside the figure, less
    `pad` and the room reserved on each side (points) for text placed around the plot."""
    width, height = fig.bbox.width, fig.bbox.height
    x0, y0, x1, y1 = left + pad, bottom + pad, width - right - pad, height - top - pad
    box = [x0, y0, x1, y1]  # the plot area, in points
    for _ in range(4):
        ax.set_position([box[0] / width, box[1] / height, (box[2] - box[0]) / width,
                         (box[3] - box[1]) / height])
        tight = ax.get_tightbbox(renderer, for_layout_only=False)
        spill = (x0 - tight.x0, y0 - tight.y0, tight.x1 - x1, tight.y1 - y1)
        if max(spill) <= 0.05:
            break
        box = [box[0] + max(spill[0], 0), box[1] + max(spill[1], 0),
               box[2] - max(spill[2], 0), box[3] - max(spill[3], 0)]
        if box[2] - box[0] < width * 0.2 or box[3] - box[1] < height * 0.2:
            raise ChartTextOutside("the chart's tick and axis labels", max(spill))


def check_inside(drawing: Drawing, pad: float = 0.25) -> None:
    """Every string of `drawing` lies inside its box, measured as it will print."""
    for text, corners in _strings(drawing, (1, 0, 0, 1, 0, 0)):
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        overflow = max(-pad - min(xs), max(xs) - drawing.width - pad,
                       -pad - min(ys), max(ys) - drawing.height - pad)
        if overflow > 0:
            raise ChartTextOutside(text, overflow)


def _strings(node, m):
    if isinstance(node, String):
        face = getFont(node.fontName).face
        w = stringWidth(node.text, node.fontName, node.fontSize)
        x0 = node.x - {"start": 0, "middle": w / 2, "end": w}.get(node.textAnchor, 0)
        up, down = face.ascent * node.fontSize / 1000, face.descent * node.fontSize / 1000
        corners = [(x, y) for x in (x0, x0 + w) for y in (node.y + down, node.y + up)]
        yield node.text, [(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]) for x, y in corners]
    elif isinstance(node, Group):
        t = getattr(node, "transform", (1, 0, 0, 1, 0, 0))
        inner = (m[0] * t[0] + m[2] * t[1], m[1] * t[0] + m[3] * t[1],
                 m[0] * t[2] + m[2] * t[3], m[1] * t[2] + m[3] * t[3],
                 m[0] * t[4] + m[2] * t[5] + m[4], m[1] * t[4] + m[3] * t[5] + m[5])
        for child in node.contents:
            yield from _strings(child, inner)


_DIRECTIONS = ((1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(anchors, sizes, box, obstacles=(), radius: float = 4.0, gap: float = 1.0):
    """A box (x0, y0, x1, y1) for each label of `sizes` (w, h) beside its anchor point (display
    units): inside `box`, touching no label placed before it nor any of `obstacles`, as near its
    anchor as it can be (nudged outwards ring by ring, the least overlap where none is free)."""
    placed: list = []
    for (x, y), (w, h) in zip(anchors, sizes):
        best = None
        for ring in (1, 2, 3, 4, 6, 9):
            d = radius * ring
            for dx, dy in _DIRECTIONS:
                cx, cy = x + dx * (d + w / 2), y + dy * (d + h / 2)
                b = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if b[0] < box[0] or b[1] < box[1] or b[2] > box[2] or b[3] > box[3]:
                    continue
                grown = (b[0] - gap, b[1] - gap, b[2] + gap, b[3] + gap)
                cost = sum(_overlap(grown, o) for o in [*placed, *obstacles])
                if best is None or cost < best[0]:
                    best = (cost, b)
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        if best is None:  # wider than room beside it anywhere: kept inside, over its anchor
            x0 = min(max(x - w / 2, box[0]), box[2] - w)
            y0 = min(max(y - h / 2, box[1]), box[3] - h)
            best = (0, (x0, y0, x0 + w, y0 + h))
        placed.append(best[1])
    return placed
