"""`kind: combo`: bars on the left axis, lines on a right axis, each axis titled, the bars' values
labelled, both axes' tick labels inside the box, every series in the legend."""

from __future__ import annotations

import pytest
from chartkit import WIDTH, drawn, texts

COMBO = """
kind: combo
title: Capex and earnings
source: Test
y_label: Capex, $ billions
y2_label: EPS growth, %
categories: [2021, 2022, 2023, 2024]
bars:
  - {name: Capex, values: [412, 455, 468, 502]}
lines:
  - {name: EPS growth, values: [24.1, -3.5, 1.2, 9.8]}
"""


@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_both_axes_are_titled_and_the_bars_labelled(brand):
    drawing, _ = drawn(COMBO, brand)
    found = texts(drawing)
    names = [t for t, _ in found]
    assert {"Capex, $ billions", "EPS growth, %", "Capex", "EPS growth", "412", "502"} <= set(names)
    left = next(b for t, b in found if t == "Capex, $ billions")
    right = next(b for t, b in found if t == "EPS growth, %")
    assert left[0] < WIDTH / 3 and right[2] > WIDTH * 2 / 3, "each title above its own axis"
    ticks_right = [b for t, b in found if b[0] > WIDTH * 0.9 and t.replace("\u2212", "").isdigit()]
    assert ticks_right, "the right axis has tick labels"
    assert all(b[2] <= WIDTH for b in ticks_right)
