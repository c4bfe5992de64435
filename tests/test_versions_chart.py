"""The probability history chart: brand fonts only, readable dates, every line named at its end."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import Group, String

from report.build import styles_for
from report.charts import draw_history
from report.brand.theme import load_theme
from report.versions.history import History, Point


def _strings(node) -> list[str]:
    if isinstance(node, String):
        return [node.text]
    if isinstance(node, Group):
        return [s for child in node.contents for s in _strings(child)]
    return []


def _history(months: int) -> History:
    points = []
    for m in range(months):
        values = [("Bear", 30.0 + m), ("Base", 45.0 - m), ("Bull", 25.0 - (5 if m >= 3 else 0))]
        if m >= 3:
            values.append(("Stagflation", 5.0))
        points.append(Point(dt.date(2026, 1 + m, 28), f"c{m}", tuple(values)))
    return History("Scenarios", ("Bear", "Base", "Bull", "Stagflation"),
                   (("Bear", "bear"), ("Base", "base"), ("Bull", "bull"), ("Stagflation", "neutral")),
                   tuple(points))


def test_each_line_is_named_with_its_latest_value():
    texts = _strings(draw_history(_history(2), styles_for(load_theme("meridian")), 480))
    assert {"Bear 31%", "Base 44%", "Bull 25%"} <= set(texts)
    assert {"Jan 28, 2026", "Feb 28, 2026"} <= set(texts)


def test_many_updates_name_every_other_date_back_from_the_latest():
    texts = _strings(draw_history(_history(8), styles_for(load_theme("harbor")), 480))
    assert "28 Aug 2026" in texts and "28 Jun 2026" in texts  # harbor writes day-month-year
    assert "28 Jul 2026" not in texts
    assert "Stagflation 5%" in texts
