"""`kind: bars`: grouped and stacked, columns and bars, negative values, every value labelled on
its bar with the chart's decimals and a true minus, long categories wrapped; columns that cannot hold
their labels are drawn as bars."""

from __future__ import annotations

import pytest
from chartkit import drawn, overlap, texts

GROUPED = """
kind: bars
title: Flows
source: Test
y_label: Net flows, $ billions
prefix: $
suffix: B
categories: [Brazil, India, "Korea, Republic of"]
series:
  - {name: "2024", values: [4.2, 12.5, -6.4]}
  - {name: "2025", values: [-2, 9.8, 3.3]}
"""


@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_grouped_columns_label_every_value(brand):
    drawing, _ = drawn(GROUPED, brand)
    found = [t for t, _ in texts(drawing)]
    for value in ("$4.2B", "$12.5B", "\u2212$6.4B", "\u2212$2.0B", "$9.8B", "$3.3B"):  # one decimal for all
        assert value in found
    for name in ("Brazil", "India", "2024", "2025", "Net flows, $ billions"):
        assert name in found
    assert any("Korea" in t for t in found)


def test_labels_never_overlap_in_columns_or_bars():
    for spec in (GROUPED, GROUPED + "horizontal: true\n", GROUPED + "stacked: true\n"):
        boxes = [b for _, b in texts(drawn(spec)[0])]
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlap(a, b)]


def test_stacked_segments_are_all_labelled():
    spec = GROUPED.replace("kind: bars", "kind: bars\nstacked: true\nhorizontal: true")
    found = [t for t, _ in texts(drawn(spec)[0])]
    assert {"$4.2B", "\u2212$2.0B", "$12.5B", "$9.8B", "\u2212$6.4B", "$3.3B"} <= set(found)


def test_columns_that_cannot_hold_their_labels_become_bars():
    many = "\n".join(["kind: bars", "title: T", "source: S", "categories: [" + ", ".join(
        f"A long category name {i}" for i in range(30)) + "]", "series:",
        "  - {name: S, values: [" + ", ".join("123456.75" for _ in range(30)) + "]}"])
    drawing, heights = drawn(many)
    assert heights[0] == heights[1], "drawn as bars: a fixed pitch, not an elastic aspect"
    few, few_heights = drawn(GROUPED)
    assert few_heights[1] < few_heights[0], "the control: columns that fit stay columns (elastic)"
