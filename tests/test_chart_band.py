"""`kind: band`: a shaded range between two series, under the lines, named in a legend; every line
still drawn and named."""

from __future__ import annotations

from chartkit import drawn, texts

FAN = """
kind: band
title: Fan
source: Test
illustrative: true
y_label: Index, start = 100
x: [0, 3, 6]
series:
  - {name: Bear, tone: bear, values: [100, 92, 86]}
  - {name: Base, tone: base, values: [100, 98, 101]}
  - {name: Bull, tone: bull, values: [100, 104, 109]}
bands:
  - {name: Bear–bull range, low: Bear, high: Bull}
"""


def _fills(drawing):
    return [p for p in drawing.contents if getattr(p, "fillColor", None) is not None
            and getattr(p, "strokeColor", "x") is None and len(getattr(p, "points", ())) >= 12]


def test_the_band_is_filled_between_its_series_and_named():
    drawing, _ = drawn(FAN)
    found = [t for t, _ in texts(drawing)]
    assert {"Bear", "Base", "Bull", "Bear–bull range", "Illustrative, not a forecast"} <= set(found)
    fills = _fills(drawing)
    assert len(fills) == 1
    ys = fills[0].points[1::2]
    assert max(ys) - min(ys) > 40, "the fill spans the range from bear to bull"
    assert drawing.contents.index(fills[0]) < min(i for i, p in enumerate(drawing.contents)
                                                  if getattr(p, "strokeDashArray", None)), "under the lines"


def test_without_a_band_there_is_no_fill():
    """The control: the same lines as a line chart have no fill."""
    lines = FAN.replace("kind: band", "kind: lines").split("bands:")[0]
    assert _fills(drawn(lines)[0]) == []
