"""The value types of the input contract: text, numbers, dates, links, tones, and the strict base
model, each saying what it accepts as JSON Schema input (for editors).

Text is non-blank text or a number kept as written, numbers are written without quotes and finite,
dates are real calendar dates; a rule a schema cannot state is told in its field's description.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

MAX_TEXT_CHARS = 5_000  # one paragraph; the longest in the seed article is about 1,200
MAX_TABLE_ROWS = 200
MAX_TABLE_COLUMNS = 8
MAX_CHART_POINTS = 500
MAX_CHART_VALUE = 1e15  # beyond this matplotlib's axis arithmetic overflows; no chart needs it
PROBABILITY_TOLERANCE = 0.5
MAX_NOTE_CHARS = 1_000  # a footnote stands at a page's foot with its call: a few lines, never a page
CHECKED = "checked by `report validate`"  # ends the description of each rule a schema cannot state


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


_CONTROL = r"\u0000-\u0009\u000B-\u001F\u007F-\u009F\uD800-\uDFFF"  # what _clean_text refuses


def text_json_schema(string: dict, *, numbers: bool = True) -> dict:
    """JSON Schema input of text: a string with a visible character and no control character, or,
    where `numbers`, a plain YAML number (kept as written). `string` carries the length limits."""
    text = {**string, "type": "string", "minLength": 1, "pattern": r"\S",
            "patternErrorMessage": "text is empty",
            "allOf": [{"pattern": f"^[^{_CONTROL}]*$",
                       "patternErrorMessage": "contains a control character; delete it"}]}
    return {"anyOf": [text, {"type": "number"}]} if numbers else text


class _TextSchema:
    """Declares the JSON Schema input of a text type, keeping the limits of its `Field`s."""

    def __init__(self, *, numbers: bool = True, extra: dict | None = None):
        self.numbers, self.extra = numbers, extra or {}

    def __get_pydantic_json_schema__(self, core_schema, handler):
        string = handler.resolve_ref_schema(handler(core_schema))
        limits = {k: v for k, v in string.items() if k in ("maxLength", "description")}
        return {**text_json_schema(limits, numbers=self.numbers), **self.extra}


Text = Annotated[str, BeforeValidator(_text_in), Field(max_length=MAX_TEXT_CHARS), _TextSchema()]
ShortText = Annotated[Text, Field(max_length=200)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60, json_schema_extra={
    "patternErrorMessage": "must be lower-case letters, digits and hyphens, e.g. 'scenarios'"})]


# The number rule, for every number field (one definition: `number_in`, used by `number()` types
# and by the probability cells). A number field takes a YAML number: a plain scalar the YAML 1.2
# core schema reads as one (`1000`, `-3.5`, `1e3`, `.5`; the strict loader decides). Text is never
# re-typed: a quoted `"100"` or a plain `1_000`, `012`, `0x1F` is text, and refused here with a
# hint that shows the number it seems to mean ("write 1000 without quotes").

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


def number(ge: float | None = None, le: float | None = None, description: str | None = None):
    """The type of a number field: a finite YAML number (see `number_in`), optionally bounded.
    (The bounds sit before the validator: that way the JSON Schema says minimum and maximum.)"""
    return Annotated[float, Field(allow_inf_nan=False, ge=ge, le=le, description=description),
                     BeforeValidator(number_in)]


Number = number(-MAX_CHART_VALUE, MAX_CHART_VALUE, f"A number written without quotes; finite ({CHECKED}).")
Tone = Literal["bear", "base", "bull", "neutral"]
Url = Annotated[str, Field(pattern=r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$", max_length=2000,
                           json_schema_extra={"patternErrorMessage": "must be an http(s):// or mailto: link"})]

_DAY = r"[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
_LEAP_DAY = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29"
CALENDAR_DATE = f"^(?!0000)(?:{_DAY}|{_LEAP_DAY})$"  # YYYY-MM-DD, a day that exists (year 1 to 9999)


def _iso_date(value: Any) -> Any:
    """A date is text written YYYY-MM-DD: never a number (pydantic would read it as a timestamp)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or \
            isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise PydanticCustomError("date_format", "dates are written YYYY-MM-DD, got '{value}'",
                              {"value": _as_text(value)})


Date = Annotated[dt.date, BeforeValidator(_iso_date), WithJsonSchema({
    "type": "string", "pattern": CALENDAR_DATE,
    "patternErrorMessage": "must be a date written YYYY-MM-DD that is in the calendar"})]


def snippets(*items: tuple[str, str, Any]) -> dict:
    """`json_schema_extra` offering editor completion snippets: (label, description, body).

    A body is the YAML to insert, as data; `${1:placeholder}` marks where the cursor goes next.
    """
    return {"defaultSnippets": [{"label": label, "description": description, "body": body}
                                for label, description, body in items]}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
