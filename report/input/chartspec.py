"""The chart kinds of the input contract: one model class per `kind:`, members of the `Chart` union.

Content only: each kind holds the words and numbers of one chart (inline, or from a CSV file beside
the input, which report.input.csvdata reads into these same fields before validation).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

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


DATA_PATTERN = r"^[^/\\:\u0000-\u001F][^\\:\u0000-\u001F]*\.[Cc][Ss][Vv]$"  # relative, a .csv file
DataFile = Annotated[str, Field(
    pattern=DATA_PATTERN, max_length=300,
    json_schema_extra={"patternErrorMessage": "must be a relative path to a .csv file, e.g. charts/capex.csv"},
    description="A CSV file beside the input (its path relative to the input's folder, inside it; UTF-8, "
                f"a header row, the first column the x labels or categories, then a column per series) "
                f"that holds this chart's numbers instead of the YAML ({CHECKED}).")]
Label = Annotated[Text, Field(max_length=80)]


def csv_schema(*snippet_items, data_keys: tuple[str, ...], series_keys: tuple[str, ...] = ()):
    """`json_schema_extra` of a chart kind whose numbers may come from a `data:` CSV file: the keys
    the file fills are required only without `data`, and a series then needs only its name."""
    def extra(schema: dict, cls) -> None:
        schema.update(snippets(*snippet_items))
        schema["required"] = [k for k in schema.get("required", []) if k not in data_keys]
        inline: dict[str, Any] = {"required": list(data_keys)}
        if series_keys:
            inline["properties"] = {k: {"items": {"required": ["values"]}} for k in series_keys}
        schema["anyOf"] = [{"required": ["data"]}, inline]
    extra.snippets = snippets(*snippet_items)["defaultSnippets"]  # for the blocks that wrap them
    return extra


def _needs_values(schema: dict, cls) -> None:
    schema["required"] = [k for k in schema.get("required", []) if k != "values"]


class Series(Strict):
    """One named series; with the chart's `data:` file, its name picks a column and `values` is left out."""

    name: ShortText = Field(description="Names the series on the chart; with the chart's `data:` file, "
                                        f"the CSV column it takes ({CHECKED}).")
    tone: Tone = Field("neutral", description="bear / base / bull take that tone's look; other series "
                                              "take the brand's series palette in order.")
    values: list[Number] = Field(min_length=1, max_length=MAX_CHART_POINTS, description=(
        f"One number per label of the chart's `x` or `categories` ({CHECKED}); left out when the "
        "chart's `data:` file holds them."))

    model_config = ConfigDict(json_schema_extra=_needs_values)


def _series_lengths(lists: dict[str, list[Series]], axis: str, labels: list[str]) -> None:
    for key, series in lists.items():
        for i, s in enumerate(series):
            if len(s.values) != len(labels):
                raise PydanticCustomError(
                    "series_length", "series '{name}' has {n} values but {axis} has {m}",
                    {"name": s.name, "n": len(s.values), "axis": axis, "m": len(labels),
                     "path": (key, i, "values")})
    names = [s.name for series in lists.values() for s in series]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        key, i = next((k, i) for k, series in lists.items() for i, s in enumerate(series) if s.name == twice)
        raise PydanticCustomError("series_twice", "two series are named '{name}'",
                                  {"name": twice, "path": (key, i, "name"),
                                   "hint": "name each series once; the names label the chart"})


class Annotation(Strict):
    """A marked point with a short label: at an x label, on a series (its value there) or at a y value."""

    x: ShortText = Field(description=f"One of the chart's x labels ({CHECKED}).")
    series: ShortText | None = Field(None, description=f"The series whose point is marked ({CHECKED}).")
    y: Number | None = Field(None, description="The marked value, when no series is named.")
    label: Label


class ReferenceLine(Strict):
    """A horizontal line at a level (`y`, e.g. the current level) or a vertical one at an x label
    (`x`, e.g. an event date), with a short label."""

    y: Number | None = None
    x: ShortText | None = Field(None, description=f"One of the chart's x labels ({CHECKED}).")
    label: Label


def _marks(x: list[str], series: list[Series], annotations: list[Annotation],
           reference_lines: list[ReferenceLine]) -> None:
    """Annotations and reference lines stand at x labels and series the chart has."""
    names = [s.name for s in series]
    for i, a in enumerate(annotations):
        if a.x not in x:
            raise PydanticCustomError("mark_x", "'{x}' is not one of the chart's x labels",
                                      {"x": a.x, "path": ("annotations", i, "x"), "choices": x[:12]})
        if (a.series is None) == (a.y is None):
            raise PydanticCustomError("mark_point", "an annotation needs either `series` or `y`",
                                      {"path": ("annotations", i),
                                       "hint": "name the series whose point it marks, or give its y value"})
        if a.series is not None and a.series not in names:
            raise PydanticCustomError("mark_series", "'{name}' is not one of the chart's series",
                                      {"name": a.series, "path": ("annotations", i, "series"), "choices": names})
    for i, r in enumerate(reference_lines):
        if (r.x is None) == (r.y is None):
            raise PydanticCustomError("reference_axis", "a reference line needs either `x` (a vertical "
                                      "line) or `y` (a horizontal one)", {"path": ("reference_lines", i)})
        if r.x is not None and r.x not in x:
            raise PydanticCustomError("mark_x", "'{x}' is not one of the chart's x labels",
                                      {"x": r.x, "path": ("reference_lines", i, "x"), "choices": x[:12]})


class _Paths(Strict):
    """What line and band charts share: lines over a shared x axis, marked points, reference lines."""

    csv: ClassVar[tuple[str, tuple[str, ...]]] = ("x", ("series",))

    title: ShortText
    caption: Text | None = None
    source: ShortText
    illustrative: StrictBool = Field(False, description="Marks the chart 'Illustrative, not a forecast'.")
    x_label: ShortText | None = None
    y_label: ShortText | None = None
    data: DataFile | None = None
    x: list[ShortText] = Field(min_length=2, max_length=MAX_CHART_POINTS, description=(
        f"The x axis labels, e.g. months; every series has one value per label ({CHECKED})."))
    series: list[Series] = Field(min_length=1, max_length=8)
    annotations: list[Annotation] = Field(default_factory=list, max_length=12)
    reference_lines: list[ReferenceLine] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _lengths(self) -> _Paths:
        _series_lengths({"series": self.series}, "x", self.x)
        _marks(self.x, self.series, self.annotations, self.reference_lines)
        return self


class LineChart(_Paths):
    """Lines over a shared x axis, e.g. illustrative scenario paths; with marked points and reference lines."""

    kind: Literal["lines"]

    model_config = ConfigDict(json_schema_extra=csv_schema(("new line chart", __doc__, {
        "kind": "lines", "title": "${1:Illustrative scenario paths}", "source": "${2:Editorial scenarios}",
        "illustrative": True, "x_label": "Months ahead", "y_label": "Index level, start = 100",
        "x": [0, 3, 6, 9, 12],
        "series": [{"name": "Bear", "tone": "bear", "values": [100, 93, 88, 84, 81]},
                   {"name": "Base", "tone": "base", "values": [100, 96, 96, 93, 94]}],
        "annotations": [{"x": 12, "series": "Base", "label": "${3:Base case ends near 94}"}],
        "reference_lines": [{"y": 100, "label": "${4:Today's level}"}]}),
        data_keys=("x", "series"), series_keys=("series",)))


class Band(Strict):
    """A shaded range between two of the chart's series."""

    name: ShortText = Field(description="What the range is, e.g. 'Bear–bull range'; named in the legend.")
    low: ShortText = Field(description=f"The series at the range's lower edge ({CHECKED}).")
    high: ShortText = Field(description=f"The series at the range's upper edge ({CHECKED}).")


class BandChart(_Paths):
    """Lines with a shaded range between two of them, e.g. a bear–bull fan around the base path."""

    kind: Literal["band"]
    series: list[Series] = Field(min_length=2, max_length=8)
    bands: list[Band] = Field(min_length=1, max_length=3)

    model_config = ConfigDict(json_schema_extra=csv_schema(("new band chart", __doc__, {
        "kind": "band", "title": "${1:Scenario fan}", "source": "${2:Editorial scenarios}",
        "illustrative": True, "x_label": "Months ahead", "y_label": "Index level, start = 100",
        "x": [0, 6, 12],
        "series": [{"name": "Bear", "tone": "bear", "values": [100, 88, 81]},
                   {"name": "Base", "tone": "base", "values": [100, 96, 94]},
                   {"name": "Bull", "tone": "bull", "values": [100, 104, 110]}],
        "bands": [{"name": "${3:Bear–bull range}", "low": "Bear", "high": "Bull"}]}),
        data_keys=("x", "series"), series_keys=("series",)))

    @model_validator(mode="after")
    def _bands(self) -> BandChart:
        names = [s.name for s in self.series]
        for i, band in enumerate(self.bands):
            for edge in ("low", "high"):
                if getattr(band, edge) not in names:
                    raise PydanticCustomError("band_series", "'{name}' is not one of the chart's series",
                                              {"name": getattr(band, edge), "path": ("bands", i, edge),
                                               "choices": names})
            if band.low == band.high:
                raise PydanticCustomError("band_edges", "a band needs two different series",
                                          {"path": ("bands", i, "high")})
        return self


_AFFIX = Annotated[ShortText, Field(max_length=8)]


class BarChart(Strict):
    """Columns (or bars, `horizontal: true`) of categories × series, grouped or stacked, each value
    labelled on its bar."""

    csv: ClassVar[tuple[str, tuple[str, ...]]] = ("categories", ("series",))

    kind: Literal["bars"]
    title: ShortText
    caption: Text | None = None
    source: ShortText
    horizontal: StrictBool = Field(False, description="true: bars running right from the category "
                                                      "labels (suits long names); false: columns.")
    stacked: StrictBool = Field(False, description="true: each category's series stacked into one bar.")
    x_label: ShortText | None = Field(None, description="The categories' axis title.")
    y_label: ShortText | None = Field(None, description="The values' axis title (their unit).")
    prefix: _AFFIX | None = Field(None, description="Printed before each value label, e.g. '$'.")
    suffix: _AFFIX | None = Field(None, description="Printed after each value label, e.g. '%' or 'B'.")
    data: DataFile | None = None
    categories: list[ShortText] = Field(min_length=1, max_length=40, description=(
        f"One label per bar (or group of bars); every series has one value per category ({CHECKED})."))
    series: list[Series] = Field(min_length=1, max_length=8)

    model_config = ConfigDict(json_schema_extra=csv_schema(("new bar chart", __doc__, {
        "kind": "bars", "title": "${1:Capital spending by year}", "source": "${2:Company filings}",
        "y_label": "$ billions", "prefix": "$", "suffix": "B",
        "categories": [2023, 2024, 2025],
        "series": [{"name": "${3:Capex}", "values": [3.1, 3.8, 4.6]}]}),
        data_keys=("categories", "series"), series_keys=("series",)))

    @model_validator(mode="after")
    def _lengths(self) -> BarChart:
        _series_lengths({"series": self.series}, "categories", self.categories)
        return self


class ComboChart(Strict):
    """Bars on the left axis with lines on a second axis at the right, e.g. spending and earnings;
    each axis titled."""

    csv: ClassVar[tuple[str, tuple[str, ...]]] = ("categories", ("bars", "lines"))

    kind: Literal["combo"]
    title: ShortText
    caption: Text | None = None
    source: ShortText
    x_label: ShortText | None = None
    y_label: ShortText = Field(description="The left axis' title: what the bars measure.")
    y2_label: ShortText = Field(description="The right axis' title: what the lines measure.")
    data: DataFile | None = None
    categories: list[ShortText] = Field(min_length=2, max_length=40, description=(
        f"One label per group of bars; every series has one value per category ({CHECKED})."))
    bars: list[Series] = Field(min_length=1, max_length=4, description="Series drawn as bars, on the left axis.")
    lines: list[Series] = Field(min_length=1, max_length=3, description="Series drawn as lines, on the right axis.")

    model_config = ConfigDict(json_schema_extra=csv_schema(("new bars and line chart", __doc__, {
        "kind": "combo", "title": "${1:Capex and earnings}", "source": "${2:Company filings}",
        "y_label": "Capex, $ billions", "y2_label": "EPS, $",
        "categories": [2023, 2024, 2025],
        "bars": [{"name": "${3:Capex}", "values": [3.1, 3.8, 4.6]}],
        "lines": [{"name": "${4:EPS}", "values": [2.4, 2.9, 3.3]}]}),
        data_keys=("categories",), series_keys=("bars", "lines")))

    @model_validator(mode="after")
    def _lengths(self) -> ComboChart:
        _series_lengths({"bars": self.bars, "lines": self.lines}, "categories", self.categories)
        return self


class Point(Strict):
    label: Annotated[ShortText, Field(max_length=60)]
    x: Number
    y: Number
    group: ShortText | None = Field(None, description="Points of one group share a look; several groups "
                                                      "are named in a legend.")


class ScatterChart(Strict):
    """Points of two measures, e.g. valuation against growth, each named beside its point."""

    csv: ClassVar[tuple[str, tuple[str, ...]]] = ("points", ())

    kind: Literal["scatter"]
    title: ShortText
    caption: Text | None = None
    source: ShortText
    x_label: ShortText
    y_label: ShortText
    data: DataFile | None = Field(None, description=(
        "A CSV file beside the input (relative to its folder) whose columns are each point's label, x, "
        f"y and optionally group ({CHECKED})."))
    points: list[Point] = Field(min_length=1, max_length=60)

    model_config = ConfigDict(json_schema_extra=csv_schema(("new scatter chart", __doc__, {
        "kind": "scatter", "title": "${1:Valuation against growth}", "source": "${2:Consensus estimates}",
        "x_label": "EPS growth, %", "y_label": "Forward P/E",
        "points": [{"label": "${3:Brazil}", "x": 8.5, "y": 8.1}, {"label": "${4:India}", "x": 14.2, "y": 22.4}]}),
        data_keys=("points",)))


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


Chart = Annotated[Union[LineChart, ProbabilityChart, BarChart, BandChart, ComboChart, ScatterChart],
                  Field(discriminator="kind")]
DATA_KINDS = (LineChart, BarChart, BandChart, ComboChart, ScatterChart)  # may take `data:` from a CSV file
