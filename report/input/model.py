"""The input contract: validated, frozen pydantic models of one report article.

Content only: words and numbers, no layout. Tables are generic (columns + rows); a table may name
one column as its probability column, whose numbers must sum to 100. Cross-field rules (unique ids,
chart references, probability sums) are validators here, so layout never checks again.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

MAX_TEXT_CHARS = 5_000  # one paragraph; the longest in the seed article is about 1,200
MAX_TABLE_ROWS = 200
MAX_TABLE_COLUMNS = 8
MAX_CHART_POINTS = 500
MAX_CHART_VALUE = 1e15  # beyond this matplotlib's axis arithmetic overflows; no chart needs it
PROBABILITY_TOLERANCE = 0.5


def _as_text(value: Any) -> Any:
    """A number written where text belongs stays the text the author wrote (`1.10`, not `1.1`)."""
    source = getattr(value, "source", None)
    return source if isinstance(source, str) and not isinstance(value, bool) else value


def _text_in(value: Any) -> Any:
    value = _as_text(value)
    return _clean_text(value) if isinstance(value, str) else value


def _clean_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "text is empty",
                                  {"hint": "write the text (to leave out an optional field, remove its key)"})
    bad = next((c for c in value if c != "\n" and unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        raise PydanticCustomError("control_char", "contains the control character {code}",
                                  {"code": f"U+{ord(bad):04X}", "hint": "delete it; it cannot be printed"})
    return value


# The number rule, for every number field (one definition: `number_in`, used by `Number` and by the
# probability cells). A number field takes a YAML number: a plain scalar that the YAML 1.2 core schema
# reads as one (`1000`, `-3.5`, `1e3`, `.5`; the strict loader decides). Text is never re-typed: a
# quoted `"100"` or a plain `1_000`, `012`, `0x1F` is text, and refused here with a hint that shows
# the number it seems to mean.

def plain_number(text: str) -> str | None:
    """The number `text` seems to mean, written as a YAML number ('1_000' -> '1000'), or None."""
    written = text.strip().removesuffix("%").strip()
    try:
        if re.fullmatch(r"[-+]?0[xXoObB][0-9a-fA-F_]+", written):
            return str(int(written, 0))
        if not re.fullmatch(r"[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?", written) \
                or "__" in written or written.endswith("_"):
            return None
        value = Decimal(written.replace("_", ""))
    except (ValueError, InvalidOperation):
        return None
    if not value.is_finite() or abs(value) > Decimal(MAX_CHART_VALUE):
        return None
    plain = format(value, "f")
    plain = plain.rstrip("0").rstrip(".") if "." in plain else plain
    return "0" if plain in ("-0", "+0", "") else plain


def number_in(value: Any) -> Any:
    """Numbers pass; text (quoted, or not a YAML number) and everything else is refused, with a hint."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        plain = plain_number(value)
        raise PydanticCustomError(
            "number_text", "expected a number, got the text '{value}'",
            {"value": value, "plain": plain or "",
             "hint": f"write {plain}" if plain is not None else "write a number, e.g. 35"})
    shown = ("true" if value is True else "false" if value is False else "nothing" if value is None
             else "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a value")
    raise PydanticCustomError("number_type", "expected a number, got {shown}",
                              {"shown": shown, "hint": "write a number, e.g. 35"})


def number(ge: float | None = None, le: float | None = None):
    """The type of a number field: a finite YAML number (see `number_in`), optionally bounded."""
    return Annotated[float, Field(allow_inf_nan=False, ge=ge, le=le), BeforeValidator(number_in)]


Text = Annotated[str, BeforeValidator(_text_in), Field(max_length=MAX_TEXT_CHARS)]
ShortText = Annotated[Text, Field(max_length=200)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Number = number()
ChartValue = number(-MAX_CHART_VALUE, MAX_CHART_VALUE)
Tone = Literal["bear", "base", "bull", "neutral"]
Url = Annotated[str, Field(pattern=r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$", max_length=2000)]

# Optional fields default to None but never accept null: `source:` with nothing after it (or `~`) is
# refused with its location, so a value eaten by a `#` comment is never dropped silently. To leave a
# field out, leave its key out.


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class KeyStat(Strict):
    """A headline figure shown as a tile on the first page."""

    label: ShortText
    value: ShortText = Field(description="As it should print, e.g. '25.72%' or '$0.967B'.")
    source: ShortText = None
    date: dt.date = Field(None, description="Date of the figure, YYYY-MM-DD.")
    tone: Tone = "neutral"


class Paragraph(Strict):
    """A paragraph that opens with a short lead-in printed in bold, e.g. 'Conclusion:'."""

    lead: ShortText
    text: Text


class Table(Strict):
    """A generic table. Cells are text; the probability column, if named, holds numbers in %."""

    id: Slug = Field(None, description="Lets charts and diffs refer to this table.")
    title: ShortText
    columns: list[ShortText] = Field(min_length=1, max_length=MAX_TABLE_COLUMNS)
    rows: list[list[Union[str, float]]] = Field(min_length=1, max_length=MAX_TABLE_ROWS)
    probability: ShortText = Field(
        None, description="Name of the column holding probabilities in %, which must sum to 100.")
    tones: dict[str, Tone] = Field(
        default_factory=dict, description="Row label (first cell) -> bear / base / bull.")
    source: ShortText = None

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            return data
        columns = [_as_text(c) for c in data["columns"]] if isinstance(data.get("columns"), list) else []
        named = _as_text(data.get("probability"))  # `probability: 2026` names the column `2026`
        prob = columns.index(named) if isinstance(named, str) and named in columns else None
        rows = []
        for r, row in enumerate(data["rows"]):
            if not isinstance(row, list):
                raise PydanticCustomError("row_type", "row {row} must be a list of cells",
                                          {"row": r + 1, "path": ("rows", r)})
            if columns and len(row) != len(columns):
                raise PydanticCustomError(
                    "row_width", "row {row} has {n} cells but the table has {m} columns",
                    {"row": r + 1, "n": len(row), "m": len(columns), "path": ("rows", r)})
            rows.append([_cell(v, c == prob, (r, c)) for c, v in enumerate(row)])
        return {**data, "rows": rows}

    @model_validator(mode="after")
    def _probabilities(self) -> Table:
        if self.probability is not None:
            if self.probability not in self.columns:
                raise PydanticCustomError(
                    "probability_column", "probability column '{name}' is not one of the columns",
                    {"name": self.probability, "path": ("probability",)})
            check_sum(self.labels(), self.probabilities(), self.title, ("rows",))
        unknown = [label for label in self.tones if label not in self.labels()]
        if unknown:
            raise PydanticCustomError(
                "tone_row", "tones names '{label}', which is not the first cell of any row",
                {"label": unknown[0], "path": ("tones", unknown[0])})
        return self

    def labels(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    def probabilities(self) -> list[float]:
        col = self.columns.index(self.probability) if self.probability else None
        return [] if col is None else [float(row[col]) for row in self.rows]


def _cell(value: Any, is_probability: bool, where: tuple[int, int]) -> Any:
    path = ("rows",) + where
    if is_probability:
        try:
            value = number_in(value)
        except PydanticCustomError as exc:
            raise PydanticCustomError(exc.type, exc.message(), {**(exc.context or {}), "path": path}) from None
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "must be a finite number", {"path": path})
        if not 0 <= value <= 100:
            raise PydanticCustomError("probability_range",
                                      "probability {value} is not between 0 and 100",
                                      {"value": value, "path": path})
        return float(value)
    text = _as_text(value)
    if not isinstance(text, str):
        shown = ("a list or mapping" if isinstance(value, (list, dict)) else "nothing" if value is None
                 else str(value).lower() if isinstance(value, bool) else str(value))
        raise PydanticCustomError("cell_type", "a cell must be text, got {value}",
                                  {"value": shown, "path": path, "hint": "write the cell's text; a cell may not "
                                   "be empty" if value is None else "quote it"})
    if len(text) > MAX_TEXT_CHARS:
        raise PydanticCustomError("cell_length", "cell is over {n} characters",
                                  {"n": MAX_TEXT_CHARS, "path": path})
    try:
        return _clean_text(text)
    except PydanticCustomError as exc:
        raise PydanticCustomError(exc.type, exc.message(), {**(exc.context or {}), "path": path}) from None


def check_sum(labels: list[str], values: list[float], what: str, path: tuple) -> None:
    total = sum(values)
    if abs(total - 100) > PROBABILITY_TOLERANCE:
        rows = ", ".join(f"{label} {value:g}" for label, value in zip(labels, values))
        raise PydanticCustomError(
            "probability_sum", "{what}: probabilities sum to {total}, expected 100",
            {"what": what, "total": f"{total:g}", "path": path, "hint": f"the rows are {rows}"})


class Series(Strict):
    name: ShortText
    tone: Tone = "neutral"
    values: list[ChartValue] = Field(min_length=1, max_length=MAX_CHART_POINTS)


class LineChart(Strict):
    """Lines over a shared x axis, e.g. illustrative scenario paths."""

    kind: Literal["lines"]
    title: ShortText
    caption: Text = None
    source: ShortText
    illustrative: StrictBool = Field(False, description="Marks the chart 'Illustrative, not a forecast'.")
    x_label: ShortText = None
    y_label: ShortText = None
    x: list[ShortText] = Field(min_length=2, max_length=MAX_CHART_POINTS)
    series: list[Series] = Field(min_length=1, max_length=8)

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
    caption: Text = None
    source: ShortText
    table: Slug = Field(description="id of a table that names a probability column.")


Chart = Annotated[Union[LineChart, ProbabilityChart], Field(discriminator="kind")]


class NumberedItem(Strict):
    title: ShortText
    text: Text


class Question(Strict):
    question: Text
    answer: Text


class TextBlock(Strict):
    text: Text


class CalloutBlock(Strict):
    callout: Text = Field(description="A key message printed in a tinted box.")


class ParagraphBlock(Strict):
    paragraph: Paragraph


class TableBlock(Strict):
    table: Table


class ChartBlock(Strict):
    chart: Chart


class ListBlock(Strict):
    numbered: list[NumberedItem] = Field(min_length=1, max_length=50)


class FaqBlock(Strict):
    faq: list[Question] = Field(min_length=1, max_length=100)


_BLOCK_KEYS = ("text", "callout", "paragraph", "table", "chart", "numbered", "faq")


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "prose"
    if isinstance(value, dict):
        keys = [k for k in _BLOCK_KEYS if k in value]
        if len(keys) == 1:
            return "paragraph" if keys[0] == "text" and "lead" in value else keys[0]
    return None


def _prose(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


Block = Annotated[
    Union[
        Annotated[TextBlock, BeforeValidator(_prose), Tag("prose")],
        Annotated[TextBlock, Tag("text")],
        Annotated[CalloutBlock, Tag("callout")],
        Annotated[TableBlock, Tag("table")],
        Annotated[ChartBlock, Tag("chart")],
        Annotated[ListBlock, Tag("numbered")],
        Annotated[FaqBlock, Tag("faq")],
        Annotated[ParagraphBlock, BeforeValidator(lambda v: {"paragraph": v}), Tag("paragraph")],
    ],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="a block is a paragraph of text, or one of: text, callout, table, "
                             "chart, numbered, faq (or lead + text)",
    ),
]


class Section(Strict):
    heading: ShortText = Field(description="Short section name, e.g. 'Quick Answer'.")
    title: Text = Field(None, description="The section's headline sentence.")
    numbered: StrictBool = Field(True, description="false for an unnumbered essay or appendix.")
    blocks: list[Block] = Field(min_length=1, max_length=200)


class Reference(Strict):
    title: ShortText
    publisher: ShortText = None
    date: dt.date = None
    url: Url = None
    note: Text = None


class Report(Strict):
    """One research article."""

    title: ShortText
    short_title: ShortText = Field(None, description="For the running header; defaults to title.")
    dek: Text = Field(description="The standfirst under the title.")
    report_type: ShortText = Field("Research note", description="Shown in the masthead band.")
    as_of: dt.date = Field(description="Publication / data date, YYYY-MM-DD. Drives every printed date.")
    author: ShortText = None
    keywords: list[ShortText] = Field(default_factory=list, max_length=30)
    key_stats: list[KeyStat] = Field(min_length=1, max_length=6)
    sections: list[Section] = Field(min_length=1, max_length=60)
    references: list[Reference] = Field(default_factory=list, max_length=100)
    disclaimer: Text

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise PydanticCustomError("date_format", "dates are written YYYY-MM-DD, got '{value}'",
                                      {"value": value})
        return value

    @model_validator(mode="after")
    def _references(self) -> Report:
        tables: dict[str, Table] = {}
        for path, block in self.blocks_with_paths():
            if isinstance(block, TableBlock) and block.table.id:
                if block.table.id in tables:
                    raise PydanticCustomError("duplicate_id", "table id '{id}' is used twice",
                                              {"id": block.table.id, "path": path + ("table", "id")})
                tables[block.table.id] = block.table
        for path, block in self.blocks_with_paths():
            if isinstance(block, ChartBlock) and isinstance(block.chart, ProbabilityChart):
                target = tables.get(block.chart.table)
                if target is None or target.probability is None:
                    known = [k for k, t in tables.items() if t.probability]
                    raise PydanticCustomError(
                        "chart_table", "chart refers to table '{id}', which is not a table with a "
                                       "probability column",
                        {"id": block.chart.table, "path": path + ("chart", "table"),
                         "choices": known})
        return self

    def blocks_with_paths(self):
        for s, section in enumerate(self.sections):
            for b, block in enumerate(section.blocks):
                yield ("sections", s, "blocks", b), block

    def table(self, table_id: str) -> Table:
        return next(b.table for _, b in self.blocks_with_paths()
                    if isinstance(b, TableBlock) and b.table.id == table_id)

    @property
    def header_title(self) -> str:
        return self.short_title or self.title


def json_schema() -> dict:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Research report"
    return schema
