"""A `kind: band` chart: lines over a shared x axis with a shaded range between two of them (a
bear–bull fan around the base path), drawn by report.charts.lines; each band is named in a legend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from report.charts.lines import Line, LineData, Shade, heights, plan, plot  # noqa: F401 - the kind's interface
from report.charts.marks import marks_of

if TYPE_CHECKING:  # the chart helper process draws without the input model
    from report.input.chartspec import BandChart


def data(chart: BandChart, report=None) -> LineData:
    index = {s.name: i for i, s in enumerate(chart.series)}
    return LineData(tuple(chart.x), tuple(Line(s.name, s.tone, tuple(s.values), s.name) for s in chart.series),
                    chart.x_label, chart.y_label, chart.illustrative, marks=marks_of(chart),
                    bands=tuple(Shade(b.name, index[b.low], index[b.high]) for b in chart.bands))
