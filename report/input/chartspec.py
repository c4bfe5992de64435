"""The chart kinds of the input contract: one model class per `kind:`, members of the `Chart` union.

Content only: each kind holds the words and numbers of one chart (inline, or from a CSV file beside
the input, which report.input.csvdata reads into these same fields before validation).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import ConfigDict, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from report.input.types import (
    CHECKED,
    MAX_CHART_POINTS,
    Number,
    ShortText,
    Slug,
    Strict,
    Text,
    Tone,
    snippets,
)


class Series(Strict):
    name: ShortText
    tone: Tone = "neutral"
    values: list[Number] = Field(min_length=1, max_length=MAX_CHART_POINTS,
                                 description=f"One number per label of the chart's `x` ({CHECKED}).")


class LineChart(Strict):
    """Lines over a shared x axis, e.g. illustrative scenario paths."""

    kind: Literal["lines"]
    title: ShortText
    caption: Text | None = None
    source: ShortText
    illustrative: StrictBool = Field(False, description="Marks the chart 'Illustrative, not a forecast'.")
    x_label: ShortText | None = None
    y_label: ShortText | None = None
    x: list[ShortText] = Field(min_length=2, max_length=MAX_CHART_POINTS, description=(
        f"The x axis labels, e.g. months; every series has one value per label ({CHECKED})."))
    series: list[Series] = Field(min_length=1, max_length=8)

    model_config = ConfigDict(json_schema_extra=snippets(("new line chart", __doc__, {
        "kind": "lines", "title": "${1:Illustrative scenario paths}", "source": "${2:Editorial scenarios}",
        "illustrative": True, "x_label": "Months ahead", "y_label": "Index level, start = 100",
        "x": [0, 3, 6, 9, 12],
        "series": [{"name": "Bear", "tone": "bear", "values": [100, 93, 88, 84, 81]},
                   {"name": "Base", "tone": "base", "values": [100, 96, 96, 93, 94]}]})))

    @model_validator(mode="after")
    def _lengths(self) -> LineChart:
        for i, s in enumerate(self.series):
            if len(s.values) != len(self.x):
                raise PydanticCustomError(
                    "series_length", "series '{name}' has {n} values but x has {m}",
                    {"name": s.name, "n": len(s.values), "m": len(self.x), "path": ("series", i, "values")})
        return self


class ProbabilityChart(Strict):
    """Bars of one table's probability column."""

    kind: Literal["probabilities"]
    title: ShortText
    caption: Text | None = None
    source: ShortText
    table: Slug = Field(description=f"id of a table in this report that names a probability column ({CHECKED}).")

    model_config = ConfigDict(json_schema_extra=snippets(("new probability chart", __doc__, {
        "kind": "probabilities", "table": "${1:scenarios}", "title": "${2:Scenario probabilities}",
        "source": "${3:Editorial scenario range}"})))


Chart = Annotated[Union[LineChart, ProbabilityChart], Field(discriminator="kind")]
