"""Line charts with annotations (a marked point with a short label) and reference lines (a level, an
event date): the labels print inside the plot, the marked point sits on its series, a level beyond
the data stays in view."""

from __future__ import annotations

from chartkit import drawn, texts

LINES = """
kind: lines
title: Net cash
source: Test
y_label: $ billions
x: [Q1, Q2, Q3, Q4]
series:
  - {name: Net cash, values: [2.1, 2.8, 3.3, 4.2]}
annotations:
  - {x: Q4, series: Net cash, label: $4.2B net cash}
reference_lines:
  - {y: 6, label: Target level}
  - {x: Q2, label: Rate cut}
"""


def test_marks_print_their_labels():
    drawing, _ = drawn(LINES)
    found = [t for t, _ in texts(drawing)]
    assert {"$4.2B net cash", "Target level", "Rate cut"} <= set(found)


def test_a_level_beyond_the_data_stays_in_view():
    drawing, _ = drawn(LINES)
    ticks = [float(t) for t, _ in texts(drawing) if t.replace(".", "").isdigit()]
    assert max(ticks) >= 6
    without = LINES.split("annotations:")[0]
    assert max(float(t) for t, _ in texts(drawn(without)[0]) if t.replace(".", "").isdigit()) < 6, \
        "the control: without the level the axis ends near the data"
