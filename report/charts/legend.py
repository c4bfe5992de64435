"""A legend below a chart whose keys are drawn as the series are: a hatched swatch for a bar series,
a short dashed line with its marker for a line series, so that the legend reads in greyscale too.
Laid out by report.charts.fit.legend_layout (entries, columns, height) before drawing."""

from __future__ import annotations

from report.charts.fit import Measure
from report.charts.looks import Look, colour
from report.charts.style import hatch_box
from report.policy import POLICY

KEY = 20.0  # points: the width of a key, like matplotlib's handle length 2 at 10 pt


def draw(fig, entries, cols: int, keys: list[tuple[str, Look]], theme, m: Measure) -> float:
    """Draw the legend at the foot of `fig`; `keys` are ("bar" | "line" | "point", look) per entry. Returns
    its height (points)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    width = fig.bbox.width - 2 * POLICY.charts.pad
    column = width / cols
    rows = [entries[r:r + cols] for r in range(0, len(entries), cols)]
    y = POLICY.charts.pad
    for r in reversed(range(len(rows))):
        tall = max(len(e) for e in rows[r]) * m.line
        for c, entry in enumerate(rows[r]):
            kind, look = keys[r * cols + c]
            x = POLICY.charts.pad + c * column
            mid = y + tall - m.line / 2
            ink = colour(theme, look)
            if kind == "bar":
                box = (x + 2, mid - 3.5, x + KEY - 4, mid + 3.5)
                fig.add_artist(Rectangle(box[:2], box[2] - box[0], box[3] - box[1], transform=None,
                                         facecolor=ink, edgecolor=ink, linewidth=0.6))
                hatch_box(fig, box, look.hatch)
            else:
                if kind == "line":
                    fig.add_artist(Line2D([x, x + KEY - 2], [mid, mid], transform=None, color=ink,
                                          linewidth=1.6, linestyle=look.dash))
                fig.add_artist(Line2D([x + (KEY - 2) / 2], [mid], transform=None, color=ink,
                                      marker=look.marker, markersize=4))
            fig.text((x + KEY + 2) / fig.bbox.width, (y + tall) / fig.bbox.height, "\n".join(entry),
                     ha="left", va="top", linespacing=1.2)
        y += tall + 0.5 * m.size
    return y - 0.5 * m.size + 6
