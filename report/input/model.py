"""The input contract: validated, frozen pydantic models of one report article.

Content only: words and numbers, no layout. Tables are generic (columns + rows); a column may be a
column of figures (`{name, format}`), whose cells are numbers, and a table may name one column as
its probability column: a percent column whose numbers must sum to 100. Cross-field rules (unique ids,
chart references, probability sums) are validators here, so layout never checks again.

The value types (text, numbers, dates, links) live in report/input/types.py and the chart kinds in
report/input/chartspec.py; this module holds the article, its sections and blocks, and names them
all. Each type says what it accepts as JSON Schema input (report/input/schema.py exports it for
editors); a rule a schema cannot state is told in its field's description.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from report.numbers import (FORMATS, MAX_DECIMALS, NBSP, NOT_AVAILABLE, exact, format_number, needed_decimals,
                            written_decimals)
from report.input.chartspec import Chart, LineChart, ProbabilityChart, Series  # noqa: F401 - the contract's names
from report.input.types import (  # noqa: F401 - the value types are part of the contract's names
    CALENDAR_DATE,
    CHECKED,
    MAX_CHART_POINTS,
    MAX_CHART_VALUE,
    MAX_NOTE_CHARS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_TEXT_CHARS,
    PROBABILITY_TOLERANCE,
    Date,
    Number,
    ShortText,
    Slug,
    Strict,
    Text,
    Tone,
    Url,
    _as_text,
    _clean_text,
    _TextSchema,
    number_in,
    plain_number,
    snippets,
    text_json_schema,
)



class KeyStat(Strict):
    """A headline figure shown as a tile on the first page."""

    label: ShortText
    value: ShortText = Field(description="As it should print, e.g. '25.72%' or '$0.967B'.")
    source: ShortText | None = None
    date: Date | None = Field(None, description="Date of the figure, YYYY-MM-DD.")
    tone: Tone = "neutral"

    model_config = ConfigDict(json_schema_extra=snippets(("new key stat", "A headline figure tile", {
        "label": "${1:1-year total return}", "value": "${2:25.72%}", "source": "${3:Index provider}"})))


class Paragraph(Strict):
    """A paragraph that opens with a short lead-in printed in bold, e.g. 'Conclusion:'."""

    lead: ShortText
    text: Text

    model_config = ConfigDict(json_schema_extra=snippets(("new paragraph with lead", __doc__, {
        "lead": "${1:Conclusion:}", "text": "${2:The paragraph's text.}"})))


def _format_name(value: Any) -> Any:
    if isinstance(value, str) and value not in FORMATS:
        close = difflib.get_close_matches(value, FORMATS, n=1, cutoff=0.5)
        raise PydanticCustomError("format_name", "unknown format '{value}'", {
            "value": value, "hint": (f"did you mean '{close[0]}'? " if close else "")
            + f"the formats are {', '.join(FORMATS)}"})
    return value


class Column(Strict):
    """A column of figures: every cell a number written without quotes, printed in the column's
    format, aligned on the decimal point, negatives with a minus sign (−) in the brand's colour."""

    name: ShortText
    format: Annotated[Literal[FORMATS], BeforeValidator(_format_name)] = \
        Field(description="number: 1,234.5 · percent: 4.5% (write 4.5) · pp: percentage points, 1.2 pp · "
                          "bp: basis points, 25 bp · currency: $4.2B (with `currency` and `unit`). Not on "
                          "the first column, which names the rows; the probability column is a percent "
                          f"column ({CHECKED}).")
    decimals: Annotated[int, Field(strict=True, ge=0, le=MAX_DECIMALS)] | None = Field(
        None, description="Digits after the decimal point, the same on every row. By default as many as "
                          "the cell written with the most; a cell written with more is refused, so no "
                          f"digit is rounded away ({CHECKED}).")
    signed: StrictBool = Field(False, description="Print + before positive values, as for changes: "
                                                  "+12 bp, −8 bp.")
    currency: Annotated[Text, Field(max_length=5)] | None = Field(
        None, description="For `format: currency` (and only there): printed before the number, e.g. $, "
                          "€, £, EUR (a letter code is followed by a space: EUR 212B).")
    unit: Annotated[Text, Field(max_length=12)] | None = Field(
        None, description="For `format: number` or `currency`: printed after the number. Scales and "
                          "multiples attach ($4.2B, 3.4bn, 18.5x); other units follow a space (5 GW).")

    model_config = ConfigDict(json_schema_extra={"allOf": [  # what `_parts` checks, for editors
        {"if": {"properties": {"format": {"const": "currency"}}, "required": ["format"]},
         "then": {"required": ["currency"]},
         "else": {"not": {"required": ["currency"]}}},
        {"if": {"properties": {"format": {"enum": ["percent", "pp", "bp"]}}, "required": ["format"]},
         "then": {"not": {"required": ["unit"]}}}]})

    @model_validator(mode="after")
    def _parts(self) -> Column:
        if self.format == "currency" and self.currency is None:
            raise PydanticCustomError("column_currency", "format currency needs a `currency:`", {
                "hint": "add the symbol or code printed before the number, e.g. `currency: $` or `currency: EUR`"})
        if self.currency is not None and self.format != "currency":
            raise PydanticCustomError("column_currency", "`currency:` is only for format currency",
                                      {"path": ("currency",), "hint": "write `format: currency`, or leave "
                                                                      "out `currency:`"})
        if self.unit is not None and self.format not in ("number", "currency"):
            raise PydanticCustomError("column_unit", "format {format} prints its own unit",
                                      {"format": self.format, "path": ("unit",),
                                       "hint": "`unit:` is for format number or currency; leave it out"})
        return self


def _column_kind(value: Any) -> str:
    return "figures" if isinstance(value, dict) else "text"


ColumnSpec = Annotated[
    Union[Annotated[ShortText, Tag("text")], Annotated[Column, Tag("figures")]],
    Discriminator(_column_kind),
    Field(description="A column of text: its name; a column of figures: `{name, format}` and optionally "
                      "`decimals`, `signed`, `currency`, `unit`."),
]
Cell = Annotated[Union[str, float], WithJsonSchema({
    **text_json_schema({"maxLength": MAX_TEXT_CHARS}),
    "description": "Text; in a column of figures (and the probability column), a number written without "
                   f"quotes, or — / n/a / n.m. where there is none ({CHECKED})."})]
Row = Annotated[list[Cell], Field(description=f"One row: as many cells as the table has columns ({CHECKED}).")]


class Table(Strict):
    """A generic table. Cells are text; a column of figures (and the probability column) holds numbers."""

    id: Slug | None = Field(None, description="Lets charts and diffs refer to this table; unique in the "
                                          f"report ({CHECKED}).")
    title: ShortText
    columns: list[ColumnSpec] = Field(min_length=1, max_length=MAX_TABLE_COLUMNS)
    rows: list[Row] = Field(
        min_length=1, max_length=MAX_TABLE_ROWS,
        description="One list of cells per row, each as long as `columns`; in a column of figures a "
                    "number, in the probability column a number from 0 to 100, and the column sums to "
                    f"100 ± {PROBABILITY_TOLERANCE:g} ({CHECKED}). A row may not be taller than a page "
                    "(checked by `report build`).")
    probability: ShortText | None = Field(
        None, description="Name of the column holding probabilities in %: one of `columns`, its cells "
                          f"numbers that sum to 100 ± {PROBABILITY_TOLERANCE:g}, printed as a percent "
                          f"column ({CHECKED}).")
    tones: dict[str, Tone] = Field(
        default_factory=dict, description="Row label -> bear / base / bull / neutral; each label is the "
                                          f"first cell of a row ({CHECKED}).")
    source: ShortText | None = None

    model_config = ConfigDict(json_schema_extra=snippets(
        ("new text table", "A table of text cells", {
            "id": "${1:drivers}", "title": "${2:Main drivers}", "columns": ["Driver", "Why it matters"],
            "rows": [["${3:Rates}", "${4:Financing costs bite faster}"]]}),
        ("new table of figures", "A table whose columns print numbers in one format each", {
            "id": "${1:returns}", "title": "${2:Sector returns}",
            "columns": ["Sector", {"name": "YTD return", "format": "percent", "decimals": 1},
                        {"name": "Spread change", "format": "bp", "signed": True}],
            "rows": [["${3:Energy}", 4.5, -12], ["${4:Utilities}", -1.2, 8]]}),
        ("new scenario table", "A table whose probability column sums to 100", {
            "id": "${1:scenarios}", "title": "${2:Scenario matrix}",
            "columns": ["Scenario", "Outcome", "Probability"], "probability": "Probability",
            "tones": {"Bear": "bear", "Base": "base", "Bull": "bull"},
            "rows": [["Bear", "${3:Further downside}", 30], ["Base", "${4:Volatile range}", 45],
                     ["Bull", "${5:Recovery}", 25]]})))

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            return data
        columns = list(data["columns"]) if isinstance(data.get("columns"), list) else []
        names = [_as_text(c.get("name") if isinstance(c, dict) else c) for c in columns]
        named = _as_text(data.get("probability"))  # `probability: 2026` names the column `2026`
        prob = names.index(named) if isinstance(named, str) and named in names else None
        if columns and _Figures.of(columns[0], prob == 0) is not None and prob != 0:
            raise PydanticCustomError("first_column", "the first column names the rows: it holds text, not "
                                      "figures", {"path": ("columns", 0, "format"),
                                                  "hint": f"write the column as its name alone: `- {names[0]}`"})
        figures = {c: _Figures.of(col if c != prob or isinstance(col, dict) else  # a percent column
                                  {"name": col, "format": "percent"}, c == prob) for c, col in enumerate(columns)}
        figures = {c: f for c, f in figures.items() if f is not None}
        rows = []
        for r, row in enumerate(data["rows"]):
            if not isinstance(row, list):
                raise PydanticCustomError("row_type", "row {row} must be a list of cells",
                                          {"row": r + 1, "path": ("rows", r)})
            if columns and len(row) != len(columns):
                raise PydanticCustomError(
                    "row_width", "row {row} has {n} cells but the table has {m} columns",
                    {"row": r + 1, "n": len(row), "m": len(columns), "path": ("rows", r)})
            rows.append([figures[c].cell(v, (r, c)) if c in figures else _cell(v, (r, c))
                         for c, v in enumerate(row)])
        for c, f in figures.items():
            if isinstance(columns[c], dict):
                columns[c] = f.resolved(columns[c], [row[c] for row in data["rows"]])
        return {**data, "columns": columns, "rows": rows}

    @model_validator(mode="after")
    def _probabilities(self) -> Table:
        if self.probability is not None:
            if self.probability not in self.names:
                raise PydanticCustomError(
                    "probability_column", "probability column '{name}' is not one of the columns",
                    {"name": self.probability, "path": ("probability",)})
            column = self.names.index(self.probability)
            written = self.columns[column]
            if isinstance(written, Column) and written.format != "percent":
                raise PydanticCustomError(
                    "probability_format", "the probability column prints as a percent column, not {format}",
                    {"format": written.format, "path": ("columns", column, "format"),
                     "hint": "write `format: percent`, or the column's name alone"})
            check_sum(self.labels(), self.probabilities(), self.title, ("rows",))
        unknown = [label for label in self.tones if label not in self.labels()]
        if unknown:
            raise PydanticCustomError(
                "tone_row", "tones names '{label}', which is not the first cell of any row",
                {"label": unknown[0], "path": ("tones", unknown[0])})
        return self

    @property
    def names(self) -> list[str]:
        """The columns' names, as their headers print."""
        return [c.name if isinstance(c, Column) else c for c in self.columns]

    def formats(self) -> list[Column | None]:
        """Each column's format: a Column for a column of figures, else None. The probability column
        is a percent column; written as its name alone, with the decimals its numbers need."""
        out = [c if isinstance(c, Column) else None for c in self.columns]
        if self.probability is not None and out[self.names.index(self.probability)] is None:
            out[self.names.index(self.probability)] = Column(
                name=self.probability, format="percent", decimals=max(map(needed_decimals, self.probabilities())))
        return out

    def labels(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    def row_tones(self) -> list[str]:
        """Each row's tone ("neutral" where `tones` names none)."""
        return [self.tones.get(label, "neutral") for label in self.labels()]

    def probabilities(self) -> list[float]:
        col = self.names.index(self.probability) if self.probability else None
        return [] if col is None else [float(row[col]) for row in self.rows]


@dataclass(frozen=True)
class _Figures:
    """The number rule for the cells of one column of figures, as written (before the model checks
    the column itself): numbers only, never rounded, with a hint that shows how a mistyped cell prints."""

    column: dict
    probability: bool

    @classmethod
    def of(cls, column: Any, probability: bool) -> _Figures | None:
        if not isinstance(column, dict) or column.get("format") not in FORMATS:
            return None
        return cls(column, probability)

    @property
    def name(self) -> str:
        return str(_as_text(self.column.get("name")))

    @property
    def decimals(self) -> int | None:
        d = self.column.get("decimals")
        return d if isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= MAX_DECIMALS else None

    def resolved(self, column: dict, cells: list) -> dict:
        """The column with its decimals: as given, or as many as its cells are written with."""
        if "decimals" in column:
            return column
        numbers = [written_decimals(v) for v in cells if isinstance(v, (int, float))]
        return {**column, "decimals": max(numbers, default=0)}

    def cell(self, value: Any, where: tuple[int, int]) -> Any:
        path = ("rows",) + where
        if isinstance(value, str) and not self.probability and value in NOT_AVAILABLE:
            return value
        try:
            value = number_in(value)  # the number rule, as for every number field
        except PydanticCustomError as exc:
            raise self._not_a_number(value, exc, path) from None
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "must be a finite number", {"path": path})
        written = getattr(value, "source", None) or repr(value)
        if abs(value) > MAX_CHART_VALUE:
            raise PydanticCustomError("figure_range", "{value} is too large (the limit is ±{limit})",
                                      {"value": written, "limit": f"{MAX_CHART_VALUE:g}", "path": path,
                                       "hint": "change the unit, e.g. billions instead of units"})
        if exact(value) != Decimal(written):
            raise PydanticCustomError("figure_digits", "{value} has more digits than a number keeps",
                                      {"value": written, "path": path,
                                       "hint": "at most 15 significant digits; change the unit or round it"})
        places, limit = written_decimals(value), self.decimals
        if limit is not None and places > limit or places > MAX_DECIMALS:
            limit = MAX_DECIMALS if limit is None else limit
            rounded = exact(value).quantize(Decimal(1).scaleb(-limit), rounding=ROUND_HALF_UP)
            raise PydanticCustomError(
                "figure_decimals", "{value} has {places} decimals; column '{column}' prints {limit}",
                {"value": written, "places": places, "limit": limit, "path": path, "column": self.name,
                 "hint": f"write {rounded:f}" + (f", or set `decimals: {places}` on the column"
                                                 if places <= MAX_DECIMALS else "")})
        if self.probability and not 0 <= value <= 100:
            raise PydanticCustomError("probability_range", "probability {value} is not between 0 and 100",
                                      {"value": value, "path": path})
        return float(value)

    def _not_a_number(self, value: Any, exc: PydanticCustomError, path: tuple) -> PydanticCustomError:
        """The number rule's refusal, naming the column; a figure written as it prints (`4.5%`,
        `$1,200`) gets the number to write and what the column makes of it."""
        context = exc.context or {}
        hint = context.get("hint", "")  # when the rule found the number meant, its hint (report.input.parse)
        plain = _plain(value) if isinstance(value, str) and not context.get("plain") else None
        if plain is not None:
            places = max(0, -Decimal(plain).as_tuple().exponent)
            shown = format_number(float(plain), _Preview.of(self.column, max(self.decimals or 0, places)))
            hint = f"write {plain}: the column's format prints it as {shown.replace(NBSP, ' ')}"
        elif not context.get("plain") and not self.probability:
            hint += f", or {' / '.join(NOT_AVAILABLE)} where there is none"
        message = exc.message_template.replace("expected a number", "expected a number in column '{column}'", 1)
        return PydanticCustomError(exc.type, message, {**context, "column": self.name, "path": path, "hint": hint})


@dataclass(frozen=True)
class _Preview:
    """A column's format as written, for a hint (the column itself is checked by `Column`)."""

    format: str
    decimals: int
    signed: bool
    currency: str | None
    unit: str | None

    @classmethod
    def of(cls, column: dict, decimals: int) -> _Preview:
        def text(key: str) -> str | None:
            value = _as_text(column.get(key))
            return value if isinstance(value, str) and value.strip() else None

        return cls(column["format"], decimals, column.get("signed") is True, text("currency"), text("unit"))


_DECORATED = re.compile(r"""(?P<open>\()?\s*(?P<sign>[-+−])?\s*(?:[$€£¥]|[A-Z]{3}\s?)?\s*(?P<sign2>[-+−])?
                            (?P<digits>(?:\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+|\d+)(?:\.\d*)?|\.\d+)
                            \s*(?:%|pp|bps?|[a-zA-Z×]{1,3})?\s*\)?""", re.VERBOSE)


def _plain(text: str) -> str | None:
    """The number a cell written as text seems to mean, as a YAML number: '−4.5%' -> '-4.5'."""
    match = _DECORATED.fullmatch(text.strip())
    if not match:
        return None
    number = Decimal(re.sub(r"[,\u00a0\u202f\u2009]", "", match["digits"]))
    negative = match["open"] or (match["sign"] or match["sign2"] or "+") in "-−"
    return f"{-number if negative else number:f}"


def _cell(value: Any, where: tuple[int, int]) -> Any:
    path = ("rows",) + where
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


class NumberedItem(Strict):
    title: ShortText
    text: Text


class Question(Strict):
    question: Text
    answer: Text


class TextBlock(Strict):
    """A paragraph of running text."""

    text: Text


# A plain string is a paragraph: the way the README writes one, and what its snippet inserts.
Prose = Annotated[str, Field(max_length=MAX_TEXT_CHARS), _TextSchema(numbers=False, extra={
    "description": TextBlock.__doc__,
    **snippets(("new paragraph", TextBlock.__doc__, "${1:Running text of the paragraph.}"))})]


class CalloutBlock(Strict):
    """A key message printed in a tinted box."""

    callout: Text = Field(description="A key message printed in a tinted box.")

    model_config = ConfigDict(json_schema_extra=snippets(("new callout box", __doc__, {
        "callout": "${1:The key message of the section.}"})))


class ParagraphBlock(Strict):
    """Written as the Paragraph itself (`lead` + `text` in the block); held here as one field."""

    paragraph: Paragraph


class TableBlock(Strict):
    """A table (snippets: a text table, a scenario table with probabilities)."""

    table: Table

    model_config = ConfigDict(json_schema_extra=lambda schema, cls: _wrap_snippets(schema, "table", Table))


class ChartBlock(Strict):
    """A chart drawn from the article's numbers; `kind` says which."""

    chart: Chart

    model_config = ConfigDict(json_schema_extra=lambda schema, cls: _wrap_snippets(schema, "chart", Chart))


class ListBlock(Strict):
    """A numbered list of titled items."""

    numbered: list[NumberedItem] = Field(min_length=1, max_length=50)

    model_config = ConfigDict(json_schema_extra=snippets(("new numbered list", __doc__, {"numbered": [
        {"title": "${1:Higher-for-longer rates}", "text": "${2:Why it matters.}"},
        {"title": "${3:Weaker domestic demand}", "text": "${4:Why it matters.}"}]})))


class FaqBlock(Strict):
    """Questions and answers."""

    faq: list[Question] = Field(min_length=1, max_length=100)

    model_config = ConfigDict(json_schema_extra=snippets(("new questions and answers", __doc__, {"faq": [
        {"question": "${1:Does a bear case mean a crash?}", "answer": "${2:No.}"}]})))


class SubheadingBlock(Strict):
    """A sub-heading inside a section: one level below the section's heading, in the PDF's outline."""

    subheading: ShortText

    model_config = ConfigDict(json_schema_extra=snippets(("new sub-heading", __doc__, {
        "subheading": "${1:What the market prices}"})))


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class Image(Strict):
    """A figure from an image file beside the input (PNG, JPEG or SVG), numbered with the charts."""

    file: ShortText = Field(description="The image's path, relative to the input's folder "
                            f"({', '.join(IMAGE_SUFFIXES)}; inside that folder; {CHECKED}).")
    title: ShortText
    caption: Text | None = None
    source: ShortText

    @field_validator("file")
    @classmethod
    def _suffix(cls, value: str) -> str:
        if not value.lower().endswith(IMAGE_SUFFIXES):
            raise PydanticCustomError("image_type", "an image file must be PNG, JPEG or SVG, got '{value}'",
                                      {"value": value, "hint": "export the figure as .png, .jpg or .svg"})
        return value


class ImageBlock(Strict):
    """A figure from an image file: a screenshot of a data provider's chart, a diagram."""

    image: Image

    model_config = ConfigDict(json_schema_extra=snippets(("new figure from an image file", __doc__, {
        "image": {"file": "${1:figures/chart.png}", "title": "${2:What the figure shows}",
                  "source": "${3:Data provider}"}})))


def _wrap_snippets(schema: dict, key: str, kinds: Any) -> None:
    """A block holding one `key: {...}` offers the snippets of each model `key` may hold, wrapped."""
    members = [a for a in get_args(get_args(kinds)[0]) if isinstance(a, type)] \
        if get_origin(kinds) is Annotated else [kinds]
    def items(member) -> list[dict]:
        extra = member.model_config["json_schema_extra"]
        return extra["defaultSnippets"] if isinstance(extra, dict) else extra.snippets

    schema["defaultSnippets"] = [{**item, "body": {key: item["body"]}} for member in members for item in items(member)]


_BLOCK_KEYS = ("text", "callout", "table", "chart", "numbered", "faq", "subheading", "image")  # lead + text: a paragraph


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
        Annotated[TextBlock, BeforeValidator(_prose, json_schema_input_type=Prose), Tag("prose")],
        Annotated[TextBlock, Tag("text")],
        Annotated[CalloutBlock, Tag("callout")],
        Annotated[TableBlock, Tag("table")],
        Annotated[ChartBlock, Tag("chart")],
        Annotated[ListBlock, Tag("numbered")],
        Annotated[FaqBlock, Tag("faq")],
        Annotated[SubheadingBlock, Tag("subheading")],
        Annotated[ImageBlock, Tag("image")],
        Annotated[ParagraphBlock, BeforeValidator(lambda v: {"paragraph": v}, json_schema_input_type=Paragraph),
                  Tag("paragraph")],
    ],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="a block is a paragraph of text, or one of: text, callout, table, "
                             "chart, numbered, faq, subheading, image (or lead + text)",
    ),
]


class Section(Strict):
    heading: ShortText = Field(description="Short section name, e.g. 'Quick Answer'.")
    title: Text | None = Field(None, description="The section's headline sentence.")
    numbered: StrictBool = Field(True, description="false for an unnumbered essay or appendix.")
    blocks: list[Block] = Field(min_length=1, max_length=200, description=(
        "The section's content in order: paragraphs (a plain string, or `lead` + `text` for a bold "
        "lead-in) and blocks such as callout, table, chart, image, numbered, faq and subheading."))

    model_config = ConfigDict(json_schema_extra=snippets(("new section", "A section with a heading", {
        "heading": "${1:Quick Answer}", "title": "${2:The section's headline sentence}",
        "blocks": ["${3:Running text of the paragraph.}"]})))


class Reference(Strict):
    """A source, printed in the references in one style: [n] Author, Publisher, Date. *Title*. Note. URL"""

    title: ShortText = Field(description="The work's title, printed in italics.")
    author: ShortText | None = Field(None, description="Who wrote it, e.g. 'J. Smith and A. Lee'; opens the "
                                                       "entry, before the publisher.")
    publisher: ShortText | None = None
    date: Date | None = Field(None, description="Date of publication, YYYY-MM-DD; printed in the brand's style.")
    url: Url | None = Field(None, description="Printed in full and linked; http(s):// or mailto: only.")
    note: Text | None = Field(None, description="What the source supports, printed after the title.")


def _paragraphs(value: Any) -> Any:
    """A standfirst of one paragraph may be written as text; of several, as a list."""
    return [value] if not isinstance(value, list) else value


_PARAGRAPH = text_json_schema({"maxLength": MAX_TEXT_CHARS})
Standfirst = Annotated[tuple[Text, ...], BeforeValidator(_paragraphs), Field(min_length=1, max_length=5),
                       WithJsonSchema({"anyOf": [_PARAGRAPH, {"type": "array", "items": _PARAGRAPH,
                                                              "minItems": 1, "maxItems": 5}]})]
FOOTNOTE_CALL = re.compile(r"\[\^([a-z0-9][a-z0-9-]*)\]")  # `[^id]` in running text calls footnote `id`
_CALLS_IN = ("text", "callout", "answer", "rows")  # the fields whose text may call a footnote
_ALL = object()


class Report(Strict):
    """One research article."""

    title: ShortText
    short_title: ShortText | None = Field(None, description="For the running header; defaults to title.")
    status: Literal["draft", "final"] = Field("final", description=(
        "`draft` prints a DRAFT watermark on every page; `report build --final` refuses a draft."))
    dek: Standfirst = Field(description="The standfirst under the title: text, or a list of paragraphs.")
    report_type: ShortText = Field("Research note", description="Shown in the masthead band.")
    as_of: Date = Field(description="Publication / data date, YYYY-MM-DD. Drives every printed date.")
    author: ShortText | None = None
    keywords: list[ShortText] = Field(default_factory=list, max_length=30)
    key_stats: list[KeyStat] = Field(min_length=1, max_length=6)
    sections: list[Section] = Field(min_length=1, max_length=60)
    references: list[Reference] = Field(default_factory=list, max_length=100)
    footnotes: dict[Slug, Annotated[Text, Field(max_length=MAX_NOTE_CHARS)]] = Field(
        default_factory=dict, max_length=100, description=(
        "Footnotes by name: running text calls one with `[^name]`, and it prints, numbered, at the "
        f"foot of the page that calls it (every name called, every call named: {CHECKED})."))
    disclaimer: Text
    disclaimer_position: Literal["front", "end"] = Field("end", description=(
        "`front`: the disclaimer stands under the key-stat tiles on the first page; `end`: after "
        "the references."))

    @model_validator(mode="after")
    def _footnotes(self) -> Report:
        called: set[str] = set()
        for path, text in self.texts():
            for match in FOOTNOTE_CALL.finditer(text):
                if not set(path) & set(_CALLS_IN):
                    raise PydanticCustomError(
                        "footnote_place", "a footnote can be called only from running text (paragraphs, "
                        "callouts, list items, answers, table cells)", {"path": path})
                if match.group(1) not in self.footnotes:
                    raise PydanticCustomError(
                        "footnote_name", "footnote '{name}' is not among the footnotes",
                        {"name": match.group(1), "path": path, "choices": list(self.footnotes)})
                called.add(match.group(1))
        for name in self.footnotes:
            if name not in called:
                raise PydanticCustomError("footnote_unused", "footnote '{name}' is never called",
                                          {"name": name, "path": ("footnotes", name),
                                           "hint": f"write [^{name}] where it belongs, or delete it"})
        return self

    def texts(self, node: Any = _ALL, path: tuple = ()):
        """Every text of the article with its path, in document order (footnotes and their calls)."""
        node = self if node is _ALL else node
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                if name != "footnotes":
                    yield from self.texts(getattr(node, name), path + (name,))
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                yield from self.texts(item, path + (i,))
        elif isinstance(node, dict):
            for key, item in node.items():
                yield from self.texts(item, path + (key,))
        elif isinstance(node, str):
            yield path, node

    def footnote_numbers(self) -> dict[str, int]:
        """Footnote name -> its number, counted in the order the notes are first called."""
        numbers: dict[str, int] = {}
        for _, text in self.texts():
            for match in FOOTNOTE_CALL.finditer(text):
                numbers.setdefault(match.group(1), len(numbers) + 1)
        return numbers

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
