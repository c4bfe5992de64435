"""Charts: chart specs from the model -> matplotlib Figures -> vector reportlab Drawings.

One module per chart kind sharing the look (`style`), the text fitting (`fit`), the Figure ->
Drawing renderer (`render`) and the disk cache (`cache`). Each kind turns its spec into plain data,
plans its labels with the brand's font metrics (its height follows), then plots. Importing this
package imports neither matplotlib, reportlab, a chart kind nor the input model: they load when a
chart is planned or drawn, so that the chart helper process (`helper`) starts at once and imports
only what drawing needs.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing the package (or report.charts.helper) imports none of these
    from reportlab.graphics.shapes import Drawing

    from report.brand.styles import Styles
    from report.input.model import Chart, Report

MODULES = {"lines": "lines", "probabilities": "probabilities", "bars": "bars", "band": "band",
           "combo": "combo", "scatter": "scatter"}  # `kind:` -> the module in this package that draws it


@dataclass(frozen=True)
class Job:
    """One chart to draw, as plain data: its kind's module name, that kind's data, the size."""

    kind: str  # a module of this package (a value of MODULES)
    data: object
    width: float
    height: float | None = None  # None: the preferred height

    def module(self):
        return importlib.import_module(f"{__name__}.{self.kind}")

    def payload(self, styles: Styles) -> dict:
        """Everything the drawing depends on, for the chart cache's key."""
        from report.charts.style import look

        return {"kind": f"{__name__}.{self.kind}", "data": asdict(self.data), "height": self.height,
                **look(styles, self.width)}


def job(chart: Chart, report: Report, width_pt: float, height_pt: float | None = None) -> Job:
    kind = MODULES[chart.kind]
    return Job(kind, importlib.import_module(f"{__name__}.{kind}").data(chart, report), width_pt, height_pt)


def history_job(history, styles: Styles, width_pt: float) -> Job:
    """The job for a `report.versions.history.History` (see report.charts.history)."""
    from report.charts import history as chart

    return Job("lines", chart.data(history, styles.theme), width_pt)


def heights(chart: Chart, report: Report, styles: Styles,
            width_pt: float) -> tuple[float, float, float, float]:
    """(preferred, least, tightest, tallest) height of a chart `width_pt` wide, planned without
    drawing it."""
    return job_heights(job(chart, report, width_pt), styles)


def job_heights(job_: Job, styles: Styles) -> tuple[float, float, float, float]:
    from report.charts.fit import Measure

    return job_.module().heights(job_.data, job_.width, Measure.of(styles))


def draw(chart: Chart, report: Report, styles: Styles, width_pt: float,
         height_pt: float | None = None) -> Drawing:
    """One chart as a vector Drawing `width_pt` wide (and `height_pt` high, within `heights`; the
    preferred height when None), in the theme's look (cached on disk)."""
    return draw_job(job(chart, report, width_pt, height_pt), styles)


def draw_history(history, styles: Styles, width_pt: float) -> Drawing:
    """A `report.versions.history.History` as a vector Drawing (see report.charts.history)."""
    return draw_job(history_job(history, styles, width_pt), styles)


def draw_job(job_: Job, styles: Styles) -> Drawing:
    """The job's Drawing, from the chart cache when it is there (else drawn, and stored)."""
    from report.charts.cache import cached
    from report.charts.style import chart_fonts

    return cached(job_.payload(styles), lambda: render_job(job_, styles), chart_fonts(styles))


def render_job(job_: Job, styles: Styles) -> Drawing:
    """Draw the job with matplotlib (no cache): raises fit.ChartTextOutside for text that cannot be
    set inside the chart."""
    from report.charts.fit import Measure, check_inside
    from report.charts.style import add_fonts, figure, matplotlib_modules, rc, to_drawing

    kind = job_.module()
    matplotlib = matplotlib_modules()[0]
    measure = Measure.of(styles)
    plan = kind.plan(job_.data, job_.width, measure, job_.height)
    add_fonts(styles.theme.heading)
    with matplotlib.rc_context(rc(styles.theme)):
        fig = figure(job_.width, plan.height)
        kind.plot(fig, job_.data, plan, styles.theme, measure)
        drawing = to_drawing(fig, styles)
    check_inside(drawing)
    return drawing
