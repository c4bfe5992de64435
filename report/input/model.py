"""The input contract: validated, frozen pydantic models of one report article.

Content only: words and numbers, no layout. Tables are generic (columns + rows); a table may name
one column as its probability column, whose numbers must sum to 100. Cross-field rules (unique ids,
chart references, probability sums) are validators here, so layout never checks again.

The value types (text, numbers, dates, links) live in report/input/types.py and the chart kinds in
report/input/chartspec.py; this module holds the article, its sections and blocks, and names them
all. Each type says what it accepts as JSON Schema input (report/input/schema.py exports it for
editors); a rule a schema cannot state is told in its field's description.
"""

from __future__ import annotations

import math
import re
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
    number,
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


Cell = Annotated[Union[str, float], WithJsonSchema({
    **text_json_schema({"maxLength": MAX_TEXT_CHARS}),
    "description": "Text; in the probability column, a number in % from 0 to 100, written without quotes "
                   f"({CHECKED})."})]
Row = Annotated[list[Cell], Field(description=f"One row: as many cells as the table has columns ({CHECKED}).")]


class Table(Strict):
    """A generic table. Cells are text; the probability column, if named, holds numbers in %."""

    id: Slug | None = Field(None, description="Lets charts and diffs refer to this table; unique in the "
                                          f"report ({CHECKED}).")
    title: ShortText
    columns: list[ShortText] = Field(min_length=1, max_length=MAX_TABLE_COLUMNS)
    rows: list[Row] = Field(
        min_length=1, max_length=MAX_TABLE_ROWS,
        description="One list of cells per row, each as long as `columns`; in the probability column "
                    f"a number from 0 to 100, and the column sums to 100 ± {PROBABILITY_TOLERANCE:g} "
                    f"({CHECKED}). A row may not be taller than a page (checked by `report build`).")
    probability: ShortText | None = Field(
        None, description="Name of the column holding probabilities in %: one of `columns`, its cells "
                          f"numbers that sum to 100 ± {PROBABILITY_TOLERANCE:g} ({CHECKED}).")
    tones: dict[str, Tone] = Field(
        default_factory=dict, description="Row label -> bear / base / bull / neutral; each label is the "
                                          f"first cell of a row ({CHECKED}).")
    source: ShortText | None = None

    model_config = ConfigDict(json_schema_extra=snippets(
        ("new text table", "A table of text cells", {
            "id": "${1:drivers}", "title": "${2:Main drivers}", "columns": ["Driver", "Why it matters"],
            "rows": [["${3:Rates}", "${4:Financing costs bite faster}"]]}),
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

    def row_tones(self) -> list[str]:
        """Each row's tone ("neutral" where `tones` names none)."""
        return [self.tones.get(label, "neutral") for label in self.labels()]

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
    title: ShortText
    publisher: ShortText | None = None
    date: Date | None = None
    url: Url | None = None
    note: Text | None = None


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
