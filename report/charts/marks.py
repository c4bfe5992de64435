"""Marks on a line chart: annotations (a marked point with a short label) and reference lines (a
level across the plot, or an event at an x label), shared by `kind: lines` and `kind: band`.

Each label is measured with the brand's metrics, wrapped to the room it has, and placed inside the
plot area, nudged clear of the other labels (report.charts.fit.place_labels); `check_inside` then
proves it stayed in the chart's box.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.charts.fit import Measure, place_labels

LABEL_SHARE = 0.42  # a mark's label may take this share of the plot's width


@dataclass(frozen=True)
class Mark:
    """A marked point: at the x-th label, value y."""

    x: int
    y: float
    label: str


@dataclass(frozen=True)
class Rule:
    """A reference line: `axis` "y" at the value `at`, or "x" at the x label of index `at`."""

    axis: str
    at: float
    label: str


@dataclass(frozen=True)
class Marks:
    points: tuple[Mark, ...] = ()
    rules: tuple[Rule, ...] = ()

    def values(self) -> list[float]:
        """The y values the axis must show."""
        return [m.y for m in self.points] + [r.at for r in self.rules if r.axis == "y"]


def marks_of(chart) -> Marks:
    """A chart's annotations and reference lines, at x indices and values."""
    index = {x: i for i, x in enumerate(chart.x)}
    values = {s.name: s.values for s in chart.series}
    points = tuple(Mark(index[a.x], a.y if a.series is None else values[a.series][index[a.x]], a.label)
                   for a in chart.annotations)
    rules = tuple(Rule("y", r.y, r.label) if r.y is not None else Rule("x", index[r.x], r.label)
                  for r in chart.reference_lines)
    return Marks(points, rules)


def draw(ax, marks: Marks, theme, m: Measure, avoid: list) -> None:
    """Draw the rules and marked points on `ax` (already fitted), their labels placed clear of
    each other and of the boxes in `avoid` (display units)."""
    if not (marks.points or marks.rules):
        return
    muted, ink = theme.color("muted"), theme.color("ink")
    box = ax.get_window_extent()
    plot = (box.x0 + 2, box.y0 + 2, box.x1 - 2, box.y1 - 2)
    room = box.width * LABEL_SHARE
    to_display = ax.transData.transform
    anchors, sizes, texts = [], [], []
    for rule in marks.rules:
        if rule.axis == "y":
            ax.axhline(rule.at, color=muted, linewidth=0.8, linestyle=(0, (1, 1.5)), zorder=1.5)
            x, y = plot[0], float(to_display((0, rule.at))[1])
        else:
            ax.axvline(rule.at, color=muted, linewidth=0.8, linestyle=(0, (1, 1.5)), zorder=1.5)
            x, y = float(to_display((rule.at, 0))[0]), plot[3]
        anchors.append((x, y))
        texts.append(_wrapped(rule.label, room, m))
    for mark in marks.points:
        px, py = (float(v) for v in to_display((mark.x, mark.y)))
        ax.plot([mark.x], [mark.y], marker="o", markersize=7, markerfacecolor="none",
                markeredgecolor=ink, markeredgewidth=1.0, zorder=4, clip_on=False)
        avoid = avoid + [(px - 5, py - 5, px + 5, py + 5)]
        anchors.append((px, py))
        texts.append(_wrapped(mark.label, room, m))
    sizes = [(m.width(t, bold=True) + 2, t.count("\n") * m.line + m.size * 1.15) for t in texts]
    boxes = place_labels(anchors, sizes, plot, avoid, radius=5)
    n = len(marks.rules)
    for k, (text, b, (x, y)) in enumerate(zip(texts, boxes, anchors)):
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        colour = muted if k < n else ink
        ax.annotate(text, (x, y), xycoords="figure points", xytext=(cx, cy), textcoords="figure points",
                    ha="center", va="center", color=colour, fontweight="bold", annotation_clip=False,
                    linespacing=1.2, zorder=5,
                    arrowprops=None if k < n else dict(arrowstyle="-", color=ink, linewidth=0.6,
                                                       shrinkA=0, shrinkB=4))


def _wrapped(text: str, room: float, m: Measure) -> str:
    return "\n".join(m.wrap(text, room, 3, bold=True) or m.wrap(text, room, 99, bold=True) or [text])
