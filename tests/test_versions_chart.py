"""The probability history chart: brand fonts only, readable dates, every line named at its end."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import Group, String

from versions_repo import edited

from report.brand.theme import load_theme
from report.build import styles_for
from report.charts import draw_history
from report.input.load import load_text
from report.input.model import Report
from report.input.parse import validate_data
from report.versions.history import History, Point, Version, history


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
    latest = {label: f"{value:g}%" for p in points for label, value in p.values}
    return History("Scenarios", ("Bear", "Base", "Bull", "Stagflation"),
                   (("Bear", "bear"), ("Base", "base"), ("Bull", "bull"), ("Stagflation", "neutral")),
                   tuple(points), tuple(latest.items()))


def _model(text: str) -> Report:
    return validate_data(Report, *load_text("test.yaml", text))


def test_end_labels_print_as_the_table_prints():
    """Probabilities written with a decimal print with it in the table ("45.0%"), and so at the end
    of their line; a row dropped from the table keeps every digit it had (nothing is rounded)."""
    old = _model(edited(as_of="2026-02-27", bear="30.5", base="44.75", bull="24.75"))
    new = _model(edited(bear="30.5", base="45", bull="24.5"))
    h = history(new, [Version("a" * 40, old)])
    assert dict(h.latest) == {"Bear": "30.5%", "Base": "45.0%", "Bull invalidation": "24.5%"}
    texts = _strings(draw_history(h, styles_for(load_theme("meridian")), 480))
    assert {"Bear 30.5%", "Base 45.0%"} <= set(texts)
    dropped = _model(edited(bear="30.5", base="45", bull="24.5").replace("Bull invalidation", "Upside"))
    h = history(dropped, [Version("a" * 40, old)])
    assert dict(h.latest) == {"Bear": "30.5%", "Base": "45.0%", "Upside": "24.5%", "Bull invalidation": "24.75%"}


def test_each_line_is_named_with_its_latest_value():
    texts = _strings(draw_history(_history(2), styles_for(load_theme("meridian")), 480))
    assert {"Bear 31%", "Base 44%", "Bull 25%"} <= set(texts)
    assert {"Jan 28, 2026", "Feb 28, 2026"} <= set(texts)


def test_many_updates_name_every_other_date_back_from_the_latest():
    texts = _strings(draw_history(_history(8), styles_for(load_theme("harbor")), 480))
    assert "28 Aug 2026" in texts and "28 Jun 2026" in texts  # harbor writes day-month-year
    assert "28 Jul 2026" not in texts
    assert "Stagflation 5%" in texts
