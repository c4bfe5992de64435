"""`kind: scatter`: every point named beside it, labels nudged apart so that none touches another
label or a point, all inside the box; groups in a legend."""

from __future__ import annotations

from chartkit import drawn, overlap, texts

from report.charts.fit import place_labels

POINTS = [("Brazil", 8.5, 8.1), ("Mexico", 7.9, 12.2), ("Chile", 6.1, 10.4), ("India", 14.2, 22.4),
          ("Indonesia", 9.8, 12.9), ("Korea, Republic of", 19.5, 10.1), ("China", 10.1, 10.9),
          ("South Africa", 8.8, 10.6), ("Poland", 9.2, 9.0), ("Czechia", 9.0, 9.2), ("Hungary", 9.1, 9.1)]
SCATTER = "kind: scatter\ntitle: Valuation\nsource: Test\nx_label: EPS growth, %\ny_label: Forward P/E\npoints:\n" + \
    "".join(f"  - {{label: \"{n}\", x: {x}, y: {y}, group: {'Asia' if x > 9.5 else 'Other'}}}\n" for n, x, y in POINTS)


def test_every_point_is_named_and_no_label_touches_another():
    drawing, _ = drawn(SCATTER)
    found = texts(drawing)
    labels = [(t, b) for t, b in found if t in {n for n, _, _ in POINTS}]
    assert sorted(t for t, _ in labels) == sorted(n for n, _, _ in POINTS)
    assert {"Asia", "Other", "EPS growth, %", "Forward P/E"} <= {t for t, _ in found}
    clashes = [(a, c) for i, (a, b) in enumerate(labels) for c, d in labels[i + 1:] if overlap(b, d)]
    assert clashes == []


def test_labels_are_nudged_clear_of_points():
    anchors = [(100.0, 100.0), (104.0, 100.0), (100.0, 104.0)]  # three points almost on one spot
    dots = [(x - 3, y - 3, x + 3, y + 3) for x, y in anchors]
    boxes = place_labels(anchors, [(40.0, 9.0)] * 3, (0, 0, 400, 300), dots)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlap(a, b)]
    assert not [(a, d) for a in boxes for d in dots if overlap(a, d)]
    assert overlap((0, 0, 10, 10), (5, 5, 15, 15)), "the control: overlapping boxes are seen"
