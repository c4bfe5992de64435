"""Charts: chart specs from the model -> matplotlib Figures -> vector reportlab Drawings.

One module per chart kind sharing the look (`style`), the text fitting (`fit`), the Figure ->
Drawing renderer (`render`) and the disk cache (`cache`). Each kind turns its spec into plain data,
plans its labels with the brand's font metrics (its height follows), then plots. Importing this
package imports neither matplotlib nor a chart kind: they load when a chart is drawn.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict

from reportlab.graphics.shapes import Drawing

from report.brand.styles import Styles
from report.input.model import Chart, Report

MODULES = {"lines": "lines", "probabilities": "probabilities", "bars": "bars", "band": "band",
           "combo": "combo", "scatter": "scatter"}  # `kind:` -> the module in this package that draws it


def _kind(chart: Chart, report: Report):
    """The chart's kind module and the plain data it draws."""
    kind = importlib.import_module(f"report.charts.{MODULES[chart.kind]}")
    return kind, kind.data(chart, report)


def heights(chart: Chart, report: Report, styles: Styles,
            width_pt: float) -> tuple[float, float, float, float]:
    """(preferred, least, tightest, tallest) height of a chart `width_pt` wide, planned without
    drawing it."""
    from report.charts.fit import Measure

    kind, data = _kind(chart, report)
    return kind.heights(data, width_pt, Measure.of(styles))


def draw(chart: Chart, report: Report, styles: Styles, width_pt: float,
         height_pt: float | None = None) -> Drawing:
    """One chart as a vector Drawing `width_pt` wide (and `height_pt` high, within `heights`; the
    preferred height when None), in the theme's look (cached on disk)."""
    kind, data = _kind(chart, report)
    return _cached(kind, data, styles, width_pt, height_pt)


def draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    """A `report.versions.history.History` as a vector Drawing (see report.charts.history)."""
    from report.charts import history as chart
    from report.charts import lines

    return _cached(lines, chart.data(history, styles.theme), styles, width_pt)


def _cached(kind, data, styles: Styles, width_pt: float, height_pt: float | None = None) -> Drawing:
    from report.charts.cache import cached
    from report.charts.style import chart_fonts, look

    payload = {"kind": kind.__name__, "data": asdict(data), "height": height_pt, **look(styles, width_pt)}
    return cached(payload, lambda: _render(kind, data, styles, width_pt, height_pt), chart_fonts(styles))


def _render(kind, data, styles: Styles, width_pt: float, height_pt: float | None) -> Drawing:
    from report.charts.fit import Measure, check_inside
    from report.charts.style import add_fonts, figure, matplotlib_modules, rc, to_drawing

    matplotlib = matplotlib_modules()[0]
    measure = Measure.of(styles)
    plan = kind.plan(data, width_pt, measure, height_pt)
    add_fonts(styles.theme.heading)
    with matplotlib.rc_context(rc(styles.theme)):
        fig = figure(width_pt, plan.height)
        kind.plot(fig, data, plan, styles.theme, measure)
        drawing = to_drawing(fig, styles)
    check_inside(drawing)
    return drawing
