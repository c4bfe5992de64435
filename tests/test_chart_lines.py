"""The line chart: each line named at its end, the names never printed over one another."""

from __future__ import annotations

from conftest import SAMPLE
from reportlab.graphics.shapes import Group, String

from report import charts
from report.brand.theme import load_theme
from report.build import styles_for
from report.input.model import ChartBlock, LineChart
from report.input.parse import parse_file


def _names(drawing, names) -> dict[str, float]:
    """Baseline height of each name's text in the drawing."""
    out = {}
    for node in drawing.contents:
        if isinstance(node, Group) and isinstance(node.contents[0], String) and node.contents[0].text in names:
            out[node.contents[0].text] = node.transform[5]
    return out


def test_lines_ending_at_one_value_are_named_apart():
    report, _ = parse_file(SAMPLE)
    line = next(b.chart for _, b in report.blocks_with_paths()
                if isinstance(b, ChartBlock) and isinstance(b.chart, LineChart))
    ends = [s.values[-1] for s in line.series]
    same = [s.model_copy(update={"values": [*s.values[:-1], min(ends)]}) for s in line.series]
    styles = styles_for(load_theme("meridian"))
    drawn = _names(charts.draw(line.model_copy(update={"series": same}), report, styles, 480),
                   {s.name for s in line.series})
    assert len(drawn) == len(line.series)
    heights = sorted(drawn.values())
    size = styles.theme.sizes.chart
    assert all(b - a >= size for a, b in zip(heights, heights[1:])), drawn
    apart = _names(charts.draw(line, report, styles, 480), {s.name for s in line.series})
    assert sorted(apart.values()) != heights  # the control: lines ending apart are named at their ends


STAMPED = """
kind: lines
title: Paths
source: Test
illustrative: true
x: [0, 1, 2, 3]
series:
  - {name: Rising path, values: [0, 1, 2, 4]}
  - {name: Flat path, values: [0, 0, 0, 0]}
"""


def test_the_illustrative_stamp_has_a_line_of_its_own_without_a_y_label():
    """With no y axis title above the plot, the stamp still stands above it: a line ending at the
    chart's top right (its name there) never runs into it."""
    from chartkit import drawn, overlap, texts

    found = texts(drawn(STAMPED)[0])
    stamp = next(b for t, b in found if t.startswith("Illustrative"))
    end = next(b for t, b in found if t == "Rising path")
    assert not overlap(stamp, end), (stamp, end)
    assert stamp[1] >= max(b[3] for t, b in found if t != stamp and not t.startswith("Illustrative")) - 0.5
    # control: the stamp one line lower, where it stood before it had a line of its own, meets the name
    lowered = (stamp[0], stamp[1] - (stamp[3] - stamp[1]) * 1.2, stamp[2], stamp[3] - (stamp[3] - stamp[1]) * 1.2)
    assert overlap(lowered, end), (lowered, end)


TOP_END = """
kind: lines
title: Paths
source: Test
illustrative: false
x: [0, 1, 2]
series:
  - {name: "Ŋ rising", values: [-5, -2, 0]}
  - {name: Flat, values: [0, 0, 0]}
"""


def test_a_name_at_the_top_of_a_chart_with_nothing_above_the_plot_stays_inside():
    """No y axis title and no stamp: the plot reaches the chart's top. Two lines end there; their
    names, stacked apart, may rise half a line above the plot, but never above the chart (found by
    the fuzz run: 1-2 pt over the edge, a refused build). Control: a name does stand at the top."""
    from chartkit import drawn, texts

    from report.charts.fit import check_inside

    drawing, _ = drawn(TOP_END)
    check_inside(drawing)
    names = [b for t, b in texts(drawing) if t in ("Ŋ rising", "Flat")]
    assert len(names) == 2 and max(b[3] for b in names) <= drawing.height + 0.25
    assert max(b[3] for b in names) > drawing.height - 4, "the control: a name stands at the top"
