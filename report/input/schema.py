"""The input model → the JSON Schema editors use: what `report` accepts, as written in YAML.

Generated in validation mode from report/input/model.py, whose types declare their own input form
(text or a number, calendar dates, a plain string as a paragraph, completion snippets, the rules a
schema cannot state in descriptions); this module adds what belongs to the document as a whole and
writes snippets and descriptions in the form yaml-language-server reads. `report schema` prints it.
"""

from __future__ import annotations

import json
import re

from pydantic.json_schema import GenerateJsonSchema

from report.errors import ReportError
from report.input.load import load_text
from report.input.model import Report

DIALECT = "https://json-schema.org/draft/2020-12/schema"

NOT_IN_SCHEMA = (
    "`report validate` (and the pre-commit hook) also checks what a schema cannot: table rows as "
    "wide as their columns, probability columns that sum to 100, chart series as long as their x "
    "axis, chart tables that exist, unique table ids, every character in the brand's fonts, and "
    "strict YAML (no anchors, aliases, tags or duplicate keys)."
)


class InputSchema(GenerateJsonSchema):
    """Pydantic's generator, with the titles it derives from field names left out (they only
    repeat the key an editor already shows)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def _sort_recursive(self, value, parent_key=None):
        if parent_key == "body":  # a snippet's body is YAML to insert: keep its keys in reading order
            return value
        return super()._sort_recursive(value, parent_key)


# Text YAML 1.2 or an older reader might take for a number (012, 0x1F, 1e3, .inf): always quoted.
_NUMBER_LIKE = re.compile(r"[-+.0-9eE_]*|[-+]?0[xXoO][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")
_PLACEHOLDER = re.compile(r"\$\{\d+:([^}]*)\}|\$\d+")


def expand(snippet: str) -> str:
    """A snippet's text as inserted when every placeholder keeps its default."""
    return _PLACEHOLDER.sub(lambda m: m.group(1) or "", snippet)


def _reads_back(text: str, value) -> bool:
    try:
        return load_text("snippet", f"k: {expand(text)}\n")[0] == {"k": expand(value) if isinstance(value, str)
                                                                  else value}
    except ReportError:
        return False


def _scalar(value, *, flow: bool = False) -> str:
    """YAML for one scalar of a snippet: plain where the strict loader reads it back unchanged."""
    if isinstance(value, str):
        text = expand(value)
        plain = not _NUMBER_LIKE.fullmatch(text) and (not flow or not re.search(r"[,\[\]{}]", text))
        return value if plain and _reads_back(value, value) else json.dumps(value, ensure_ascii=False)
    return json.dumps(value)  # numbers and booleans as YAML 1.2 writes them


def _snippet_body(value):
    """A snippet body in yaml-language-server's form: it writes mappings and lists of mappings itself;
    lists of scalars become flow lists (`[a, b]`, as the README writes them) and text that needs
    quotes is quoted, given as raw text (`^…`) because the server neither quotes text nor nests lists."""
    if isinstance(value, dict):
        return {k: _snippet_body(v) for k, v in value.items()}
    if isinstance(value, list) and not any(isinstance(v, dict) for v in value):
        if all(isinstance(v, list) for v in value) and value:
            return [_snippet_body(v) for v in value]
        return "^[" + ", ".join(_scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, list):
        return [_snippet_body(v) for v in value]
    if isinstance(value, str) and _scalar(value) != value:
        return "^" + _scalar(value)
    return value


def _editor(node):
    """Descriptions are Markdown (`report validate`), and snippet bodies in the server's form."""
    if isinstance(node, dict):
        out = {k: _editor(v) if k != "defaultSnippets" else
               [{**item, "body": _snippet_body(item["body"])} for item in v] for k, v in node.items()}
        if isinstance(node.get("description"), str):
            out["markdownDescription"] = node["description"]
        return out
    return [_editor(v) for v in node] if isinstance(node, list) else node


def json_schema() -> dict:
    """The JSON Schema of a report input file."""
    schema = Report.model_json_schema(mode="validation", schema_generator=InputSchema)
    for name, definition in schema.get("$defs", {}).items():  # editors show it: "key stat", not "KeyStat"
        definition["title"] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    schema = {"$schema": DIALECT, **schema, "title": "Research report",
              "description": f"One research article. {NOT_IN_SCHEMA}"}
    return _editor(schema)
