"""The input model → the JSON Schema editors use: what `report` accepts, as written in YAML.

Generated in validation mode from report/input/model.py, whose types declare their own input form
(text or a number, calendar dates, a plain string as a paragraph, completion snippets); this module
only adds what belongs to the document as a whole. `report schema` prints it.
"""

from __future__ import annotations

from pydantic.json_schema import GenerateJsonSchema

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


def json_schema() -> dict:
    """The JSON Schema of a report input file."""
    schema = Report.model_json_schema(mode="validation", schema_generator=InputSchema)
    return {"$schema": DIALECT, **schema, "title": "Research report", "description": f"One research article. {NOT_IN_SCHEMA}"}
