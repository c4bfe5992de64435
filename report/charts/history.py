"""The probability history: how one table's probabilities moved across the input's versions, drawn
as a low line chart (report.charts.lines), one point per update, each row named with its latest value."""

from __future__ import annotations

from report.brand.look import Theme
from report.charts.lines import Line, LineData

ASPECT = 0.22  # it sits on the first page under the change box: a low, wide strip


def short_date(theme: Theme, day) -> str:
    if theme.date_style == "day-month-year":
        return f"{day.day} {day:%b} {day.year}"
    return f"{day:%b} {day.day}, {day.year}"


def data(history, theme: Theme) -> LineData:
    """A `report.versions.history.History` as the lines to draw, each named with its latest value as
    the table prints it."""
    tones, latest = dict(history.tones), dict(history.latest)
    lines = []
    for label in history.labels:
        values = tuple(dict(p.values).get(label) for p in history.points)
        if label in latest:
            lines.append(Line(label, tones.get(label, "neutral"), values, f"{label} {latest[label]}"))
    x = tuple(short_date(theme, p.as_of) for p in history.points)
    return LineData(x, tuple(lines), percent=True, from_zero=True, aspect=ASPECT, elastic=False)
