"""Helpers for the chart-kind tests: a chart spec from YAML text, drawn at the A4 text width in a
brand, and the strings of the drawing with their boxes as they print."""

from __future__ import annotations

from report.brand.theme import load_theme
from report.build import styles_for
from report.charts import draw, heights
from report.charts.fit import _strings
from report.input.load import load_text
from report.input.model import ChartBlock, Report

WIDTH = 481.9  # A4's text width in the default brand, points

BASE = """\
title: Chart test
dek: One line.
as_of: 2026-03-31
key_stats: [{label: Return, value: 1%}]
disclaimer: Not advice.
sections:
  - heading: Only
    blocks:
      - chart:
"""


def chart(yaml: str):
    """(report, chart) from the chart's YAML (its keys, unindented)."""
    text = BASE + "".join(f"          {line}\n" for line in yaml.strip("\n").splitlines())
    data, _ = load_text("chart.yaml", text)
    report = Report.model_validate(data)
    block = report.sections[0].blocks[0]
    assert isinstance(block, ChartBlock)
    return report, block.chart


def drawn(yaml: str, brand: str = "meridian", height: float | None = None):
    report, spec = chart(yaml)
    styles = styles_for(load_theme(brand))
    return draw(spec, report, styles, WIDTH, height), heights(spec, report, styles, WIDTH)


def texts(drawing) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each string of a drawing with its printed box (x0, y0, x1, y1)."""
    out = []
    for text, corners in _strings(drawing, (1, 0, 0, 1, 0, 0)):
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        out.append((text, (min(xs), min(ys), max(xs), max(ys))))
    return out


def overlap(a, b, slack: float = 0.3) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack
