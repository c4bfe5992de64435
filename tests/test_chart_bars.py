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


@pytest.mark.parametrize("horizontal", [False, True])
def test_a_chart_of_zeros_is_drawn_with_its_labels(horizontal):
    """All values 0 (a category with nothing yet): the value axis keeps a span (matplotlib warns, an
    error here, when its limits are equal) and each 0 is labelled; the control, one value 1, always was."""
    zeros = "kind: bars\ntitle: T\nsource: S\ncategories: [A, B]\nseries:\n  - {name: S, values: [0, 0]}\n"
    zeros += "horizontal: true\n" if horizontal else ""
    for spec, labels in ((zeros, ["0", "0"]), (zeros.replace("[0, 0]", "[0, 1]"), ["0", "1"])):
        found = [t for t, _ in texts(drawn(spec)[0])]
        assert [t for t in found if t in ("0", "1")][-2:] == labels or sorted(labels) <= sorted(found), found


@pytest.mark.parametrize("horizontal", [False, True])
@pytest.mark.parametrize("brand", ["meridian", "harbor"])
def test_a_zero_among_negatives_is_labelled_inside_the_chart(brand, horizontal):
    """Every value at or below 0, one of them 0: the 0's label stands above (or right of) the axis, so
    the axis leaves room there too (found by the fuzz run: 4 pt over the chart's edge, a refused build)."""
    from report.charts.fit import check_inside

    spec = "kind: bars\ntitle: T\nsource: S\nsuffix: '%'\ncategories: [A, B]\nseries:\n" \
           "  - {name: S, values: [0, -581]}\n  - {name: R, values: [-436, -12]}\n"
    drawing, _ = drawn(spec + ("horizontal: true\n" if horizontal else ""), brand)
    check_inside(drawing)
    found = [t for t, _ in texts(drawing)]
    assert {"0%", "\u2212581%", "\u2212436%", "\u221212%"} <= set(found), found


def test_a_legend_row_shares_one_baseline_whatever_its_glyphs():
    """matplotlib sets a line of text by its ink: a ring accent alone sat 3 pt below the other names of
    its legend row, and out of the chart (found by the fuzz run). The chart renderer measures every
    line by its font's face box, so a row's names share a baseline. Control: the names differ in ink."""
    from report.charts.fit import check_inside

    names = ("˚", "ƒ", "Ág", "xo")
    spec = "kind: bars\ntitle: T\nsource: S\ncategories: [A, B]\nseries:\n" + "".join(
        f"  - {{name: '{n}', values: [{i + 1}, {i + 2}]}}\n" for i, n in enumerate(names))
    drawing, _ = drawn(spec)
    check_inside(drawing)
    baselines = {t: round(b[1], 2) for t, b in texts(drawing) if t in names}
    assert set(baselines) == set(names) and len(set(baselines.values())) == 1, baselines
