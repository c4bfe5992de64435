"""Charts: chart specs from the model -> matplotlib Figures -> vector reportlab Drawings.

One module per chart kind (`lines`, `probabilities`, `history`) sharing the look (`style`), the
Figure -> Drawing renderer (`render`) and the disk cache (`cache`). Importing this package imports
neither matplotlib nor a chart kind: they load when a chart is drawn.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing

from report.brand.styles import Styles
from report.input.model import LineChart, ProbabilityChart, Report


def draw(chart: LineChart | ProbabilityChart, report: Report, styles: Styles, width_pt: float) -> Drawing:
    """One chart as a vector Drawing `width_pt` wide, in the theme's look (cached on disk)."""
    from report.charts.cache import cached
    from report.charts.style import chart_fonts, look

    payload = {"kind": "chart", "spec": chart.model_dump(mode="json"), **look(styles, width_pt)}
    if isinstance(chart, ProbabilityChart):
        table = report.table(chart.table)
        payload["table"] = [table.labels(), table.probabilities(), table.tones]
    return cached(payload, lambda: _draw(chart, report, styles, width_pt), chart_fonts(styles))


def _draw(chart: LineChart | ProbabilityChart, report: Report, styles: Styles, width_pt: float) -> Drawing:
    from report.charts import lines, probabilities
    from report.charts.style import add_fonts, figure, matplotlib_modules, rc, to_drawing

    matplotlib, _, _, _ = matplotlib_modules()
    theme = styles.theme
    add_fonts(theme.heading)
    with matplotlib.rc_context(rc(theme)):
        fig = figure(theme, width_pt)
        ax = fig.add_axes((0.09, 0.15, 0.76, 0.8) if isinstance(chart, LineChart)
                          else (0.2, 0.14, 0.72, 0.82))
        if isinstance(chart, LineChart):
            lines.plot(ax, chart, theme)
        else:
            probabilities.plot(ax, chart, report, theme)
        return to_drawing(fig, styles)


def draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    """A `report.versions.history.History` as a vector Drawing (see report.charts.history)."""
    from report.charts import history as chart

    return chart.draw(history, styles, width_pt)
